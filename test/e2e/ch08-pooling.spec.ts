import { test, expect, expectNoAxeViolations, expectNoAxeViolationsIn, screenshots, stateHTML } from './fixtures.ts';
import type { Locator, Page } from '@playwright/test';

const URL = '/chapters/pooling/';

function stepper(page: Page, id = 'p1'): Locator {
  return page.locator(`#${id}`);
}

test.describe('chapter 8: pooling', () => {
  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the first window is in the static HTML (no JavaScript needed)', async ({ page }) => {
      await page.goto(URL);
      await expect(stepper(page).getByRole('status')).toHaveText(
        'Window 1 of 4, forward: y[0, 0] = max of 1, 1, 5, 6 = 6 at x[1, 1].',
      );
      await expect(stepper(page).locator('.calc')).toHaveText('y[0, 0] = max(1, 1, 5, 6) = 6');
      await expect(stepper(page, 'p2').getByRole('status')).toContainText('Window 1 of 16, forward');
      await expect(page.locator('#sh').getByRole('status')).toContainText('Max pool: 31 of 46 values with ink changed');
    });
  });

  test('stepping by keyboard walks the CS231n example window by window', async ({ page }) => {
    await page.goto(URL);
    const w = stepper(page);
    const status = w.getByRole('status');
    await w.getByRole('group', { name: 'Step through pooling' }).focus();
    const expected = [
      'y[0, 1] = max of 2, 4, 7, 8 = 8 at x[1, 3].',
      'y[1, 0] = max of 3, 2, 1, 2 = 3 at x[2, 0].',
      'y[1, 1] = max of 1, 0, 3, 4 = 4 at x[3, 3].',
    ];
    for (const [i, text] of expected.entries()) {
      await page.keyboard.press('ArrowRight');
      await expect(status).toHaveText(`Window ${i + 2} of 4, forward: ${text}`);
    }
    await expect(w.getByRole('table', { name: /Output y = max pool/ }).locator('tbody')).toHaveText('068134');
    await page.keyboard.press('Home');
    await expect(status).toContainText('Window 1 of 4');
    await page.keyboard.press('End');
    await expect(status).toContainText('Window 4 of 4');
    await page.keyboard.press('ArrowLeft');
    await expect(status).toContainText('Window 3 of 4');
    await w.getByRole('radio', { name: 'avg' }).check();
    await expect(status).toHaveText('Window 3 of 4, forward: y[1, 0] = average of 3, 2, 1, 2 = 2.');
    await w.getByRole('radio', { name: 'sum' }).check();
    await expect(status).toHaveText('Window 3 of 4, forward: y[1, 0] = sum of 3, 2, 1, 2 = 8.');
    await w.getByRole('button', { name: 'First window' }).click();
    await expect(status).toHaveText('Window 1 of 4, forward: y[0, 0] = sum of 1, 1, 5, 6 = 13.');
  });

  test('window and stride change the output size; cells no window reads are reported', async ({ page }) => {
    await page.goto(URL);
    const w = stepper(page);
    await w.getByLabel('Window size').fill('3');
    await w.getByLabel('Stride').fill('1');
    await expect(w.locator('.fit')).toContainText('Output 2 × 2: ⌊(4 − 3) / 1⌋ + 1 = 2 per side.');
    await expect(w.getByRole('status')).toHaveText(
      'Window 1 of 4, forward: y[0, 0] = max of 1, 1, 2, 5, 6, 7, 3, 2, 1 = 7 at x[1, 2].',
    );
    await w.getByLabel('Input map x').fill('1 2 3 4 5\n6 7 8 9 10\n1 1 1 1 1\n2 2 2 2 2\n0 0 0 0 9');
    await w.getByLabel('Window size').fill('2');
    await w.getByLabel('Stride').fill('2');
    await expect(w.locator('.fit')).toContainText('Dashed cells are never read');
    await expect(w.locator('td.skip')).toHaveCount(9);
  });

  test('backward: max routes each gradient to its argmax, avg spreads it evenly', async ({ page }) => {
    await page.goto(URL);
    const w = stepper(page);
    const status = w.getByRole('status');
    await w.getByRole('radio', { name: 'backward' }).check();
    await expect(status).toHaveText(
      'Window 1 of 4, backward: dy[0, 0] = 1 goes to x[1, 1], where the maximum 6 was; the other 3 cells get 0.',
    );
    await w.getByRole('textbox', { name: 'Upstream gradient dy' }).fill('3 1\n2 5');
    await expect(status).toContainText('dy[0, 0] = 3 goes to x[1, 1]');
    await w.getByRole('group', { name: 'Step through pooling' }).focus();
    await page.keyboard.press('End');
    const dx = w.getByRole('table', { name: 'dx after 4 of 4 windows' });
    // Rows of dx: the gradients sit exactly where the maxima were (6 at [1,1], 8 at [1,3], 3 at [2,0], 4 at [3,3]).
    await expect(dx.locator('tbody tr').nth(1)).toHaveText('10301');
    await expect(dx.locator('tbody tr').nth(2)).toHaveText('22000');
    await expect(dx.locator('tbody tr').nth(3)).toHaveText('30005');
    await expect(
      w
        .getByRole('table', { name: /Index mask/ })
        .locator('tbody tr')
        .nth(1),
    ).toHaveText('10101');
    await w.getByRole('radio', { name: 'avg' }).check();
    await expect(status).toHaveText(
      'Window 4 of 4, backward: dy[1, 1] = 5 is shared evenly: 5 / 4 = 1.25 to each of the 4 cells.',
    );
    await expect(w.getByRole('table', { name: 'dx after 4 of 4 windows' }).locator('tbody tr').nth(3)).toHaveText(
      '30.50.51.251.25',
    );
  });

  test('a real digit feature map loads and pools', async ({ page }) => {
    await page.goto(URL);
    const w = stepper(page, 'p2');
    await w.getByLabel('Or a real feature map').selectOption('1');
    await w.getByRole('button', { name: 'Load its edge map' }).click();
    await expect(w.getByRole('status')).toContainText('Loaded the edge map of digit 1 (a 2)');
    await expect(w.getByRole('status')).toContainText('Window 1 of 16, forward');
    expect((await w.getByLabel('Input map x').inputValue()).split('\n')).toHaveLength(8);
    await expect(w.locator('.stage')).not.toContainText('NaN');
  });

  test('state is shared through the URL', async ({ page }) => {
    await page.goto(`${URL}?p1.x=1,2;3,4&p1.kind=avg&p1.size=2&p1.stride=2&p1.dir=forward&p1.step=0`);
    const w = stepper(page);
    await expect(w.getByRole('status')).toHaveText('Window 1 of 1, forward: y[0, 0] = average of 1, 2, 3, 4 = 2.5.');
    await expect(w.getByRole('radio', { name: 'avg' })).toBeChecked();
    await w.getByRole('radio', { name: 'max' }).check();
    await expect(page).toHaveURL(/p1\.kind=max/);
    await page.goto(`${URL}?sh.right=-2&sh.down=1&sh.size=3&sh.source=edges`);
    await expect(page.locator('#sh').getByRole('status')).toContainText(
      'Input shifted 2 pixels left and 1 pixel down, window 3 × 3.',
    );
    await expect(page.locator('#sh').getByRole('radio', { name: 'its edge map' })).toBeChecked();
  });

  const badInputs: [field: string, value: string, message: RegExp][] = [
    ['Input map x', '', /Enter the input map/],
    ['Input map x', '1 2\n3 x', /“x” \(entry 2 of row 2 of the input map\) is not a number/],
    ['Input map x', '1 2 3\n4 5', /Row 2 of the input map has 2 entries but row 1 has 3/],
    ['Input map x', Array.from({ length: 9 }, () => '1 2').join('\n'), /at most 8 rows; you gave 9/],
    ['Window size', '', /Enter the window size/],
    ['Window size', 'two', /“two” is not a number/],
    ['Window size', '2.5', /must be a whole number/],
    ['Window size', '5', /A 5 × 5 window does not fit in the 4 × 4 map/],
    ['Stride', '0', /The stride must be from 1 to 8; you gave 0/],
    ['Stride', '-1', /The stride must be from 1 to 8; you gave -1/],
  ];
  // One page for all the bad values (a fresh page per value cost more than the checks). Each value starts from the
  // same state as a fresh page after one Next: the field is filled back with its good value (which starts the
  // windows over) and Next is clicked once more; both are checked against that starting state.
  test('bad input in each field shows a message beside it and keeps the last good state', async ({ page }) => {
    await page.goto(URL);
    const w = stepper(page);
    const status = w.getByRole('status');
    const good = new Map<string, string>();
    for (const [field] of badInputs) good.set(field, await w.getByLabel(field).inputValue());
    await w.getByRole('button', { name: 'Next ▶' }).click();
    const start = await stateHTML(w.locator('.stage'));
    const said = await status.textContent();
    for (const [field, value, message] of badInputs) {
      await test.step(`bad ${field}: "${value.replace(/\n/g, '\\n')}"`, async () => {
        await expect(status).toHaveText(said!);
        const before = await stateHTML(w.locator('.stage'));
        expect(before).toBe(start);
        const input = w.getByLabel(field);
        await input.fill(value);
        await expect(w.getByRole('alert').filter({ hasText: message })).toBeVisible();
        await expect(input).toHaveAttribute('aria-invalid', 'true');
        expect(await stateHTML(w.locator('.stage'))).toBe(before);
        await expect(w.locator('.stage')).not.toContainText('NaN');
        await expect(status).not.toContainText('NaN');
        await w.getByRole('button', { name: 'Next ▶' }).click();
        await expect(status).toContainText('Window 3 of 4');
        // Back to the starting state for the next value.
        await input.fill(good.get(field)!);
        await expect(input).not.toHaveAttribute('aria-invalid', 'true');
        await expect(w.getByRole('alert')).toHaveCount(0);
        await expect(status).toContainText('Window 1 of 4');
        await w.getByRole('button', { name: 'Next ▶' }).click();
      });
    }
    // The gradient field only shows in the backward pass; it starts, like a fresh page, from the first window.
    await test.step('bad Upstream gradient dy: "1 2 3"', async () => {
      await expect(status).toHaveText(said!);
      await w.getByRole('button', { name: 'First window' }).click();
      await expect(status).toContainText('Window 1 of 4, forward');
      await w.getByRole('radio', { name: 'backward' }).check();
      const before = await status.textContent();
      await w.getByRole('textbox', { name: 'Upstream gradient dy' }).fill('1 2 3');
      await expect(
        w.getByRole('alert').filter({ hasText: "must have y's shape, 2 × 2; you gave 1 × 3" }),
      ).toBeVisible();
      await expect(status).toHaveText(before!);
    });
  });

  test('shift demo: arrow keys move the digit, counts update, limits are explained', async ({ page }) => {
    await page.goto(URL);
    const sh = page.locator('#sh');
    const status = sh.getByRole('status');
    await expect(status).toContainText('average pool: 45 of 46 changed');
    await sh.getByRole('group', { name: 'Move the input, compare the pooled maps' }).focus();
    await page.keyboard.press('Home');
    await expect(status).toContainText('Input not shifted');
    await expect(status).toContainText('Max pool: 0 of');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect(status).toContainText('shifted 3 pixels down');
    await page.keyboard.press('ArrowDown');
    await expect(sh.getByRole('alert').filter({ hasText: 'at most 3 pixels each way' })).toBeVisible();
    await expect(status).toContainText('shifted 3 pixels down');
    await sh.getByRole('button', { name: 'Shift up one pixel' }).click();
    await expect(status).toContainText('shifted 2 pixels down');
    await expect(sh.getByRole('alert').filter({ hasText: 'at most 3' })).toBeHidden();
    await sh.getByLabel('Digit', { exact: true }).selectOption('2');
    // The other digit is fetched (same origin) and pooled in the browser; the URL follows once it is shown.
    await expect(page).toHaveURL(/sh\.digit=2/);
    await expect(sh.getByRole('img', { name: /The input, shifted 2 pixels down/ })).toBeVisible();
    for (const [value, message] of [
      ['0', /from 1 to 7; you gave 0/],
      ['8', /from 1 to 7; you gave 8/],
      ['', /Enter the window size/],
      ['x', /“x” is not a number/],
    ] as const) {
      const before = await status.textContent();
      await sh.getByLabel('Window size').fill(value);
      await expect(sh.getByRole('alert').filter({ hasText: message })).toBeVisible();
      await expect(status).toHaveText(before!);
    }
    await expect(sh.locator('.stage')).not.toContainText('NaN');
  });

  test('axe finds no violations; screenshots at 1280 and 375 px', async ({ page }) => {
    test.setTimeout(480_000); // an axe sweep of a long page and one of its steppers (slow on a shared 2-core machine)
    await page.goto(URL);
    // The prose is read first, on the fresh page, before anything changes it.
    const prose = page.locator('.prose');
    // 28 -> 14 windows per side (2x2, s=2); AlexNet 55 -> 27 (3x3, s=2).
    await expect(prose).toContainText('there are 14 windows per side');
    await expect(prose).toContainText('that gives 27 per side');
    // The standard LeNet-5's first maps and dense layer, from the lab preset's summary.
    await expect(prose).toContainText('a volume of 28 × 28 × 6, and suppose they were flattened');
    await expect(prose).toContainText('dense layer of 120 units');
    const table = page.getByRole('table', { name: /Dense-layer size after pooling/ });
    await expect(table.getByRole('row', { name: /none/ })).toContainText('4,704');
    await expect(table.getByRole('row', { name: /none/ })).toContainText('564,600');
    await expect(table.getByRole('row', { name: /2 × 2/ })).toContainText('141,240');
    await expect(table.getByRole('row', { name: /4 × 4/ })).toContainText('35,400');
    expect(await page.locator('.prose .katex').count()).toBeGreaterThan(8);
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch08-pooling');
    await stepper(page).getByRole('radio', { name: 'backward' }).check();
    await stepper(page, 'p2').getByRole('radio', { name: 'backward' }).check();
    await stepper(page).getByLabel('Window size').fill('5');
    await expect(stepper(page).getByRole('alert').filter({ hasText: 'does not fit' })).toBeVisible();
    // Only the two steppers changed since the sweep above.
    await expectNoAxeViolationsIn(page, '#p1', '#p2');
    await stepper(page).locator('.stage').scrollIntoViewIfNeeded();
    await screenshots(page, 'ch08-pooling-backward');
  });
});
