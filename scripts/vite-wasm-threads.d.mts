// Types for scripts/vite-wasm-threads.mjs (plain JavaScript, as astro.config.mjs imports it), for its unit test.
export declare const ISOLATION_HEADERS: Record<string, string>;
export declare const FACTORY_FILE: string;
export declare function patchBackendWasm(code: string): string;
export declare const POOL_GLOBAL: string;
export declare function patchThreadedFactory(code: string): string;
export declare function wasmThreads(): {
  name: string;
  enforce: 'pre';
  transform(code: string, id: string): { code: string; map: null } | null;
};
