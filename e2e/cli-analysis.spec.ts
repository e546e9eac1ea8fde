/**
 * The `analyze` and `map` command-line contracts, run against the build as scripts run them.
 *
 * Inputs are the project's synthetic scenarios written as instrument files (src/shared/synth/cli-fixtures.ts:
 * NEWARE CSV / Excel, Hysitron LC.txt) into a temporary folder; every expected number comes from the
 * generator's parameters, not from a previous run. The spec imports the pure core straight from
 * ../src/shared (Playwright transpiles it; it uses only relative imports), so no CLI command exists for
 * tests only. Real instrument files are checked against their MANIFEST references when present.
 *
 * Most calls run `node out/main/cli.js` (fast); the map test goes through `npm run -s cli` as users do.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { badInputCorpus } from '../src/shared/synth/bad-input-corpus';
import { cliFixtures, type CliFixture, type CyclingFixtureExpectation } from '../src/shared/synth/cli-fixtures';
import { CLI, node, ROOT, type Run } from './support/cli-run';

const REAL = join(ROOT, '..', 'shared', 'data', 'real');
const HAS_REAL = existsSync(REAL);
const REAL_SKIP = `real instrument files not found at ${REAL} (../shared is absent in a user's clone)`;

/** Several `node out/main/cli.js` runs, a few at a time (most of a run is start-up and file reading). */
async function nodeAll(argLists: readonly (readonly string[])[], concurrency = 3): Promise<Run[]> {
  const runs: Run[] = new Array<Run>(argLists.length);
  let next = 0;
  const worker = async () => {
    while (next < argLists.length) {
      const k = next++;
      runs[k] = await new Promise<Run>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...argLists[k]], { cwd: ROOT });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
        child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, argLists.length) }, worker));
  return runs;
}

