// A Vite plugin that keeps TF.js's threaded wasm bootstrap working in a minified build.
//
// The threaded build starts its pthreads as workers that load the Emscripten factory from a Blob, which TF.js writes
// as `'var WasmBackendModuleThreadedSimd = ' + wasmFactoryThreadedSimd.toString()` (backend_wasm.ts). After the
// minifier, that function's text refers to names of the bundle's scope that the Blob does not have ("e is not
// defined" in every pthread, FACTS.md), and the training worker dies with them. The plugin has the Blob load the
// factory's file as the package ships it instead, served as a static asset (Vite's `?url`, not minified): the file
// defines the global `WasmBackendModuleThreadedSimd` and guards its CommonJS exports. Nothing is fetched unless a run
// asks for threads; the code that runs in the training worker itself is the bundled copy, as before.
/**
 * The headers that make a page cross-origin isolated, which SharedArrayBuffer and so threaded wasm need: what
 * `astro dev` and `astro preview` send (astro.config.mjs), and the bench's isolated host (scripts/bench.mjs). Hosts'
 * own copies: public/_headers and docs/deploy/nginx.conf.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export const FACTORY_FILE = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const NEEDLE = 'wasmFactoryThreadedSimd.toString()';
const URL_NAME = '__convnotebookThreadedFactoryUrl';

/** Points TF.js's pthread Blob at the factory's file; throws when the package no longer has the call (an update). */
export function patchBackendWasm(code) {
  if (!code.includes(NEEDLE)) throw new Error(`vite-wasm-threads: ${NEEDLE} not found in tfjs-backend-wasm`);
  // The Blob's text becomes `var WasmBackendModuleThreadedSimd = (importScripts("<url>"), WasmBackendModuleThreadedSimd)`:
  // the file sets the global, and the assignment keeps it. A Blob worker resolves no relative URL, hence the absolute.
  const text = `'(importScripts(' + JSON.stringify(new URL(${URL_NAME}, self.location.href).href) + '), WasmBackendModuleThreadedSimd)'`;
  return `import ${URL_NAME} from '${FACTORY_FILE}?url';\n${code.replace(NEEDLE, text)}`;
}

// The factory starts a pool of 8 pthread workers and waits for each to load the module before it resolves: 0.3 s of
// the first batch on a 2-core machine, for a run that uses 1 of them with 2 threads. The pool takes the size the
// training worker asks for (backends.ts sets the global to threads - 1 first); 8 as shipped when it is unset.
const POOL = 'var pthreadPoolSize=8;';
export const POOL_GLOBAL = '__convnotebookPthreadPool';

/** Sizes the pthread pool from POOL_GLOBAL; throws when the factory no longer has the line (a TF.js update). */
export function patchThreadedFactory(code) {
  if (!code.includes(POOL)) throw new Error(`vite-wasm-threads: ${POOL} not found in the threaded factory`);
  return code.replace(POOL, `var pthreadPoolSize=globalThis.${POOL_GLOBAL}||8;`);
}

export function wasmThreads() {
  return {
    name: 'convnotebook-wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      // The factory's `?url` import (the pthreads' copy, served as shipped) is not code to patch.
      if (id.includes('?')) return null;
      if (/tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/.test(id))
        return { code: patchBackendWasm(code), map: null };
      if (/tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/.test(id)) {
        return { code: patchThreadedFactory(code), map: null };
      }
      return null;
    },
  };
}
