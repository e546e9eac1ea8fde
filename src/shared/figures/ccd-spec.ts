/**
 * Critical-current-density staircase (the study's Fig. S4; DOMAIN.md 'Failure'): voltage against time, each
 * current step shaded with its verdict (passed: the stable colour; shorted: the colour of the short's class)
 * and labelled with its current density, and a dashed vertical line where the CCD step starts.
 * Linked items are the steps (0-based index into `ccd.steps`): `customdata` of each trace point is its step,
 * −1 between steps.
 */
import type { CcdResultJson, CycleJson } from '../analysis/analyze-cycling';
import { lowerBound } from '../analysis/decimate';
import { FAILURE_REGION_COLOURS } from '../analysis/failure-map';
import { AXIS_LABELS } from './axis-labels';
import {
  type AnnotationSpec,
  baseLayout,
  decimateMonotone,
  emphasisOf,
  type FigureOptions,
  type FigureSpec,
  pick,
  pixelColumns,
  type ScatterTrace,
  type ShapeSpec,
} from './figure-spec';
import { journalAxis } from './journal-style';

const SECONDS_PER_HOUR = 3600;

export interface CcdFigureData {
  /** The staircase test's columns (time s, monotonic; voltage V). */
  readonly timeS: ArrayLike<number>;
  readonly voltageV: ArrayLike<number>;
  readonly ccd: Pick<CcdResultJson, 'ccd_mA_cm2' | 'lastStable_mA_cm2' | 'steps'>;
  /** Cycle timing (analyzeCycling of the same dataset) to place the steps on the time axis. */
  readonly cycles: readonly Pick<CycleJson, 'index' | 'startTime_s' | 'duration_s'>[];
}

export interface CcdStepSpan {
  readonly step: number;
  readonly startS: number;
  readonly endS: number;
  readonly currentDensityMACm2: number;
  readonly shorted: boolean;
  readonly colour: string;
}

/** Time span of each step: from its first cycle's start to its last cycle's end; steps without timing are left out. */
export function ccdStepSpans(data: Pick<CcdFigureData, 'ccd' | 'cycles'>): CcdStepSpan[] {
  const byIndex = new Map(data.cycles.map((c) => [c.index, c]));
  const spans: CcdStepSpan[] = [];
  data.ccd.steps.forEach((s, step) => {
    let startS = Infinity;
    let endS = -Infinity;
    for (const index of s.cycles) {
      const c = byIndex.get(index);
      if (!c || c.startTime_s === null || c.duration_s === null) continue;
      startS = Math.min(startS, c.startTime_s);
      endS = Math.max(endS, c.startTime_s + c.duration_s);
    }
    if (!(endS >= startS)) return;
    const shortClass = s.evidence[0]?.class;
    const colour = s.shorted
      ? FAILURE_REGION_COLOURS[shortClass === 'hard-short' ? 'hard-short' : 'soft-short']
      : FAILURE_REGION_COLOURS.stable;
    spans.push({ step, startS, endS, currentDensityMACm2: s.currentDensity_mA_cm2, shorted: s.shorted, colour });
  });
  return spans;
}

function jText(j: number): string {
  return String(Number(j.toPrecision(3)));
}

export function buildCcdSpec(data: CcdFigureData, options: FigureOptions = {}): FigureSpec {
  const spans = ccdStepSpans(data);
  const rows = decimateMonotone(data.timeS, data.voltageV, pixelColumns(options));
  const starts = spans.map((s) => s.startS);
  const stepOfTime = (t: number): number => {
    const k = lowerBound(starts, t + 1e-9) - 1;
    return k >= 0 && t <= spans[k].endS ? spans[k].step : -1;
  };
  const trace: ScatterTrace = {
    type: 'scatter',
    mode: 'lines',
    name: 'Voltage',
    x: pick(data.timeS, rows, 1 / SECONDS_PER_HOUR),
    y: pick(data.voltageV, rows),
    customdata: Array.from(rows, (r) => stepOfTime(data.timeS[r])),
    line: { color: '#000000', width: 1 },
    hovertemplate: '%{x:.2f} h<br>%{y:.4f} V<extra></extra>',
    meta: { role: 'data' },
  };
  const shapes: ShapeSpec[] = spans.map((s) => {
    const emphasis = emphasisOf(s.step, options);
    return {
      type: 'rect',
      xref: 'x',
      yref: 'paper',
      x0: s.startS / SECONDS_PER_HOUR,
      x1: s.endS / SECONDS_PER_HOUR,
      y0: 0,
      y1: 1,
      layer: 'below',
      fillcolor: s.colour,
      opacity: emphasis === 'hovered' ? 0.45 : emphasis === 'selected' ? 0.35 : emphasis === 'dimmed' ? 0.06 : 0.15,
      line:
        emphasis === 'hovered' || emphasis === 'selected'
          ? { color: '#000000', width: emphasis === 'hovered' ? 2 : 1 }
          : { color: 'rgba(0,0,0,0)', width: 0 },
    };
  });
  const annotations: AnnotationSpec[] = spans.map((s) => ({
    xref: 'x',
    yref: 'paper',
    x: (s.startS + s.endS) / 2 / SECONDS_PER_HOUR,
    y: 1,
    yanchor: 'top',
    text: `${jText(s.currentDensityMACm2)}${s.shorted ? ' ✗' : ' ✓'}`,
    showarrow: false,
    font: { size: 9, color: s.shorted ? FAILURE_REGION_COLOURS['hard-short'] : '#000000' },
  }));
  const ccdJ = data.ccd.ccd_mA_cm2;
  const ccdSpan = ccdJ === null ? undefined : spans.find((s) => s.shorted && s.currentDensityMACm2 === ccdJ);
  if (ccdJ !== null && ccdSpan) {
    const x = ccdSpan.startS / SECONDS_PER_HOUR;
    shapes.push({
      type: 'line',
      xref: 'x',
      yref: 'paper',
      x0: x,
      x1: x,
      y0: 0,
      y1: 1,
      layer: 'above',
      line: { color: '#000000', width: 1.5, dash: 'dash' },
    });
    annotations.push({
      xref: 'x',
      yref: 'paper',
      x,
      y: 0.06,
      xanchor: 'right',
      text: `CCD ${jText(ccdJ)} mA cm⁻² `,
      showarrow: false,
      font: { size: 11 },
    });
  }
  return {
    data: [trace],
    layout: baseLayout('Critical current density', journalAxis(AXIS_LABELS.timeH), journalAxis(AXIS_LABELS.voltageV), options, {
      showlegend: false,
      shapes,
      annotations,
      uirevision: `ccd:${data.ccd.steps.length}`,
    }),
  };
}
