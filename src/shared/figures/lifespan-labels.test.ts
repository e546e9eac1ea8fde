import { describe, expect, it } from 'vitest';
import { lifespanBarLabels } from './lifespan-labels';

const row = (j: number | null, q: number | null) => ({ currentDensity_mA_cm2: j, arealCapacity_mAh_cm2: q });

describe('lifespan bar labels', () => {
  it('gives j · q with three significant digits', () => {
    expect(lifespanBarLabels([{ row: row(0.5, 1) }, { row: row(0.750001, 3) }, { row: row(null, 2) }])).toEqual([
      '0.5 · 1',
      '0.75 · 3',
      '? · 2',
    ]);
  });

  it('tells cells of one condition apart by temperature, else by number', () => {
    const labels = lifespanBarLabels([
      { row: row(0.2, 0.2), temperatureC: -10 },
      { row: row(0.2, 0.2), temperatureC: 25 },
      { row: row(0.2, 0.2), temperatureC: 60 },
      { row: row(1, 2), temperatureC: 25 },
      { row: row(0.1, 0.2), temperatureC: 25 },
      { row: row(0.1, 0.2), temperatureC: 25 },
    ]);
    expect(labels).toEqual([
      '0.2 · 0.2, −10 °C',
      '0.2 · 0.2, 25 °C',
      '0.2 · 0.2, 60 °C',
      '1 · 2',
      '0.1 · 0.2, 25 °C #1',
      '0.1 · 0.2, 25 °C #2',
    ]);
  });
});
