import { test, expect, expectNoAxeViolations, expectNoAxeViolationsIn, screenshots, stateHTML } from './fixtures.ts';

const URL = '/chapters/fully-connected-softmax-loss/';
const DEFAULT_STATUS =
  'True class 1, T = 1: p1 = 0.24243. Gradient on z1: cross-entropy −0.75757, squared error −0.24677. ' +
  'The naive softmax would also work here.';

test.describe('chapter 9: fully connected layers, softmax and loss', () => {
  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the widget is complete in the static HTML: status, three charts and the numbers', async ({ page }) => {
      await page.goto(URL);
      const w = page.locator('#sm');
      await expect(w.getByRole('status')).toHaveText(DEFAULT_STATUS);
      await expect(
        w.getByRole('img', { name: /Bar chart of the softmax probabilities: p0 = 0.659, p1 = 0.242/ }),
      ).toBeVisible();
      await expect(w.getByRole('img', { name: /Bar chart of the gradients per logit/ })).toBeVisible();
      await expect(w.getByRole('img', { name: /Line chart of the gradient on the true logit/ })).toBeVisible();
      await expect(w.getByRole('table', { name: /Per class/ }).getByRole('row', { name: /1 ✓/ })).toHaveText(
        '1 ✓10.24243−0.75757−0.24677',
      );
    });
  });

  test('editing logits, true class and temperature recomputes numbers and charts', async ({ page }) => {
    await page.goto(URL);
    const w = page.locator('#sm');
    const status = w.getByRole('status');
    await expect(status).toHaveText(DEFAULT_STATUS);
    await w.getByRole('button', { name: 'Confidently wrong' }).click();
    await expect(status).toContainText('True class 2, T = 1: p2 = 4.54 × 10⁻⁵.');
    await expect(status).toContainText('cross-entropy −0.99995, squared error −9.07 × 10⁻⁵.');
    // Probabilities too small for three decimals keep two significant digits rather than reading as 0.
    await expect(w.getByRole('img', { name: /p0 = 1, p1 = 0\.00034, p2 = 0\.000045\./ })).toBeVisible();
    await w.getByLabel('Temperature slider').fill('2');
    await expect(w.getByLabel('Temperature T')).toHaveValue('2');
    await expect(status).toContainText('T = 2');
    await w.getByLabel('Temperature T').fill('0.5');
    await expect(w.getByLabel('Temperature slider')).toHaveValue('0.5');
    await w.getByLabel('Logits z').fill('1, 2, 3, 4');
    await w.getByLabel('True class y').fill('3');
    await expect(status).toContainText(
      'True class 3, T = 0.5: p3 = 0.86495. Gradient on z3: cross-entropy −0.27009, squared error −0.0557.',
    );
    await expect(w.getByRole('img', { name: /p3 = 0.865/ })).toBeVisible();
  });

  test('keyboard: arrows move the true logit and change the true class', async ({ page }) => {
    await page.goto(URL);
    const w = page.locator('#sm');
    await w.getByRole('group', { name: /Softmax, cross-entropy/ }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(w.getByLabel('Logits z')).toHaveValue('2, 1.5, 0.1');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(w.getByLabel('Logits z')).toHaveValue('2, 0.5, 0.1');
    await page.keyboard.press('ArrowUp');
    await expect(w.getByLabel('True class y')).toHaveValue('2');
    await expect(w.getByRole('status')).toContainText('True class 2');
    await page.keyboard.press('ArrowUp');
    await expect(w.getByLabel('True class y')).toHaveValue('0');
  });

  test('state is shared through the URL', async ({ page }) => {
    await page.goto(`${URL}?sm.logits=1,2,3,4&sm.label=3&sm.temperature=0.5`);
    const w = page.locator('#sm');
    await expect(w.getByLabel('Logits z')).toHaveValue('1,2,3,4');
    await expect(w.getByRole('status')).toContainText('True class 3, T = 0.5: p3 = 0.86495');
    await w.getByLabel('True class y').fill('0');
    await expect(page).toHaveURL(/sm\.label=0/);
  });

  const badInputs: [field: string, value: string, message: RegExp][] = [
    ['Logits z', '', /Enter the logits as numbers/],
    ['Logits z', '1, x, 3', /“x” \(entry 2 of the logits\) is not a number/],
    ['Logits z', '5', /needs at least 2 numbers; you gave 1/],
    ['Logits z', Array.from({ length: 11 }, (_, i) => i).join(','), /at most 10 numbers; you gave 11/],
    ['Logits z', '1e5, 0, 1', /between −10000 and 10000/],
    ['Logits z', '1, 2', /The true class must be from 0 to 1; you gave 1|from 0 to 1/],
    ['True class y', '', /Enter the true class/],
    ['True class y', 'cat', /“cat” is not a number/],
    ['True class y', '1.5', /must be a whole number/],
    ['True class y', '3', /from 0 to 2; you gave 3/],
    ['Temperature T', '', /Enter a temperature T from 0.01 to 100/],
    ['Temperature T', 'hot', /“hot” is not a number/],
    ['Temperature T', '0', /must be greater than 0 \(you gave 0\)/],
    ['Temperature T', '-1', /must be greater than 0 \(you gave -1\)/],
    ['Temperature T', '1000', /from 0.01 to 100; you gave 1000/],
  ];
  // One page for all the bad values (a fresh page per value cost more than the checks). Each value ends with Reset,
  // as before; the next one starts only once the fields, the status and the alerts are back to a fresh page's.
  test('bad input in each field shows a message and keeps the last good state; Reset restores the default', async ({
    page,
  }) => {
    await page.goto(URL);
    const w = page.locator('#sm');
    const fields = ['Logits z', 'True class y', 'Temperature T', 'Temperature slider'];
    const fresh = await Promise.all(fields.map((f) => w.getByLabel(f).inputValue()));
    for (const [field, value, message] of badInputs) {
      await test.step(`bad ${field}: "${value}"`, async () => {
        await expect(w.getByRole('status')).toHaveText(DEFAULT_STATUS);
        for (const [i, f] of fields.entries()) await expect(w.getByLabel(f)).toHaveValue(fresh[i]!);
        await expect(w.getByRole('alert')).toHaveCount(0);
        // A first good change, so the kept state is one the widget computed in the browser.
        await w.getByLabel('True class y').fill('2');
        await expect(w.getByRole('status')).toContainText('True class 2');
        // Charts redraw once Plot has loaded; wait for that so the comparison below sees the settled stage.
        await expect(
          w.getByRole('img', { name: /Bar chart of the softmax probabilities.*True class 2\./ }),
        ).toBeVisible();
        const before = await stateHTML(w.locator('.stage'));
        const status = await w.getByRole('status').textContent();
        const input = w.getByLabel(field);
        await input.fill(value);
        await expect(w.getByRole('alert').filter({ hasText: message })).toBeVisible();
        expect(await stateHTML(w.locator('.stage'))).toBe(before);
        await expect(w.getByRole('status')).toHaveText(status!);
        await expect(w.locator('.stage')).not.toContainText('NaN');
        await w.getByRole('button', { name: 'Reset' }).click();
        await expect(w.getByRole('status')).toHaveText(DEFAULT_STATUS);
        await expect(w.getByRole('alert').filter({ hasText: message })).toBeHidden();
      });
    }
  });

  test('axe finds no violations; screenshots at 1280 and 375 px', async ({ page }) => {
    test.setTimeout(480_000); // an axe sweep of a long page and one of its widget (slow on a shared 2-core machine)
    await page.goto(URL);
    // The prose is read first, on the fresh page, before anything changes it.
    const prose = page.locator('.prose');
    // The textbook softmax of (2, 1, 0.1).
    await expect(prose).toContainText('gives (0.659, 0.242, 0.099)');
    await expect(prose).toContainText('709.78 in float64');
    await expect(prose).toContainText('88.72 in float32');
    await expect(prose).toContainText('is −0.99995: nearly the largest push');
    const huge = page.getByRole('table', { name: /z = \(1000, 999, 998\)/ });
    await expect(huge.getByRole('row', { name: /naive, float64/ })).toContainText('(∞, ∞, ∞)');
    await expect(huge.getByRole('row', { name: /naive, float64/ })).toContainText('fails');
    await expect(huge.getByRole('row', { name: /max subtracted/ })).toContainText('(0.665, 0.245, 0.09)');
    const mid = page.getByRole('table', { name: /z = \(100, 98, 95\)/ });
    await expect(mid.getByRole('row', { name: /naive, float64/ })).toContainText('2.69 × 1043');
    await expect(mid.getByRole('row', { name: /naive, float64/ })).toContainText('(0.876, 0.118, 0.006)');
    await expect(mid.getByRole('row', { name: /naive, float32/ })).toContainText('undefined');
    await expect(huge).not.toContainText('NaN');
    await expect(mid).not.toContainText('NaN');
    // The dense example: the worked first row ends in the same z0 as the product's result vector.
    await expect(page.getByRole('table', { name: /Flattened x/ })).toContainText('10320211');
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch09-softmax-loss');
    const w = page.locator('#sm');
    await w.getByRole('button', { name: 'Huge logits' }).click();
    await w.getByLabel('Temperature T').fill('0');
    await expect(w.getByRole('alert').filter({ hasText: 'greater than 0' })).toBeVisible();
    // Only the widget changed since the sweep above.
    await expectNoAxeViolationsIn(page, '#sm');
    await w.scrollIntoViewIfNeeded();
    await screenshots(page, 'ch09-softmax-loss-huge');
  });
});
