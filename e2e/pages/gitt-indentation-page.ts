import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Opens the app like AppPage.open, with a longer wait: the first start imports and analyses the 31 demo
 * files, which takes over a minute on a loaded machine.
 */
export async function openApp(page: Page, options: { demo?: boolean } = {}): Promise<void> {
  await page.goto(options.demo === false ? '/?demo=off' : '/');
  await expect(page.locator('body[data-app-state="ready"]')).toBeAttached({ timeout: 180_000 });
}

/** A Plotly graph div as the tests read it (the spec's traces and the axes' pixel mapping). */
interface GraphDiv extends HTMLElement {
  data: {
    name?: string;
    x: (number | null)[];
    y: (number | null)[];
    customdata?: number[];
    meta?: { role?: string };
    line?: { width?: number };
  }[];
  layout: { shapes?: unknown[] };
  _fullLayout: {
    _size: { l: number; t: number };
    xaxis: { c2p(v: number): number };
    yaxis: { c2p(v: number): number };
  };
}

/** Pixel position (relative to the plot area) of point `k` of the first trace named `traceName`. */
async function pointPosition(plotArea: Locator, traceName: string, k: number): Promise<{ x: number; y: number }> {
  return plotArea.evaluate(
    (node, { traceName, k }) => {
      const gd = node as GraphDiv;
      const trace = gd.data.find((t) => t.name === traceName);
      if (!trace) throw new Error(`no trace named ${traceName}`);
      const { _size, xaxis, yaxis } = gd._fullLayout;
      return { x: _size.l + xaxis.c2p(trace.x[k] as number), y: _size.t + yaxis.c2p(trace.y[k] as number) };
    },
    { traceName, k },
  );
}

/** Moves to and clicks point `k` of a trace, as a user aiming at it would. */
async function clickPoint(page: Page, plotArea: Locator, traceName: string, k: number): Promise<void> {
  await plotArea.scrollIntoViewIfNeeded();
  const box = (await plotArea.boundingBox())!;
  const p = await pointPosition(plotArea, traceName, k);
  await page.mouse.move(box.x + p.x, box.y + p.y);
  await page.mouse.click(box.x + p.x, box.y + p.y);
}

/** Page object of the **GITT** view, reached by role and accessible name. */
export class GittPage {
  readonly view: Locator;
  readonly runSelect: Locator;
  readonly form: Locator;
  readonly analysisStatus: Locator;
  readonly selectionStatus: Locator;
  readonly trace: Locator;
  readonly diffusion: Locator;
  readonly relaxed: Locator;
  readonly pulses: Locator;

  constructor(readonly page: Page) {
    this.view = page.locator('section.gitt-view');
    this.runSelect = this.view.getByRole('combobox', { name: 'GITT run' });
    this.form = this.view.getByRole('form', { name: 'GITT parameters' });
    this.analysisStatus = this.view.getByRole('status', { name: 'GITT analysis' });
    this.selectionStatus = this.view.getByRole('status', { name: 'Pulse selection' });
    this.trace = this.view.getByRole('region', { name: 'Voltage vs time', exact: true });
    this.diffusion = this.view.getByRole('region', { name: 'Diffusion coefficient', exact: true });
    this.relaxed = this.view.getByRole('region', { name: 'Relaxed voltage', exact: true });
    this.pulses = this.view.getByRole('table', { name: 'Pulses' });
  }

  /** The table row of a pulse (1-based pulse number). */
  row(pulse: number): Locator {
    return this.pulses.locator(`tbody tr[data-item="${pulse - 1}"]`);
  }

  /** Waits until the run's analysis is drawn: trace, D and relaxed voltage ready with `pulses` pulses. */
  async expectAnalysed(pulses: number): Promise<void> {
    for (const region of [this.trace, this.diffusion, this.relaxed])
      await expect(region).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(this.diffusion).toHaveAttribute('data-pulses', String(pulses));
    await expect(this.pulses.locator('tbody tr')).toHaveCount(pulses);
  }

  /** Points drawn in the D plot's run traces (not the flag or selection overlays). */
  async diffusionPoints(): Promise<number> {
    return this.diffusion
      .locator('.plot-area')
      .evaluate((node) =>
        (node as GraphDiv).data.filter((t) => t.meta?.role === 'data').reduce((n, t) => n + t.y.filter((v) => v !== null).length, 0),
      );
  }

  /** Shaded windows on the trace (selected and hovered pulse segments). */
  async traceWindows(): Promise<number> {
    return this.trace.locator('.plot-area').evaluate((node) => (node as GraphDiv).layout.shapes?.length ?? 0);
  }

