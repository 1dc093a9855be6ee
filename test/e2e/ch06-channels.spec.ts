import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, screenshots, stateHTML } from './fixtures.ts';

const URL = '/chapters/channels-and-filters/';
const minus = (n: number) => String(n).replace('-', '\u2212');

/** Textbook multi-channel cross-correlation with zero padding, written independently of the engine. */
function naiveConv(
  x: number[],
  w: number[],
  b: number[],
  d: { n: number; C: number; K: number; k: number; p: number; s: number },
): { y: number[]; out: number } {
  const out = Math.floor((d.n + 2 * d.p - d.k) / d.s) + 1;
  const y: number[] = [];
  for (let f = 0; f < d.K; f++)
    for (let i = 0; i < out; i++)
      for (let j = 0; j < out; j++) {
        let sum = b[f]!;
        for (let c = 0; c < d.C; c++)
          for (let u = 0; u < d.k; u++)
            for (let v = 0; v < d.k; v++) {
              const r = i * d.s + u - d.p;
              const q = j * d.s + v - d.p;
              if (r >= 0 && r < d.n && q >= 0 && q < d.n)
                sum += w[((f * d.C + c) * d.k + u) * d.k + v]! * x[(c * d.n + r) * d.n + q]!;
            }
        y.push(sum);
      }
  return { y, out };
}

function stepper(page: Page) {
  const widget = page.locator('#mc');
  return {
    widget,
    status: widget.getByRole('status'),
    stage: widget.getByRole('group', { name: 'Step through a multi-channel convolution' }),
  };
}

/** The numbers the stepper is showing, read from its editor (one text area per channel and kernel). */
async function editorValues(page: Page): Promise<{ x: number[]; w: number[]; b: number[] }> {
  const widget = page.locator('#mc');
  const read = async (sel: string) =>
    (await widget.locator(sel).evaluateAll((els: Element[]) => els.map((e) => (e as HTMLTextAreaElement).value)))
      .join(' ')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  return {
    x: await read('textarea[data-field="x"]'),
    w: await read('textarea[data-field="w"]'),
    b: (await widget.getByRole('textbox', { name: /^Biases/, includeHidden: true }).inputValue())
      .split(/[\s,]+/)
      .map(Number),
  };
}

