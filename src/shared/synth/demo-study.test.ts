/**
 * The demo experiment through the real pipeline: every file imports as its stated format, and the
 * analyses give back the numbers the generators were built from (DOMAIN.md, 'The study's figures').
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCcd, analyzeCycling, type CyclingResultJson } from '../analysis/analyze-cycling';
import { analyzeGitt } from '../analysis/gitt';
import { findPlateaus, LI_IN_PLATEAUS } from '../analysis/gitt-plateaus';
import { analyzeIndentation } from '../analysis/indentation';
import { bytesSource, importFile, type ImportedDataset } from '../formats/import-dataset';
import type { Dataset } from '../model/dataset';
import { nodeHasher } from '../test-support/real-data';
import { DEMO_GENERATED_MARK, demoStudyFiles, type DemoFile } from './demo-study';

const files = demoStudyFiles();
const imported = new Map<string, ImportedDataset>();
const cycling = new Map<string, CyclingResultJson>();

function cyclingDataset(f: DemoFile): Dataset {
  const d = imported.get(f.fileName);
  if (!d || d.kind !== 'cycling') throw new Error(`${f.fileName}: not imported as a cycling dataset`);
  return d;
}

beforeAll(async () => {
  for (const f of files) {
    imported.set(f.fileName, await importFile(bytesSource(f.fileName, f.bytes, 65_536), { createHasher: nodeHasher }));
  }
  for (const f of files) {
    if (f.expected.kind === 'cycling') cycling.set(f.fileName, analyzeCycling(cyclingDataset(f), f.cell!));
  }
}, 60_000);

const byKind = <K extends DemoFile['expected']['kind']>(kind: K) => files.filter((f) => f.expected.kind === kind);
/** `it.each` rows named by file: `%s` prints the file name. */
const byName = (fs: readonly DemoFile[]) => fs.map((f) => [f.fileName, f] as [string, DemoFile]);

describe('demoStudyFiles: the experiment as a whole', () => {
  it('has distinct names, marks every file as generated, and mixes the lab formats', () => {
    expect(new Set(files.map((f) => f.fileName)).size).toBe(files.length);
    for (const f of files) expect(f.description, f.fileName).toContain(DEMO_GENERATED_MARK);
    const count = (format: string) => files.filter((f) => f.format === format).length;
    const cyclerFiles = files.filter((f) => f.format !== 'hysitron-txt').length;
    expect(count('neware-csv')).toBeGreaterThan(cyclerFiles / 2);
    expect(count('neware-xlsx')).toBeGreaterThanOrEqual(1);
    expect(count('biologic-mpt')).toBeGreaterThanOrEqual(1);
    expect(count('hysitron-txt')).toBe(12);
    expect(new Set(files.map((f) => f.group))).toEqual(
      new Set(['Figure 2 matrix', 'Failure map', 'CCD', 'Continuous lithiation', 'GITT', 'Indentation', 'Full cells', 'Temperature']),
    );
  });

  it("holds the study's Figure 2 matrix and one cell at each of −10, 25 and 60 °C", () => {
    const matrix = files
      .filter((f) => f.group === 'Figure 2 matrix')
      .map((f) => `${f.cell!.currentDensityMACm2}/${f.cell!.arealCapacityMAhCm2}`)
      .sort();
    expect(matrix).toEqual(['0.1/0.2', '0.1/1', '0.1/5', '0.2/0.2', '0.5/0.2', '1/0.2'].sort());
    expect(files.filter((f) => f.group === 'Temperature').map((f) => f.cell!.temperatureC)).toEqual([-10, 25, 60]);
  });

  it('is byte-identical on a second call', () => {
    const again = demoStudyFiles();
    expect(again.map((f) => f.fileName)).toEqual(files.map((f) => f.fileName));
    // Buffer.compare: a deep toEqual over megabytes takes tens of seconds.
    again.forEach((f, k) => expect(Buffer.compare(f.bytes, files[k].bytes), f.fileName).toBe(0));
  });

  it('stays within the 25 MB budget', () => {
    const total = files.reduce((s, f) => s + f.bytes.length, 0);
    expect(total).toBeLessThanOrEqual(25 * 1024 * 1024);
  });

  it.each(byName(files))('%s imports as its stated format', (_name, f) => {
    const d = imported.get(f.fileName)!;
    expect(d.meta.format).toBe(f.format);
    expect(d.kind).toBe(f.format === 'hysitron-txt' ? 'indentation' : 'cycling');
  });
});

