// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { ISOLATION_HEADERS, wasmThreads } from './scripts/vite-wasm-threads.mjs';

// Cross-origin isolation lets TF.js use threaded wasm where the host sends these headers.
// `astro dev` and `astro preview` send them; a plain static host may not, and the site still works.

// BASE_PATH hosts the course under a sub-path (`BASE_PATH=/course/ npm run build`); every link and runtime URL
// is resolved from it (import.meta.env.BASE_URL), so the same code serves `/` and `/course/`.
const base = process.env.BASE_PATH ?? '/';

// ASTRO_OUT_DIR lets two builds (e.g. tests and benchmarks) run side by side without clobbering dist/.
export default defineConfig({
  site: 'https://convnotebook.example',
  base,
  outDir: process.env.ASTRO_OUT_DIR ?? './dist',
  integrations: [mdx()],
  markdown: {
    // Astro 7's default processor ignores remark/rehype plugins; unified() honours them (for .md and .mdx).
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] }),
  },
  server: { port: Number(process.env.PORT ?? 4321), headers: ISOLATION_HEADERS },
  devToolbar: { enabled: false },
  vite: {
    optimizeDeps: {
      include: ['@observablehq/plot', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'],
    },
    // TF.js's threaded wasm, when a run asks for threads (backends.ts), needs its pthread bootstrap unminified.
    plugins: [wasmThreads()],
    worker: { format: 'es', plugins: () => [wasmThreads()] },
  },
});
