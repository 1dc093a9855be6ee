import { defineConfig } from 'vitest/config';

// Unit tests only: Playwright specs under test/e2e run through `playwright test`.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // One module graph per worker, not per file: about 14 s less on two cores. Tests set what they need (a TF.js
    // backend, a seed) in their own beforeAll, so they do not rely on a fresh module state.
    isolate: false,
  },
});
