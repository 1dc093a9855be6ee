import { defineConfig } from '@playwright/test';
import { chromiumPath as executablePath } from './scripts/chromium-path.ts';

const port = Number(process.env['E2E_PORT'] ?? 4399);
const outDir = process.env['ASTRO_OUT_DIR'] ?? 'dist';

export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'off',
    // Every test opens a fresh context, and the course's service worker would precache the whole site (~150 files)
    // in each one: seconds of CPU per test. Only the offline spec, which tests it, allows it.
    serviceWorkers: 'block',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  // Tests run against the built site (`npm run build` happens first in `npm test`).
  webServer: {
    command: `npm exec -- astro preview --port ${port} --ignore-lock`,
    env: { ASTRO_OUT_DIR: outDir },
    url: `http://localhost:${port}/`,
    // Reusing a server already on the port could test a stale build, so it is opt-in (E2E_REUSE=1).
    reuseExistingServer: process.env['E2E_REUSE'] === '1',
    timeout: 60_000,
  },
});
