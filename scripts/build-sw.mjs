// Writes the service worker (src/sw/sw.ts, bundled with esbuild) into the built site, with the list of files to
// precache and the list of lab-only files to cache when the lab is first opened. Runs after `astro build` and
// Pagefind (part of `npm run build`), because it lists what they wrote. Reads the same BASE_PATH and ASTRO_OUT_DIR as
// astro.config.mjs.
//
// Which scripts are lab-only is read from the built files, not from a hand-kept list: every page's <script>/<link>
// entries and every reference between files in _astro/ form a graph. Whatever a page without the lab can load, at
// once or later (a notebook cell's worker, the editor), is precached; so is what the lab's page loads statically.
// What only the lab's page loads lazily (TensorFlow.js, its wasm, the training workers) waits for the lab.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const out = process.env.ASTRO_OUT_DIR ?? 'dist';
const base = (process.env.BASE_PATH ?? '/').replace(/\/?$/, '/');
/** Pages that train: their lazy scripts are the lab's. The benchmark page is not part of the course. */
const isLabPage = (path, html) => path.startsWith('bench/') || html.includes('<lenet-lab');
/** Never precached: MNIST (the lab's own cache), the benchmark page, host config, this script's output, and font
 * formats browsers skip because KaTeX's CSS offers woff2 first. */
const SKIP = [
  /^data\/mnist\/(?!sample-digits\.json$)/,
  /^bench\//,
  /^_headers$/,
  /^sw(-files\.json|\.js)$/,
  /\.(ttf|woff|map)$/,
];

async function walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(out, join(e.parentPath, e.name)).split(sep).join('/'));
}

const files = await walk(out);
const assets = files.filter((f) => f.startsWith('_astro/'));
const names = new Map(assets.map((f) => [f.slice('_astro/'.length), f]));
const contents = new Map();
for (const f of files) if (/\.(html|js|css)$/.test(f)) contents.set(f, await readFile(join(out, f), 'utf8'));

/** References from a file to _astro/ files, split into static imports and everything else (lazy). */
function refs(file) {
  const text = contents.get(file) ?? '';
  const all = new Set();
  const fixed = new Set();
  for (const m of text.matchAll(/_astro\/([\w.-]+)|["'`]\.\/([\w.-]+\.js)["'`]/g)) {
    const path = names.get(m[1] ?? m[2]);
    if (path && path !== file) all.add(path);
  }
  // Static: what a page names (its scripts and stylesheets load at once), and `import{x}from"./a.js"` or
  // `import"./a.js"` in a script; `import("./a.js")` and `new URL("/_astro/a.js", ...)` (workers) are lazy.
  if (file.endsWith('.html')) return { all, fixed: all };
  for (const m of text.matchAll(/(?:from|import)\s*["'`]\.\/([\w.-]+\.js)["'`]/g)) {
    const path = names.get(m[1]);
    if (path) fixed.add(path);
  }
  return { all, fixed };
}

function closure(roots, kind) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length) {
    const f = stack.pop();
    for (const r of refs(f)[kind]) {
      if (seen.has(r)) continue;
      seen.add(r);
      stack.push(r);
    }
  }
  return seen;
}

const pages = files.filter((f) => f.endsWith('.html'));
const labPages = pages.filter((f) => isLabPage(f, contents.get(f)));
const otherPages = pages.filter((f) => !labPages.includes(f));
const needed = new Set([...closure(otherPages, 'all'), ...closure(labPages, 'fixed')]);
const lab = [...closure(labPages, 'all')].filter((f) => !needed.has(f)).sort();
if (!lab.some((f) => f.endsWith('.wasm'))) throw new Error('build-sw: found no lab wasm; did the lab page change?');

const hashed = (f) => f.startsWith('_astro/');
const precache = [];
for (const f of files.sort()) {
  if (SKIP.some((re) => re.test(f)) || lab.includes(f)) continue;
  const bytes = await readFile(join(out, f));
  const revision = hashed(f) ? null : createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  precache.push({ url: base + f, revision });
}
let labBytes = 0;
for (const f of lab) labBytes += (await readFile(join(out, f))).length;

await build({
  entryPoints: ['src/sw/sw.ts'],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2022',
  outfile: join(out, 'sw.js'),
  logLevel: 'warning',
  define: {
    'process.env.NODE_ENV': '"production"',
    __PRECACHE__: JSON.stringify(precache),
    __LAB_FILES__: JSON.stringify(lab.map((f) => base + f)),
    __LAB_BYTES__: String(labBytes),
  },
});
const total = precache.length;
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
let precacheBytes = 0;
for (const { url } of precache) precacheBytes += (await readFile(join(out, url.slice(base.length)))).length;
if (process.env.BUILD_SW_VERBOSE) {
  console.log(`sw.js: ${total} files precached (${mb(precacheBytes)}), ${lab.length} lab files (${mb(labBytes)})`);
  for (const f of lab) console.log(`  lab: ${f}`);
}
await writeFile(
  join(out, 'sw-files.json'),
  `${JSON.stringify({ precache: precache.map((p) => p.url), lab }, null, 1)}\n`,
);
