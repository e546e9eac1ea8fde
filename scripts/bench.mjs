// `npm run bench`: import speed of our path against papaparse on the same generated file, in the same
// run, each contender in its own process (so peak RSS is its own). Prints ratios, never asserts:
// speed goals are read here, not in timed unit tests.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { ROOT, ensureBuild } from './ensure-build.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DIR = join(ROOT, '.bench');

function duration(s) {
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A NEWARE BTSDA record-layer export (the columns of a real BTS 8 export), 1 s logging. */
async function generate(path, rows) {
  const out = createWriteStream(path);
  out.write(
    'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V),Capacity(mAh),Spec. Cap.(mAh/g),Chg. Cap.(mAh),Chg. Spec. Cap.(mAh/g),DChg. Cap.(mAh),DChg. Spec. Cap.(mAh/g),Energy(mWh),Spec. Energy(mWh/g),Chg. Energy(mWh),Chg. Spec. Energy(mWh/g),DChg. Energy(mWh),DChg. Spec. Energy(mWh/g),Date,Power(mW),dQ/dV(mAh/V),dQm/dV(mAh/V.g),Contact resistance(mO),Module start-stop switch\n',
  );
  const halfCycleS = 7200;
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const cycle = Math.floor(i / (2 * halfCycleS)) + 1;
    const inCycle = i % (2 * halfCycleS);
    const isPlating = inCycle < halfCycleS;
    const stepTime = isPlating ? inCycle : inCycle - halfCycleS;
    const current = isPlating ? -0.0785 : 0.0785;
    const voltage = (isPlating ? 0.608 - 0.025 * Math.exp(-stepTime / 180) : 0.632) + 0.0004 * Math.sin(i * 12.9898);
    const cap = (0.0785 * stepTime) / 3600;
    const chg = isPlating ? 0 : cap;
    const dchg = isPlating ? cap : 0;
    const date = new Date(Date.UTC(2026, 2, 2) + i * 1000).toISOString().replace('T', ' ').slice(0, 19);
    buffer += `${i + 1},${cycle},${isPlating ? 2 : 4},${isPlating ? 'CC DChg' : 'CC Chg'},${duration(stepTime)},${duration(i)},${current.toFixed(4)},${voltage.toFixed(4)},${cap.toFixed(6)},0.00,${chg.toFixed(6)},0.00,${dchg.toFixed(6)},0.00,${(cap * voltage).toFixed(6)},0.00,${(chg * voltage).toFixed(6)},0.00,${(dchg * voltage).toFixed(6)},0.00,${date},${(current * voltage).toFixed(5)},0.0000,0.0000,0,Close\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function run(kind, file) {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench-child.cjs'), kind, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${kind} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

ensureBuild();
mkdirSync(DIR, { recursive: true });
const file = join(DIR, `neware-${ROWS}.csv`);
if (!existsSync(file)) {
  process.stdout.write(`generating ${ROWS.toLocaleString('en')} NEWARE-like rows …\n`);
  await generate(file, ROWS);
}
const sizeMB = statSync(file).size / 1e6;
process.stdout.write(`file: ${file} (${sizeMB.toFixed(1)} MB, ${ROWS.toLocaleString('en')} rows)\n\n`);

const results = {};
for (const kind of ['read', 'ours', 'papaparse']) results[kind] = run(kind, file);
const line = (label, r) =>
  `${label.padEnd(28)} ${r.seconds.toFixed(2).padStart(7)} s ${(sizeMB / r.seconds).toFixed(1).padStart(8)} MB/s  peak RSS ${r.maxRssMB.toFixed(0).padStart(6)} MB`;
process.stdout.write(`${line('raw read (floor)', results.read)}\n`);
process.stdout.write(`${line('interphase import', results.ours)}  rows ${results.ours.rows}\n`);
process.stdout.write(`${line('papaparse (stream, typed)', results.papaparse)}  rows ${results.papaparse.rows}\n\n`);
process.stdout.write(`speed: interphase is ${(results.papaparse.seconds / results.ours.seconds).toFixed(2)}× papaparse\n`);
process.stdout.write(
  `peak RSS / file size: interphase ${(results.ours.maxRssMB / sizeMB).toFixed(2)}, papaparse ${(results.papaparse.maxRssMB / sizeMB).toFixed(2)}\n`,
);
if (results.ours.rows !== ROWS || results.papaparse.rows !== ROWS) {
  process.stderr.write(`row counts differ from ${ROWS}: ours ${results.ours.rows}, papaparse ${results.papaparse.rows}\n`);
  process.exit(1);
}
