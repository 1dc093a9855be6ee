/**
 * Printing a chapter (src/styles/print.css): no navigation chrome, each widget's current state without its controls,
 * maths and figures visible. Under `npm run screenshots` it saves the print view at desktop and phone widths.
 */
import { test, expect } from './fixtures.ts';

test('print: chrome and controls hidden; the stepped widget, its status and the maths print', async ({ page }) => {
  await page.goto('/chapters/pooling/');
  const w = page.locator('#p1');
  await w.getByRole('group', { name: 'Step through pooling' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const status = w.getByRole('status');
  await expect(status).toContainText('Window 3 of 4');
  const stage = await w.locator('.stage').innerText();

  await page.emulateMedia({ media: 'print' });
  for (const chrome of ['.site-header', '.sidebar', '.pager', '.site-footer', '.toc']) {
    await expect(page.locator(chrome).first()).toBeHidden();
  }
  // Controls: every button, field and select of the widget is gone; the stage keeps the stepped state.
  for (const control of await w.locator('button, input, select, textarea').all()) await expect(control).toBeHidden();
  await expect(w.locator('.stage')).toBeVisible();
  expect(await w.locator('.stage').innerText()).toBe(stage);
  await expect(status).toBeVisible();
  await expect(status).toContainText('Window 3 of 4');
  await expect(page.locator('.katex').first()).toBeVisible();
  // Nothing of the widget is clipped by a scroll box on paper.
  expect(await w.evaluate((el) => getComputedStyle(el).overflowX)).toBe('visible');

  if (process.env['SCREENSHOTS'] === '1') {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `test-results/screenshots/print-pooling-${width}.png`, fullPage: true });
    }
  }
  await page.emulateMedia({ media: 'screen' });
  await expect(page.locator('.site-header')).toBeVisible();
});
