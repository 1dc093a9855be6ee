import * as Plot from '@observablehq/plot';

/**
 * Renders an Observable Plot chart to an accessible SVG string, its text at 12 px unless the options say otherwise. At build time pass linkedom's `document`
 * (`serverDocument` in server-document.ts) so the chart is static HTML with no client JavaScript; in the browser omit it.
 *
 * Plot puts aria-label on plain <g> elements, which axe reports (aria-prohibited-attr), so the labels are
 * moved to one description on the <svg> itself (role="img").
 */
export function plotToSvg(options: Plot.PlotOptions, label: string, doc?: Document): string {
  return plotNode(options, label, doc).outerHTML;
}

/** The element plotToSvg serialises: Plot's <svg>, or its <figure> when there is a legend. */
function plotNode(options: Plot.PlotOptions, label: string, doc?: Document): Element {
  // Plot's own default is 10 px; the course's floor for any text is 12 px.
  const style = typeof options.style === 'string' ? options.style : { fontSize: '12px', ...options.style };
  const el = Plot.plot({ ...options, style, ...(doc ? { document: doc } : {}) }) as unknown as Element;
  const svg = el.tagName.toLowerCase() === 'svg' ? el : chartSvg(el);
  for (const g of (svg ?? el).querySelectorAll('[aria-label]')) {
    if (g.tagName.toLowerCase() !== 'svg') g.removeAttribute('aria-label');
  }
  for (const g of (svg ?? el).querySelectorAll('[aria-description]')) g.removeAttribute('aria-description');
  if (svg) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    // Never drawn narrower than its width: scaled down to a phone's width its 12 px text would shrink to 8-10 px.
    // Where the column is narrower, the chart's box scrolls sideways instead (global.css, .plot-chart), with the
    // edge fade every sideways scroller gets.
    const width = svg.getAttribute('width');
    if (width) {
      svg.setAttribute('class', `${svg.getAttribute('class') ?? ''} plot-chart`.trim());
      svg.setAttribute('style', `${svg.getAttribute('style') ?? ''}; min-width: ${width}px`.replace(/^; /, ''));
    }
    // In a figure with a legend, only the chart scrolls: scrolling the whole figure would slide the legend's end
    // under the edge fade on a phone.
    if (svg !== el) {
      const box = el.ownerDocument.createElement('div');
      box.setAttribute('class', 'plot-scroll');
      svg.replaceWith(box);
      box.append(svg);
    }
  }
  return el;
}

/**
 * With a legend Plot returns a <figure>: legends first (swatch legends nest small <svg>s in a <div>, a ramp legend is
 * an <svg> of its own), then the chart's <svg>. The chart is the figure's last direct <svg> child, not its first <svg>.
 */
function chartSvg(figure: Element): Element | null {
  const direct = [...figure.children].filter((c) => c.tagName.toLowerCase() === 'svg');
  return direct.at(-1) ?? figure.querySelector('svg');
}

/**
 * Same as `plotToSvg` but returns the element, for widgets that update a chart in the browser. Plot's own element
 * is used as it is: writing it out as HTML and parsing it back doubled the cost of each redraw of the lab's live
 * charts, which run while the training worker keeps the other core busy.
 */
export function plotElement(options: Plot.PlotOptions, label: string): Element {
  return plotNode(options, label);
}