describe('cycled cells: failure classes and the failure map', () => {
  it.each(byName(byKind('cycling')))('%s gives its class, failure cycle and lifespan', (_n, f) => {
    const e = f.expected;
    if (e.kind !== 'cycling') throw new Error('not a cycling file');
    const r = cycling.get(f.fileName)!;
    expect(r.cycleCount).toBe(e.cycles);
    expect(r.failure.class).toBe(e.failureClass);
    expect(r.failure.cycle).toBe(e.failureCycle);
    expect(r.failure.censored).toBe(e.censored);
    expect(r.failure.lifespan_mAh_cm2).toBeCloseTo(e.lifespanMAhCm2, 3);
    if (e.firstGapMV !== null) expect(r.cycles[0].voltageGap_mV!).toBeCloseTo(e.firstGapMV, -1);
  });

  it('fills all four regions of the map, placed like the study', () => {
    const results = byKind('cycling').map((f) => ({ f, r: cycling.get(f.fileName)! }));
    expect(new Set(results.map(({ r }) => r.failure.class))).toEqual(new Set(['stable', 'polarization', 'soft-short', 'hard-short']));
    for (const { f, r } of results.filter(({ f }) => f.cell!.cellType === 'asymmetric')) {
      const j = f.cell!.currentDensityMACm2!;
      const q = f.cell!.arealCapacityMAhCm2!;
      // j > 0.5 mA/cm² with q > 1 mAh/cm² shorts at once; at 0.1 mA/cm² the cell lasts > 60 mAh/cm².
      if (j > 0.5 && q > 1) expect(r.failure.class, f.fileName).toBe('hard-short');
      if (j === 0.1) expect(r.failure.lifespan_mAh_cm2!, f.fileName).toBeGreaterThan(60);
    }
  });

  it('the Al2O3-coated full cell lasts far longer than the bare and Li-foil anodes', () => {
    const full = byKind('cycling').filter((f) => f.group === 'Full cells');
    const hoursToFailureOrEnd = (f: DemoFile) => {
      const r = cycling.get(f.fileName)!;
      const d = cyclingDataset(f);
      const endS = r.failure.cycle === null ? d.columns.timeS[d.rowCount - 1] : r.cycles[r.failure.cycle - 1].startTime_s!;
      return endS / 3600;
    };
    const coated = full.filter((f) => f.cell!.coating?.includes('Al2O3'));
    const others = full.filter((f) => !f.cell!.coating);
    expect(coated).toHaveLength(1);
    expect(others).toHaveLength(2);
    expect(hoursToFailureOrEnd(coated[0])).toBeGreaterThan(1900);
    for (const f of others) expect(hoursToFailureOrEnd(f) * 10, f.fileName).toBeLessThan(hoursToFailureOrEnd(coated[0]));
  });

  it('the voltage gap falls as the temperature rises', () => {
    const gaps = files.filter((f) => f.group === 'Temperature').map((f) => cycling.get(f.fileName)!.cycles[0].voltageGap_mV!);
    expect(gaps[0]).toBeGreaterThan(gaps[1]);
    expect(gaps[1]).toBeGreaterThan(gaps[2]);
  });
});

describe('CCD staircase', () => {
  it('gives a CCD of 0.8 mA/cm² with 0.7 the last stable step', () => {
    const [f] = byKind('ccd');
    const r = analyzeCcd(cyclingDataset(f), f.cell!);
    expect(r.ccd_mA_cm2!).toBeCloseTo(0.8, 4);
    expect(r.lastStable_mA_cm2!).toBeCloseTo(0.7, 4);
  });
});

describe('GITT with 10-min and 1-h pulses', () => {
  it('the files hold τ of 600 s and 3600 s', () => {
    expect(byKind('gitt').map((f) => (f.expected.kind === 'gitt' ? f.expected.tauS : 0))).toEqual([600, 3600]);
  });

  it.each(byName(byKind('gitt')))('%s: pulse count, τ and D', (_n, f) => {
    const e = f.expected;
    if (e.kind !== 'gitt') throw new Error('not a GITT file');
    const r = analyzeGitt(cyclingDataset(f), {
      areaCm2: e.areaCm2,
      activeMaterialMol: e.activeMaterialMol,
      molarVolumeCm3Mol: e.molarVolumeCm3Mol,
    });
    expect(r.pulses).toHaveLength(e.pulseCount);
    // Each run's last pulse stops early at the voltage limit; every other one lasts τ.
    const lastOfRun = new Set(r.pulses.filter((p, k) => r.pulses[k + 1]?.run !== p.run).map((p) => p.index));
    expect(lastOfRun.size).toBe(r.runCount);
    for (const p of r.pulses) {
      if (lastOfRun.has(p.index)) expect(p.tau_s).toBeLessThan(e.tauS);
      else expect(p.tau_s).toBeCloseTo(e.tauS, 1);
    }
    r.pulses.forEach((p, k) => expect(Math.abs(Math.log10(p.D_cm2_s / e.dCm2S[k])), `pulse ${k + 1}`).toBeLessThan(0.02));
    expect(new Set(r.plateaus.map((p) => p.label))).toEqual(new Set(LI_IN_PLATEAUS.map((p) => p.label)));
  });
});

