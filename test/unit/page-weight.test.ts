import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { pageWeights, unreachableChunks } from '../../bench/page-weight.mjs';
import { kindOf } from '../../bench/page-budgets.mjs';

// A miniature build in the shape Vite writes it: one page with an inline module, an entry chunk that imports a shared
// chunk statically, KaTeX-like and Plot-like chunks behind `import()` (with Vite's preload list), a worker that pulls
// in a TF.js-like chunk and starts a helper worker of its own (written with Vite's `@vite-ignore` comment) that names a
// script its threads load by URL, and one chunk nothing reaches.
const files: Record<string, string> = {
  'chapters/a/index.html':
    '<html><head><script type="module" src="/_astro/entry.A1b2C3d4.js"></script></head>' +
    '<body><script type="module">import"/_astro/menu.js";document.title=1</script><script>var notModule=1</script></body></html>',
  'index.html': '<html><body>no scripts</body></html>',
  '_astro/entry.A1b2C3d4.js':
    'import{t as e}from"./shared.js";const m=()=>e(()=>import(`./tex.js`),__vite__mapDeps([0]));' +
    'const d=["_astro/plot-deps.js"];new Worker(new URL(`/_astro/worker.js`,``+import.meta.url));export{m};',
  '_astro/menu.js': 'export const menu=1;',
  '_astro/shared.js': 'export function t(f){return f()}',
  '_astro/tex.js': 'export default {renderToString(){return "x".repeat(500)}}',
  '_astro/plot-deps.js': 'export const plot=2;',
  '_astro/worker.js':
    'import"./tf.js";self.onmessage=()=>{};new Worker(new URL(\n/* @vite-ignore */\n`/_astro/helper.js`,``+import.meta.url));',
  '_astro/helper.js': 'import"./tf.js";var f=`/course/_astro/pthread-factory.js`;',
  '_astro/pthread-factory.js': 'var WasmBackendModuleThreadedSimd=function(){};',
  '_astro/tf.js': '/** @license Copyright 2020 Google LLC */ export const tf=3;',
  '_astro/orphan.js': 'export const never=4;',
};
const dist = mkdtempSync(join(tmpdir(), 'page-weight-'));
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(dist, path)), { recursive: true });
  writeFileSync(join(dist, path), text);
}
afterAll(() => rmSync(dist, { recursive: true, force: true }));
const gz = (path: string) => gzipSync(files[path]!, { level: 9 }).length;

describe('page weight from a build', () => {
  const pages = pageWeights(dist);
  const page = pages.find((p) => p.route === '/chapters/a/')!;

  it('before interaction: module scripts (src and inline) and their static imports, not dynamic ones', () => {
    expect(page.files.before).toEqual(['_astro/entry.A1b2C3d4.js', '_astro/menu.js', '_astro/shared.js']);
    const inline = gzipSync('import"/_astro/menu.js";document.title=1', { level: 9 }).length;
    const expected = inline + gz('_astro/entry.A1b2C3d4.js') + gz('_astro/menu.js') + gz('_astro/shared.js');
    expect(page.beforeGz).toBe(expected);
  });

  it('after interaction adds dynamic imports and Vite preload lists; workers are counted apart', () => {
    expect(page.files.after).toEqual([
      '_astro/entry.A1b2C3d4.js',
      '_astro/menu.js',
      '_astro/plot-deps.js',
      '_astro/shared.js',
      '_astro/tex.js',
    ]);
    expect(page.afterGz - page.beforeGz).toBe(gz('_astro/tex.js') + gz('_astro/plot-deps.js'));
    // The helper holds a script's URL (with a sub-path base) that its threads load with importScripts.
    expect(page.files.workers).toEqual([
      '_astro/helper.js',
      '_astro/pthread-factory.js',
      '_astro/tf.js',
      '_astro/worker.js',
    ]);
  });

  it('finds TF.js by its licence banner, only where it is reachable', () => {
    expect([page.tfjsBefore, page.tfjsAfter, page.tfjsWorkers]).toEqual([false, false, true]);
    const home = pages.find((p) => p.route === '/');
    expect(home).toMatchObject({ beforeGz: 0, afterGz: 0, workersGz: 0, tfjsWorkers: false });
  });

  it('lists chunks no page can load', () => {
    expect(unreachableChunks(dist)).toEqual([{ file: '_astro/orphan.js', gz: gz('_astro/orphan.js') }]);
  });

  it('budget kinds: the lab and the bench train, other chapters do not, the rest are plain pages', () => {
    expect(kindOf('/chapters/lenet-5/')).toBe('training');
    expect(kindOf('/bench/')).toBe('training');
    expect(kindOf('/chapters/pooling/')).toBe('chapter');
    expect(kindOf('/search/')).toBe('page');
  });
});
