import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { analyzeCycling, cyclesToCsv } from '../analysis/analyze-cycling';
import { analyzeGitt, pulsesToCsv } from '../analysis/gitt';
import { analyzeIndentation, indentsToCsv } from '../analysis/indentation';
import { stableScenario } from '../synth/cycling-scenarios';
import { generateGittRun } from '../synth/gitt-run';
import { generateIndentationCurve, INDIUM_LIKE_MATERIALS, reducedModulusOnDiamond } from '../synth/indentation-curve';
import { syntheticIndentationDataset } from '../test-support/indentation-dataset';
import { cyclesTable, indentsTable, provenanceEntries, pulsesTable, tableToCsv, type ExportCell, type ExportTable } from './tables';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** The CSV parsed back (RFC 4180, by papaparse), every field as the text written. */
function parseCsv(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv, { header: false, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** What a cell reads back as from its CSV text: numbers exactly, texts as they were, null as ''. */
const asWritten = (cell: ExportCell): string => (cell === null ? '' : String(cell));

function column(table: ExportTable, key: string): ExportCell[] {
  const k = table.columns.findIndex((c) => c.key === key);
  expect(k).toBeGreaterThanOrEqual(0);
  return table.rows.map((r) => r[k]);
}

describe('tableToCsv', () => {
  const table: ExportTable = {
    name: 'probe',
    columns: [
      { key: 'name', header: 'Name', unit: '' },
      { key: 'x_V', header: 'x (V)', unit: 'V' },
      { key: 'note', header: 'Note, "quoted"', unit: '' },
    ],
    rows: [
      ['plain', 0.1 + 0.2, 'a,b'],
      ['say "hi"', 1e-12, 'line1\nline2'],
      ['', Number.NaN, null],
      ['crlf\r\n', -123456789.12345679, ';'],
    ],
  };

  it('quotes fields with comma, quote or line break (RFC 4180), doubles quotes, keeps full precision', () => {
    const csv = tableToCsv(table);
    expect(csv.split('\n')[0]).toBe('Name,x (V),"Note, ""quoted"""');
    expect(csv.split('\n')[1]).toBe('plain,0.30000000000000004,"a,b"');
    expect(csv).toContain('"say ""hi""",1e-12,"line1\nline2"');
    const back = parseCsv(csv);
    expect(back[0]).toEqual(table.columns.map((c) => c.header));
    // NaN cannot be stored: it reads back as no value, like null.
    expect(back.slice(1)).toEqual(table.rows.map((r) => r.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? '' : asWritten(v)))));
    expect(Number(back[2][1])).toBe(1e-12);
    expect(Number(back[4][1])).toBe(-123456789.12345679);
  });

  it('writes null as an empty field and an empty text as "" (so the two stay apart)', () => {
    // The row ['', NaN, null], between the row ending in a quoted line break and the row starting with one.
    expect(tableToCsv(table)).toContain('line2"\n"",,\n"crlf');
  });

  it('uses the keys as header on request (analyze --csv), the same rows', () => {
    const byKey = tableToCsv(table, { header: 'key' }).split('\n');
    const byHeader = tableToCsv(table).split('\n');
    expect(byKey[0]).toBe('name,x_V,note');
    expect(byKey.slice(1)).toEqual(byHeader.slice(1));
  });
});

describe('cyclesTable', () => {
  // 0.1 mA/cm² on 0.785 cm², 0.2 mAh/cm² per half-cycle: 0.157 mAh plated and stripped per cycle.
  const result = analyzeCycling(stableScenario({ cycles: 5 }), { cellType: 'asymmetric' });
  const table = cyclesTable(result);

  it('has one row per cycle with the analytic capacities, units in the headers', () => {
    expect(table.name).toBe('cycles');
    expect(table.rows.length).toBe(5);
    expect(column(table, 'index')).toEqual([1, 2, 3, 4, 5]);
    for (const q of column(table, 'plateCapacity_mAh')) expect(rel(q as number, 0.1 * 0.785 * 2)).toBeLessThan(0.01);
    for (const q of column(table, 'plateArealCapacity_mAh_cm2')) expect(rel(q as number, 0.2)).toBeLessThan(0.01);
    for (const j of column(table, 'currentDensity_mA_cm2')) expect(rel(j as number, 0.1)).toBeLessThan(0.01);
    const headers = Object.fromEntries(table.columns.map((c) => [c.key, c.header]));
    expect(headers.plateCapacity_mAh).toBe('Plating (charge) capacity (mAh)');
    expect(headers.accumulatedArealCapacity_mAh_cm2).toBe('Accumulated areal capacity (mAh cm⁻²)');
    expect(headers.ce).toBe('CE (fraction)');
  });

  it('holds the result values unrounded (null where the JSON has null), and cyclesToCsv is this table', () => {
    expect(column(table, 'ce')).toEqual(result.cycles.map((c) => c.ce));
    expect(column(table, 'plateSpecificCapacity_mAh_g')).toEqual(result.cycles.map(() => null));
    expect(column(table, 'flags')).toEqual(result.cycles.map((c) => c.flags.join(';')));
    expect(cyclesToCsv(result)).toBe(tableToCsv(table, { header: 'key' }));
    const back = parseCsv(tableToCsv(table));
    expect(back.slice(1).map((r) => Number(r[table.columns.findIndex((c) => c.key === 'voltageGap_mV')]))).toEqual(
      result.cycles.map((c) => c.voltageGap_mV),
    );
  });
});

