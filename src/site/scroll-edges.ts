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

/** Sets or clears the mark on each scroll box under `root` (and root itself). */
function mark(root: ParentNode): void {
  const boxes = [...(root instanceof Element ? [root] : []), ...root.querySelectorAll('*')];
  for (const el of boxes) {
    if (!(el instanceof HTMLElement) || el.closest('.cm-editor')) continue;
    const wide = el.scrollWidth > el.clientWidth + 1 && isScrollX(el);
    if (wide !== el.hasAttribute('data-scroll-x')) el.toggleAttribute('data-scroll-x', wide);
  }
}

/** Starts marking `main` now and whenever it resizes or its widgets redraw (at most once a frame). */
export function watchScrollEdges(): void {
  const main = document.querySelector('main');
  if (!main) return;
  let queued = false;
  const again = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      mark(main);
    });
  };
  mark(main);
  new ResizeObserver(again).observe(main);
  new MutationObserver(again).observe(main, { childList: true, subtree: true });
}
