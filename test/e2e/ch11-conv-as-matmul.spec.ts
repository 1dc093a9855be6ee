import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, screenshots, stateHTML } from './fixtures.ts';

const URL = '/chapters/convolution-as-matrix-multiplication/';

function stepper(page: Page) {
  const widget = page.locator('#ic');
  return {
    widget,
    status: widget.getByRole('status'),
    stage: widget.getByRole('group', { name: 'im2col: every window becomes a column' }),
  };
}

test.describe('chapter 11: convolution as matrix multiplication', () => {
  test('the prose numbers and the stepper are in the HTML without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(URL);
    const prose = page.locator('.prose');
    // CS231n: AlexNet's first layer as im2col.
    await expect(prose).toContainText('The patch matrix is 363 × 3,025');
    await expect(prose).toContainText('the kernels as rows 96 × 363');
    // Every matrix form agrees with the direct loop and with chapter 10's convolution form.
    await expect(
      prose.locator('.verdict').filter({ hasText: 'Largest difference from the direct loop: 0.' }),
    ).toHaveCount(1);
    await expect(prose.locator('.verdict').filter({ hasText: /^Largest difference between the two: 0 / })).toHaveCount(
      2,
    );
    const { status, widget } = stepper(page);
    await expect(status).toHaveText(
      'Column 1 of 9: the window of output row 0, column 0 becomes column 0 of the patch matrix (27 values, 15 from the padding); filter 0 gives 1, filter 1 gives −3.',
    );
    await expect(widget.locator('.ic-shapes')).toHaveText(
      'Patch matrix [C·kh·kw, OH·OW] = [27, 9] · kernels as rows [K, C·kh·kw] = [2, 27] · product [2, 9], each row reshaped to a 3 × 3 map.',
    );
    await context.close();
  });

  test('stepper: keyboard and buttons walk the windows; the matrices fill column by column', async ({ page }) => {
    await page.goto(URL);
    const { status, stage, widget } = stepper(page);
    await stage.focus();
    await page.keyboard.press('ArrowRight');
    await expect(status).toContainText('Column 2 of 9: the window of output row 0, column 1');
    // Columns 0 and 1 of the product are filled, the rest still unknown.
    const product = widget.getByRole('table', { name: 'Product W times cols, 2 by 9' });
    await expect(product.locator('td.todo')).toHaveCount(2 * 7);
    await page.keyboard.press('End');
    await expect(status).toContainText('Column 9 of 9');
    await expect(product.locator('td.todo')).toHaveCount(0);
    await page.keyboard.press('ArrowRight');
    await expect(status).toContainText('Column 9 of 9');
    await page.keyboard.press('Home');
    await expect(status).toContainText('Column 1 of 9');
    await widget.getByRole('button', { name: 'Next ▶' }).click();
    await expect(status).toContainText('Column 2 of 9');
    // The product's rows, reshaped, are the output maps: the last cell of map 1 equals the product's last entry.
    await page.keyboard.press('End');
    const lastProduct = await product.locator('tbody tr').nth(1).locator('td').last().textContent();
    const map1 = widget.getByRole('table', { name: 'Output map 1, 3 by 3' });
    await expect(map1.locator('tbody tr').last().locator('td').last()).toHaveText(lastProduct!);
    // Arrow keys in a size field step it: stride 2 -> 3 gives 2 x 2 windows.
    await widget.getByLabel('Stride s').focus();
    await page.keyboard.press('ArrowUp');
    await expect(widget.getByLabel('Stride s')).toHaveValue('3');
    await expect(status).toContainText('Column 1 of 4');
    await expect(widget.getByLabel('Example')).toHaveValue('custom');
  });

  const badInputs: [field: string, value: string, message: RegExp][] = [
    ['Kernel k', '', /Enter the kernel size \(a whole number from 1 to 4\)/],
    ['Kernel k', 'three', /“three” is not a number/],
    ['Channels C', '9', /The number of channels must be from 1 to 3; you gave 9/],
    ['Padding p', '2.5', /The padding must be a whole number, not 2\.5/],
  ];
  test('bad input: a message beside the field, the last good state stays, nothing shows NaN', async ({ page }) => {
    await page.goto(URL);
    const { status, widget, stage } = stepper(page);
    await widget.getByRole('button', { name: 'Next ▶' }).click();
    await expect(status).toContainText('Column 2 of 9');
    const before = await stateHTML(stage);
    for (const [field, value, message] of badInputs) {
      await test.step(`${field}: "${value}"`, async () => {
        const input = widget.getByLabel(field, { exact: true });
        const good = await input.inputValue();
        await input.fill(value);
        await expect(widget.getByRole('alert').filter({ hasText: message })).toBeVisible();
        await expect(input).toHaveAttribute('aria-invalid', 'true');
        expect(await stateHTML(stage)).toBe(before);
        await expect(status).toContainText('Column 2 of 9');
        await expect(widget).not.toContainText('NaN');
        await input.fill(good);
        await expect(widget.getByRole('alert')).toHaveCount(0);
        await expect(input).not.toHaveAttribute('aria-invalid', 'true');
        // Typing the good value back keeps the reader's place.
        await expect(status).toContainText('Column 2 of 9');
      });
    }
    // A kernel larger than the padded input: 1 x 1 input with padding 1 is 3 x 3, the kernel 4 x 4.
    await widget.getByLabel('Input n', { exact: true }).fill('1');
    await expect(status).toContainText('Column 1 of 1');
    await widget.getByLabel('Kernel k').fill('4');
    await expect(widget.getByRole('alert')).toContainText('The kernel 4x4 is wider than the padded input 3x3');
    await expect(status).toContainText('Column 1 of 1');
    // Incompatible sizes: 7 x 7 input, 1 x 1 kernel, padding 2, stride 1 make 121 windows.
    await widget.getByLabel('Example').selectOption('pointwise');
    await expect(status).toContainText('Column 1 of 9');
    await widget.getByLabel('Input n', { exact: true }).fill('7');
    await expect(status).toContainText('Column 1 of 49');
    await widget.getByLabel('Padding p', { exact: true }).fill('2');
    await expect(widget.getByRole('alert')).toContainText(
      'These sizes make 121 windows (11 × 11); the stepper shows at most 49',
    );
    await expect(status).toContainText('Column 1 of 49');
  });

  test('URL state: a shared link reopens the same sizes and column; a bad link value is explained', async ({
    page,
  }) => {
    await page.goto(URL);
    const { status, widget, stage } = stepper(page);
    await widget.getByLabel('Example').selectOption('dilated');
    await stage.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(status).toContainText('Column 3 of 9');
    await expect(page).toHaveURL(/ic\.d=2/);
    await expect(page).toHaveURL(/ic\.step=2/);
    const shared = page.url();
    await page.goto(shared);
    await expect(stepper(page).status).toContainText('Column 3 of 9: the window of output row 0, column 2');
    await expect(stepper(page).widget.getByLabel('Dilation d', { exact: true })).toHaveValue('2');
    await page.goto(`${URL}?ic.k=0`);
    await expect(stepper(page).widget.getByRole('alert')).toContainText(
      'The kernel size must be from 1 to 4; you gave 0',
    );
  });

  test('whole page: axe finds nothing in light and dark mode; desktop and phone screenshots', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(URL);
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch11-conv-as-matmul');
  });
});
