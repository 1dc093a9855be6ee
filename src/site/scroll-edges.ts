/**
 * Marks every sideways-scrolling box that is wider than its content area (a formula, a wide table, a stepper's
 * strip on a phone) with `data-scroll-x`, so global.css fades the edge where more is hidden. Which edge fades
 * follows the scroll position in CSS (a scroll-driven animation), so nothing here runs while scrolling: only when
 * the page loads, resizes, or a widget re-renders part of itself.
 */

function isScrollX(el: Element): boolean {
  const o = getComputedStyle(el).overflowX;
  return o === 'auto' || o === 'scroll';
}

/** The elements under `root` (root included) that scroll sideways by their style, whatever their width now. */
function scrollBoxes(root: Element): HTMLElement[] {
  const found: HTMLElement[] = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    if (el instanceof HTMLElement && !el.closest('.cm-editor') && isScrollX(el)) found.push(el);
  }
  return found;
}

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * A box that scrolls must be reachable by keyboard (WCAG 2.1.1; axe's scrollable-region-focusable) to be scrolled
 * with the arrow keys. Widgets give their known scrollers a tab stop; a box that only scrolls on a narrow screen
 * (a chart kept at its drawn width, a figure) and holds nothing focusable gets one here, named for what it holds,
 * and loses it again when it no longer scrolls. `data-scroll-focus` marks what this script added.
 */
function focusable(el: HTMLElement, wide: boolean): void {
  if (wide && !el.hasAttribute('tabindex') && !el.querySelector(FOCUSABLE)) {
    el.tabIndex = 0;
    el.dataset['scrollFocus'] = '';
    if (!el.hasAttribute('role')) {
      el.setAttribute('role', 'group');
      el.setAttribute('aria-label', `${el.querySelector('svg.plot-chart') ? 'Chart' : 'Figure'} (scrolls sideways)`);
    }
  } else if (!wide && el.hasAttribute('data-scroll-focus')) {
    el.removeAttribute('tabindex');
    el.removeAttribute('data-scroll-focus');
    if (el.getAttribute('role') === 'group' && el.getAttribute('aria-label')?.endsWith('(scrolls sideways)')) {
      el.removeAttribute('role');
      el.removeAttribute('aria-label');
    }
  }
}

/** Sets or clears the mark on one box: is its content wider than its visible area? */
function mark(el: HTMLElement, wide = el.scrollWidth > el.clientWidth + 1): void {
  if (wide !== el.hasAttribute('data-scroll-x')) el.toggleAttribute('data-scroll-x', wide);
  focusable(el, wide);
}

/**
 * Starts marking `main`'s scroll boxes now and whenever it resizes or its widgets redraw (at most once a frame).
 * The whole page is searched for scroll boxes on load and on resize; after a redraw only what it added is searched
 * and only the known boxes are measured, so a stepper that redraws every frame does not restyle the whole chapter (about
 * 11,000 elements on the longest one).
 */
export function watchScrollEdges(): void {
  const main = document.querySelector('main');
  if (!main) return;
  const boxes = new Set(scrollBoxes(main));
  const added: Element[] = [];
  let queued = false;
  const frame = () => {
    queued = false;
    const before = added.includes(main) ? new Set(boxes) : null;
    if (before) boxes.clear();
    for (const root of added.splice(0)) if (root.isConnected) for (const el of scrollBoxes(root)) boxes.add(el);
    // After a full search, a box that no longer scrolls by its style loses its mark (and any tab stop added here).
    if (before) for (const el of before) if (!boxes.has(el)) mark(el, false);
    for (const el of boxes) {
      if (el.isConnected) mark(el);
      else boxes.delete(el);
    }
  };
  const again = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(frame);
  };
  frame();
  // A new width may switch a media query that makes a box scroll (phone layouts): search the whole page again. Any
  // other resize (content added, fonts arriving) can change which known boxes overflow, so they are measured again,
  // but the page is not searched: a search reads the style of every element (about 4,000 on the LeNet chapter), and
  // one on each growth of the page cost the lab's results a 36 ms frame.
  let width = main.getBoundingClientRect().width;
  new ResizeObserver(() => {
    const now = main.getBoundingClientRect().width;
    if (now !== width) added.push(main);
    width = now;
    again();
  }).observe(main);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) added.push(n);
    again();
  }).observe(main, { childList: true, subtree: true });
}
