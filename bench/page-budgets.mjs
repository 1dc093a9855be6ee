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

/**
 * Markdown lines for the bench report: one row per page with its JS before and after the first interaction.
 * @param {{pages: any[], unreachable: {file: string, gz: number}[]} | undefined} weights
 */
export function weightLines(weights) {
  if (!weights) return [];
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const lines = [
    '',
    '## JavaScript per page (gzip -9), read from the build’s module graph',
    '',
    'Before interaction: the page’s module scripts and their static imports. After the first interaction: plus ' +
      'every chunk its scripts can import on demand (KaTeX, Plot, the editor). Workers: what the page can start in ' +
      'workers (the notebook runner, training). Budgets: bench/page-budgets.mjs.',
    '',
    '| page | kind | before interaction | after interaction | workers | budget (before) | TF.js |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const p of weights.pages) {
    const kind = kindOf(p.route);
    const budget = BUDGETS[kind].initialGz;
    const tf = p.tfjsBefore ? 'on load' : p.tfjsAfter ? 'on interaction' : p.tfjsWorkers ? 'in a worker' : 'no';
    const over = p.beforeGz > budget ? ' **over**' : '';
    lines.push(
      `| ${p.route} | ${kind} | ${kb(p.beforeGz)}${over} | ${kb(p.afterGz)} | ${kb(p.workersGz)} | ${kb(budget)} | ${tf} |`,
    );
  }
  lines.push('');
  lines.push(
    weights.unreachable.length
      ? `- Chunks no page can load: ${weights.unreachable.map((c) => `${c.file} (${kb(c.gz)})`).join(', ')}.`
      : '- Every chunk in _astro is reachable from some page.',
  );
  return lines;
}
