/**
 * Offline after one visit, and updates that never mix versions. The built site (dist/) is served by a plain static
 * host (scripts/static-host.ts) so that a test can stand in for a new deployment by changing sw.js's bytes. Chromium's
 * offline mode (context.setOffline) also cuts the service worker's network, so whatever works offline came from
 * its caches.
 */
import type { Page } from '@playwright/test';
import { test, expect, screenshots } from './fixtures.ts';
import { serveStatic, type StaticHost } from '../../scripts/static-host.ts';
import { expectNotebookCellRuns, expectPoolingLoadsEdgeMap } from './course-checks.ts';

// Beside the preview server's port (E2E_PORT) and the sub-path test's (+100).
const PORT = Number(process.env['E2E_PORT'] ?? 4399) + 200;
const OUT = process.env['ASTRO_OUT_DIR'] ?? 'dist';
let host: StaticHost | null = null;
/** Bumped by a test to make sw.js differ byte-wise, as a new deployment's would. */
let deployment = 1;

test.describe('offline use and updates', () => {
  test.describe.configure({ mode: 'default' });
  test.use({
    serviceWorkers: 'allow',
    baseURL: `http://localhost:${PORT}`,
    // Offline, Chromium logs every fetch that fails (the lab's manifest check falls back to its cache).
    allowedProblems: [/ERR_INTERNET_DISCONNECTED/],
  });

  test.beforeAll(async () => {
    host = await serveStatic(OUT, '/', PORT, (path, body) =>
      path === '/sw.js' && deployment > 1
        ? Buffer.concat([body, Buffer.from(`\n// deployment ${deployment}\n`)])
        : body,
    );
  });
  test.afterAll(async () => {
    await host?.close();
  });

  /** Waits until the service worker has precached the course (the footer says so). */
  async function saved(page: Page): Promise<void> {
    await expect(page.locator('#offline-status')).toHaveText(
      'Available offline: this course is saved in your browser.',
      {
        timeout: 30_000,
      },
    );
  }

  test('after one visit: chapters, a widget, a notebook cell, search and the lab (on cached MNIST) work offline', async ({
    page,
    context,
  }) => {
    test.setTimeout(120_000);
    await page.goto('/chapters/pooling/');
    await saved(page);
    // Opening the lab saves its engine; one online run puts MNIST in the lab's cache.
    const lab = '/chapters/lenet-5/?lab.trainSubset=160&lab.epochs=1&lab.evaluateEachEpoch=0&lab.backend=wasm';
    await page.goto(lab);
    await expect(page.locator('#lab-offline')).toContainText(
      /Saved for offline use: the lab's engine \(.+ [\d.]+ MB\)/,
    );
    const train = page.getByRole('button', { name: 'Train a new model', exact: true });
    await train.click();
    await expect(page.locator('#lab-status')).toContainText('Done after 1 epoch', { timeout: 90_000 });

    await context.setOffline(true);
    // Really offline: a file the service worker does not keep cannot be fetched.
    expect(
      await page.evaluate(() =>
        fetch('/data/mnist/subset.json').then(
          () => 'fetched',
          () => 'failed',
        ),
      ),
    ).toBe('failed');
    await page.reload();
    await train.click();
    await expect(page.locator('#lab-data-text')).toContainText('read from your browser cache', { timeout: 60_000 });
    await expect(page.locator('#lab-status')).toContainText('Done after 1 epoch', { timeout: 60_000 });

    await page.goto('/chapters/pooling/');
    await expectPoolingLoadsEdgeMap(page);
    await expectNotebookCellRuns(page, '/chapters/convolution-1d/');

    await page.goto('/search/?q=pooling');
    await expect(page.locator('search-box .results a').first()).toHaveAttribute('href', /\/chapters\//);
  });

  test('a new deployment waits until the reader accepts "A new version is available"', async ({ page }) => {
    await page.goto('/');
    await saved(page);
    deployment = 2;
    try {
      await page.reload();
      const banner = page.locator('#update-banner');
      await expect(banner).toBeVisible({ timeout: 30_000 });
      await expect(banner).toContainText('A new version of the course is available:');
      await screenshots(page, 'update-banner');
      // Until the reader chooses, the old version keeps the page and the new one waits.
      expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).waiting))).toBe(true);
      await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
      await expect(page.locator('#update-banner')).toBeHidden();
      expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).waiting)).toBeNull();
      await saved(page);
    } finally {
      deployment = 1;
    }
  });
});
