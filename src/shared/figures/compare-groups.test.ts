import { describe, expect, it } from 'vitest';
import { OKABE_ITO } from './voltage-time-spec';
import { type CompareCellInfo, defaultCompareCells, groupCompareCells, groupValueOf, shade, shadeSteps } from './compare-groups';

const cell = (id: string, extra: Partial<CompareCellInfo> = {}, meta: CompareCellInfo['cell'] = {}): CompareCellInfo => ({
  id,
  name: `${id}.csv`,
  cell: { cellType: 'asymmetric', ...meta },
  ...extra,
});

describe('grouping cells by metadata', () => {
  const cells = [
    cell('a', {}, { currentDensityMACm2: 0.5, temperatureC: 25 }),
    cell('b', {}, { currentDensityMACm2: 0.1, temperatureC: -10 }),
    cell('c', { detectedCurrentDensityMACm2: 0.50000004 }, { temperatureC: 60 }),
    cell('d', {}, { coating: 'ALD Al2O3 (20 cycles)', temperatureC: 25 }),
    cell('e', { detectedCurrentDensityMACm2: 0.1 }, { currentDensityMACm2: 0.2 }),
  ];

  it('groups by current density, nominal before detected, rounded to 3 digits, ascending, not stated last', () => {
    const groups = groupCompareCells(cells, 'current-density');
    expect(groups.map((g) => g.label)).toEqual(['0.1 mA cm⁻²', '0.2 mA cm⁻²', '0.5 mA cm⁻²', 'current density not stated']);
    expect(groups.map((g) => g.cells.map((c) => c.id))).toEqual([['b'], ['e'], ['a', 'c'], ['d']]);
  });

  it('gives each group one hue and its cells distinct shades of it', () => {
    const groups = groupCompareCells(cells, 'current-density');
    expect(groups[0].cells[0].colour).toBe(OKABE_ITO[0].toLowerCase());
    const [a, c] = groups[2].cells;
    expect(a.colour).toBe(shade(OKABE_ITO[2], -0.35));
    expect(c.colour).toBe(shade(OKABE_ITO[2], 0.45));
    const all = groups.flatMap((g) => g.cells.map((x) => x.colour));
    expect(new Set(all).size).toBe(cells.length);
  });

  it('without grouping keeps the order and gives every cell its own palette colour', () => {
    const [only] = groupCompareCells(cells, 'none');
    expect(only.label).toBe('');
    expect(only.cells.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(only.cells.map((c) => c.colour)).toEqual(OKABE_ITO.slice(0, 5));
  });

  it('groups by temperature numerically (−10 before 25 before 60) and by coating with bare anodes together', () => {
    expect(groupCompareCells(cells, 'temperature').map((g) => g.label)).toEqual(['-10 °C', '25 °C', '60 °C', 'temperature not stated']);
    const coating = groupCompareCells(cells, 'coating');
    expect(coating.map((g) => g.label)).toEqual(['bare (no coating)', 'ALD Al2O3 (20 cycles)']);
    expect(coating[0].cells).toHaveLength(4);
  });

  it('reads experiment, cell type, areal capacity and stack pressure', () => {
    expect(groupValueOf(cell('x', { experiment: 'Demo' }), 'experiment').label).toBe('Demo');
    expect(groupValueOf(cell('x', {}, { cellType: 'full' }), 'cell-type').label).toBe('full cell');
    expect(groupValueOf(cell('x', { detectedArealCapacityMAhCm2: 0.19996 }), 'areal-capacity').label).toBe('0.2 mAh cm⁻²');
    expect(groupValueOf(cell('x', {}, { stackPressureMPa: 50 }), 'stack-pressure').label).toBe('50 MPa');
  });
});

describe('shades', () => {
  it('mixes toward white or black', () => {
    expect(shade('#000000', 0.5)).toBe('#808080');
    expect(shade('#ffffff', -0.5)).toBe('#808080');
    expect(shade('#0072B2', 0)).toBe('#0072b2');
    expect(() => shade('red', 0)).toThrow(/#rrggbb/);
  });

  it('spreads n shades from darker to lighter', () => {
    expect(shadeSteps(1)).toEqual([0]);
    const s = shadeSteps(3);
    expect(s[0]).toBeCloseTo(-0.35, 12);
    expect(s[1]).toBeCloseTo(0.05, 12);
    expect(s[2]).toBeCloseTo(0.45, 12);
  });
});

describe('default cells to compare', () => {
  const lib = [
    { id: 'x1', experimentId: null },
    { id: 'e1', experimentId: 'E' },
    { id: 'e2', experimentId: 'E' },
    { id: 'e3', experimentId: 'E' },
    { id: 'e4', experimentId: 'E' },
    { id: 'x2', experimentId: null },
  ];

  it('takes the open cell’s experiment', () => {
    expect(defaultCompareCells(lib, 'e2', 8)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('takes a window starting at the open cell when the experiment is larger than max, keeping the open cell', () => {
    expect(defaultCompareCells(lib, 'e2', 2)).toEqual(['e2', 'e3']);
    expect(defaultCompareCells(lib, 'e4', 3)).toEqual(['e2', 'e3', 'e4']);
  });

  it('takes the open cell and the next ones when it is in no experiment', () => {
    expect(defaultCompareCells(lib, 'x1', 3)).toEqual(['x1', 'e1', 'e2']);
  });

  it('takes the library’s first cells when the open dataset is not a cell', () => {
    expect(defaultCompareCells(lib, 'gitt', 2)).toEqual(['x1', 'e1']);
    expect(defaultCompareCells(lib, undefined, 20)).toEqual(lib.map((c) => c.id));
    expect(defaultCompareCells([], undefined)).toEqual([]);
  });
});
