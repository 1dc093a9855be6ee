import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, expectNoAxeViolationsIn, screenshots, stateHTML } from './fixtures.ts';

const URL = '/chapters/convolution-2d/';
// The literature's worked example: this image and X kernel give [[4,3,4],[2,4,3],[2,3,4]].
const EXPECTED = [4, 3, 4, 2, 4, 3, 2, 3, 4];
/** A bad value as a step title shows it: one line, long ones cut (with their length, so each stays distinct). */
const shown = (v: string) => (v.length > 40 ? `${v.slice(0, 40)}… (${v.length} chars)` : v).replace(/\n/g, '⏎');

function widgetOf(page: Page) {
  const widget = page.locator('#c2');
  return {
    widget,
    status: widget.getByRole('status'),
    stage: widget.getByRole('group', { name: 'Step through a 2D convolution' }),
    input: widget.getByRole('textbox', { name: 'Input x', exact: true }),
    kernel: widget.getByRole('textbox', { name: 'Kernel w', exact: true }),
    seed: widget.getByRole('textbox', { name: 'Seed', exact: true }),
  };
}

test.describe('chapter 3: 2D convolution by hand', () => {
  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the worked example is in the static HTML, computed at build time', async ({ page }) => {
      await page.goto(URL);
      const { widget, status } = widgetOf(page);
      await expect(status).toHaveText(
        'Step 1 of 9: y[0,0] = 1 × 1 + 1 × 0 + 1 × 1 + 0 × 0 + 1 × 1 + 1 × 0 + 0 × 1 + 0 × 0 + 1 × 1 = 4.',
      );
      await expect(widget.locator('.formula .katex')).toBeVisible();
      // The prose's result matrix (KaTeX lays a matrix out column by column, so its text reads down the columns).
      const matrix = await page.locator('.prose .computed-tex').first().innerText();
      const byColumns = [0, 1, 2].flatMap((j) => [0, 1, 2].map((i) => EXPECTED[i * 3 + j]));
      expect(matrix.replace(/[^0-9]/g, '')).toContain(byColumns.join(''));
      // Self-check answers are native <details>: they open without JavaScript.
      const first = page.locator('.self-check').first();
      await expect(first.locator('.answer')).toBeHidden();
      await first.getByText('Show the answer').click();
      await expect(first.locator('.answer')).toBeVisible();
      expect(await page.locator('.self-check').count()).toBeGreaterThanOrEqual(3);
    });
  });

  test('stepping by keyboard gives every output of the worked example', async ({ page }) => {
    await page.goto(URL);
    const { widget, status, stage } = widgetOf(page);
    await stage.focus();
    for (let s = 1; s < EXPECTED.length; s++) {
      await page.keyboard.press('ArrowRight');
      const [i, j] = [Math.floor(s / 3), s % 3];
      await expect(status).toContainText(`Step ${s + 1} of 9: y[${i},${j}] =`);
      await expect(status).toContainText(`= ${EXPECTED[s]}.`);
    }
    const grid = widget.getByRole('table', { name: /Output y, 3 by 3/ });
    await expect(grid).toHaveText(EXPECTED.join(''));
    await page.keyboard.press('ArrowUp');
    await expect(status).toContainText('Step 6 of 9: y[1,2]');
    await page.keyboard.press('Home');
    await expect(status).toContainText('Step 1 of 9');
    await page.keyboard.press('End');
    await expect(status).toContainText('Step 9 of 9: y[2,2]');
    await page.keyboard.press('ArrowLeft');
    await expect(status).toContainText('Step 8 of 9: y[2,1]');
    // The formula names each product with its indices and its numbers.
    await expect(widget.locator('.formula')).toContainText('x[2,1]w[0,0]');
  });

  test('the output grid: arrow keys choose a cell, Enter and clicks jump to it', async ({ page }) => {
    await page.goto(URL);
    const { widget, status } = widgetOf(page);
    const first = widget.getByRole('button', { name: 'y[0,0] = 4' });
    await first.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect(widget.getByRole('button', { name: /y\[1,1\], not computed yet/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(status).toContainText('Step 5 of 9: y[1,1] =');
    await expect(status).toContainText(`= ${EXPECTED[4]}.`);
    // Focus stays on the cell the reader chose, now showing its value.
    await expect(widget.getByRole('button', { name: `y[1,1] = ${EXPECTED[4]}` })).toBeFocused();
    await widget.getByRole('button', { name: /y\[2,0\], not computed yet/ }).click();
    await expect(status).toContainText(`Step 7 of 9: y[2,0] = `);
    await expect(status).toContainText(`= ${EXPECTED[6]}.`);
    // The window sits on rows 2-4, columns 0-2 of the input: nine highlighted cells.
    await expect(widget.locator('.panel.input td.on')).toHaveCount(9);
  });

  test('buttons step, play and reset', async ({ page }) => {
    await page.goto(URL);
    const { widget, status } = widgetOf(page);
    await widget.getByRole('button', { name: 'Next ▶' }).click();
    await expect(status).toContainText('Step 2 of 9');
    await widget.getByRole('button', { name: '◀ Back' }).click();
    await expect(status).toContainText('Step 1 of 9');
    await widget.getByRole('button', { name: 'Next ▶' }).click();
    await widget.getByRole('button', { name: 'Reset' }).click();
    await expect(status).toContainText('Step 1 of 9');
    await page.goto(`${URL}?c2.step=6`);
    await widget.getByRole('button', { name: 'Play' }).click();
    await expect(widget.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
    await expect(status).toContainText('Step 9 of 9', { timeout: 6000 });
    await expect(widget.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'false');
  });

  test('the random preset is seeded: same seed, same numbers; other seed, other numbers', async ({ page }) => {
    await page.goto(URL);
    const { widget, status, input, kernel, seed } = widgetOf(page);
    await seed.fill('7');
    await widget.getByRole('button', { name: 'Random integers' }).click();
    await expect(status).toContainText('Random whole numbers from seed 7');
    const x7 = await input.inputValue();
    const w7 = await kernel.inputValue();
    expect(x7.split('\n')).toHaveLength(5);
    expect(x7.split(/\s+/).every((v) => /^[0-9]$/.test(v))).toBe(true);
    expect(w7.split(/\s+/).every((v) => ['-2', '-1', '0', '1', '2'].includes(v))).toBe(true);
    expect(page.url()).toContain('c2.seed=7');
    await widget.getByRole('button', { name: 'Worked example' }).click();
    await expect(status).toContainText('Worked example. Step 1 of 9');
    await widget.getByRole('button', { name: 'Random integers' }).click();
    await expect(input).toHaveValue(x7);
    await expect(kernel).toHaveValue(w7);
    await seed.fill('8');
    await widget.getByRole('button', { name: 'Random integers' }).click();
    await expect(status).toContainText('seed 8');
    expect(await input.inputValue()).not.toBe(x7);
  });

  test('state is shared through the URL', async ({ page }) => {
    await page.goto(`${URL}?c2.x=1,2,3;4,5,6;7,8,9&c2.w=1,0;0,-1&c2.kind=cross-correlation&c2.step=3`);
    const { widget, status, input } = widgetOf(page);
    await expect(input).toHaveValue('1 2 3\n4 5 6\n7 8 9');
    await expect(status).toHaveText('Step 4 of 4: y[1,1] = 5 × 1 + 6 × 0 + 8 × 0 + 9 × (−1) = −4.');
    await widget.getByRole('button', { name: '◀ Back' }).click();
    await expect(status).toHaveText('Step 3 of 4: y[1,0] = 4 × 1 + 5 × 0 + 7 × 0 + 8 × (−1) = −4.');
    const params = new globalThis.URL(page.url()).searchParams;
    expect(params.get('c2.step')).toBe('2');
    expect(params.get('c2.w')).toBe('1,0;0,-1');
    // The shared link stays readable: rows separated by a plain ';', not %3B.
    expect(page.url()).toContain('c2.w=1,0;0,-1');
  });

  const rows = (n: number, cols: number) =>
    Array.from({ length: n }, () => Array.from({ length: cols }, () => '1').join(' ')).join('\n');
  const badInputs: [field: 'Input x' | 'Kernel w' | 'Seed', value: string, message: RegExp, errorField?: string][] = [
    ['Input x', '', /Enter the input x: one row per line/],
    ['Input x', '1 2 3\n4 x 6\n7 8 9', /“x” \(entry 2 of row 2 of the input x\) is not a number/],
    ['Kernel w', '1 0\n0 NaN', /“NaN” \(entry 2 of row 2 of the kernel w\) is not a finite number/],
    ['Input x', '1 2 3\n4 5\n7 8 9', /Row 2 of the input x has 2 entries but row 1 has 3/],
    ['Input x', rows(13, 5), /The input x can have at most 12 rows; you gave 13/],
    ['Input x', rows(5, 13), /Row 1 of the input x can have at most 12 numbers; you gave 13/],
    ['Kernel w', rows(6, 3), /The kernel w can have at most 5 rows; you gave 6/],
    ['Kernel w', rows(3, 6), /Row 1 of the kernel w can have at most 5 numbers; you gave 6/],
    ['Input x', '1 2\n3 4', /The kernel \(3 × 3\) is larger than the input \(2 × 2\)/, 'Kernel w'],
    ['Seed', '-1', /The seed must be from 0 to 999999999; you gave -1/],
    ['Seed', 'abc', /“abc” is not a number/],
  ];
  // One page for every bad value: each case starts from the worked example on step 2 and ends by typing the
  // field's good value back, which re-applies the worked example on step 1 (the stepper restarts on any edit).
  test('bad input shows a message beside the field and keeps the last state', async ({ page }) => {
    await page.goto(URL);
    const { widget, status } = widgetOf(page);
    const stage = widget.locator('.stage');
    await expect(widget.getByRole('alert')).toHaveCount(0);
    let start: string | undefined;
    for (const [field, value, message, errorField = field] of badInputs) {
      await test.step(`bad ${field}: "${shown(value)}"`, async () => {
        await widget.getByRole('button', { name: 'Next ▶' }).click();
        await expect(status).toContainText('Step 2 of 9: y[0,1] =');
        await expect(status).toContainText(`= ${EXPECTED[1]}.`);
        const before = await stateHTML(stage);
        // Every case starts from the same stage as the first one.
        start ??= before;
        expect(before).toBe(start);
        const input = widget.getByRole('textbox', { name: field, exact: true });
        const good = await input.inputValue();
        await input.fill(value);
        await expect(widget.getByRole('alert').filter({ hasText: message })).toBeVisible();
        await expect(widget.getByRole('textbox', { name: errorField, exact: true })).toHaveAttribute(
          'aria-invalid',
          'true',
        );
        expect(await stateHTML(stage)).toBe(before);
        await expect(stage).not.toContainText('NaN');
        await expect(status).not.toContainText('NaN');
        await widget.getByRole('button', { name: 'Next ▶' }).click();
        await expect(status).toContainText('Step 3 of 9');
        // Back to the known good state for the next case.
        await input.fill(good);
        await expect(widget.getByRole('alert')).toHaveCount(0);
        await expect(input).not.toHaveAttribute('aria-invalid', 'true');
        await expect(widget.getByRole('textbox', { name: errorField, exact: true })).not.toHaveAttribute(
          'aria-invalid',
          'true',
        );
        await expect(status).toContainText('Step 1 of 9: y[0,0] =');
        await expect(status).toContainText(`= ${EXPECTED[0]}.`);
      });
    }
  });

  // Each state is its own test: axe and full-page screenshots are slow on a busy two-core machine.
  test('axe finds no violations; screenshots at 1280 and 375 px (worked example)', async ({ page }) => {
    test.slow();
    await page.goto(URL);
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch03-convolution-2d');
  });

  test('axe finds no violations in the stepper; screenshots at 1280 and 375 px (convolution, edge kernel)', async ({
    page,
  }) => {
    test.slow();
    await page.goto(`${URL}?c2.kind=convolution&c2.w=1,0,-1;1,0,-1;1,0,-1&c2.step=4#c2`);
    await expect(widgetOf(page).status).toContainText('Step 5 of 9');
    // The page around the stepper is the one swept above: only the stepper changed.
    await expectNoAxeViolationsIn(page, '#c2');
    await screenshots(page, 'ch03-convolution-2d-conv');
  });
});
