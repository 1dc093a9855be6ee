/**
 * The course hosted under a sub-path, as an instructor would host it: built with `BASE_PATH=/course/` into its own
 * folder, served by a plain static server (scripts/static-host.ts) that answers 404 outside `/course/`. Links,
 * search, a widget that fetches data, a notebook cell (its worker) and the lab (worker, wasm, MNIST) must all work,
 * and no request may leave the sub-path. The build reuses `npm run data`'s output (public/data) and costs one
 * `astro build`, Pagefind and the service worker.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { serveStatic, type StaticHost } from '../../scripts/static-host.ts';
import { expectNotebookCellRuns, expectPoolingLoadsEdgeMap } from './course-checks.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/ml/config.ts';

const BASE = '/course/';
const OUT = 'dist-subpath';
// Its own port beside the preview server's (E2E_PORT), so helpers running side by side never collide.
const PORT = Number(process.env['E2E_PORT'] ?? 4399) + 100;

let host: StaticHost | null = null;

/** Runs a Node CLI of the project (astro, pagefind) with the Node running the tests; throws with its output. */
function run(script: string, args: string[]): void {
  const r = spawnSync(process.execPath, [script, ...args], {
    env: { ...process.env, BASE_PATH: BASE, ASTRO_OUT_DIR: OUT, ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

/** Records every same-origin request whose path is outside the sub-path (a root-absolute URL the build missed). */
function outsideBase(page: Page): string[] {
  const outside: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin === `http://localhost:${PORT}` && !url.pathname.startsWith(BASE)) outside.push(url.pathname);
  });
  return outside;
}

test.describe('the course under a sub-path on a plain static host', () => {
  // One build and one server for the file: its tests run in order in one worker.
  test.describe.configure({ mode: 'default' });
  test.use({ baseURL: `http://localhost:${PORT}` });

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    // E2E_REUSE=1 (as for the preview server) reuses an earlier sub-path build, for quick local reruns;
    // E2E_SUBPATH_BUILT=1 says the gate (scripts/test-all.sh) has just built it beside the unit tests.
    const prebuilt = process.env['E2E_REUSE'] === '1' || process.env['E2E_SUBPATH_BUILT'] === '1';
    if (!(prebuilt && existsSync(`${OUT}/index.html`))) {
      run('node_modules/astro/bin/astro.mjs', ['build', '--silent']);
      run('node_modules/pagefind/lib/runner/bin.cjs', ['--site', OUT, '--silent']);
      run('scripts/build-sw.mjs', []);
    }
    host = await serveStatic(OUT, BASE, PORT);
  });
  test.afterAll(async () => {
    await host?.close();
  });

  test('links, search, a data-fetching widget and a notebook cell work, and nothing leaves the sub-path', async ({
    page,
  }) => {
    const outside = outsideBase(page);
    await page.goto(BASE);
    await page
      .getByRole('link', { name: /^8 Pooling/ })
      .first()
      .click();
    await expect(page).toHaveURL(`${BASE}chapters/pooling/`);
    // The pooling stepper fetches the sample digits at run time.
    await expectPoolingLoadsEdgeMap(page);

    // A notebook cell runs in its worker, loaded from under the sub-path.
    await expectNotebookCellRuns(page, `${BASE}chapters/convolution-1d/`);

    // Search loads Pagefind's index from the sub-path and links into it.
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await page.getByRole('searchbox').fill('pooling');
    const hit = page.locator('search-box .results a').first();
    await expect(hit).toHaveAttribute('href', new RegExp(`^${BASE}chapters/`));
    await hit.click();
    await expect(page.locator('main h1')).toBeVisible();
    expect(outside).toEqual([]);
  });

  test('the lab downloads MNIST and trains a few batches on wasm under the sub-path', async ({ page }) => {
    test.setTimeout(180_000);
    const outside = outsideBase(page);
    // 160 images at the default batch size (32: five batches), then the test pass.
    const batches = Math.ceil(160 / DEFAULT_TRAIN_CONFIG.batchSize);
    await page.goto(
      `${BASE}chapters/lenet-5/?lab.trainSubset=160&lab.epochs=1&lab.evaluateEachEpoch=0&lab.backend=wasm`,
    );
    const lab = page.locator('#lab');
    await lab.getByRole('button', { name: 'Train a new model', exact: true }).click();
    await expect(lab.locator('#lab-data-text')).toContainText('MNIST ready: 60,000 training and 10,000 test digits', {
      timeout: 120_000,
    });
    await expect(lab.locator('#lab-backend-line')).toContainText('TensorFlow.js on wasm');
    await expect(lab.locator('#lab-status')).toContainText(/Done after 1 epoch: test accuracy/, { timeout: 120_000 });
    await expect(lab.locator('#lab-loss-chart svg[role="img"]').first()).toHaveAttribute(
      'aria-label',
      new RegExp(`after ${batches} batches`),
    );
    expect(outside).toEqual([]);
  });
});
