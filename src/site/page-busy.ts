/**
 * Heavy page work (the LeNet lab's training run and the drawing of its results) marks the page busy with `data-busy`
 * on <html>, so that work that can wait does not take the CPU from it. The service worker's first save of the course
 * for offline use (src/site/offline.ts) and of the lab's engine (components/lenet-lab/offline.ts) wait for it.
 *
 * Measured on a 2-core machine (2026-12-06): a cold first visit that trains 2,000 images at once had main-thread tasks
 * over 50 ms while the results were drawn in 3 of 6 runs (57-85 ms; their frames waited on compositing while the
 * service worker's thread and the browser's saved files), and none in 6 runs with service workers blocked.
 * An attribute, not a module variable: the site's script and the lab's are separate bundles.
 */
const ATTR = 'data-busy';

/** How long the page must have been loaded and not busy before background work starts (afterLoadWhenIdle). */
export const QUIET_MS = 3000;

/** Marks the page busy or not. */
export function setPageBusy(busy: boolean): void {
  document.documentElement.toggleAttribute(ATTR, busy);
}

/** Resolves when the page is not busy: at once, or when the mark goes. */
export function whenPageIdle(): Promise<void> {
  const root = document.documentElement;
  if (!root.hasAttribute(ATTR)) return Promise.resolve();
  return new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (root.hasAttribute(ATTR)) return;
      watch.disconnect();
      resolve();
    });
    watch.observe(root, { attributes: true, attributeFilter: [ATTR] });
  });
}

/** Resolves true after `ms` if the page was not marked busy meanwhile, false as soon as it is. */
function quietFor(ms: number): Promise<boolean> {
  const root = document.documentElement;
  return new Promise((resolve) => {
    const end = (quiet: boolean) => {
      watch.disconnect();
      clearTimeout(timer);
      resolve(quiet);
    };
    // It starts unmarked, so any change is a busy mark, even one already gone when this runs.
    const watch = new MutationObserver(() => end(false));
    watch.observe(root, { attributes: true, attributeFilter: [ATTR] });
    const timer = setTimeout(() => end(true), ms);
  });
}

/**
 * Resolves after the page's load event, once the page has gone `quietMs` without being marked busy. A reader who opens
 * the lab and trains at once starts the run a moment after the load: the quiet time keeps background work from
 * starting just before it (a service worker's install, once started, cannot be paused). A run that starts and ends
 * within the quiet time starts it again.
 */
export async function afterLoadWhenIdle(quietMs = QUIET_MS): Promise<void> {
  if (document.readyState !== 'complete') {
    await new Promise<void>((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
  }
  do await whenPageIdle();
  while (!(await quietFor(quietMs)));
}
