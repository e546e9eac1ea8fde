import { describe, expect, it } from 'vitest';
import { hardShortScenario, polarizationScenario, softShortScenario, stableScenario } from '../synth/cycling-scenarios';
import { analyzeCycling } from './analyze-cycling';
import { FAILURE_CLASSES } from './failure';
import { FAILURE_REGION_COLOURS, failureMapRow, failureMapRows } from './failure-map';

describe('failure-mechanism map', () => {
  const results = [
    analyzeCycling(hardShortScenario(3), { cellType: 'asymmetric' }),
    analyzeCycling(polarizationScenario(4), { cellType: 'asymmetric' }),
    analyzeCycling(stableScenario({ cycles: 5 }), { cellType: 'asymmetric' }),
    analyzeCycling(softShortScenario(2), { cellType: 'asymmetric' }),
  ];

  it('makes one row per cell with its (j, q), class and lifespan', () => {
    const row = failureMapRow(results[0]);
    expect(Object.keys(row).sort()).toEqual(
      ['arealCapacity_mAh_cm2', 'censored', 'class', 'currentDensity_mA_cm2', 'failureCycle', 'file', 'lifespan_mAh_cm2'].sort(),
    );
    expect(row.class).toBe('hard-short');
    expect(row.failureCycle).toBe(3);
    expect(row.currentDensity_mA_cm2).toBeCloseTo(1, 6);
    expect(row.lifespan_mAh_cm2).toBeCloseTo(2, 6);
    expect(row.censored).toBe(false);
    expect(row.file).toBe('hard-short-1mA-1mAh.synthetic');
  });

  it('orders rows by j then q and gives each class its region colour', () => {
    const rows = failureMapRows(results);
    expect(rows.map((r) => r.class)).toEqual(['stable', 'polarization', 'soft-short', 'hard-short']);
    expect(rows[0].censored).toBe(true);
    expect(FAILURE_REGION_COLOURS.stable).toMatch(/^#1f77b4$/i);
    expect(new Set(FAILURE_CLASSES.map((c) => FAILURE_REGION_COLOURS[c])).size).toBe(4);
  });
});
