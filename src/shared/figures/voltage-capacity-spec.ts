/**
 * Voltage vs areal capacity of chosen cycles (the study's Fig. S3/S5: cycles 49/50, 249/250), plating and
 * stripping half-cycles of each cycle in the cycle's colour (plating solid, stripping dashed).
 * Capacity is the magnitude passed since the half-cycle's first active row (dqdv.ts halfCycleProfile) / A.
 */
import type { CyclingResultJson } from '../analysis/analyze-cycling';
import { halfCycleProfile } from '../analysis/dqdv';
import type { DatasetColumns } from '../model/dataset';
import { AXIS_LABELS } from './axis-labels';
import {
  baseLayout,
  curveStyle,
  decimateMonotone,
  emphasisOf,
  type FigureOptions,
  type FigureSpec,
  pick,
  pixelColumns,
} from './figure-spec';
import { colourFor, journalAxis } from './journal-style';

export interface HalfCycleCurve {
  /** 1-based cycle index (CycleJson.index). */
  readonly cycle: number;
  readonly half: 'plating' | 'stripping';
  /** Capacity passed in the half-cycle, mAh (non-decreasing). */
  readonly capacityMAh: ArrayLike<number>;
  readonly voltageV: ArrayLike<number>;
}

export interface VoltageCapacityData {
  /** Electrode area A, cm² (areal capacity = Q / A). */
  readonly areaCm2: number;
  readonly curves: readonly HalfCycleCurve[];
}

/**
 * The half-cycle curves of `cycles` from a dataset and its analysis (rows and zero-current threshold of the
 * result). Cycles without a stripping half-cycle give only their plating curve; unknown cycles are skipped.
 */
export function halfCycleCurves(
  columns: DatasetColumns,
  result: Pick<CyclingResultJson, 'cycles' | 'zeroCurrentThreshold_mA'>,
  cycles: readonly number[],
): HalfCycleCurve[] {
  const out: HalfCycleCurve[] = [];
  for (const index of cycles) {
    const c = result.cycles.find((x) => x.index === index);
    if (!c) continue;
    const spans: [HalfCycleCurve['half'], number | null, number | null][] = [
      ['plating', c.plateSampleStart, c.plateSampleEnd],
      ['stripping', c.stripSampleStart, c.stripSampleEnd],
    ];
    for (const [half, start, end] of spans) {
      if (start === null || end === null || start < 0 || start >= columns.currentMA.length) continue;
      const sign = Math.sign(columns.currentMA[start]);
      const p = halfCycleProfile(columns, { start, end, sign }, result.zeroCurrentThreshold_mA);
      out.push({ cycle: index, half, capacityMAh: p.capacityMAh, voltageV: p.voltageV });
    }
  }
  return out;
}

/** Colour index of each cycle: its rank among the cycles shown, so a cycle keeps its colour across panels. */
export function cycleColourIndex(cycles: readonly number[]): Map<number, number> {
  return new Map([...new Set(cycles)].sort((a, b) => a - b).map((c, i) => [c, i]));
}

export function buildVoltageCapacitySpec(data: VoltageCapacityData, options: FigureOptions = {}): FigureSpec {
  if (!(data.areaCm2 > 0)) throw new RangeError(`area must be positive, got ${data.areaCm2} cm²`);
  const columns = pixelColumns(options);
  const colourIndex = cycleColourIndex(data.curves.map((c) => c.cycle));
  const traces = data.curves.map((curve) => {
    const rows = decimateMonotone(curve.capacityMAh, curve.voltageV, columns);
    const colour = colourFor(colourIndex.get(curve.cycle) ?? 0, options.colours);
    const style = curveStyle(colour, emphasisOf(curve.cycle, options));
    return {
      type: 'scatter' as const,
      mode: 'lines' as const,
      name: `Cycle ${curve.cycle} ${curve.half}`,
      legendgroup: `cycle-${curve.cycle}`,
      x: pick(curve.capacityMAh, rows, 1 / data.areaCm2),
      y: pick(curve.voltageV, rows),
      customdata: new Array<number>(rows.length).fill(curve.cycle),
      ...style,
      line: { ...style.line, dash: curve.half === 'plating' ? ('solid' as const) : ('dash' as const) },
      hovertemplate: `Cycle ${curve.cycle} ${curve.half}<br>%{x:.3f} mAh cm⁻²<br>%{y:.4f} V<extra></extra>`,
      meta: { role: 'data' as const, item: curve.cycle },
    };
  });
  return {
    data: traces,
    layout: baseLayout('Voltage vs capacity', journalAxis(AXIS_LABELS.arealCapacity), journalAxis(AXIS_LABELS.voltageV), options, {
      showlegend: traces.length > 1,
      uirevision: `voltage-capacity:${[...colourIndex.keys()].join(',')}`,
    }),
  };
}
