/**
 * `interphase export`, run against the build as scripts run it (`node out/main/cli.js`), on the demo
 * experiment's files in resources/samples (synthetic, written by the project's generators).
 *
 * Every expected value comes from `analyze --json` on the same file with the same options: the exported
 * table must hold the numbers the analysis reports (the JSON rounds to 9 significant digits, the CSV
 * keeps full precision, hence the 1e-8 relative tolerance). The header-to-key mapping comes from the pure
 * core's table definitions (imported from ../src/shared, as cli-analysis.spec.ts does).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { cyclesTable, indentsTable, pulsesTable, type ExportTable } from '../src/shared/export/tables';
import { readWorkbook } from '../src/shared/formats/containers/read-workbook';
import { node, ROOT } from './support/cli-run';

const SAMPLES = join(ROOT, 'resources', 'samples');
const CYCLING = join(SAMPLES, 'Fig2d_Li-LPSC-In_0.5mAcm2_0.2mAhcm2.csv');
const GITT = join(SAMPLES, 'Fig5a_GITT_10min-pulses_Li-LPSC-In.csv');
/** README "Command line": the GITT example's parameters. */
const GITT_OPTIONS = ['--area', '0.785', '--moles', '9.995e-5', '--molar-volume', '15.71'];
const INDENTS = join(SAMPLES, 'Fig4_after-1mAhcm2_site1 0000LC.txt');
const APP_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function analyzeJson(...args: string[]): Record<string, unknown> {
  const run = node('analyze', ...args, '--json');
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'interphase-export-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parseCsv(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** Keys of the exported columns, from their headers as written (the table definition maps them). */
function keysOf(headers: readonly string[], definition: ExportTable): string[] {
  return headers.map((h) => {
    const column = definition.columns.find((c) => c.header === h);
    expect(column, `unknown header "${h}"`).toBeDefined();
    return column!.key;
  });
}

/** A cell's text equals the JSON value: numbers to 1e-8 relative, null as an empty cell, texts as they are. */
function expectCellMatches(text: string, expected: unknown, where: string): void {
  if (expected === null || expected === undefined || (typeof expected === 'number' && !Number.isFinite(expected))) {
    expect(text, where).toBe('');
  } else if (typeof expected === 'number') {
    expect(text, where).not.toBe('');
    const value = Number(text);
    expect(Math.abs(value - expected), `${where}: ${text} vs ${expected}`).toBeLessThanOrEqual(1e-8 * Math.abs(expected) + 1e-300);
  } else if (Array.isArray(expected)) {
    expect(text, where).toBe(expected.join(';'));
  } else {
    expect(typeof expected, where).toBe('string');
    expect(text, where).toBe(expected);
  }
}

function expectRowsMatch(rows: string[][], keys: string[], expected: readonly Record<string, unknown>[]): void {
  expect(rows.length).toBe(expected.length);
  rows.forEach((row, i) => keys.forEach((key, k) => expectCellMatches(row[k], expected[i][key], `row ${i + 1} ${key}`)));
}

test.describe('interphase export', () => {
  test('cycles as CSV: a header with units and one row per cycle equal to analyze --json', () => {
    const out = join(dir, 'cycles.csv');
    const run = node('export', CYCLING, '--kind', 'cycling', '--area', '0.785', '--table', 'cycles', '--format', 'csv', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('cycles.csv');
    const json = analyzeJson(CYCLING, '--kind', 'cycling', '--area', '0.785');
    const cycles = json.cycles as Record<string, unknown>[];
    expect(cycles.length).toBeGreaterThan(20);
    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
    expect(header).toContain('Voltage gap (mV)');
    expect(header).toContain('Accumulated areal capacity (mAh cm⁻²)');
    expectRowsMatch(rows, keysOf(header, cyclesTable({ cycles: [] })), cycles);
  });

  test('cycles as XLSX: the same cells as the CSV, numbers as numbers, and a Provenance sheet', () => {
    const csvOut = join(dir, 'cycles-for-xlsx.csv');
    const xlsxOut = join(dir, 'cycles.xlsx');
    expect(node('export', CYCLING, '--kind', 'cycling', '--out', csvOut).status).toBe(0);
    const run = node('export', CYCLING, '--kind', 'cycling', '--table', 'cycles', '--format', 'xlsx', '--out', xlsxOut);
    expect(run.status, run.stderr).toBe(0);
    const workbook = readWorkbook(new Uint8Array(readFileSync(xlsxOut)), 'cycles.xlsx');
    expect(workbook.sheetNames).toEqual(['cycles', 'Provenance']);
    const sheetRows = [...workbook.sheet('cycles')!.rows()];
    const csvRows = parseCsv(readFileSync(csvOut, 'utf8'));
    expect(sheetRows.length).toBe(csvRows.length);
    expect(sheetRows[0]).toEqual(csvRows[0]);
    sheetRows.slice(1).forEach((row, i) =>
      csvRows[i + 1].forEach((text, k) => {
        const cell = row[k] ?? null;
        if (text === '') expect(cell === null || cell === '', `row ${i + 1} col ${k}`).toBe(true);
        else if (typeof cell === 'number') expect(cell, `row ${i + 1} col ${k}`).toBe(Number(text));
        else expect(cell, `row ${i + 1} col ${k}`).toBe(text);
      }),
    );
    expect(typeof sheetRows[1][1]).toBe('number');

    const imported = node('import', CYCLING, '--json');
    expect(imported.status, imported.stderr).toBe(0);
    const sha256 = (JSON.parse(imported.stdout) as { sha256: string }).sha256;
    const provenance: Record<string, unknown> = Object.fromEntries(
      [...workbook.sheet('Provenance')!.rows()].slice(1).map(([k, v]): [string, unknown] => [String(k), v]),
    );
    expect(provenance).toMatchObject({
      app: 'Interphase',
      version: APP_VERSION,
      sourceFile: 'Fig2d_Li-LPSC-In_0.5mAcm2_0.2mAhcm2.csv',
      sha256,
      analysisKind: 'cycling',
    });
    expect(Number.isNaN(Date.parse(String(provenance.exportedAt)))).toBe(false);
    const parameters = JSON.parse(String(provenance.parameters)) as { area_cm2: number; parameters: unknown };
    expect(parameters.area_cm2).toBe(0.785);
    expect(parameters.parameters).toEqual(analyzeJson(CYCLING, '--kind', 'cycling').parameters);
  });

  test('GITT pulses as CSV with the README parameters: τ, ΔE and D of analyze --json', () => {
    const out = join(dir, 'pulses.csv');
    const run = node('export', GITT, '--kind', 'gitt', ...GITT_OPTIONS, '--table', 'pulses', '--format', 'csv', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const pulses = analyzeJson(GITT, '--kind', 'gitt', ...GITT_OPTIONS).pulses as Record<string, unknown>[];
    expect(pulses.length).toBeGreaterThan(10);
    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
    expect(header).toContain('D (cm² s⁻¹)');
    // The JSON carries D as null where the pulse has none (NaN): the CSV cell is empty there.
    expectRowsMatch(rows, keysOf(header, pulsesTable({ pulses: [] })), pulses);
  });

  test('indents of a Hysitron file as CSV: one row per unload, H and E of analyze --json', () => {
    const out = join(dir, 'indents.csv');
    const run = node('export', INDENTS, '--kind', 'indentation', '--nu', '0.45', '--table', 'indents', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const curves = analyzeJson(INDENTS, '--kind', 'indentation', '--nu', '0.45').curves as {
      unload: number;
      unloads: Record<string, unknown>[];
    }[];
    const expected = curves.flatMap((c) =>
      (c.unloads.length > 0 ? c.unloads : [c as unknown as Record<string, unknown>]).map((u) => ({
        ...u,
        is_main: u.unload === c.unload ? 1 : 0,
      })),
    );
    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
    expect(header).toContain('H (GPa)');
    expectRowsMatch(rows, keysOf(header, indentsTable({ curves: [] })), expected);
  });

  test('a table that does not fit the kind, a CCD, or no --out is a usage error (exit 1) and writes nothing', () => {
    const out = join(dir, 'wrong', 'never.csv');
    const cases: [string[], RegExp][] = [
      [[CYCLING, '--kind', 'cycling', '--table', 'pulses'], /--table pulses does not fit --kind cycling: its table is cycles/],
      [[GITT, '--kind', 'gitt', ...GITT_OPTIONS, '--table', 'cycles'], /--table cycles does not fit --kind gitt: its table is pulses/],
      [[INDENTS, '--kind', 'indentation', '--table', 'pulses'], /its table is indents/],
      [[CYCLING, '--kind', 'ccd', '--table', 'cycles'], /--kind ccd has no per-row table/],
      [[CYCLING, '--table', 'indents'], /this file \(detected as cycling\): its table is cycles/],
      [[CYCLING, '--table', 'steps'], /--table must be one of cycles, pulses, indents/],
      [[CYCLING, '--kind', 'cycling', '--format', 'ods'], /--format must be one of csv, xlsx/],
      [[GITT, '--kind', 'gitt', '--table', 'pulses'], /GITT needs the amount of active material/],
    ];
    for (const [args, message] of cases) {
      const run = node('export', ...args, '--out', out);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    const noOut = node('export', CYCLING, '--kind', 'cycling');
    expect(noOut.status).toBe(1);
    expect(noOut.stderr).toContain('export needs --out FILE');
    expect(readdirSync(dir)).not.toContain('wrong');
  });

  test('bad input exits 2 and leaves neither the file nor a temporary file behind', () => {
    const sub = mkdtempSync(join(dir, 'bad-'));
    const run = node('export', join(ROOT, 'package.json'), '--kind', 'cycling', '--out', join(sub, 'out.csv'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('package.json');
    expect(readdirSync(sub)).toEqual([]);
  });
});
