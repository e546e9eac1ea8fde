import { describe, expect, it } from 'vitest';
import { AXIS_LABELS } from './axis-labels';
import { baseLayout, curveStyle, SELECTED_MARKER, type FigureSpec, type ScatterTrace } from './figure-spec';
import { journalAxis } from './journal-style';
import {
  applyPreset,
  COLUMN_WIDTH_MM,
  JOURNAL_PRESETS,
  rasterSizePx,
  validatePreset,
  vectorSizePx,
  viridis,
  type FigurePreset,
} from './presets';
import { OKABE_ITO } from './voltage-time-spec';

/** Two cells' CE curves (Okabe–Ito colours 0 and 2), a selected-ring overlay and a black reference line. */
function syntheticSpec(): FigureSpec {
  const cycle = [1, 2, 3, 4];
  const cell = (name: string, colour: string, ce: number[]): ScatterTrace => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: cycle,
    y: ce,
    customdata: [0, 1, 2, 3],
    ...curveStyle(colour, 'normal'),
    marker: { color: colour, size: 6 },
    meta: { role: 'data' },
  });
  return {
    data: [
      cell('Cell A', OKABE_ITO[0], [98.1, 99.0, 99.4, 99.6]),
      cell('Cell B', OKABE_ITO[2], [97.5, 98.8, null as unknown as number, 99.1]),
      {
        type: 'scatter',
        mode: 'markers',
        name: 'selected',
        x: [2],
        y: [99.0],
        marker: { color: 'rgba(0,0,0,0)', ...SELECTED_MARKER },
        meta: { role: 'selected' },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: '100 %',
        x: [1, 4],
        y: [100, 100],
        line: { color: '#000000', width: 1, dash: 'dash' },
        meta: { role: 'reference' },
      },
    ],
    layout: baseLayout(
      'Coulombic efficiency',
      journalAxis(AXIS_LABELS.cycle),
      journalAxis(AXIS_LABELS.coulombicEfficiencyPct),
      {},
      {
        annotations: [{ xref: 'paper', yref: 'paper', x: 0, y: 1, text: 'a', showarrow: false, font: { size: 12 } }],
        shapes: [{ type: 'rect', xref: 'x', yref: 'paper', x0: 2, x1: 3, y0: 0, y1: 1, line: { color: '#888888', width: 1 } }],
      },
    ),
  };
}

const single = (): FigurePreset => ({ ...JOURNAL_PRESETS[0] });

describe('journal presets', () => {
  it('offers the single, 1.5 and double column widths with the 7 pt sans-serif default, all valid', () => {
    expect(JOURNAL_PRESETS.map((p) => p.widthMm)).toEqual([COLUMN_WIDTH_MM.single, COLUMN_WIDTH_MM.oneAndHalf, COLUMN_WIDTH_MM.double]);
    expect(COLUMN_WIDTH_MM).toEqual({ single: 85, oneAndHalf: 114, double: 174 });
    for (const p of JOURNAL_PRESETS) {
      expect(() => validatePreset(p)).not.toThrow();
      expect(p).toMatchObject({
        fontSizePt: 7,
        fontFamily: 'Arial, Helvetica, "Liberation Sans", sans-serif',
        ticks: 'inside',
        mirror: 'allticks',
      });
    }
  });

  it.each<[keyof FigurePreset, unknown]>([
    ['name', '  '],
    ['widthMm', 8.5],
    ['widthMm', 3213],
    ['heightMm', Number.NaN],
    ['fontFamily', 'Arial; color: red'],
    ['fontSizePt', 0],
    ['lineWidthPt', -1],
    ['axisLineWidthPt', 40],
    ['markerSizePt', 0],
    ['tickLengthPt', -2],
    ['ticks', 'outside'],
    ['mirror', false],
    ['palette', 'jet'],
    ['dpi', 72],
  ])('validatePreset names the bad field %s (%j)', (field, value) => {
    const bad = { ...single(), [field]: value } as FigurePreset;
    expect(() => validatePreset(bad)).toThrow(new RegExp(`preset ${field} `));
  });

  it('accepts a custom width', () => {
    expect(validatePreset({ ...single(), name: 'Poster', widthMm: 250, heightMm: 180 }).widthMm).toBe(250);
  });

  it('sizes vector layouts at 96 px per inch and rasters at round(mm / 25.4 × dpi)', () => {
    // 85 mm = 3.346 in -> 321.26 px; at 600 dpi 2007.87 -> 2008 px.
    expect(vectorSizePx({ widthMm: 85, heightMm: 25.4 })).toEqual({ width: (85 / 25.4) * 96, height: 96 });
    for (const dpi of [300, 600, 1200] as const) {
      const size = rasterSizePx({ widthMm: 174, heightMm: 100, dpi });
      expect(size.width).toBe(Math.round((174 / 25.4) * dpi));
      expect(Math.abs(size.width - (174 / 25.4) * dpi)).toBeLessThanOrEqual(0.5);
    }
    expect(rasterSizePx({ widthMm: 25.4, heightMm: 50.8, dpi: 300 })).toEqual({ width: 300, height: 600 });
  });
});

