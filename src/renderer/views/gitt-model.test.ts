import { describe, expect, it } from 'vitest';
import { analyzeGitt, type GittPulse } from '@shared/analysis/gitt';
import { bytesSource, importFile } from '@shared/formats/import-dataset';
import { demoStudyFiles } from '@shared/synth/demo-study';
import { nodeHasher } from '@shared/test-support/real-data';
import {
  chooseGittRecord,
  flagMarkers,
  gittParamsFromForm,
  gittRecords,
  type GittRecordLike,
  pulseIndexOfItem,
  pulseItem,
  pulseSpanS,
  pulseWindows,
  pulseZoomRangeS,
  resolveGittParams,
} from './gitt-model';

const record = (id: string, analysisKind: 'cycling' | 'ccd' | 'gitt' | undefined, extra: Partial<GittRecordLike> = {}): GittRecordLike => ({
  id,
  kind: 'cycling',
  meta: analysisKind ? { analysisKind } : {},
  ...extra,
});

const pulse = (index: number, start_s: number, flags: GittPulse['flags'] = []): GittPulse =>
  ({ index, start_s, tau_s: 600, restAfter_s: 1800, lastRow: index * 10, flags }) as unknown as GittPulse;

describe('choosing the GITT run', () => {
  const records = [
    record('a', 'cycling'),
    record('g1', 'gitt'),
    record('c', 'ccd'),
    record('g2', 'gitt'),
    { ...record('i', undefined), kind: 'indentation' as const },
  ];

  it('lists the GITT runs in library order', () => {
    expect(gittRecords(records).map((r) => r.id)).toEqual(['g1', 'g2']);
  });

  it('shows the open dataset when it is a GITT run, else the saved choice, else the first run', () => {
    expect(chooseGittRecord(records, records[3])?.id).toBe('g2');
    expect(chooseGittRecord(records, records[0])?.id).toBe('g1');
    expect(chooseGittRecord(records, records[0], 'g2')?.id).toBe('g2');
    expect(chooseGittRecord(records, undefined, 'deleted')?.id).toBe('g1');
    expect(chooseGittRecord(records.slice(0, 1), records[0])).toBeUndefined();
  });
});

describe('resolveGittParams', () => {
  it('takes the area and active mass from the cell when nothing is saved', () => {
    const r = resolveGittParams({ cell: { cellType: 'asymmetric', areaCm2: 0.5, activeMassG: 0.01, temperatureC: 25 } });
    expect(r).toEqual({ params: { areaCm2: 0.5, activeMassG: 0.01 }, source: 'cell' });
  });

  it('lets saved parameters win and keeps the cell area the form left out', () => {
    const r = resolveGittParams({
      cell: { cellType: 'asymmetric', areaCm2: 0.5, activeMassG: 0.01 },
      params: { gitt: { activeMaterialMol: 2e-4 } },
    });
    expect(r.source).toBe('saved');
    expect(r.params).toEqual({ areaCm2: 0.5, activeMassG: 0.01, activeMaterialMol: 2e-4 });
  });

  it("says 'none' when neither the cell nor the saved parameters give the amount of active material", () => {
    expect(resolveGittParams({ cell: { cellType: 'asymmetric', areaCm2: 0.785 } })).toEqual({ params: { areaCm2: 0.785 }, source: 'none' });
    expect(resolveGittParams({}).source).toBe('none');
  });
});

describe('gittParamsFromForm', () => {
  it('reads positive numbers (decimal comma too) and leaves empty fields to the defaults', () => {
    expect(gittParamsFromForm({ areaCm2: '0,785', activeMassG: '0.0115', molarMassGMol: '' })).toEqual({
      params: { areaCm2: 0.785, activeMassG: 0.0115 },
    });
  });

  it('replaces the form fields of the base parameters and keeps the others', () => {
    const out = gittParamsFromForm({ activeMaterialMol: '1e-4' }, { activeMassG: 0.5, minSqrtFitR2: 0.9 });
    expect(out).toEqual({ params: { activeMaterialMol: 1e-4, minSqrtFitR2: 0.9 } });
  });

  it('names the bad field, and asks for the amount of active material', () => {
    expect(gittParamsFromForm({ activeMassG: '-1' })).toEqual({ problem: 'Active mass (g) must be a positive number, got "-1".' });
    expect(gittParamsFromForm({ areaCm2: '1' })).toHaveProperty('problem', expect.stringContaining('active mass'));
  });
});

describe('pulses on the trace', () => {
  const pulses = [pulse(1, 1000), pulse(2, 3400, ['short-pulse']), pulse(3, 5800, ['sqrt-fit-r2', 'tau-not-small'])];

  it('converts between the store item (0-based) and the pulse index (1-based)', () => {
    expect(pulseItem(pulses[2])).toBe(2);
    expect(pulseIndexOfItem(2)).toBe(3);
  });

  it('spans a pulse and its rest, and zooms a jump with a quarter margin each side', () => {
    expect(pulseSpanS(pulses[0])).toEqual([1000, 1000 + 600 + 1800]);
    expect(pulseZoomRangeS(pulses[0])).toEqual([1000 - 600, 3400 + 600]);
  });

  it('shades selected windows and the hovered one', () => {
    const windows = pulseWindows(pulses, [0, 2], 1);
    expect(windows.map((w) => [w.startS, w.emphasis])).toEqual([
      [1000, 'selected'],
      [5800, 'selected'],
      [3400, 'hovered'],
    ]);
    expect(pulseWindows(pulses, [7], null)).toEqual([]);
  });

  it('marks each flagged pulse at the end of its current step with its flags', () => {
    const voltage = Array.from({ length: 40 }, (_, k) => 0.6 - k * 0.001);
    const markers = flagMarkers(pulses, voltage);
    expect(markers).toEqual([
      { timeS: 4000, voltageV: voltage[20], label: 'Pulse 2: short-pulse', item: 1 },
      { timeS: 6400, voltageV: voltage[30], label: 'Pulse 3: sqrt-fit-r2, tau-not-small', item: 2 },
    ]);
  });
});

describe('the demo GITT runs analyse from their cell metadata alone', () => {
  const gitt = demoStudyFiles().filter((f) => f.expected.kind === 'gitt');

  it.each(gitt.map((f) => [f.fileName, f] as const))('%s', async (_name, f) => {
    const e = f.expected;
    if (e.kind !== 'gitt') throw new Error('not a GITT file');
    const resolved = resolveGittParams({ cell: f.cell ?? undefined });
    expect(resolved.source).toBe('cell');
    const dataset = await importFile(bytesSource(f.fileName, f.bytes, 65_536), { createHasher: nodeHasher });
    if (dataset.kind === 'indentation') throw new Error('imported as indentation');
    const result = analyzeGitt(dataset, resolved.params);
    expect(result.pulses).toHaveLength(e.pulseCount);
    result.pulses.forEach((p, k) => expect(Math.abs(Math.log10(p.D_cm2_s / e.dCm2S[k])), `pulse ${k + 1}`).toBeLessThan(0.02));
  });
});
