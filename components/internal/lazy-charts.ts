/**
 * A widget's charts module (Observable Plot), loaded on the widget's first change: the first charts are static SVG
 * from the build, so a chapter loads no Plot until the reader interacts.
 *
 * `paint` runs the widget's whole redraw (numbers, status and charts) at once when the module is in, else as soon as
 * it arrives, so the status never describes a state the chart does not show yet (whenTex does the same for KaTeX,
 * katex-lazy.ts). The widget is `aria-busy` meanwhile. Several waiting paints end in the same picture, since each one
 * draws the widget's state when it runs. If the module cannot load (the connection dropped), the redraw runs without
 * it, so the numbers and the status still follow the controls, and the next change asks for it again. Browsers that
 * keep a failed module fetch in their module map (Chromium 150 does; the HTML standard is changing, whatwg/html#10327)
 * fail again at once, so the message says a reload brings the chart back.
 */
export class LazyCharts<M> {
  #module: M | null = null;
  #loading: Promise<M> | null = null;
  readonly #load: () => Promise<M>;

  constructor(load: () => Promise<M>) {
    this.#load = load;
  }

  paint(widget: Pick<Element, 'setAttribute' | 'removeAttribute'>, paint: (charts: M | null) => void): void {
    if (this.#module) {
      paint(this.#module);
      return;
    }
    widget.setAttribute('aria-busy', 'true');
    this.#loading ??= this.#load();
    this.#loading
      .then(
        (m) => {
          this.#module = m;
          paint(m);
        },
        () => {
          this.#loading = null;
          paint(null);
        },
      )
      // A paint that throws is a bug: its rejection stays unhandled, so it reaches the console and the e2e guard.
      .finally(() => widget.removeAttribute('aria-busy'));
  }
}

/** A widget's status text, and why its chart did not follow when LazyCharts gave the paint no module. */
export function chartStatus(text: string, charts: unknown): string {
  return charts ? text : `${text} ${CHART_NOT_LOADED}`;
}

const CHART_NOT_LOADED =
  'The chart could not be redrawn: its code did not load (is the connection down?). The numbers shown are current; ' +
  'reload the page to bring the chart back.';