describe('applyPreset', () => {
  it('sets the physical size, the font in px and the tick style', () => {
    const out = applyPreset(syntheticSpec(), single());
    expect(out.layout.width).toBeCloseTo((85 / 25.4) * 96, 9);
    expect(out.layout.height).toBeCloseTo((64 / 25.4) * 96, 9);
    // 7 pt × 96/72 = 9.333 px.
    expect(out.layout.font).toEqual({ family: 'Arial, Helvetica, "Liberation Sans", sans-serif', size: 9.333, color: '#000000' });
    for (const axis of [out.layout.xaxis, out.layout.yaxis]) {
      expect(axis).toMatchObject({ ticks: 'inside', mirror: 'allticks', showline: true, linewidth: 1, tickwidth: 1, ticklen: 4 });
    }
    // Units with superscripts survive untouched.
    expect(out.layout.yaxis.title.text).toBe('Coulombic efficiency (%)');
    // Margins shrink with the font (12 px -> 9.33 px).
    expect(out.layout.margin.l).toBe(Math.round(64 * (9.3333333 / 12)));
    expect(out.layout.annotations?.[0].font?.size).toBeCloseTo(9.333, 3);
  });

  it('scales lines and markers from the preset and keeps the emphasis ratios', () => {
    const preset = { ...single(), lineWidthPt: 0.75, markerSizePt: 3 };
    const input = syntheticSpec();
    const out = applyPreset(input, preset);
    // A normal curve (1.4 px on screen) becomes exactly the preset's width: 0.75 pt = 1 px.
    expect(out.data[0].line?.width).toBe(1);
    // A normal marker (6 px) becomes 3 pt = 4 px; the selected ring keeps its 10:6 ratio.
    expect(out.data[0].marker?.size).toBe(4);
    expect(out.data[2].marker?.size).toBeCloseTo((10 / 6) * 4, 3);
    expect(out.data[3].line!.width / out.data[0].line!.width).toBeCloseTo(1 / 1.4, 3);
  });

  it('never changes the data nor the input spec', () => {
    const input = syntheticSpec();
    const before = JSON.parse(JSON.stringify(input)) as unknown;
    for (const palette of ['okabe-ito', 'viridis', 'per-cell'] as const) {
      const out = applyPreset(input, { ...single(), palette });
      out.data.forEach((t, i) => {
        expect(t.x).toBe(input.data[i].x);
        expect(t.y).toBe(input.data[i].y);
        expect(t.customdata).toBe(input.data[i].customdata);
        expect(t.name).toBe(input.data[i].name);
        expect(t.meta).toEqual(input.data[i].meta);
      });
    }
    expect(JSON.parse(JSON.stringify(input))).toEqual(before);
  });

  it('keeps each cell its colour with per-cell and Okabe–Ito, and spreads them over viridis', () => {
    const input = syntheticSpec();
    const colours = (spec: FigureSpec) => spec.data.map((t) => t.line?.color ?? t.marker?.color);
    expect(colours(applyPreset(input, { ...single(), palette: 'per-cell' }))).toEqual(colours(input));
    expect(colours(applyPreset(input, { ...single(), palette: 'okabe-ito' }))).toEqual(colours(input));
    const v = applyPreset(input, { ...single(), palette: 'viridis' });
    expect(v.data[0].line?.color).toBe(viridis(0));
    expect(v.data[0].marker?.color).toBe(viridis(0));
    expect(v.data[1].line?.color).toBe(viridis(0.85));
    // Overlays and references keep their own colours.
    expect(v.data[2].marker?.color).toBe('rgba(0,0,0,0)');
    expect(v.data[3].line?.color).toBe('#000000');
  });

  it('maps a custom palette onto Okabe–Ito in order', () => {
    const input = syntheticSpec();
    input.data[0] = { ...input.data[0], line: { color: '#123456', width: 1.4 }, marker: { color: '#123456', size: 6 } };
    const out = applyPreset(input, { ...single(), palette: 'okabe-ito' });
    expect(out.data[0].line?.color).toBe(OKABE_ITO[0].toUpperCase());
    expect(out.data[1].line?.color).toBe(OKABE_ITO[2]);
  });

  it('interpolates viridis between its published stops', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#FDE725');
    expect(viridis(1 / 9)).toBe('#482878');
    expect(viridis(-3)).toBe('#440154');
  });

  it('refuses an invalid preset', () => {
    expect(() => applyPreset(syntheticSpec(), { ...single(), dpi: 96 as 300 })).toThrow(/preset dpi/);
  });
});
