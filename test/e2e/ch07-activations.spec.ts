import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect, expectNoAxeViolations, screenshots, stateHTML } from './fixtures.ts';

const URL = '/chapters/relu-and-activations/';
const num = (s: string) => Number(s.replace('\u2212', '-'));

/** The viewer's announcement split into its parts. */
async function focused(
  page: Page,
): Promise<{ row: number; col: number; before: number; after: number; effect: string }> {
  const text = (await page.locator('#av').getByRole('status').textContent()) ?? '';
  const m = /Row (\d+), column (\d+): before (\S+), after .+ (\u2212?[\d.]+) \(([^()]+)\)\.$/.exec(text);
  expect(m, `status "${text}"`).not.toBeNull();
  return { row: Number(m![1]), col: Number(m![2]), before: num(m![3]!), after: num(m![4]!), effect: m![5]! };
}

function viewer(page: Page) {
  const widget = page.locator('#av');
  return {
    widget,
    status: widget.getByRole('status'),
    stage: widget.getByRole('group', { name: 'An activation applied to a real feature map' }),
    field: (name: string) => widget.getByRole('textbox', { name, exact: true }),
  };
}

/** The entries of a KaTeX bmatrix's TeX source (its annotation), as numbers. */
function lastVector(tex: string): number[] {
  const all = [...tex.matchAll(/\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}/g)];
  return all[all.length - 1]![1]!.split(/\\\\|&/).map((s) => Number(s.trim()));
}