describe('continuous lithiation', () => {
  it('shows the 0.62, 0.29 and 0.01 V plateaus', () => {
    const [f] = byKind('lithiation');
    const e = f.expected;
    if (e.kind !== 'lithiation') throw new Error('not the lithiation file');
    const d = cyclingDataset(f);
    const { timeS, voltageV, currentMA } = d.columns;
    // Areal capacity from the current (trapezoid) over the plating rows.
    const q: number[] = [];
    const v: number[] = [];
    let acc = 0;
    for (let i = 0; i < d.rowCount; i++) {
      if (currentMA[i] >= 0) continue;
      if (q.length > 0) acc += ((Math.abs(currentMA[i]) + Math.abs(currentMA[i - 1])) / 2) * (timeS[i] - timeS[i - 1]);
      q.push(acc / 3600 / f.cell!.areaCm2!);
      v.push(voltageV[i]);
    }
    expect(q[q.length - 1]).toBeCloseTo(e.totalArealCapacityMAhCm2, 3);
    // Noise splits a plateau into several flat runs: collect them per known plateau.
    const regions = findPlateaus(q, v, { labelToleranceV: 0.03 });
    const labels = regions.map((r) => r.label).filter((l) => l !== null);
    expect(labels.filter((l, k) => l !== labels[k - 1])).toEqual(LI_IN_PLATEAUS.map((p) => p.label));
    for (const known of LI_IN_PLATEAUS) {
      const mine = regions.filter((r) => r.label === known.label);
      for (const r of mine) expect(Math.abs(r.medianVoltageV + e.overpotentialV - known.voltageV)).toBeLessThan(0.02);
      // Each two-phase plateau is flat over more than 0.5 mAh/cm² of the ~5 mAh/cm² run.
      expect(
        mine.reduce((s, r) => s + (r.endCapacity - r.startCapacity), 0),
        known.label,
      ).toBeGreaterThan(0.5);
    }
  });
});

describe('nanoindentation of pristine and lithiated In', () => {
  it('gives each site its modulus and stiffer sites after plating', () => {
    const meanE = new Map<string, number[]>();
    for (const f of byKind('indentation')) {
      const e = f.expected;
      if (e.kind !== 'indentation') throw new Error('not an indentation file');
      const d = imported.get(f.fileName)!;
      if (d.kind !== 'indentation') throw new Error('not an indentation dataset');
      const [curve] = analyzeIndentation(d, { nu: e.nu }).curves;
      expect(curve.Pmax_mN).toBeCloseTo(e.pmaxMN, 2);
      expect(Math.abs(curve.E_GPa / e.modulusGPa - 1), f.fileName).toBeLessThan(0.1);
      expect(Math.abs(curve.H_GPa / e.hardnessGPa - 1), f.fileName).toBeLessThan(0.05);
      meanE.set(e.condition, [...(meanE.get(e.condition) ?? []), curve.E_GPa]);
    }
    const mean = (c: string) => meanE.get(c)!.reduce((s, x) => s + x, 0) / meanE.get(c)!.length;
    expect([...meanE.keys()]).toEqual(['pristine In', 'before plating', 'after 0.1 mAh/cm²', 'after 1 mAh/cm²']);
    for (const c of meanE.keys()) expect(meanE.get(c)).toHaveLength(3);
    expect(mean('after 0.1 mAh/cm²')).toBeGreaterThan(mean('pristine In'));
    expect(mean('after 1 mAh/cm²')).toBeGreaterThan(mean('after 0.1 mAh/cm²'));
    // The stiffest site after 1 mAh/cm² is In2Li3-like (60.7 GPa), well above any pristine site.
    expect(Math.max(...meanE.get('after 1 mAh/cm²')!)).toBeGreaterThan(1.3 * Math.max(...meanE.get('pristine In')!));
  });
});
