import { test, expect, expectNoAxeViolations, screenshots, stateHTML } from './fixtures.ts';

const URL = '/chapters/beyond-lenet/';

test.describe('chapter 14: beyond LeNet', () => {
  test('without JavaScript: the architecture tables, the 1×1 widget and the transposed convolution are in the HTML', async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(URL);
    // Published totals, computed by the engine's summarizeArchitecture.
    await expect(page.getByRole('table', { name: /^AlexNet/ }).locator('tfoot')).toContainText('60,965,224');
    await expect(page.getByRole('table', { name: /^VGG-16/ }).locator('tfoot')).toContainText('138,357,544');
    await expect(
      page.getByRole('table', { name: /^Inception block \(3a\)/ }).getByRole('row', { name: /^inception_3a/ }),
    ).toContainText('256×28×28');
    await expect(page.locator('.prose')).toContainText('The block costs 128.0 million multiply-adds per image');
    await expect(page.locator('.prose')).toContainText('a ratio of 0.119');
    await expect(page.locator('.verdict').filter({ hasText: 'differs from y by 0.' })).toHaveCount(1);
    await expect(page.locator('#ob').getByRole('status')).toHaveText(
      /^Pixel 1 of 16, row 0, column 0: channel vector \(.+\); W times it gives \(.+\), one value per output channel, the same as a dense layer with weights W applied to this pixel\.$/,
    );
    await context.close();
  });

  test('1×1 convolution: arrow keys move the pixel; bad sizes are refused; URL state', async ({ page }) => {
    await page.goto(URL);
    const w = page.locator('#ob');
    const status = w.getByRole('status');
    await w.getByRole('group', { name: 'A 1×1 convolution is a dense layer at every pixel' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(status).toContainText('Pixel 2 of 16, row 0, column 1');
    await page.keyboard.press('ArrowDown');
    await expect(status).toContainText('Pixel 6 of 16, row 1, column 1');
    await page.keyboard.press('End');
    await expect(status).toContainText('Pixel 16 of 16, row 3, column 3');
    await page.keyboard.press('Home');
    await expect(status).toContainText('Pixel 1 of 16');
    await w.getByRole('button', { name: 'Next ▶' }).click();
    await expect(status).toContainText('Pixel 2 of 16');
    const stage = await stateHTML(w.locator('.stage'));
    for (const [field, value, message] of [
      ['Input channels C', '9', /The number of input channels must be from 1 to 4; you gave 9/],
      ['Filters K', 'two', /“two” is not a number/],
      ['Input size', '', /Enter the input size/],
    ] as const) {
      const input = w.getByLabel(field);
      const good = await input.inputValue();
      await input.fill(value);
      await expect(w.getByRole('alert').filter({ hasText: message })).toBeVisible();
      await expect(input).toHaveAttribute('aria-invalid', 'true');
      expect(await stateHTML(w.locator('.stage'))).toBe(stage);
      await input.fill(good);
      await expect(w.getByRole('alert')).toHaveCount(0);
    }
    await w.getByLabel('Filters K').fill('4');
    await expect(status).toContainText('Pixel 2 of 16');
    await expect(w.locator('.ob-slice figcaption').filter({ hasText: 'y, channel' })).toHaveCount(4);
    await expect(page).toHaveURL(/ob\.K=4/);
    await page.reload();
    await expect(page.locator('#ob').getByRole('status')).toContainText('Pixel 2 of 16');
    await expect(page.locator('#ob .ob-slice figcaption').filter({ hasText: 'y, channel' })).toHaveCount(4);
  });

  test('the output-size explorer of chapter 5 gives the transposed size for its settings', async ({ page }) => {
    await page.goto('/chapters/padding-stride-output-size/');
    const notes = page.locator('#eo .eo-notes');
    await expect(notes).toContainText(
      'Transposed convolution with the same settings maps 3 back to 5: (3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 0 = 5.',
    );
    await page.locator('#eo').getByLabel('Input size i').fill('6');
    await expect(notes).toContainText('maps 3 back to 6');
    await expect(notes).toContainText('with output padding 1 (the remainder the floor dropped)');
  });

  test('whole page: axe finds nothing in light and dark mode; desktop and phone screenshots', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(URL);
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch14-beyond-lenet');
  });
});
