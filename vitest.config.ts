import { defineConfig } from 'vitest/config';

// Unit tests only: Playwright specs under test/e2e run through `playwright test`.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
