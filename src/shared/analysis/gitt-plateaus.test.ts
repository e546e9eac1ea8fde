import { describe, expect, it } from 'vitest';
import { findPlateaus, LI_IN_PLATEAUS } from './gitt-plateaus';

/** Piecewise-linear curve: flat (slope 0.01 V per unit) plateaus at the given levels joined by steep ramps. */
function staircase(levels: number[], pointsPerPlateau: number, pointsPerRamp: number): { q: number[]; v: number[] } {
  const q: number[] = [];
  const v: number[] = [];
  let x = 0;
  levels.forEach((level, k) => {
    for (let i = 0; i < pointsPerPlateau; i++) {
      q.push(x);
      v.push(level - 0.01 * (i / pointsPerPlateau));
      x += 1;
    }
    const next = levels[k + 1];
    if (next === undefined) return;
    for (let i = 1; i <= pointsPerRamp; i++) {
      q.push(x);
      v.push(level - 0.01 + ((next - level + 0.01) * i) / (pointsPerRamp + 1));
      x += 1;
    }
  });
  return { q, v };
}

describe('findPlateaus', () => {
  it('exports the Li–In plateaus of DOMAIN.md', () => {
    expect(LI_IN_PLATEAUS.map((p) => [p.voltageV, p.label])).toEqual([
      [0.62, 'In/LiIn'],
      [0.29, 'LiIn/Li5In4'],
      [0.01, 'Li5In4/Li3In2'],
    ]);
  });

  it('finds the three flat regions of a lithiation curve and labels them with the nearest plateau', () => {
    const { q, v } = staircase([0.625, 0.295, 0.015], 10, 2);
    const regions = findPlateaus(q, v);
    expect(regions.map((r) => r.label)).toEqual(['In/LiIn', 'LiIn/Li5In4', 'Li5In4/Li3In2']);
    expect(regions.map((r) => [r.firstIndex, r.lastIndex])).toEqual([
      [0, 9],
      [12, 21],
      [24, 33],
    ]);
    expect(regions[0].medianVoltageV).toBeCloseTo(0.625 - 0.01 * 0.45, 9);
    expect(regions[1].startCapacity).toBe(12);
  });

  it('finds them in a delithiation run too (voltage rising, capacity increasing)', () => {
    const { q, v } = staircase([0.015, 0.295, 0.625], 8, 3);
    expect(findPlateaus(q, v).map((r) => r.knownVoltageV)).toEqual([0.01, 0.29, 0.62]);
  });

  it('leaves flat regions far from every known plateau unlabelled (a 3.5–4.2 V full cell)', () => {
    const { q, v } = staircase([3.7, 3.9], 10, 2);
    const regions = findPlateaus(q, v);
    expect(regions.length).toBe(2);
    expect(regions.every((r) => r.label === null && r.knownVoltageV === null)).toBe(true);
  });

  it('finds nothing on a straight line, on too few points or on a single capacity', () => {
    const q = Array.from({ length: 20 }, (_, i) => i);
    expect(
      findPlateaus(
        q,
        q.map((x) => 1 - 0.01 * x),
      ),
    ).toEqual([]);
    expect(findPlateaus([0, 1], [0.62, 0.62])).toEqual([]);
    expect(findPlateaus([1, 1, 1], [0.62, 0.6, 0.5])).toEqual([]);
  });
});
