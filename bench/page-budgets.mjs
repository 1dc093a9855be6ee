// The JavaScript budget of every kind of page, in one place: `scripts/check-page-weight.mjs` (a step of `npm test`,
// after the build) fails when a page exceeds its kind's budget, and `npm run bench` prints the figures beside it.
// Sizes are gzipped bytes of the JavaScript a page loads before the reader interacts (bench/page-weight.mjs).

/** Pages that train a network with TensorFlow.js: the LeNet-5 lab and the benchmark page. */
export const TRAINING_PAGES = ['/chapters/lenet-5/', '/bench/'];

/** @typedef {{ initialGz: number, tfjs: boolean, why: string }} Budget */

/** @type {Record<'training' | 'chapter' | 'page', Budget>} */
export const BUDGETS = {
  training: {
    initialGz: 45 * 1024,
    tfjs: true,
    why: 'the lab: its controls, state and charts code; TF.js loads in a worker when the reader trains',
  },
  chapter: {
    initialGz: 30 * 1024,
    tfjs: false,
    why: 'issue #13: a chapter that does not train loads at most 30 KB of JavaScript (gzip) before interaction',
  },
  page: {
    initialGz: 10 * 1024,
    tfjs: false,
    why: 'home, notebook, references, search, 404: navigation only',
  },
};

/** @param {string} route e.g. `/chapters/pooling/` */
export function kindOf(route) {
  if (TRAINING_PAGES.includes(route)) return 'training';
  return route.startsWith('/chapters/') ? 'chapter' : 'page';
}

/** Text that only build-time code carries (linkedom, the server-side DOM behind the static charts). */
export const BUILD_ONLY_MARKERS = [/\blinkedom\b/];
