/**
 * A nanoindentation dataset: its Oliver–Pharr analysis run in the worker, the **Load vs displacement**
 * curves with their unloading fits, and the **Indents** table (one row per curve); clicking a curve or a
 * row highlights that indent in both.
 */
import type { IndentationResult } from '@shared/analysis/indentation';
import { buildLoadDisplacementSpec } from '@shared/figures/load-displacement-spec';
import type { IndentationDataset } from '@shared/model/indentation';
import type { ComputeHost } from '../host/compute-host';
import { FigurePlot } from '../plots/figure-plot';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const fixed = (v: number | null | undefined, digits: number): string =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–';

export class IndentationPanel {
  readonly element: HTMLElement;
  private readonly verdict: HTMLParagraphElement;
  private readonly plot: FigurePlot;
  private readonly table: HTMLTableElement;
  private dataset?: IndentationDataset;
  private result?: IndentationResult;
  private selected: number[] = [];
  private running?: AbortController;

  constructor(private readonly host: ComputeHost) {
    this.verdict = el('p', { className: 'verdict' });
    this.verdict.setAttribute('role', 'status');
    this.verdict.setAttribute('aria-label', 'Indentation analysis');
    const region = el('section', { className: 'plot' });
    region.setAttribute('role', 'region');
    region.setAttribute('aria-label', 'Load vs displacement');
    this.plot = new FigurePlot(region);
    this.plot.onClick((curve) => this.toggle(curve));
    this.table = el('table', { className: 'cycles' });
    this.table.setAttribute('aria-label', 'Indents');
    this.element = el('section', { className: 'cell-analysis' }, [
      el('h3', { textContent: 'Nanoindentation (Oliver–Pharr)' }),
      this.verdict,
      region,
      el('div', { className: 'table-wrap' }, [this.table]),
    ]);
    this.element.hidden = true;
  }

  async show(dataset: IndentationDataset): Promise<void> {
    this.dataset = dataset;
    this.selected = [];
    this.element.hidden = false;
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.verdict.textContent = 'Analysing…';
    try {
      const result = await this.host.analyze({ kind: 'indentation', dataset }, { signal: controller.signal });
      if (controller.signal.aborted || result.kind !== 'indentation') return;
      this.result = result;
      const n = result.curves.length;
      this.verdict.textContent = `${n} curve${n === 1 ? '' : 's'} analysed (ν = ${result.parameters.nu}, tip ${result.parameters.tip.name}).`;
      this.fillTable(result);
      this.redraw();
    } catch (error) {
      if (controller.signal.aborted) return;
      this.verdict.textContent = `The analysis failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  hide(): void {
    this.running?.abort();
    this.dataset = undefined;
    this.plot.clear();
    this.element.hidden = true;
  }

  private toggle(curve: number): void {
    this.selected = this.selected.includes(curve) ? this.selected.filter((c) => c !== curve) : [...this.selected, curve];
    this.redraw();
  }

  private redraw(): void {
    const { dataset, result } = this;
    if (!dataset || !result) return;
    const curves = dataset.curves.map((curve, k) => ({
      name: curve.name,
      depthNm: curve.depthNm,
      loadMN: curve.loadMN,
      surfaceDepthNm: result.curves[k]?.surfaceDepthNm ?? 0,
      unloads: result.curves[k]?.unloads ?? [],
    }));
    void this.plot.show(
      buildLoadDisplacementSpec(
        { curves, fitRange: result.parameters.fitRange, frameComplianceNmPerMN: result.parameters.tip.frameComplianceNmPerMN },
        { selected: this.selected },
      ),
    );
    for (const row of this.table.tBodies[0]?.rows ?? [])
      row.setAttribute('aria-selected', String(this.selected.includes(Number(row.dataset.curve))));
  }

  private fillTable(result: IndentationResult): void {
    const headers = ['Curve', 'Pmax (mN)', 'hmax (nm)', 'S (mN nm⁻¹)', 'hc (nm)', 'H (GPa)', 'Er (GPa)', 'E (GPa)', 'Fit R²', 'Flags'];
    const head = el('thead', {}, [
      el(
        'tr',
        {},
        headers.map((h) => el('th', { scope: 'col', textContent: h })),
      ),
    ]);
    const body = el(
      'tbody',
      {},
      result.curves.map((c, k) => {
        const row = el('tr', {}, [
          el('td', { textContent: c.name }),
          el('td', { textContent: fixed(c.Pmax_mN, 3) }),
          el('td', { textContent: fixed(c.hmax_nm, 1) }),
          el('td', { textContent: fixed(c.S_mN_nm, 4) }),
          el('td', { textContent: fixed(c.hc_nm, 1) }),
          el('td', { textContent: fixed(c.H_GPa, 3) }),
          el('td', { textContent: fixed(c.Er_GPa, 2) }),
          el('td', { textContent: fixed(c.E_GPa, 2) }),
          el('td', { textContent: fixed(c.fitR2, 4) }),
          el('td', { textContent: c.flags.join(', ') }),
        ]);
        row.dataset.curve = String(k);
        row.tabIndex = 0;
        row.addEventListener('click', () => this.toggle(k));
        return row;
      }),
    );
    this.table.replaceChildren(head, body);
  }
}
