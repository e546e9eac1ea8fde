/**
 * dQ/dV against voltage of chosen cycles (dqdv.ts: plating branch negative, stripping positive, so both
 * branches share one plot); colours per cycle as in Voltage vs capacity.
 */
import { AXIS_LABELS } from './axis-labels';
import {
  baseLayout,
  curveStyle,
  decimateParametric,
  emphasisOf,
  type FigureOptions,
  type FigureSpec,
  pick,
  pixelColumns,
} from './figure-spec';
import { colourFor, journalAxis } from './journal-style';
import { cycleColourIndex } from './voltage-capacity-spec';

export interface DqdvCycleCurve {
  readonly cycle: number;
  readonly half: 'plating' | 'stripping';
  /** A DqdvCurve (dqdvOfCycle) or any pair of columns of the same length. */
  readonly curve: { readonly voltageV: ArrayLike<number>; readonly dqdvMAhPerV: ArrayLike<number> };
}

export function buildDqdvSpec(curves: readonly DqdvCycleCurve[], options: FigureOptions = {}): FigureSpec {
  const columns = pixelColumns(options);
  const colourIndex = cycleColourIndex(curves.map((c) => c.cycle));
  const data = curves.map(({ cycle, half, curve }) => {
    const rows = decimateParametric(curve.voltageV, curve.dqdvMAhPerV, columns);
    const style = curveStyle(colourFor(colourIndex.get(cycle) ?? 0, options.colours), emphasisOf(cycle, options));
    return {
      type: 'scatter' as const,
      mode: 'lines' as const,
      name: `Cycle ${cycle} ${half}`,
      legendgroup: `cycle-${cycle}`,
      x: pick(curve.voltageV, rows),
      y: pick(curve.dqdvMAhPerV, rows),
      customdata: new Array<number>(rows.length).fill(cycle),
      ...style,
      line: { ...style.line, dash: half === 'plating' ? ('solid' as const) : ('dash' as const) },
      hovertemplate: `Cycle ${cycle} ${half}<br>%{x:.4f} V<br>%{y:.3g} mAh V⁻¹<extra></extra>`,
      meta: { role: 'data' as const, item: cycle },
    };
  });
  return {
    data,
    layout: baseLayout('dQ/dV', journalAxis(AXIS_LABELS.voltageV), journalAxis(AXIS_LABELS.dqdv), options, {
      showlegend: data.length > 1,
      uirevision: `dqdv:${[...colourIndex.keys()].join(',')}`,
    }),
  };
}