describe('pulsesTable', () => {
  const run = generateGittRun({ pulsesPerRun: 4 });
  const result = analyzeGitt(run.dataset, { activeMaterialMol: run.truth.activeMaterialMol, areaCm2: run.truth.params.areaCm2 });
  const table = pulsesTable(result);

  it('has one row per pulse with τ and D of the generator (D within 5 %), D header in cm² s⁻¹', () => {
    expect(table.rows.length).toBe(run.truth.pulses.length);
    const tau = column(table, 'tau_s');
    const d = column(table, 'D_cm2_s');
    run.truth.pulses.forEach((p, k) => {
      expect(tau[k]).toBeCloseTo(p.tauS, 6);
      if (d[k] !== null) expect(rel(d[k] as number, p.dCm2S)).toBeLessThan(0.05);
    });
    expect(d.filter((v) => v !== null).length).toBeGreaterThan(0);
    expect(table.columns.find((c) => c.key === 'D_cm2_s')?.header).toBe('D (cm² s⁻¹)');
    expect(table.columns.find((c) => c.key === 'D_cm2_s')?.unit).toBe('cm² s⁻¹');
  });

  it('writes NaN as null and round-trips every number exactly through CSV; pulsesToCsv is this table', () => {
    const back = parseCsv(tableToCsv(table)).slice(1);
    table.rows.forEach((row, i) =>
      row.forEach((cell, k) => {
        if (typeof cell === 'number') expect(Number(back[i][k])).toBe(cell);
        else expect(back[i][k]).toBe(cell ?? '');
      }),
    );
    const irNaN = result.pulses.findIndex((p) => !Number.isFinite(p.irStep_V));
    if (irNaN >= 0) expect(column(table, 'irStep_V')[irNaN]).toBeNull();
    expect(pulsesToCsv(result)).toBe(tableToCsv(table, { header: 'key' }));
  });
});

describe('indentsTable', () => {
  const FS = INDIUM_LIKE_MATERIALS.fusedSilica;
  const { curve } = generateIndentationCurve({
    name: 'site "1", In',
    reducedModulusGPa: reducedModulusOnDiamond(FS.modulusGPa, FS.nu),
    peakLoadsMN: [5, 50],
    unloadToFraction: 0.1,
  });
  const result = analyzeIndentation(syntheticIndentationDataset([curve]), { nu: FS.nu });
  const table = indentsTable(result);

  it('has one row per unload, the main one marked, H of fused silica, the name quoted in CSV', () => {
    expect(table.rows.length).toBe(2);
    expect(column(table, 'unload')).toEqual([1, 2]);
    expect(column(table, 'is_main')).toEqual([0, 1]);
    expect(column(table, 'Pmax_mN')).toEqual(result.curves[0].unloads.map((u) => u.Pmax_mN));
    for (const h of column(table, 'H_GPa')) expect(rel(h as number, FS.hardnessGPa)).toBeLessThan(1e-5);
    expect(table.columns.find((c) => c.key === 'H_GPa')?.header).toBe('H (GPa)');
    const csv = tableToCsv(table);
    expect(csv.split('\n')[1].startsWith('"site ""1"", In",1,0,')).toBe(true);
    expect(parseCsv(csv)[2][0]).toBe('site "1", In');
    expect(indentsToCsv(result)).toBe(tableToCsv(table, { header: 'key' }));
  });
});

describe('provenanceEntries', () => {
  it('lists every field in order, the parameters as JSON', () => {
    const entries = provenanceEntries({
      app: 'Interphase',
      version: '1.2.3',
      sourceFile: 'a.csv',
      sha256: 'ab'.repeat(32),
      analysisKind: 'gitt',
      parameters: { areaCm2: 0.785, method: 'sqrt-fit' },
      exportedAt: '2025-03-01T12:00:00.000Z',
    });
    expect(entries.map(([k]) => k)).toEqual(['app', 'version', 'sourceFile', 'sha256', 'analysisKind', 'parameters', 'exportedAt']);
    expect(JSON.parse(entries[5][1])).toEqual({ areaCm2: 0.785, method: 'sqrt-fit' });
  });
});
