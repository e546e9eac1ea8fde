/**
 * GITT panels (the study's Fig. 5a; DOMAIN.md 'GITT'): the diffusion coefficient D against areal capacity on
 * a log axis, and the relaxed voltage against areal capacity with the Li–In plateau lines (0.62, 0.29, 0.01 V).
 * One trace per run (consecutive pulses of one current sign) in the run's colour; `customdata` is the pulse
 * index (GittPulse.index, 1-based), which selection and hover refer to.
 */
import type { GittPulse, GittResult } from '../analysis/gitt';
import { LI_IN_PLATEAUS, type KnownPlateau } from '../analysis/gitt-plateaus';
import { AXIS_LABELS } from './axis-labels';
import {
  type AnnotationSpec,
  baseLayout,
  finiteOrNull,
  type FigureOptions,
  type FigureSpec,
  HOVERED_MARKER,
  type ScatterTrace,
  SELECTED_MARKER,
  type ShapeSpec,
} from './figure-spec';
import { colourFor, journalAxis } from './journal-style';

export type GittFigurePulse = Pick<
  GittPulse,
  'index' | 'run' | 'direction' | 'D_cm2_s' | 'arealCapacity_mAh_cm2' | 'relaxedVoltage_V' | 'flags'
>;

export interface GittFigureData {
  readonly pulses: readonly GittFigurePulse[];
  /** Plateau lines of the relaxed-voltage panel; default the result's or LI_IN_PLATEAUS. */
  readonly knownPlateaus?: readonly KnownPlateau[];
}

/** The panels' input from an analysis result. */
export function gittFigureData(result: Pick<GittResult, 'pulses' | 'parameters'>): GittFigureData {
  return { pulses: result.pulses, knownPlateaus: result.parameters.knownPlateaus };
}

/** D only where it is a positive finite number: a log axis cannot show 0 or NaN. */
function positiveOrNull(value: number): number | null {
  return Number.isFinite(value) && value > 0 ? value : null;
}

function runsOf(pulses: readonly GittFigurePulse[]): GittFigurePulse[][] {
  const runs = new Map<number, GittFigurePulse[]>();
  for (const p of pulses) {
    const list = runs.get(p.run) ?? [];
    list.push(p);
    runs.set(p.run, list);
  }
  return [...runs.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list);
}

function pulsePanel(
  pulses: readonly GittFigurePulse[],
  y: (p: GittFigurePulse) => number | null,
  yFormat: string,
  options: FigureOptions,
): ScatterTrace[] {
  const data: ScatterTrace[] = runsOf(pulses).map((run) => {
    const colour = colourFor(run[0].run - 1, options.colours);
    const name = `Run ${run[0].run} (${run[0].direction === 'discharge' ? 'lithiation' : 'delithiation'})`;
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x: run.map((p) => finiteOrNull(p.arealCapacity_mAh_cm2)),
      y: run.map(y),
      customdata: run.map((p) => p.index),
      line: { color: colour, width: 1.2 },
      marker: { color: colour, size: 6 },
      hovertemplate: `pulse %{customdata}<br>%{x:.3f} mAh cm⁻²<br>${yFormat}<extra>${name}</extra>`,
      meta: { role: 'data' },
    };
  });
  const flagged = pulses.filter((p) => p.flags.length > 0);
  if (flagged.length > 0)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'Flagged pulses',
      x: flagged.map((p) => finiteOrNull(p.arealCapacity_mAh_cm2)),
      y: flagged.map(y),
      customdata: flagged.map((p) => p.index),
      marker: { color: '#000000', size: 7, symbol: 'x-thin-open', line: { color: '#000000', width: 1.5 } },
      hovertemplate: 'pulse %{customdata}: flagged<extra></extra>',
      meta: { role: 'reference' },
    });
  const overlay = (role: 'selected' | 'hovered', wanted: readonly number[]): void => {
    const members = pulses.filter((p) => wanted.includes(p.index));
    if (members.length === 0) return;
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: role === 'selected' ? 'Selected pulses' : 'Hovered pulse',
      x: members.map((p) => finiteOrNull(p.arealCapacity_mAh_cm2)),
      y: members.map(y),
      customdata: members.map((p) => p.index),
      marker: { color: 'rgba(0,0,0,0)', ...(role === 'selected' ? SELECTED_MARKER : HOVERED_MARKER) },
      showlegend: false,
      hoverinfo: 'skip',
      meta: { role },
    });
  };
  overlay('selected', options.selected ?? []);
  overlay('hovered', options.hovered === undefined ? [] : [options.hovered]);
  return data;
}

/** D (cm² s⁻¹, log axis) against the run's areal capacity. */
export function buildDiffusionSpec(data: GittFigureData, options: FigureOptions = {}): FigureSpec {
  return {
    data: pulsePanel(data.pulses, (p) => positiveOrNull(p.D_cm2_s), '%{y:.3e} cm² s⁻¹', options),
    layout: baseLayout(
      'Diffusion coefficient',
      journalAxis(AXIS_LABELS.arealCapacity),
      journalAxis(AXIS_LABELS.diffusionCoefficient, { type: 'log' }),
      options,
      { uirevision: `gitt-d:${data.pulses.length}` },
    ),
  };
}

/** Relaxed voltage against areal capacity with a dashed line and label at each known plateau. */
export function buildRelaxedVoltageSpec(data: GittFigureData, options: FigureOptions = {}): FigureSpec {
  const plateaus = data.knownPlateaus ?? LI_IN_PLATEAUS;
  const shapes: ShapeSpec[] = plateaus.map((p) => ({
    type: 'line',
    xref: 'paper',
    yref: 'y',
    x0: 0,
    x1: 1,
    y0: p.voltageV,
    y1: p.voltageV,
    layer: 'below',
    line: { color: '#7f7f7f', width: 1, dash: 'dash' },
  }));
  const annotations: AnnotationSpec[] = plateaus.map((p) => ({
    xref: 'paper',
    yref: 'y',
    x: 1,
    y: p.voltageV,
    xanchor: 'right',
    yanchor: 'bottom',
    text: `${p.voltageV.toFixed(2)} V ${p.label}`,
    showarrow: false,
    font: { size: 10, color: '#595959' },
  }));
  return {
    data: pulsePanel(data.pulses, (p) => finiteOrNull(p.relaxedVoltage_V), '%{y:.4f} V', options),
    layout: baseLayout('Relaxed voltage', journalAxis(AXIS_LABELS.arealCapacity), journalAxis(AXIS_LABELS.relaxedVoltageV), options, {
      shapes,
      annotations,
      uirevision: `gitt-v:${data.pulses.length}`,
    }),
  };
}
