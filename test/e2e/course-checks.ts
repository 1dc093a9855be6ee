/**
 * Steps that prove a built course works where it is served, shared by the specs that serve it unusually: under a
 * sub-path (subpath.spec.ts) and offline from the service worker (offline.spec.ts). Each uses something fetched at
 * run time, so a wrong base URL or a missing cache entry shows.
 */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** On the pooling chapter (already open): the stepper fetches the sample digits and loads an edge map. */
export async function expectPoolingLoadsEdgeMap(page: Page): Promise<void> {
  const w = page.locator('#p2');
  // The stepper's module runs after the page has parsed; a click before that finds no listener (CI's run at f717810
  // clicked too early here, the status never changed). A reader's click comes later than a test's.
  await page.waitForFunction(() => customElements.get('pooling-stepper') !== undefined);
  await w.getByLabel('Or a real feature map').selectOption('1');
  await w.getByRole('button', { name: 'Load its edge map' }).click();
  await expect(w.getByRole('status')).toContainText('Loaded the edge map of digit 1 (a 2)');
}

/** Opens chapter 1 at `url` and runs its free cell: the editor and the runner worker both load. */
export async function expectNotebookCellRuns(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const cell = page.locator('#cell-explore');
  await cell.locator('[data-role="static"], .cm-content').first().focus();
  await expect(cell.locator('.cm-content')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('show([1, 2, 3]);');
  await cell.getByRole('button', { name: 'Run' }).click();
  await expect(cell.locator('[data-role="output"] table')).toContainText('123');
}