  /** Pulse numbers (1-based) of the flag markers on the trace. */
  async flaggedPulses(): Promise<number[]> {
    return this.trace
      .locator('.plot-area')
      .evaluate((node) => ((node as GraphDiv).data.find((t) => t.name === 'Flagged pulses')?.customdata ?? []).map((i) => i + 1));
  }

  async clickFlag(k: number): Promise<void> {
    await clickPoint(this.page, this.trace.locator('.plot-area'), 'Flagged pulses', k);
  }

  /**
   * Clicks the D plot's point that stands furthest from every other point (so the click cannot land on
   * a neighbour) and returns its pulse number (1-based).
   */
  async clickIsolatedDiffusionPoint(): Promise<number> {
    const area = this.diffusion.locator('.plot-area');
    const { name, k, pulse } = await area.evaluate((node) => {
      const gd = node as GraphDiv;
      const { xaxis, yaxis } = gd._fullLayout;
      const points = gd.data
        .filter((t) => t.meta?.role === 'data')
        .flatMap((t) =>
          t.x.map((x, k) => ({
            name: t.name!,
            k,
            pulse: t.customdata![k],
            px: x === null ? NaN : xaxis.c2p(x),
            py: t.y[k] === null ? NaN : yaxis.c2p(t.y[k]),
          })),
        )
        .filter((p) => Number.isFinite(p.px) && Number.isFinite(p.py));
      let best = points[0];
      let bestGap = -1;
      for (const p of points) {
        const gap = Math.min(...points.filter((q) => q !== p).map((q) => Math.hypot(q.px - p.px, q.py - p.py)));
        if (gap > bestGap) [best, bestGap] = [p, gap];
      }
      return best;
    });
    await clickPoint(this.page, area, name, k);
    return pulse;
  }
}

/** Page object of the **Indentation** view. */
export class IndentationPage {
  readonly view: Locator;
  readonly files: Locator;
  readonly analysisStatus: Locator;
  readonly selectionStatus: Locator;
  readonly curves: Locator;
  readonly indents: Locator;
  readonly means: Locator;

  constructor(readonly page: Page) {
    this.view = page.locator('section.indentation-view');
    this.files = this.view.getByRole('list', { name: 'Indentation files' });
    this.analysisStatus = this.view.getByRole('status', { name: 'Indentation analysis' });
    this.selectionStatus = this.view.getByRole('status', { name: 'Indent selection' });
    this.curves = this.view.getByRole('region', { name: 'Load vs displacement', exact: true });
    this.indents = this.view.getByRole('table', { name: 'Indents' });
    this.means = this.view.getByRole('table', { name: 'Per-sample means' });
  }

  row(indent: number): Locator {
    return this.indents.locator(`tbody tr[data-item="${indent - 1}"]`);
  }

  async expectShown(indents: number): Promise<void> {
    await expect(this.indents.locator('tbody tr')).toHaveCount(indents, { timeout: 60_000 });
    await expect(this.curves).toHaveAttribute('data-indents', String(indents));
    await expect(this.curves).toHaveAttribute('data-state', 'ready');
  }

  /** The Indents table as records keyed by header. */
  async table(): Promise<Record<string, string>[]> {
    return this.indents.evaluate((table) => {
      const t = table as HTMLTableElement;
      const headers = [...t.tHead!.rows[0].cells].map((c) => c.textContent ?? '');
      return [...t.tBodies[0].rows].map((r) => Object.fromEntries([...r.cells].map((c, k) => [headers[k], c.textContent ?? ''])));
    });
  }

  /** Line width of each drawn curve (data traces), by indent number (1-based). */
  async curveWidths(): Promise<Map<number, number>> {
    const pairs = await this.curves
      .locator('.plot-area')
      .evaluate((node) =>
        (node as GraphDiv).data
          .filter((t) => t.meta?.role === 'data')
          .map((t) => [(t.customdata?.[0] ?? -1) + 1, t.line?.width ?? 0] as [number, number]),
      );
    return new Map(pairs);
  }

  /** Clicks the middle point of indent `indent`'s measured curve. */
  async clickCurve(indent: number): Promise<void> {
    const area = this.curves.locator('.plot-area');
    const { name, k } = await area.evaluate((node, item) => {
      const trace = (node as GraphDiv).data.find((t) => t.meta?.role === 'data' && t.customdata?.[0] === item)!;
      // The peak of the loading curve sits apart from the other curves' points.
      let best = 0;
      trace.y.forEach((v, i) => {
        if ((v ?? -Infinity) > (trace.y[best] ?? -Infinity)) best = i;
      });
      return { name: trace.name!, k: best };
    }, indent - 1);
    await clickPoint(this.page, area, name, k);
  }
}
