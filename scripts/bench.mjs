// `npm run bench`: import speed of our path against papaparse on the same generated file, in the same
// run, each contender in its own process (so peak RSS is its own). Prints ratios, never asserts:
// speed goals are read here, not in timed unit tests.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureBuild } from './ensure-build.mjs';
import { ensureBenchFile } from './bench-data.mjs';

const PANDAS_SCRIPT = `
import sys, time, resource
import pandas as pd
t = time.perf_counter()
df = pd.read_csv(sys.argv[1], usecols=['Cycle Index', 'Step Index', 'Step Type', 'Total Time', 'Current(mA)', 'Voltage(V)', 'Capacity(mAh)'])
seconds = time.perf_counter() - t
print('{"seconds": %f, "maxRssMB": %f, "rows": %d}' % (seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(df)))
`;

/** Debian's python3 with pandas (python3-pandas), if any: the bench runs it only when present. */
function findPandasPython() {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

function run(kind, file) {
  const python = kind === 'pandas' ? findPandasPython() : undefined;
  const result =
    kind === 'pandas'
      ? spawnSync(python, ['-c', PANDAS_SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 20 })
      : spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench-child.cjs'), kind, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${kind} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const SIZES = (process.env.BENCH_ROWS ?? '1000000,10000000').split(',').map(Number);
const hasPandas = findPandasPython() !== undefined;
ensureBuild();
let failed = false;
for (const rows of SIZES) {
  const file = await ensureBenchFile(rows);
  const sizeMB = statSync(file).size / 1e6;
  process.stdout.write(`\n== import: ${file} (${sizeMB.toFixed(1)} MB, ${rows.toLocaleString('en')} rows)\n`);
  const kinds = ['read', 'ours', 'papaparse', ...(hasPandas ? ['pandas'] : [])];
  const results = {};
  for (const kind of kinds) results[kind] = run(kind, file);
  const line = (label, r) =>
    `${label.padEnd(30)} ${r.seconds.toFixed(2).padStart(7)} s ${(sizeMB / r.seconds).toFixed(1).padStart(8)} MB/s  peak RSS ${r.maxRssMB.toFixed(0).padStart(6)} MB  rows ${r.rows}`;
  process.stdout.write(`${line('raw read (floor)', results.read)}\n`);
  process.stdout.write(`${line('interphase import', results.ours)}\n`);
  process.stdout.write(`${line('papaparse (stream, typed)', results.papaparse)}\n`);
  if (hasPandas) process.stdout.write(`${line('pandas.read_csv (7 columns)', results.pandas)}\n`);
  else process.stdout.write('pandas.read_csv: skipped (no python3 with pandas; apt install python3-pandas)\n');
  const speedup = results.papaparse.seconds / results.ours.seconds;
  const rss = results.ours.maxRssMB / sizeMB;
  process.stdout.write(`ratio: interphase is ${speedup.toFixed(2)}× papaparse's speed (target at 1e7 rows: ≥ 6)\n`);
  if (hasPandas) {
    process.stdout.write(
      `ratio: interphase time / pandas time = ${(results.ours.seconds / results.pandas.seconds).toFixed(2)} (target at 1e7 rows: ≤ 0.5)\n`,
    );
  }
  process.stdout.write(`ratio: interphase peak RSS / file size = ${rss.toFixed(2)} (target: ≤ 0.75)\n`);
  for (const kind of ['ours', 'papaparse', ...(hasPandas ? ['pandas'] : [])]) {
    if (results[kind].rows !== rows) {
      process.stderr.write(`${kind} read ${results[kind].rows} rows, expected ${rows}\n`);
      failed = true;
    }
  }
}
const ANALYSIS_ROWS = Number(process.env.BENCH_ANALYSIS_ROWS ?? 10_000_000);
const analysis = run('analysis', String(ANALYSIS_ROWS));
process.stdout.write(
  `\n== cycling analysis: ${ANALYSIS_ROWS.toLocaleString('en')} rows in memory (import excluded), ${analysis.cycles} cycles\n`,
);
process.stdout.write(`analysis ${analysis.analysisS.toFixed(2)} s; one pass over the columns (floor) ${analysis.floorS.toFixed(3)} s\n`);
process.stdout.write(`ratio: analysis / floor = ${(analysis.analysisS / analysis.floorS).toFixed(1)}; target at 1e7 rows: ≤ 1.5 s\n`);
// The app in Chromium (first plot, zoom, long tasks, renderer memory): its own script, also runnable alone.
const ui = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench-ui.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, BENCH_UI_ROWS: process.env.BENCH_UI_ROWS ?? String(Math.max(...SIZES)) },
});
if (ui.status !== 0) {
  process.stderr.write(`bench-ui failed (exit ${String(ui.status)})\n`);
  failed = true;
}
if (failed) process.exit(1);
