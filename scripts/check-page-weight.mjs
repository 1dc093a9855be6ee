// A step of `npm test` after the build: fails when a page loads more JavaScript before interaction than its kind's
// budget (bench/page-budgets.mjs), when a page that does not train can load TensorFlow.js (on the page or in a
// worker), or when a client chunk carries build-time code. A size check on dist/, no browser, no timing.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BUDGETS, BUILD_ONLY_MARKERS, kindOf } from '../bench/page-budgets.mjs';
import { pageWeights } from '../bench/page-weight.mjs';

const dist = process.argv[2] ?? process.env.ASTRO_OUT_DIR ?? 'dist';
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const problems = [];
for (const p of pageWeights(dist)) {
  const kind = kindOf(p.route);
  const budget = BUDGETS[kind];
  const line = `${p.route} (${kind}): ${kb(p.beforeGz)} before interaction, budget ${kb(budget.initialGz)}`;
  console.log(`${p.beforeGz > budget.initialGz ? 'OVER' : 'ok  '} ${line}`);
  if (p.beforeGz > budget.initialGz) {
    const big = [...p.files.before].sort((a, b) => p.gz[b] - p.gz[a]).slice(0, 4);
    problems.push(`${line} (${budget.why}); largest: ${big.map((f) => `${f} ${kb(p.gz[f])}`).join(', ')}`);
  }
  if (!budget.tfjs && (p.tfjsBefore || p.tfjsAfter || p.tfjsWorkers)) {
    problems.push(`${p.route} does not train but can load TensorFlow.js`);
  }
}
for (const name of readdirSync(join(dist, '_astro')).filter((n) => n.endsWith('.js'))) {
  const text = readFileSync(join(dist, '_astro', name), 'utf8');
  for (const re of BUILD_ONLY_MARKERS) {
    if (re.test(text))
      problems.push(`_astro/${name} carries build-time code (${re}): keep it out of the client bundle`);
  }
}
if (problems.length) {
  console.error(`\nPage weight: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