test.describe('chapter 7: ReLU and activations', () => {
  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the collapse example, the plots and the first viewer state are static HTML', async ({ page }) => {
      await page.goto(URL);
      const annotations = await page
        .locator('.collapse annotation')
        .evaluateAll((els: Element[]) => els.map((e) => e.textContent ?? ''));
      expect(annotations).toHaveLength(7);
      // Two layers (equation 2) and the merged layer (equation 5) give the same y; with ReLU (equation 7) it differs.
      const [twoLayers, oneLayer, withRelu] = [annotations[1]!, annotations[4]!, annotations[6]!].map(lastVector);
      expect(oneLayer).toEqual(twoLayers);
      expect(withRelu).not.toEqual(twoLayers);
      // W = W2 W1 by hand from the TeX of the first two equations.
      const mats = (tex: string) =>
        [...tex.matchAll(/\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}/g)].map((m) =>
          m[1]!.split('\\\\').map((row) => row.split('&').map((v) => Number(v.trim()))),
        );
      const [w1, x] = mats(annotations[0]!);
      const [w2] = mats(annotations[1]!);
      const [w] = mats(annotations[2]!);
      const product = w2!.map((row) => w1![0]!.map((_, j) => row.reduce((a, v, k) => a + v * w1![k]![j]!, 0)));
      expect(w).toEqual(product);
      expect(x).toHaveLength(2);

      await expect(page.locator('.act-plots svg[role="img"]')).toHaveCount(4);
      await expect(page.locator('.vanish svg[role="img"]')).toHaveAttribute('aria-label', /after 20 layers/);
      // 0.25^10: sigmoid's best case through ten layers.
      await expect(page.locator('.prose')).toContainText(
        (0.25 ** 10)
          .toExponential(1)
          .replace(/e-(\d+)/, (_, e: string) => ` × 10⁻${[...e].map((c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)]).join('')}`),
      );
      await expect(page.locator('#av').getByRole('status')).toContainText('(negative, set to 0)');
      await expect(page.locator('#av img')).toHaveCount(3);
      // Chapter 4's sign convention (right minus left): the most negative cell, which the viewer focuses first, sits on
      // the right edge of a stroke, where the ink (bright) is on the left of the window and the background on the right.
      const digit = (
        JSON.parse(readFileSync('public/data/mnist/sample-digits.json', 'utf8')) as { digits: { pixels: number[] }[] }
      ).digits[0]!.pixels;
      const cell = await focused(page);
      const column = (c: number) => [0, 1, 2].reduce((s, r) => s + digit[(cell.row + r) * 28 + c]!, 0);
      expect(cell.before).toBeLessThan(0);
      expect(column(cell.col)).toBeGreaterThan(column(cell.col + 2));
      await expect(page.locator('.prose')).toContainText('so that is the left edge of each stroke');
    });
  });

  test('the viewer: arrow keys read cells; each activation changes the numbers as its formula says', async ({
    page,
  }) => {
    await page.goto(URL);
    const { widget, status, stage } = viewer(page);
    const start = await focused(page);
    expect(start.before).toBeLessThan(0);
    expect(start.after).toBe(0);
    await stage.focus();
    await page.keyboard.press('ArrowRight');
    await expect(status).toContainText(`Row ${start.row}, column ${start.col + 1}:`);
    await page.keyboard.press('ArrowUp');
    await expect(status).toContainText(`Row ${start.row - 1}, column ${start.col + 1}:`);
    await page.keyboard.press('Home');
    await expect(status).toContainText(`Row ${start.row - 1}, column 0:`);
    await page.keyboard.press('ArrowLeft');
    await expect(status).toContainText(`Row ${start.row - 1}, column 0:`);
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await expect(status).toContainText(`Row ${start.row + 1}, column 25:`);

    // ReLU leaves no negative number in the map: the summary counts them, the patch shows none.
    await widget.getByRole('radio', { name: 'ReLU', exact: true }).check();
    await expect(widget.locator('.av-summary')).toContainText(/ReLU sets all \d+ to 0/);
    await expect(widget.getByRole('table', { name: /^Values after ReLU/ })).not.toContainText('\u2212');

    // Back to the most negative cell, then each activation.
    await page.goto(URL);
    await widget.getByRole('radio', { name: 'Leaky ReLU' }).check();
    await expect(status).toContainText('after Leaky ReLU (slope 0.1)');
    let cell = await focused(page);
    expect(cell.after).toBeCloseTo(0.1 * start.before, 2);
    await viewer(page).field('Leaky ReLU slope').fill('0.5');
    await expect(status).toContainText('slope 0.5');
    cell = await focused(page);
    expect(cell.after).toBeCloseTo(0.5 * start.before, 2);
    await widget.getByRole('radio', { name: 'Sigmoid' }).check();
    cell = await focused(page);
    expect(cell.after).toBeCloseTo(1 / (1 + Math.exp(-start.before)), 2);
    await expect(widget.locator('.av-summary')).toContainText('none is negative after it');
    await widget.getByRole('radio', { name: 'tanh' }).check();
    cell = await focused(page);
    expect(cell.after).toBeCloseTo(Math.tanh(start.before), 2);
    await widget.getByRole('radio', { name: 'Identity' }).check();
    cell = await focused(page);
    expect(cell.after).toBe(cell.before);

    // A bias shifts every value before the activation.
    await widget.getByRole('radio', { name: 'ReLU', exact: true }).check();
    await viewer(page).field('Bias b').fill('4');
    cell = await focused(page);
    expect(cell.before).toBeCloseTo(start.before + 4, 2);
    expect(cell.after).toBeCloseTo(Math.max(0, start.before + 4), 2);
  });

  test('the viewer: another digit and kernel load; clicking a map reads that cell; the URL restores it', async ({
    page,
  }) => {
    await page.goto(URL);
    const { widget, status, field } = viewer(page);
    await field('MNIST sample').fill('3');
    await expect(widget.locator('.av-input figcaption')).toContainText('Input: sample 3 (a ');
    await widget.getByRole('radio', { name: 'horizontal edges' }).check();
    await expect(widget.locator('.av-panel figcaption').nth(1)).toContainText('horizontal edges');
    // The middle of the before-map's picture is cell (13, 13) of 26 x 26.
    const frame = widget.locator('.av-map .hm-frame').first();
    await frame.scrollIntoViewIfNeeded();
    const box = (await frame.boundingBox())!;
    await page.mouse.click(box.x + box.width * (13.5 / 26), box.y + box.height * (13.5 / 26));
    await expect(status).toContainText('Row 13, column 13:');
    await expect(page).toHaveURL(/av\.digit=3/);
    await expect(page).toHaveURL(/av\.kernel=horizontal/);

    await page.goto(`${URL}?av.digit=1&av.kernel=horizontal&av.act=tanh&av.alpha=0.2&av.bias=-1&av.row=5&av.col=6`);
    await expect(status).toContainText('Row 5, column 6:');
    await expect(status).toContainText('after tanh');
    await expect(widget.getByRole('radio', { name: 'tanh' })).toBeChecked();
    await expect(field('Bias b')).toHaveValue('-1');
    await expect(widget.locator('.av-input figcaption')).toContainText('Input: sample 1 (a ');
  });

  const badInputs: [field: string, value: string, message: RegExp][] = [
    ['MNIST sample', '', /Enter the sample number \(a whole number from 0 to 19\)/],
    ['MNIST sample', 'seven', /“seven” is not a number/],
    ['MNIST sample', '20', /The sample number must be from 0 to 19; you gave 20/],
    ['Bias b', '9', /The bias must be from -4 to 4; you gave 9/],
    ['Bias b', '', /Enter the bias/],
    ['Leaky ReLU slope', 'NaN', /“NaN” is not a number/],
    ['Leaky ReLU slope', '-0.5', /must be from 0 to 1; you gave -0.5/],
  ];
  // One page for all the bad values (a fresh page per value cost more than the checks). Each value starts from the
  // same state as a fresh page after one ArrowRight: the field is filled back with its good value and ArrowLeft
  // undoes the ArrowRight that proves the keys still work, and both are checked against that starting state.
  test('viewer: each bad value is explained beside its field and the maps stay', async ({ page }) => {
    await page.goto(URL);
    const { widget, status, field } = viewer(page);
    const stage = widget.locator('.stage');
    const good = new Map<string, string>();
    for (const [name] of badInputs) good.set(name, await field(name).inputValue());
    await stage.focus();
    await page.keyboard.press('ArrowRight');
    const html = await stateHTML(stage);
    const said = await status.textContent();
    for (const [name, value, message] of badInputs) {
      await test.step(`bad ${name}: "${value}"`, async () => {
        await expect(status).toHaveText(said ?? '');
        expect(await stateHTML(stage)).toBe(html);
        await field(name).fill(value);
        await expect(widget.getByRole('alert').filter({ hasText: message })).toBeVisible();
        await expect(field(name)).toHaveAttribute('aria-invalid', 'true');
        expect(await stateHTML(stage)).toBe(html);
        await expect(status).toHaveText(said ?? '');
        await expect(stage).not.toContainText('NaN');
        await stage.focus();
        await page.keyboard.press('ArrowRight');
        await expect(status).not.toHaveText(said ?? '');
        // Back to the starting state for the next value.
        await field(name).fill(good.get(name)!);
        await expect(field(name)).not.toHaveAttribute('aria-invalid', 'true');
        await expect(widget.getByRole('alert')).toHaveCount(0);
        await stage.focus();
        await page.keyboard.press('ArrowLeft');
        await expect(status).toHaveText(said ?? '');
        expect(await stateHTML(stage)).toBe(html);
      });
    }
  });

  test('self-check answers open on demand; axe finds nothing; screenshots', async ({ page }) => {
    test.setTimeout(180_000); // axe over the plots and tables is slow on a shared machine
    await page.goto(URL);
    const checks = page.locator('.self-check');
    expect(await checks.count()).toBeGreaterThanOrEqual(3);
    await checks.first().getByText('Show the answer').click();
    await expect(checks.first().locator('.answer')).toBeVisible();
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch07-activations');
  });
});
