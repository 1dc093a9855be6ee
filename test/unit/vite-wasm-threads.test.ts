import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  FACTORY_FILE,
  POOL_GLOBAL,
  patchBackendWasm,
  patchThreadedFactory,
  wasmThreads,
} from '../../scripts/vite-wasm-threads.mjs';

const require = createRequire(import.meta.url);
const backendFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js');
const backendSource = readFileSync(backendFile, 'utf8');

/** The expression the patched backend_wasm.js puts after `var WasmBackendModuleThreadedSimd = ` in the Blob. */
function blobExpression(patched: string): string {
  const m =
    /\[`var WasmBackendModuleThreadedSimd = ` \+\s*('\(importScripts\(' \+ .*? \+ '\), WasmBackendModuleThreadedSimd\)')\]/s.exec(
      patched,
    );
  expect(m, 'the Blob expression').not.toBeNull();
  return m![1]!;
}

describe('the threaded wasm bootstrap (scripts/vite-wasm-threads.mjs)', () => {
  const patched = patchBackendWasm(backendSource);

  it("replaces TF.js's toString() of the bundled factory, once, and imports the factory's file as a URL", () => {
    expect(patched).not.toContain('wasmFactoryThreadedSimd.toString()');
    expect(patched.startsWith(`import __convnotebookThreadedFactoryUrl from '${FACTORY_FILE}?url';\n`)).toBe(true);
    expect(patched.split('importScripts(').length).toBe(2);
  });

  it('gives a pthread a Blob that loads the shipped factory and defines it, in a scope with nothing of the bundle', () => {
    const factoryFile = require.resolve(FACTORY_FILE);
    const factorySource = readFileSync(factoryFile, 'utf8');
    // The pthread's importScripts runs the file in the worker's own global scope.
    const loaded: string[] = [];
    const context = vm.createContext({
      URL,
      self: { location: { href: 'https://host/course/_astro/session.js' } },
      __convnotebookThreadedFactoryUrl: '/course/_astro/tfjs-backend-wasm-threaded-simd-abc.js',
    });
    // The outer expression runs in the training worker (it builds the Blob's text) ...
    const text = vm.runInContext(blobExpression(patched), context) as string;
    expect(text).toBe(
      '(importScripts("https://host/course/_astro/tfjs-backend-wasm-threaded-simd-abc.js"), WasmBackendModuleThreadedSimd)',
    );
    // ... and the Blob, in a fresh scope, in the pthread.
    const pthread = vm.createContext({
      importScripts: (url: string) => {
        loaded.push(url);
        vm.runInContext(factorySource, pthread);
      },
    });
    vm.runInContext(`var WasmBackendModuleThreadedSimd = ${text};`, pthread);
    expect(loaded).toEqual(['https://host/course/_astro/tfjs-backend-wasm-threaded-simd-abc.js']);
    expect(typeof vm.runInContext('WasmBackendModuleThreadedSimd', pthread)).toBe('function');
    // It is the Emscripten module factory with pthread support, which the worker then calls with its Module.
    expect(String(vm.runInContext('WasmBackendModuleThreadedSimd', pthread))).toContain('PThread');
  });

  it("sizes the factory's pthread pool from the worker's global, 8 as shipped when it is unset", () => {
    const factoryFile = require.resolve(FACTORY_FILE);
    const patchedFactory = patchThreadedFactory(readFileSync(factoryFile, 'utf8'));
    const line = /var pthreadPoolSize=([^;]+);while\(pthreadPoolSize--\)\{PThread\.allocateUnusedWorker\(\)\}/.exec(
      patchedFactory,
    );
    expect(line?.[1]).toBe(`globalThis.${POOL_GLOBAL}||8`);
    const size = (global: Record<string, unknown>) => vm.runInNewContext(line![1]!, { globalThis: global });
    expect(size({ [POOL_GLOBAL]: 1 })).toBe(1);
    expect(size({})).toBe(8);
    // The training worker sets that global under the same name (a typo would silently start 8 workers again).
    expect(readFileSync('src/ml/backends.ts', 'utf8')).toContain(`.${POOL_GLOBAL} = threadsWanted - 1`);
  });

  it('fails the build, rather than ship a broken bootstrap, when a TF.js update moves things', () => {
    expect(() => patchBackendWasm('export const x = 1;')).toThrow(/not found in tfjs-backend-wasm/);
    expect(() => patchThreadedFactory('var pthreadPoolSize=4;')).toThrow(/not found in the threaded factory/);
  });

  it('transforms backend_wasm.js and the factory module only', () => {
    const plugin = wasmThreads();
    expect(plugin.transform(backendSource, backendFile)?.code).toBe(patched);
    expect(plugin.transform('const a = 1;', '/x/node_modules/@tensorflow/tfjs-core/dist/index.js')).toBeNull();
    const factoryFile = require.resolve(FACTORY_FILE);
    const factorySource = readFileSync(factoryFile, 'utf8');
    expect(plugin.transform(factorySource, factoryFile)?.code).toBe(patchThreadedFactory(factorySource));
    // The factory's `?url` import is the pthreads' copy, emitted as shipped.
    expect(plugin.transform('export default "/a.js"', `/x/node_modules/${FACTORY_FILE}?url`)).toBeNull();
  });
});
