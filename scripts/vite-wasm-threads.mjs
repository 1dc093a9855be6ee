// A Vite plugin that keeps TF.js's threaded wasm bootstrap working in a minified build.
//
// The threaded build starts its pthreads as workers that load the Emscripten factory from a Blob, which TF.js writes
// as `'var WasmBackendModuleThreadedSimd = ' + wasmFactoryThreadedSimd.toString()` (backend_wasm.ts). After the
// minifier, that function's text refers to names of the bundle's scope that the Blob does not have ("e is not
// defined" in every pthread, FACTS.md), and the training worker dies with them. The plugin has the Blob load the
// factory's file as the package ships it instead, served as a static asset (Vite's `?url`, not minified): the file
// defines the global `WasmBackendModuleThreadedSimd` and guards its CommonJS exports. Nothing is fetched unless a run
// asks for threads; the code that runs in the training worker itself is the bundled copy, as before.
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

export function wasmThreads() {
  return {
    name: 'convnotebook-wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      if (!/tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/.test(id.split('?')[0])) return null;
      return { code: patchBackendWasm(code), map: null };
    },
  };
}
