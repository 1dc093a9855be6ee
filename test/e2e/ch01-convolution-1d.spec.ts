import { test, expect, stateHTML } from './fixtures.ts';

const URL = '/chapters/convolution-1d/';
/** A bad value as a step title shows it: one line, long ones cut (with their length, so each stays distinct). */
const shown = (v: string) => (v.length > 40 ? `${v.slice(0, 40)}… (${v.length} chars)` : v).replace(/\n/g, '⏎');

test.describe('chapter 1: convolution in one dimension', () => {
  // One page load for the page's static content: rendered math, the engine's numbers in the prose, self-checks.
  test('KaTeX math is rendered at build time, the prose shows the worked example, self-check answers open', async ({
    page,
  }) => {
    await page.goto(URL);
    expect(await page.locator('.katex').count()).toBeGreaterThan(5);
    await expect(page.locator('.katex-display').first()).toBeVisible();
    // No raw TeX left in the prose: remove rendered math (which keeps its source as an annotation) and look.
    const text = await page.locator('.prose').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.katex').forEach((k) => k.remove());
      return copy.textContent ?? '';
    });
    expect(text).not.toMatch(/\\(sum|frac|cdot)|\$\$/);
    // KaTeX's stylesheet and fonts are bundled and applied: the math is set in KaTeX_Main, that font has loaded
    // from this origin, and the MathML copy for screen readers is visually hidden rather than printed twice.
    const katexStyle = await page.evaluate(async () => {
      await document.fonts.ready;
      const el = document.querySelector('.katex')!;
      const mathml = document.querySelector('.katex-mathml');
      return {
        font: getComputedStyle(el).fontFamily,
        loaded: document.fonts.check('16px KaTeX_Main'),
        mathml: mathml ? getComputedStyle(mathml).position : 'none',
      };
    });
    expect(katexStyle.font).toContain('KaTeX_Main');
    expect(katexStyle.loaded).toBe(true);
    expect(katexStyle.mathml).toBe('absolute');
    // The prose shows the worked example computed by the engine.
    const prose = page.locator('.prose');
    await expect(prose).toContainText('(0, 1, 1, 3, 5, 2, 8)');
    await expect(prose).toContainText('(1, 3, 5)');
    // Counts and the flipped kernel in the prose and the graph's caption are the engine's too.
    await expect(prose).toContainText('Working through all 7 steps');
    await expect(prose).toContainText('Only 3 of those outputs');
    await expect(prose).toContainText('the flipped kernel (2, −1, 1): (3, 5, 7)');
    await expect(prose.locator('figure.graph figcaption')).toHaveText(
      'The valid convolution of x = (0, 1, 2, 3, 4) with w = (1, −1, 2) as a graph. Each output sums 3 products; every weight is used by all 3 outputs.',
    );
    // Self-check answers are revealed on demand.
    const first = page.locator('.self-check').first();
    await expect(first.locator('.answer')).toBeHidden();
    await first.getByText('Show the answer').click();
    await expect(first.locator('.answer')).toBeVisible();
    expect(await page.locator('.self-check').count()).toBeGreaterThanOrEqual(3);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the first step is in the static HTML (no JavaScript needed)', async ({ page }) => {
      await page.goto(URL);
      const widget = page.locator('#s1');
      await expect(widget.getByRole('status')).toHaveText('Step 1 of 7: y[0] = 0 × 1 = 0.');
      await expect(widget.locator('.formula .katex')).toBeVisible();
      // Buttons that would do nothing without the script are not shown.
      await expect(widget.getByRole('button', { name: 'Next ▶' })).toBeHidden();
      await expect(widget.getByRole('button', { name: '◀ Back' })).toBeHidden();
      await expect(widget.getByRole('button', { name: 'Copy link' })).toBeHidden();
    });
  });

  test('stepper steps by keyboard through the worked example (on a 375 px phone)', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(URL);
    const widget = page.locator('#s1');
    // The strip opens unscrolled, its row labels whole; the kernel stays in view as it slides.
    const track = widget.locator('.track');
    expect(await track.evaluate((t) => t.scrollWidth > t.clientWidth)).toBe(true);
    expect(await track.evaluate((t) => t.scrollLeft)).toBe(0);
    const kernelInView = () =>
      track.evaluate((t) => {
        const view = t.getBoundingClientRect();
        const cells = [...t.querySelectorAll('td.w')].map((c) => c.getBoundingClientRect());
        return cells.every((c) => c.left >= view.left - 1 && c.right <= view.right + 1);
      });
    const status = widget.getByRole('status');
    const stage = widget.getByRole('group', { name: 'Step through a 1D convolution' });
    await stage.focus();
    const expected = [0, 1, 1, 3, 5, 2, 8];
    for (let n = 1; n < expected.length; n++) {
      await page.keyboard.press('ArrowRight');
      await expect(status).toContainText(`Step ${n + 1} of 7: y[${n}] =`);
      await expect(status).toContainText(`= ${String(expected[n]).replace('-', '\u2212')}.`);
    }
    await expect(widget.locator('.outputs')).toContainText('0y[0]1y[1]1y[2]3y[3]5y[4]2y[5]8y[6]');
    expect(await kernelInView()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect(status).toContainText('Step 6 of 7');
    await page.keyboard.press('Home');
    await expect(status).toContainText('Step 1 of 7');
    await page.keyboard.press('End');
    await expect(status).toContainText('Step 7 of 7: y[6] = 4 × 2 = 8.');
    // Step 4 shows each product with the flipped kernel: x[1]w[2] + x[2]w[1] + x[3]w[0].
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect(status).toHaveText('Step 4 of 7: y[3] = 1 × 2 + 2 × (−1) + 3 × 1 = 3.');
    await expect(widget.locator('.formula')).toContainText('x[1]w[2]+x[2]w[1]+x[3]w[0]');
    // The same formula with the numbers plugged in (KaTeX sets \cdot as ⋅ and the minus as −).
    await expect(widget.locator('.formula')).toContainText('=1⋅2+2⋅(−1)+3⋅1=3');
  });

  test('buttons step, play and reset; valid mode and cross-correlation recompute', async ({ page }) => {
    await page.goto(URL);
    const widget = page.locator('#s1');
    const status = widget.getByRole('status');
    await widget.getByRole('button', { name: 'Next ▶' }).click();
    await expect(status).toContainText('Step 2 of 7');
    await widget.getByRole('button', { name: 'Reset' }).click();
    await expect(status).toContainText('Step 1 of 7');
    await widget.getByRole('radio', { name: 'valid' }).check();
    await expect(status).toHaveText('Step 1 of 3: y[0] = 0 × 2 + 1 × (−1) + 2 × 1 = 1.');
    await widget.getByRole('button', { name: 'Play' }).click();
    await expect(status).toContainText('Step 3 of 3: y[2] =', { timeout: 5000 });
    await expect(status).toContainText('= 5.');
    await expect(widget.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'false');
    // Pause stops where it is: from full mode's 7 steps, play one step, pause, and nothing moves after that.
    await widget.getByRole('radio', { name: 'full' }).check();
    await expect(status).toContainText('Step 1 of 7');
    await widget.getByRole('button', { name: 'Play' }).click();
    const pause = widget.getByRole('button', { name: 'Pause' });
    await expect(pause).toHaveAttribute('aria-pressed', 'true');
    await expect(status).toContainText('Step 2 of 7', { timeout: 5000 });
    await pause.click();
    await expect(widget.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'false');
    const paused = await status.textContent();
    await page.waitForTimeout(2500); // over two of the player's 1.1 s ticks
    await expect(status).toHaveText(paused!);
    await widget.getByRole('radio', { name: 'valid' }).check();
    await widget.getByRole('radio', { name: 'cross-correlation' }).check();
    // Cross-correlation of the same x and w, valid: (1·0 − 1·1 + 2·2, …) = (3, 5, 7).
    await widget.getByRole('button', { name: 'Reset' }).click();
    await expect(status).toHaveText('Step 1 of 3: y[0] = 0 × 1 + 1 × (−1) + 2 × 2 = 3.');
  });

  test('state is shared through the URL', async ({ page }) => {
    await page.goto(`${URL}?s1.x=1,2,3&s1.w=1,1&s1.mode=same&s1.kind=convolution&s1.step=2`);
    const widget = page.locator('#s1');
    await expect(widget.getByLabel('Input x')).toHaveValue('1,2,3');
    await expect(widget.getByRole('radio', { name: 'same' })).toBeChecked();
    await expect(widget.getByRole('status')).toHaveText('Step 3 of 3: y[2] = 2 × 1 + 3 × 1 = 5.');
    await widget.getByRole('button', { name: '◀ Back' }).click();
    await expect(widget.getByRole('status')).toHaveText('Step 2 of 3: y[1] = 1 × 1 + 2 × 1 = 3.');
    expect(page.url()).toContain('s1.step=1');
    expect(page.url()).toContain('s1.mode=same');
  });

  const badInputs: [field: string, value: string, message: RegExp][] = [
    ['Input x', '', /Enter the input x as numbers/],
    ['Input x', '1, two, 3', /“two” \(entry 2 of the input x\) is not a number/],
    ['Kernel w', '1, NaN', /“NaN” \(entry 2 of the kernel w\) is not a finite number/],
    ['Kernel w', 'Infinity', /is not a finite number/],
    ['Input x', Array.from({ length: 65 }, (_, i) => i).join(','), /at most 64 numbers; you gave 65/],
    // Finite but so large that the products would overflow to Infinity.
    ['Kernel w', '1e308, 1', /“1e308” \(entry 1 of the kernel w\) is too large/],
    // An empty entry is said, not silently dropped.
    ['Input x', '1,,2', /The input x has an empty entry after entry 1/],
  ];
  // One page for every bad value: each case starts from the worked example on step 2 and ends by typing the
  // field's good value back, which re-applies the worked example on step 1 (the stepper restarts on any edit).
  test('bad input shows a message beside the field and keeps the last good state', async ({ page }) => {
    await page.goto(URL);
    const widget = page.locator('#s1');
    const status = widget.getByRole('status');
    const stage = widget.locator('.stage');
    await expect(widget.getByRole('alert')).toHaveCount(0);
    let start: string | undefined;
    for (const [field, value, message] of badInputs) {
      await test.step(`bad ${field}: "${shown(value)}"`, async () => {
        await widget.getByRole('button', { name: 'Next ▶' }).click();
        await expect(status).toHaveText('Step 2 of 7: y[1] = 0 × (−1) + 1 × 1 = 1.');
        const before = await stateHTML(stage);
        // Every case starts from the same stage as the first one.
        start ??= before;
        expect(before).toBe(start);
        const input = widget.getByLabel(field);
        const good = await input.inputValue();
        await input.fill(value);
        await expect(widget.getByRole('alert').filter({ hasText: message })).toBeVisible();
        await expect(input).toHaveAttribute('aria-invalid', 'true');
        expect(await stateHTML(stage)).toBe(before);
        // The message may quote what was typed; the computed parts never show NaN.
        await expect(stage).not.toContainText('NaN');
        await expect(status).not.toContainText('NaN');
        await widget.getByRole('button', { name: 'Next ▶' }).click();
        await expect(status).toContainText('Step 3 of 7');
        // Back to the known good state for the next case.
        await input.fill(good);
        await expect(widget.getByRole('alert')).toHaveCount(0);
        await expect(input).not.toHaveAttribute('aria-invalid', 'true');
        await expect(status).toHaveText('Step 1 of 7: y[0] = 0 × 1 = 0.');
      });
    }
  });

  test('a kernel longer than the input in valid mode is explained beside the kernel', async ({ page }) => {
    await page.goto(URL);
    const widget = page.locator('#s1');
    const kernel = widget.getByLabel('Kernel w');
    await widget.getByRole('radio', { name: 'valid' }).check();
    await kernel.fill('1, 2, 3, 4, 5, 6');
    const message = widget.getByRole('alert').filter({ hasText: 'must not be longer than the input' });
    await expect(message).toBeVisible();
    // The message is the kernel field's own: announced with it and marked invalid.
    await expect(kernel).toHaveAttribute('aria-invalid', 'true');
    expect(await kernel.getAttribute('aria-describedby')).toContain(await message.getAttribute('id'));
    await expect(widget.getByRole('status')).toContainText('Step 1 of 3');
    await widget.getByRole('radio', { name: 'full' }).check();
    await expect(widget.getByRole('status')).toContainText('Step 1 of 10');
    await expect(widget.getByRole('alert').filter({ hasText: 'longer' })).toBeHidden();
    await expect(kernel).not.toHaveAttribute('aria-invalid', 'true');
    // Switching to valid when the kernel is too long: the radio never claims a mode the steps do not show.
    await widget.getByLabel('Input x').fill('1,2');
    await kernel.fill('1,2,3,4,5');
    await expect(widget.getByRole('status')).toContainText('Step 1 of 6');
    await widget.getByRole('radio', { name: 'valid' }).click();
    const modeMessage = widget.getByRole('alert').filter({ hasText: 'The output stays full.' });
    await expect(modeMessage).toBeVisible();
    await expect(widget.getByRole('radio', { name: 'full' })).toBeChecked();
    await expect(widget.getByRole('radio', { name: 'valid' })).not.toBeChecked();
    await expect(widget.getByRole('status')).toContainText('Step 1 of 6');
    await kernel.fill('1');
    await widget.getByRole('radio', { name: 'valid' }).check();
    await expect(modeMessage).toBeHidden();
    await expect(widget.getByRole('status')).toContainText('Step 1 of 2');
  });
});
