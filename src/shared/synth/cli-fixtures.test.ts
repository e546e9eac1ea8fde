import { describe, expect, it } from 'vitest';
import { bytesSource, importFile } from '../formats/import-dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { nodeHasher } from '../test-support/real-data';
import { cliFixtures, datasetToSynthRecords, type CliFixture } from './cli-fixtures';
import { stableScenario } from './cycling-scenarios';

const fixtures = cliFixtures();

/** ∫|I| dt (trapezoid, mAh) over the rows whose current has the given sign. */
function chargeMAh(timeS: ArrayLike<number>, currentMA: ArrayLike<number>, sign: 1 | -1): number {
  let q = 0;
  for (let i = 1; i < timeS.length; i++) {
    if (Math.sign(currentMA[i]) === sign && Math.sign(currentMA[i - 1]) === sign) {
      q += ((Math.abs(currentMA[i]) + Math.abs(currentMA[i - 1])) / 2) * (timeS[i] - timeS[i - 1]);
    }
  }
  return q / 3600;
}

describe('datasetToSynthRecords', () => {
  it('restarts the step time at every step, labels the step types and numbers cycles from 1', () => {
    const dataset = stableScenario({ cycles: 2 });
    const records = datasetToSynthRecords(dataset);
    expect(records).toHaveLength(dataset.rowCount);
    const { step, stepType, cycle, timeS } = dataset.columns;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const isNewStep = i === 0 || step[i] !== step[i - 1];
      if (isNewStep) expect(r.stepTimeS).toBe(0);
      else expect(r.stepTimeS).toBeCloseTo(records[i - 1].stepTimeS + (timeS[i] - timeS[i - 1]), 9);
      expect(r.cycle).toBe(Math.max(1, cycle![i]));
      const want = stepType[i] === STEP_TYPE_CODE.cc_charge ? 'CC Chg' : stepType[i] === STEP_TYPE_CODE.cc_discharge ? 'CC DChg' : 'Rest';
      expect(r.stepLabel).toBe(want);
    }
  });
});

describe('cliFixtures', () => {
  it('has one file per failure class, a CCD staircase, a full cell, a GITT run and an indent, with distinct names', () => {
    expect(fixtures.map((f) => f.expected.kind)).toEqual([
      'cycling',
      'cycling',
      'cycling',
      'cycling',
      'ccd',
      'cycling',
      'gitt',
      'indentation',
    ]);
    const classes = fixtures.flatMap((f) => (f.expected.kind === 'cycling' ? [f.expected.failureClass] : []));
    expect(new Set(classes)).toEqual(new Set(['stable', 'polarization', 'soft-short', 'hard-short']));
    expect(new Set(fixtures.map((f) => f.fileName)).size).toBe(fixtures.length);
  });

  it('is deterministic', () => {
    const again = cliFixtures();
    // Buffer.compare: a deep toEqual over megabytes of bytes takes tens of seconds.
    fixtures.forEach((f, k) => expect(Buffer.compare(again[k].bytes, f.bytes), f.fileName).toBe(0));
  });

  it.each(fixtures.map((f) => [f.fileName, f] as [string, CliFixture]))(
    '%s imports as its format and carries its expected charge',
    async (_name, f) => {
      const imported = await importFile(bytesSource(f.fileName, f.bytes, 65_536), { createHasher: nodeHasher });
      expect(imported.meta.format).toBe(f.format);
      expect(imported.meta.warnings).toEqual([]);
      const e = f.expected;
      if (e.kind === 'indentation') {
        expect(imported.kind).toBe('indentation');
        if (imported.kind !== 'indentation') return;
        expect(imported.curves).toHaveLength(1);
        expect(Math.max(...imported.curves[0].loadMN)).toBeCloseTo(e.pmaxMN, 6);
        return;
      }
      if (imported.kind !== 'cycling') throw new Error('expected a cycling dataset');
      const { timeS, currentMA } = imported.columns;
      if (e.kind === 'cycling') {
        // Plating (asymmetric) or charge (full cell) is the lead half-cycle: its charge is the plate capacity.
        const isFullCell = f.args.includes('full');
        const lead = chargeMAh(timeS, currentMA, isFullCell ? 1 : -1);
        const follow = chargeMAh(timeS, currentMA, isFullCell ? -1 : 1);
        const sum = (key: 'plateCapacityMAh' | 'stripCapacityMAh') => e.cycles.reduce((s, c) => s + c[key], 0);
        expect(lead).toBeCloseTo(sum('plateCapacityMAh'), 3);
        expect(follow).toBeCloseTo(sum('stripCapacityMAh'), 3);
      } else if (e.kind === 'gitt') {
        const charge = chargeMAh(timeS, currentMA, -1) + chargeMAh(timeS, currentMA, 1);
        expect(charge).toBeGreaterThan(0);
        // Every pulse starts where the generator says (first non-zero current after a rest).
        const starts: number[] = [];
        for (let i = 1; i < imported.rowCount; i++) if (currentMA[i] !== 0 && currentMA[i - 1] === 0) starts.push(timeS[i]);
        expect(starts).toHaveLength(e.pulses.length);
        starts.forEach((t, k) => expect(t).toBeCloseTo(e.pulses[k].startS, 2));
      } else {
        // The staircase's current densities, read back from the file (area 0.785 cm²).
        const levels = new Set<number>();
        for (let i = 0; i < imported.rowCount; i++)
          if (currentMA[i] !== 0) levels.add(Math.round((Math.abs(currentMA[i]) / 0.785) * 1000) / 1000);
        expect([...levels].sort((a, b) => a - b)).toEqual([...e.stepsMACm2]);
        // The study's staircase (DOMAIN.md, Fig. S4): CCD 0.8 mA/cm², last stable step 0.7.
        expect(e.ccdMACm2).toBe(0.8);
        expect(e.lastStableMACm2).toBe(0.7);
      }
    },
  );
});