test.describe('chapter 6: channels and filters', () => {
  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the worked example and the parameter counts are computed into the static HTML', async ({ page }) => {
      await page.goto(URL);
      const prose = page.locator('.prose');
      // 5x5x3 input, two 3x3x3 filters, padding 1, stride 2.
      const side = Math.floor((5 + 2 * 1 - 3) / 2) + 1;
      await expect(prose).toContainText(`${side}×${side}×2`);
      await expect(prose).toContainText((784 * 256 + 256).toLocaleString('en-US'));
      // Shapes of the named 3x3 LeNet from its preset, and three 3x3 layers against one 7x7 (C = 64, with biases).
      await expect(prose).toContainText('stack of six feature maps, 26 × 26 × 6');
      await expect(prose).toContainText('read the final 5 × 5 × 16 volume');
      await expect(prose).toContainText(
        `${(3 * (64 * 64 * 9 + 64)).toLocaleString('en-US')} parameters against ${(64 * 64 * 49 + 64).toLocaleString('en-US')}`,
      );
      // LeNet with 3x3 kernels: 28 -> 26 -> 13 -> 11 -> 5, then 400 -> 120 -> 84 -> 10.
      const counts = [6 * (1 * 9 + 1), 16 * (6 * 9 + 1), 400 * 120 + 120, 120 * 84 + 84, 84 * 10 + 10];
      const table = page.getByRole('table', { name: /LeNet-5 with 3×3 kernels/ });
      for (const c of counts) await expect(table).toContainText(c.toLocaleString('en-US'));
      await expect(table.getByRole('row', { name: /total/ })).toContainText(
        counts.reduce((a, c) => a + c, 0).toLocaleString('en-US'),
      );
      await expect(stepper(page).status).toContainText('Step 1 of 72: y[0, 0, 0], input channel 0:');
      await expect(page.locator('#pc').getByRole('status')).toContainText('784 × 256 + 256 = 200,960');
    });
  });

  test('stepping by keyboard walks an output channel by channel; at the end every output matches a naive convolution', async ({
    page,
  }) => {
    await page.goto(URL);
    const { widget, status, stage } = stepper(page);
    const { x, w, b } = await editorValues(page);
    const dims = { n: 5, C: 3, K: 2, k: 3, p: 1, s: 2 };
    const { y, out } = naiveConv(x, w, b, dims);
    expect(out * out * dims.K * (dims.C + 1)).toBe(72);
    await stage.focus();
    // The first output, one input channel at a time, then its bias and value.
    for (let c = 1; c <= dims.C; c++) {
      await page.keyboard.press('ArrowRight');
      if (c < dims.C) await expect(status).toContainText(`Step ${c + 1} of 72: y[0, 0, 0], input channel ${c}:`);
      else
        await expect(status).toHaveText(
          new RegExp(`^Step 4 of 72: y\\[0, 0, 0\\] = .* \\+ bias \\(?${minus(b[0]!)}\\)? = ${minus(y[0]!)}\\.$`),
        );
    }
    await page.keyboard.press('ArrowRight');
    await expect(status).toContainText('Step 5 of 72: y[0, 0, 1], input channel 0:');
    await page.keyboard.press('End');
    // At the last step every output is filled in, channel 0 then channel 1: each equals the naive convolution.
    for (let f = 0; f < dims.K; f++) {
      const table = widget.getByRole('table', { name: `Output channel ${f} (from filter ${f})` });
      await expect(table.locator('tbody td')).toHaveText(y.slice(f * 9, (f + 1) * 9).map(minus));
    }
    await page.keyboard.press('Home');
    await expect(status).toContainText('Step 1 of 72');
    await page.keyboard.press('ArrowDown');
    await expect(status).toContainText('Step 5 of 72: y[0, 0, 1], input channel 0');
    await page.keyboard.press('ArrowUp');
    await expect(status).toContainText('Step 1 of 72');
    await page.keyboard.press('End');
    await expect(status).toContainText('Step 72 of 72: y[1, 2, 2] =');
    await widget.getByRole('button', { name: '◀ Back' }).click();
    await expect(status).toContainText('Step 71 of 72: y[1, 2, 2], input channel 2');
    await widget.getByRole('button', { name: 'Reset' }).click();
    await widget.getByRole('button', { name: 'Next output ▶▶' }).click();
    await expect(status).toContainText('Step 5 of 72: y[0, 0, 1]');
    // The sums table shows the partial sum of channel 0 and waits for the others.
    await expect(widget.getByRole('table', { name: /one partial sum per input channel/ })).toContainText('…');
  });

  test('presets, seed and sizes recompute; a shared link restores everything', async ({ page }) => {
    await page.goto(URL);
    const { widget, status } = stepper(page);
    await widget
      .getByRole('combobox', { name: 'Example' })
      .selectOption({ label: '1×1 filters: mixing channels only' });
    // 4x4x3 input, two 1x1x3 filters: a 4x4x2 output, four steps per output.
    await expect(status).toContainText(`Step 1 of ${4 * 4 * 2 * 4}: y[0, 0, 0], input channel 0`);
    await expect(widget.getByRole('textbox', { name: 'Kernel size', exact: true })).toHaveValue('1');
    const seed = widget.getByRole('textbox', { name: 'Seed', exact: true });
    const before = await editorValues(page);
    await widget.getByRole('button', { name: 'New random numbers' }).click();
    await expect(seed).toHaveValue(String(10 + 1));
    expect(await editorValues(page)).not.toEqual(before);
    await widget.getByRole('textbox', { name: 'Filters', exact: true }).fill('3');
    await expect(widget.getByRole('combobox', { name: 'Example' })).toHaveValue('custom');
    await expect(status).toContainText(`of ${4 * 4 * 3 * 4}`);

    // n=3, C=2, K=1, k=2: a 2x2x1 output; step 3 is the first output's bias step.
    const x = [1, 2, 0, 0, 1, 2, 2, 0, 1, 1, 1, 1, 0, 2, 0, 1, 0, 1];
    const w = [1, -1, 0, 2, -1, 0, 1, 1];
    const { y } = naiveConv(x, w, [3], { n: 3, C: 2, K: 1, k: 2, p: 0, s: 1 });
    await page.goto(`${URL}?mc.n=3&mc.C=2&mc.K=1&mc.k=2&mc.p=0&mc.s=1&mc.seed=4&mc.x=${x}&mc.w=${w}&mc.b=3&mc.step=2`);
    await expect(status).toHaveText(new RegExp(`^Step 3 of 12: y\\[0, 0, 0\\] = .* \\+ bias 3 = ${minus(y[0]!)}\\.$`));
    await expect(widget.getByRole('textbox', { name: 'Input channels', exact: true })).toHaveValue('2');
    await expect(
      widget.getByRole('textbox', { name: 'Input channel 1', exact: true, includeHidden: true }),
    ).toHaveValue('1 1 1\n0 2 0\n1 0 1');
    await widget.getByRole('button', { name: 'Next ▶' }).click();
    expect(page.url()).toContain('mc.step=3');
    expect(page.url()).toContain('mc.w=1,-1,0,2,-1,0,1,1');
  });

  const badInputs: [field: string, value: string, message: RegExp][] = [
    ['Input size', '', /Enter the input size \(a whole number from 1 to 9\)/],
    ['Stride', '0', /The stride must be from 1 to 4; you gave 0/],
    ['Kernel size', 'three', /“three” is not a number/],
    ['Padding', '9', /The padding must be from 0 to 3; you gave 9/],
    ['Filters', '1.5', /must be a whole number/],
  ];
  // One page for every bad value: each case starts from the worked example on step 2 and ends by typing the
  // field's good value back, which re-applies the same sizes and numbers on step 1 (any edit restarts the walk).
  test('stepper: bad size fields are explained beside the field and the last state stays', async ({ page }) => {
    await page.goto(URL);
    const { widget, status } = stepper(page);
    const stage = widget.locator('.stage');
    await expect(widget.getByRole('alert')).toHaveCount(0);
    const values = await editorValues(page);
    let start: string | undefined;
    for (const [field, value, message] of badInputs) {
      await test.step(`bad ${field}: "${value}"`, async () => {
        await widget.getByRole('button', { name: 'Next ▶' }).click();
        await expect(status).toContainText('Step 2 of 72: y[0, 0, 0], input channel 1:');
        const html = await stateHTML(stage);
        // Every case starts from the same stage as the first one.
        start ??= html;
        expect(html).toBe(start);
        const input = widget.getByRole('textbox', { name: field, exact: true });
        const good = await input.inputValue();
        await input.fill(value);
        await expect(widget.getByRole('alert').filter({ hasText: message })).toBeVisible();
        await expect(input).toHaveAttribute('aria-invalid', 'true');
        expect(await stateHTML(stage)).toBe(html);
        await expect(stage).not.toContainText('NaN');
        await expect(status).not.toContainText('NaN');
        await widget.getByRole('button', { name: 'Next ▶' }).click();
        await expect(status).toContainText('Step 3 of 72');
        // Back to the known good state for the next case: same numbers, step 1.
        await input.fill(good);
        await expect(widget.getByRole('alert')).toHaveCount(0);
        await expect(input).not.toHaveAttribute('aria-invalid', 'true');
        await expect(status).toContainText('Step 1 of 72: y[0, 0, 0], input channel 0:');
        expect(await editorValues(page)).toEqual(values);
      });
    }
  });

  test('stepper: a kernel larger than the padded input, and bad numbers in the editor', async ({ page }) => {
    await page.goto(URL);
    const { widget, status } = stepper(page);
    await widget.getByRole('textbox', { name: 'Padding', exact: true }).fill('0');
    await expect(status).toContainText('Step 1 of');
    // The first change waits for KaTeX (loaded on interaction); the widget is aria-busy until it has painted.
    await expect(widget).not.toHaveAttribute('aria-busy', 'true');
    const html = await stateHTML(widget.locator('.stage'));
    await widget.getByRole('textbox', { name: 'Input size', exact: true }).fill('2');
    await expect(
      widget.getByRole('alert').filter({ hasText: /(larger|wider) than the padded input 2x2/ }),
    ).toBeVisible();
    await expect(widget.getByRole('textbox', { name: 'Kernel size', exact: true })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(await stateHTML(widget.locator('.stage'))).toBe(html);
    await widget.getByRole('textbox', { name: 'Input size', exact: true }).fill('5');
    await expect(widget.getByRole('alert').filter({ hasText: /padded input/ })).toBeHidden();

    await widget.getByText('Edit the numbers').click();
    const cases: [string | RegExp, string, RegExp][] = [
      ['Input channel 0', '1 2 3', /Input channel 0 needs 5 rows of 5 numbers; you gave 1 row of 3/],
      ['Filter 1, channel 2', '1 0 1\n0 x 0\n1 0 1', /“x” \(entry 2 of row 2 of filter 1, channel 2\) is not a number/],
      [/^Biases/, '1', /Give one bias per filter: 2 numbers; you gave 1/],
      [/^Biases/, '1, 5000', /between −999 and 999; 5000 is too large/],
      ['Input channel 1', '', /Enter input channel 1/],
    ];
    for (const [label, value, message] of cases) {
      const before = await stateHTML(widget.locator('.stage'));
      const field = widget.getByRole('textbox', { name: label });
      const good = await field.inputValue();
      await field.fill(value);
      await expect(widget.getByRole('alert').filter({ hasText: message })).toBeVisible();
      expect(await stateHTML(widget.locator('.stage'))).toBe(before);
      await expect(widget.locator('.stage')).not.toContainText('NaN');
      await field.fill(good);
      await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    }
    // A good edit recomputes: a bias of 100 on filter 0 moves y[0,0,0] by the difference.
    await widget.getByRole('textbox', { name: /^Biases/ }).fill('100, 0');
    await widget.locator('.stage').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect(status).toContainText('+ bias 100 =');
  });

  test('parameter calculator: counts follow the fields, arrows step them, bad input is explained', async ({ page }) => {
    await page.goto(URL);
    const calc = page.locator('#pc');
    const status = calc.getByRole('status');
    await calc.getByRole('textbox', { name: 'Inputs', exact: true }).fill('100');
    await expect(status).toHaveText(
      `A dense layer from 100 inputs to 256 units has 100 × 256 + 256 = ${(100 * 256 + 256).toLocaleString('en-US')} parameters.`,
    );
    const units = calc.getByRole('textbox', { name: 'Units', exact: true });
    await units.focus();
    await page.keyboard.press('ArrowUp');
    await expect(units).toHaveValue('257');
    await expect(status).toContainText(`= ${(100 * 257 + 257).toLocaleString('en-US')} parameters`);
    await calc.getByRole('textbox', { name: 'Filters K', exact: true }).fill('32');
    // LeNet's second layer input 13x13x6 with 32 filters 3x3: 11x11x32 out.
    await expect(status).toContainText(`32 × (6 × 3 × 3 + 1) = ${(32 * 55).toLocaleString('en-US')} parameters`);
    const dense = 13 * 13 * 6 * 11 * 11 * 32 + 11 * 11 * 32;
    await expect(status).toContainText(`would need ${dense.toLocaleString('en-US')}`);
    await calc.getByRole('textbox', { name: 'Stacked layers', exact: true }).fill('3');
    await expect(status).toContainText('3 stacked layers of 3×3 see 7×7 input pixels');
    await expect(status).toContainText(`with ${(3 * 16 * (16 * 9 + 1)).toLocaleString('en-US')} parameters`);
    await expect(status).toContainText(
      `one 7×7 layer sees the same with ${(16 * (16 * 49 + 1)).toLocaleString('en-US')}`,
    );

    const bad: [string, string, RegExp][] = [
      ['Inputs', '', /Enter the number of inputs/],
      ['Units', 'many', /“many” is not a number/],
      ['Kernel size k', '0', /The kernel size must be from 1 to 15; you gave 0/],
      ['Input size', '2', /larger than the padded input 2|wider than the padded input 2/],
      ['Channels in and out', '3.5', /must be a whole number/],
    ];
    for (const [label, value, message] of bad) {
      const out = calc.locator('.pc-out');
      const before = await out.allInnerTexts();
      const field = calc.getByRole('textbox', { name: label, exact: true });
      const good = await field.inputValue();
      await field.fill(value);
      await expect(calc.getByRole('alert').filter({ hasText: message })).toBeVisible();
      expect(await out.allInnerTexts()).toEqual(before);
      await expect(calc).not.toContainText('NaN');
      await field.fill(good);
      await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    }
    expect(page.url()).toContain('pc.layers=3');
    await page.goto(`${URL}?pc.inputs=10&pc.units=5`);
    await expect(calc.locator('[data-result="dense"]')).toContainText(
      `= ${(10 * 5 + 5).toLocaleString('en-US')} parameters`,
    );
  });

  test('self-check answers open on demand; axe finds nothing; screenshots', async ({ page }) => {
    test.setTimeout(180_000); // axe over every table of two widgets is slow on a shared machine
    await page.goto(URL);
    const checks = page.locator('.self-check');
    expect(await checks.count()).toBeGreaterThanOrEqual(3);
    await checks.first().getByText('Show the answer').click();
    await expect(checks.first().locator('.answer')).toBeVisible();
    await page.locator('#mc').getByText('Edit the numbers').click();
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch06-channels');
  });
});
