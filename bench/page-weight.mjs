// Page weight read from a build (dist/), no browser: for each HTML page, the gzipped JavaScript it loads before the
// reader interacts and what it can load after, found by following the module graph the build wrote.
//
// - before interaction: the page's <script type="module"> (inline or src) and <link rel="modulepreload">, plus every
//   chunk they import statically, transitively: what the browser fetches on load.
// - after interaction: that plus every chunk reachable through dynamic `import()` (and the preload lists Vite emits
//   beside them) from the page's own modules: the most a reader's first clicks can add on the main thread.
// - workers: the chunks of every `new Worker(new URL(...))` the page can start, with their own imports (training and
//   the notebook's runner) and the scripts they load by URL (threaded wasm's pthreads); counted apart, as they never
//   block the page.
// A chunk counts as TensorFlow.js when it carries TF.js's licence banner ("Copyright 20xx Google LLC").
//
// Sizes are `gzip -9` of each file, as `astro preview` sends no compression (FACTS.md).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const STATIC_IMPORT =
  /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{},\s]*?\s*from\s*)?["'`]((?:\.{1,2})?\/[^"'`]+\.js)["'`]/g;
const DYNAMIC_IMPORT = /import\(\s*["'`]((?:\.{1,2})?\/[^"'`]+\.js)["'`]\s*\)/g;
// Vite lists a dynamic import's dependencies as "_astro/x.js" to preload them with it.
const PRELOAD_LIST = /["'`](_astro\/[^"'`]+\.js)["'`]/g;
// Vite puts a `/* @vite-ignore */` comment before the URL of a worker started from inside another worker.
const WORKER = /new\s+Worker\(\s*new\s+URL\(\s*(?:\/\*[^*]*\*\/\s*)?["'`]([^"'`]+\.js)["'`]/g;
// A script a worker loads by URL rather than import: TF.js's threaded wasm has each pthread importScripts the factory's
// file, an asset whose URL (with the site's base) the chunk holds as a string (scripts/vite-wasm-threads.mjs).
const SCRIPT_URL = /["'`]\/(?:[^"'`\s]*\/)?(_astro\/[^"'`/\s]+\.js)["'`]/g;
const TFJS_BANNER = /Copyright \d{4} Google LLC/;

/** Every .html file under `dir`, as paths relative to it. */
function htmlFiles(dir, sub = '') {
  const out = [];
  for (const name of readdirSync(join(dir, sub))) {
    const rel = join(sub, name);
    if (statSync(join(dir, rel)).isDirectory()) {
      if (name !== '_astro' && name !== 'pagefind') out.push(...htmlFiles(dir, rel));
    } else if (name.endsWith('.html')) out.push(rel);
  }
  return out.sort();
}

/** The page's route: `chapters/pooling/index.html` → `/chapters/pooling/`. */
export function routeOf(htmlPath) {
  return '/' + htmlPath.replace(/index\.html$/, '').replace(/\.html$/, '');
}

/** Reads and measures the build's chunks once; `graph(file)` gives a chunk's edges, `gz(file)` its gzipped size. */
function chunkReader(dist) {
  const cache = new Map();
  const load = (file) => {
    if (cache.has(file)) return cache.get(file);
    const text = readFileSync(join(dist, file), 'utf8');
    const near = (spec) => (spec.startsWith('/') ? spec.slice(1) : join(file, '..', spec));
    const all = (re) => [...text.matchAll(re)].map((m) => m[1]);
    const entry = {
      gz: gzipSync(text, { level: 9 }).length,
      tfjs: TFJS_BANNER.test(text),
      static: all(STATIC_IMPORT).map(near),
      dynamic: [...all(DYNAMIC_IMPORT).map(near), ...all(PRELOAD_LIST)],
      workers: [...all(WORKER).map(near), ...all(SCRIPT_URL)],
    };
    cache.set(file, entry);
    return entry;
  };
  return load;
}

/** Transitive closure from `roots`, following the edge kinds named in `kinds`. */
function closure(load, roots, kinds) {
  const seen = new Set();
  const todo = [...roots];
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    const c = load(f);
    for (const k of kinds) todo.push(...c[k]);
  }
  return seen;
}

/**
 * @param {string} dist the build's output folder
 * @returns {{route: string, beforeGz: number, afterGz: number, workersGz: number, tfjsBefore: boolean,
 *   tfjsAfter: boolean, tfjsWorkers: boolean, files: {before: string[], after: string[], workers: string[]},
 *   gz: Record<string, number>}[]} routes in file order; `files` are paths in `dist`, `gz` their gzipped sizes
 */
export function pageWeights(dist) {
  const load = chunkReader(dist);
  const pages = [];
  for (const html of htmlFiles(dist)) {
    const text = readFileSync(join(dist, html), 'utf8');
    let inlineGz = 0;
    const roots = [];
    const inlineRoots = [];
    for (const m of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      if (!/type=["']?module/.test(m[1])) continue;
      const src = /\bsrc=["']([^"']+)["']/.exec(m[1])?.[1];
      if (src) roots.push(src.replace(/^\//, ''));
      else {
        inlineGz += gzipSync(m[2], { level: 9 }).length;
        // An inline module resolves relative to the page, an absolute one from the site root.
        inlineRoots.push(
          ...[...m[2].matchAll(STATIC_IMPORT)].map((x) =>
            x[1].startsWith('/') ? x[1].slice(1) : join(html, '..', x[1]),
          ),
        );
      }
    }
    for (const m of text.matchAll(/<link\b[^>]*rel=["']?modulepreload[^>]*>/g)) {
      const href = /\bhref=["']([^"']+)["']/.exec(m[0])?.[1];
      if (href) roots.push(href.replace(/^\//, ''));
    }
    const before = closure(load, [...roots, ...inlineRoots], ['static']);
    const after = closure(load, before, ['static', 'dynamic']);
    const workerRoots = [...after].flatMap((f) => load(f).workers);
    const workers = closure(load, workerRoots, ['static', 'dynamic', 'workers']);
    const sum = (set) => [...set].reduce((s, f) => s + load(f).gz, 0);
    const anyTf = (set) => [...set].some((f) => load(f).tfjs);
    pages.push({
      route: routeOf(html),
      beforeGz: inlineGz + sum(before),
      afterGz: inlineGz + sum(after),
      workersGz: sum(workers),
      tfjsBefore: anyTf(before),
      tfjsAfter: anyTf(after),
      tfjsWorkers: anyTf(workers),
      files: { before: [...before].sort(), after: [...after].sort(), workers: [...workers].sort() },
      gz: Object.fromEntries([...after, ...workers].map((f) => [f, load(f).gz])),
    });
  }
  return pages;
}

/** Chunks in dist/_astro that no page can ever load (neither on load, on interaction nor in a worker). */
export function unreachableChunks(dist) {
  const load = chunkReader(dist);
  const reached = new Set(pageWeights(dist).flatMap((p) => [...p.files.after, ...p.files.workers]));
  return readdirSync(join(dist, '_astro'))
    .filter((n) => n.endsWith('.js'))
    .map((n) => relative(dist, join(dist, '_astro', n)))
    .filter((f) => !reached.has(f))
    .map((f) => ({ file: f, gz: load(f).gz }));
}