function npm(...args: string[]): Run {
  return spawnSync('npm', ['run', '-s', 'cli', '--', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/**
 * stdout as JSON after checking the exit code (stderr shown on failure). A direct `node` run prints
 * nothing else; through npm, scripts/ensure-build.mjs may report a rebuild on stderr.
 */
function json<T = Record<string, unknown>>(run: Run, isStderrEmpty = true): T {
  expect(run.status, run.stderr).toBe(0);
  if (isStderrEmpty) expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as T;
}

/** |actual − expected| ≤ rel · |expected| (or abs when expected is 0). */
function expectClose(actual: unknown, expected: number, rel: number, what: string, abs = 0): void {
  expect(typeof actual, what).toBe('number');
  const tolerance = Math.max(rel * Math.abs(expected), abs);
  expect(Math.abs((actual as number) - expected), `${what}: ${String(actual)} vs ${expected} (±${tolerance})`).toBeLessThanOrEqual(
    tolerance,
  );
}

const CYCLE_FIELDS = [
  'index',
  'plateCapacity_mAh',
  'stripCapacity_mAh',
  'ce',
  'plateV',
  'stripV',
  'voltageGap_mV',
  'nucleationOverpotential_mV',
  'accumulatedArealCapacity_mAh_cm2',
  'flags',
];
const FAILURE_FIELDS = ['class', 'cycle', 'lifespan_mAh_cm2', 'censored', 'evidence'];
const PULSE_FIELDS = ['index', 'start_s', 'tau_s', 'dEs_V', 'dEt_V', 'D_cm2_s', 'arealCapacity_mAh_cm2', 'relaxedVoltage_V', 'flags'];
const CURVE_FIELDS = [
  'name',
  'Pmax_mN',
  'hmax_nm',
  'hf_nm',
  'S_mN_nm',
  'hc_nm',
  'A_nm2',
  'H_GPa',
  'Er_GPa',
  'E_GPa',
  'm',
  'fitR2',
  'flags',
];

function expectFields(object: unknown, fields: readonly string[], what: string): void {
  expect(object, what).toBeInstanceOf(Object);
  for (const field of fields) expect(Object.keys(object as object), `${what} has "${field}"`).toContain(field);
}

let dir = '';
let fixtures: CliFixture[] = [];
const pathOf = (f: CliFixture) => join(dir, f.fileName);
const fixture = (kind: string, failureClass?: string): CliFixture => {
  const found = fixtures.find(
    (f) =>
      f.expected.kind === kind && (failureClass === undefined || (f.expected as CyclingFixtureExpectation).failureClass === failureClass),
  );
  if (!found) throw new Error(`no ${kind} ${failureClass ?? ''} fixture`);
  return found;
};
const classFixtures = () => fixtures.filter((f) => f.expected.kind === 'cycling' && !f.args.includes('full'));

test.describe('command line analysis', () => {
  test.beforeAll(() => {
    expect(existsSync(CLI), `${CLI} is missing: run npx electron-vite build first`).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'interphase-cli-analysis-'));
    fixtures = cliFixtures();
    for (const f of fixtures) writeFileSync(pathOf(f), f.bytes);
  });

  test.afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('analyze (auto kind) returns the generator’s answers for every synthetic scenario', async () => {
    // Each file's import format is checked in-process by src/shared/synth/cli-fixtures.test.ts.
    const runs = await nodeAll(fixtures.map((f) => ['analyze', pathOf(f), ...f.args, '--json']));
    fixtures.forEach((f, n) => {
      const what = f.fileName;
      const out = json(runs[n]);
      expect(out.autoDetected, what).toBe(true);
      expect(out.kind, what).toBe(f.expected.kind);
      const e = f.expected;

      if (e.kind === 'cycling') {
        expectFields(
          out,
          ['kind', 'file', 'area_cm2', 'currentDensity_mA_cm2', 'arealCapacity_mAh_cm2', 'cycles', 'failure', 'parameters'],
          what,
        );
        expect(out.file, what).toBe(f.fileName);
        expectClose(out.area_cm2, 0.785, 0, `${what} area`);
        expectClose(out.currentDensity_mA_cm2, e.currentDensityMACm2, 1e-5, `${what} j`);
        expectClose(out.arealCapacity_mAh_cm2, e.arealCapacityMAhCm2, 1e-5, `${what} q`);
        const cycles = out.cycles as Record<string, unknown>[];
        expect(cycles, what).toHaveLength(e.cycles.length);
        cycles.forEach((c, k) => {
          const want = e.cycles[k];
          const at = `${what} cycle ${want.index}`;
          expectFields(c, CYCLE_FIELDS, at);
          expect(c.index, at).toBe(want.index);
          expectClose(c.plateCapacity_mAh, want.plateCapacityMAh, 1e-5, `${at} plating capacity`);
          expectClose(c.stripCapacity_mAh, want.stripCapacityMAh, 1e-5, `${at} stripping capacity`);
          expectClose(c.ce, want.ce, 1e-5, `${at} CE`);
          expectClose(c.accumulatedArealCapacity_mAh_cm2, want.accumulatedArealCapacityMAhCm2, 1e-5, `${at} accumulated`);
          // 0.4 mV noise and the nucleation tail move the plateau medians by well under 1 mV.
          if (want.voltageGapMV !== null) expectClose(c.voltageGap_mV, want.voltageGapMV, 0, `${at} voltage gap`, 1);
        });
        const failure = out.failure as Record<string, unknown>;
        expectFields(failure, FAILURE_FIELDS, `${what} failure`);
        expect(failure.class, what).toBe(e.failureClass);
        expect(failure.cycle, what).toBe(e.failureCycle);
        expect(failure.censored, what).toBe(e.censored);
        expectClose(failure.lifespan_mAh_cm2, e.lifespanMAhCm2, 1e-5, `${what} lifespan`);
      } else if (e.kind === 'ccd') {
        expectFields(out, ['kind', 'ccd_mA_cm2', 'lastStable_mA_cm2', 'steps'], what);
        expectClose(out.ccd_mA_cm2, e.ccdMACm2, 1e-5, `${what} CCD`);
        expectClose(out.lastStable_mA_cm2, e.lastStableMACm2, 1e-5, `${what} last stable`);
        const steps = out.steps as Record<string, unknown>[];
        expect(steps, what).toHaveLength(e.stepsMACm2.length);
        steps.forEach((s, k) => {
          expectFields(s, ['currentDensity_mA_cm2', 'shorted'], `${what} step ${k + 1}`);
          expectClose(s.currentDensity_mA_cm2, e.stepsMACm2[k], 1e-3, `${what} step ${k + 1} j`);
          expect(s.shorted, `${what} step ${k + 1}`).toBe(e.stepsMACm2[k] >= e.ccdMACm2 - 1e-9);
        });
      } else if (e.kind === 'gitt') {
        expectFields(out, ['kind', 'pulses', 'parameters'], what);
        const pulses = out.pulses as Record<string, unknown>[];
        expect(pulses, what).toHaveLength(e.pulses.length);
        pulses.forEach((p, k) => {
          const want = e.pulses[k];
          const at = `${what} pulse ${k + 1}`;
          expectFields(p, PULSE_FIELDS, at);
          expect(p.index, at).toBe(k + 1);
          expectClose(p.start_s, want.startS, 0, `${at} start`, 0.01);
          expectClose(p.tau_s, want.tauS, 1e-3, `${at} τ`);
          // D ∝ (ΔE_s/ΔE_t)²: the CSV's 10 µV voltage resolution on mV-scale ΔE_s costs < 1 %.
          expectClose(p.D_cm2_s, want.dCm2S, 0.03, `${at} D`);
        });
      } else {
        expectFields(out, ['kind', 'curves', 'parameters'], what);
        const curves = out.curves as Record<string, unknown>[];
        expect(curves, what).toHaveLength(1);
        expectFields(curves[0], CURVE_FIELDS, `${what} curve`);
        expectClose(curves[0].Pmax_mN, e.pmaxMN, 1e-3, `${what} Pmax`);
        expectClose(curves[0].H_GPa, e.hardnessGPa, 0.005, `${what} H`);
        expectClose(curves[0].Er_GPa, e.reducedModulusGPa, 0.005, `${what} Er`);
        expectClose(curves[0].E_GPa, e.modulusGPa, 0.005, `${what} E`);
      }
    });
  });

  test('map (through npm run -s cli) gives one row per cell with the four failure classes', () => {
    const cells = classFixtures();
    expect(cells).toHaveLength(4);
    const rows = json<Record<string, unknown>[]>(npm('map', ...cells.map(pathOf), '--json'), false);
    expect(rows).toHaveLength(4);
    rows.forEach((row, k) => {
      const e = cells[k].expected as CyclingFixtureExpectation;
      const what = cells[k].fileName;
      expectFields(row, ['file', 'currentDensity_mA_cm2', 'arealCapacity_mAh_cm2', 'class', 'lifespan_mAh_cm2', 'censored'], what);
      expect(row.file, what).toBe(cells[k].fileName);
      expect(row.class, what).toBe(e.failureClass);
      expect(row.censored, what).toBe(e.censored);
      expectClose(row.currentDensity_mA_cm2, e.currentDensityMACm2, 1e-5, `${what} j`);
      expectClose(row.arealCapacity_mAh_cm2, e.arealCapacityMAhCm2, 1e-5, `${what} q`);
      expectClose(row.lifespan_mAh_cm2, e.lifespanMAhCm2, 1e-5, `${what} lifespan`);
    });
    expect(new Set(rows.map((r) => r.class))).toEqual(new Set(['stable', 'polarization', 'soft-short', 'hard-short']));
  });

  test('--csv writes a per-cycle CSV: a header and one row per cycle', () => {
    const f = fixture('cycling', 'soft-short');
    const e = f.expected as CyclingFixtureExpectation;
    const csvPath = join(dir, 'cycles.csv');
    const run = node('analyze', pathOf(f), '--kind', 'cycling', '--csv', csvPath);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(f.fileName);
    const lines = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + e.cycles.length);
    const header = lines[0].split(',');
    const indexColumn = header.findIndex((h) => /^(index|cycle)\b/i.test(h));
    expect(indexColumn, `header: ${lines[0]}`).toBeGreaterThanOrEqual(0);
    expect(
      header.some((h) => /plate|plating/i.test(h)),
      `header: ${lines[0]}`,
    ).toBe(true);
    lines.slice(1).forEach((line, k) => {
      const cells = line.split(',');
      expect(cells, `row ${k + 1}`).toHaveLength(header.length);
      expect(Number(cells[indexColumn]), `row ${k + 1}`).toBe(k + 1);
    });
  });

  test('usage errors exit 1; bad input exits 2 with one stderr line naming the file', async () => {
    const stable = pathOf(fixture('cycling', 'stable'));
    const gitt = pathOf(fixture('gitt'));
    const usage = await nodeAll([
      ['analyze', stable, '--kind', 'frobnicate', '--json'],
      ['analyze', gitt, '--kind', 'gitt', '--json'], // GITT without --moles / --mass
      ['analyze', stable, '--no-such-option'],
      ['analyze'],
      ['map', '--json'],
    ]);
    for (const run of usage) {
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^interphase: .+\nusage: interphase/);
    }
    expect(usage[1].stderr).toContain('--moles');

    const cases = badInputCorpus().filter((c) => c.bytes !== undefined && c.expect.outcome === 'error');
    expect(cases.length).toBeGreaterThanOrEqual(5);
    for (const c of cases) writeFileSync(join(dir, c.fileName), c.bytes!);
    // analyze on every case; map (several files, the bad one second) on the first.
    const runs = await nodeAll([
      ...cases.map((c) => ['analyze', join(dir, c.fileName), '--json']),
      ['map', stable, join(dir, cases[0].fileName), '--json'],
    ]);
    runs.forEach((run, k) => {
      const c = cases[k] ?? cases[0];
      const what = `${k < cases.length ? 'analyze' : 'map'} ${c.fileName}`;
      expect(run.status, `${what}: ${run.stderr}`).toBe(2);
      expect(run.stdout, what).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines, what).toHaveLength(1);
      expect(lines[0], what).toMatch(/^interphase: /);
      expect(lines[0], what).toContain(c.fileName);
      if (c.expect.outcome === 'error') expect(lines[0], what).toMatch(c.expect.message);
    });
  });

  test('real files: import reports every format; GITT and nanoindentation match the MANIFEST', async () => {
    test.skip(!HAS_REAL, REAL_SKIP);
    const oneFilePerFormat: [string, string][] = [
      ['neware/neware_uio.csv', 'neware-csv'],
      ['neware/nw_regular_export_ife_example.csv', 'neware-csv-nested'],
      ['neware/21_10_7_85.ndax', 'neware-ndax'],
      ['neware/nda_v8.nda', 'neware-nda'],
      ['neware/GMJuly2022_CELL002_RPT_3_P0C_5P0PSI_20230110_R0_CH041_20230110143333_37_2_1_2818580185.xlsx', 'neware-xlsx'],
      ['biologic/yadg_cp.mpt', 'biologic-mpt'],
      ['biologic/yadg_cp.mpr', 'biologic-mpr'],
      ['arbin/sample_data_arbin.csv', 'arbin-csv'],
      ['arbin/20160805_test001_45_cc_01.res', 'arbin-res'],
      ['arbin/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx', 'arbin-xlsx'],
      ['maccor/maccor_example.001', 'maccor-text'],
      ['other/sample_data_basytec.txt', 'basytec-text'],
      ['other/sample_data_novonix.csv', 'novonix-csv'],
      ['indentation/Popin.xls', 'agilent-xls'],
      ['indentation/Tungsten_FrameStiffness.xlsx', 'kla-xlsx'],
      ['indentation/RobinSteel0000LC.txt', 'hysitron-txt'],
      ['indentation/Exp-50mN_0000.hld', 'hysitron-hld'],
      ['indentation/Hysitron_dma.txt', 'hysitron-dma'],
      ['indentation/FS1.txt', 'fischerscope-txt'],
      ['indentation/1000nmXX 1 6958 -4555.txt', 'micromaterials-txt'],
    ];
    const runs = await nodeAll([
      ['analyze', join(REAL, 'gitt', '20210210_FC_01_cc_03.res'), '--kind', 'gitt', '--mass', '0.02264', '--json'],
      ['analyze', join(REAL, 'indentation', 'FQ.xls'), '--kind', 'indentation', '--json'],
      ...oneFilePerFormat.map(([file]) => ['import', join(REAL, file), '--json']),
    ]);
    // All formats in one comparison, so that one broken importer does not hide the state of the others.
    const found = oneFilePerFormat.map(([file], k) => {
      const run = runs[k + 2];
      if (run.status !== 0 || run.stderr !== '') return `${file}: exit ${run.status}: ${run.stderr.trim()}`;
      const summary = JSON.parse(run.stdout) as Record<string, unknown>;
      return summary.file === file.split('/')[1] ? summary.format : `${file}: reported as ${String(summary.file)}`;
    });
    expect(found).toEqual(oneFilePerFormat.map(([, format]) => format));

    // MANIFEST gitt/: 93 charge + 94 discharge pulses (Arbin MASS field 0.02264 g).
    const gitt = json(runs[0]);
    expect(gitt.kind).toBe('gitt');
    expect(gitt.pulses as unknown[]).toHaveLength(187);
    expectFields((gitt.pulses as unknown[])[0], PULSE_FIELDS, 'GITT pulse 1');
    // MANIFEST: OCV at the end of the first charge rest 3.487564 V.
    expectClose((gitt.pulses as Record<string, unknown>[])[0].relaxedVoltage_V, 3.487564, 0, 'GITT pulse 1 relaxed voltage', 1e-5);

    // MANIFEST indentation/FQ.xls: fused quartz, 10 tests, instrument mean E 72.8 GPa (contract: within 10 % of 72).
    const fq = json(runs[1]);
    const curves = fq.curves as Record<string, unknown>[];
    expect(curves).toHaveLength(10);
    for (const c of curves) {
      expectFields(c, CURVE_FIELDS, `FQ ${String(c.name)}`);
      expectClose(c.E_GPa, 72, 0.1, `FQ ${String(c.name)} E`);
    }
  });
});
