import {
  test,
  expect,
  expectNoAxeViolations,
  expectNoAxeViolationsIn,
  screenshots,
  widgetShot,
  stateHTML,
} from './fixtures.ts';
import type { Locator, Page } from '@playwright/test';

const URL = '/chapters/padding-stride-output-size/';

const explorer = (page: Page, id = 'eo') => page.locator(`#${id}`);
const walker = (page: Page) => page.locator('#sw');

async function noNaN(w: Locator): Promise<void> {
  await expect(w).not.toContainText('NaN');
}

test.describe('chapter 5: padding, stride and output size', () => {
  // One page load for the prose: the engine's numbers and the self-checks.
  test('the worked examples appear in the prose, computed at build time; self-check answers open', async ({ page }) => {
    await page.goto(URL);
    const prose = page.locator('.prose');
    // (5 - 3 + 2)/2 + 1 = 3 is rendered with KaTeX from the engine's numbers (minus signs are U+2212).
    const short = prose.locator('.computed .katex').first();
    await expect(prose.locator('.computed .katex').filter({ hasText: '(5−3+2)/2+1=3' })).toHaveCount(1);
    await expect(short).toBeVisible();
    await expect(prose).toContainText('the feature map is 26 × 26');
    await expect(prose.locator('.computed .katex').filter({ hasText: '(28−3)/1+1=26' })).toHaveCount(1);
    // TensorFlow's same for i=6, k=3, s=2 pads 0 before and 1 after.
    await expect(prose).toContainText('TensorFlow pads 0 before and 1 after');
    // The floor drops input 6 of a 7-wide input with k=3, s=3; the LeNet pool drops row/column 10.
    await expect(prose).toContainText('and input 6 is never read');
    await expect(prose).toContainText('with the floor dropping input 10');
    // Self-check answers are revealed on demand.
    const checks = page.locator('.self-check');
    expect(await checks.count()).toBeGreaterThanOrEqual(4);
    await checks.nth(2).getByText('Show the answer').click();
    await expect(checks.nth(2).locator('.answer')).toContainText('24 × 24');
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('explorer and walker are static HTML first (no JavaScript)', async ({ page }) => {
      await page.goto(URL);
      await expect(explorer(page).getByRole('status')).toHaveText(
        'Output size 3. Window 1 of 3, output y[0]: reads inputs 0, 1 and 1 padding zero.',
      );
      await expect(explorer(page).locator('.formula .katex-display')).toContainText('2+1=3');
      await expect(walker(page).getByRole('status')).toHaveText(
        'Shapes: 1 × 28 × 28, then 6 × 26 × 26, then 6 × 13 × 13, then 16 × 11 × 11, then 16 × 5 × 5.',
      );
      await expect(walker(page).locator('.sw-result').nth(3)).toContainText(
        'The floor leaves row and column 10 unread.',
      );
    });
  });

  test('explorer steps through every window by keyboard and buttons', async ({ page }) => {
    await page.goto(URL);
    const w = explorer(page);
    const status = w.getByRole('status');
    await w.getByRole('group', { name: /Output-size explorer/ }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(status).toHaveText('Output size 3. Window 2 of 3, output y[1]: reads inputs 1, 2, 3.');
    await page.keyboard.press('End');
    await expect(status).toHaveText('Output size 3. Window 3 of 3, output y[2]: reads inputs 3, 4 and 1 padding zero.');
    await page.keyboard.press('ArrowRight'); // stays on the last window
    await expect(status).toContainText('Window 3 of 3');
    await page.keyboard.press('Home');
    await expect(status).toContainText('Window 1 of 3');
    await w.getByRole('button', { name: 'Next ▶' }).click();
    await expect(status).toContainText('Window 2 of 3');
    await expect(w.getByRole('slider')).toHaveValue('2');
    await w.locator('td.o[data-pos="2"]').click();
    await expect(status).toContainText('Window 3 of 3');
    // Arrow keys in a number field step it.
    await w.getByLabel('Stride s').focus();
    await page.keyboard.press('ArrowUp');
    await expect(w.getByLabel('Stride s')).toHaveValue('3');
    await expect(status).toContainText('Output size 2.');
    await expect(w.locator('.eo-notes')).toContainText('Not exact: 4 is not a multiple of the stride 3 (remainder 1).');
  });

  test('2D mode, same padding and the unread cells', async ({ page }) => {
    await page.goto(URL);
    const w = explorer(page);
    await w.getByRole('radio', { name: 'same (TensorFlow)' }).check();
    await w.getByLabel('Input size i').fill('6');
    await expect(w.getByLabel('Padding p')).toBeDisabled();
    await expect(w.locator('.eo-notes')).toContainText('0 before, 1 after (the odd one goes after: bottom and right)');
    await expect(w.getByRole('status')).toContainText('Output size 3.');
    await w.getByRole('radio', { name: '2D square' }).check();
    await expect(w.getByRole('status')).toContainText('Output size 3 × 3. Window 1 of 9');
    await w.getByRole('group', { name: /Output-size explorer/ }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(w.getByRole('status')).toContainText('Window 4 of 9, output row 1, column 0');
    // Second explorer on the page: 7 wide, k=3, s=3 -> input 6 never read, in 2D a row and a column.
    const floor = explorer(page, 'eo2');
    await expect(floor.locator('.eo-notes')).toContainText('Input rows and columns 6 are never read');
    await expect(floor.locator('.eo-2d td.never')).toHaveCount(13); // row 6 and column 6 of the 7 x 7 input
    await expect(floor.locator('.eo-cov-grid td.zero')).toHaveCount(13);
  });

  const badInputs: [field: string, value: string, message: RegExp][] = [
    ['Input size i', '', /Enter the input size \(a whole number from 1 to 32\)/],
    ['Kernel size k', 'three', /“three” is not a number/],
    ['Padding p', '99', /The padding must be from 0 to 8; you gave 99/],
    ['Kernel size k', '9', /The kernel 9 \(9 with dilation 1\) is wider than the padded input 7/],
    ['Stride s', '0', /A stride of 0 would never move the window/],
    ['Dilation d', '1.5', /The dilation must be a whole number, not 1\.5/],
    ['Dilation d', '4', /wider than the padded input 7/],
  ];
  /** The worked example's value of each field, typed back after a bad value. */
  const GOOD: Record<string, string> = {
    'Input size i': '5',
    'Kernel size k': '3',
    'Padding p': '1',
    'Stride s': '2',
    'Dilation d': '1',
  };
  // One page for every bad value: each case starts from the worked example on window 2 and ends by typing the
  // field's good value back (the explorer keeps its window when a field changes).
  test('explorer: bad input shows a message beside the field and keeps the last state', async ({ page }) => {
    await page.goto(URL);
    const w = explorer(page);
    const status = w.getByRole('status');
    await expect(w.getByRole('alert')).toHaveCount(0);
    await w.getByRole('button', { name: 'Next ▶' }).click();
    await expect(status).toHaveText('Output size 3. Window 2 of 3, output y[1]: reads inputs 1, 2, 3.');
    const start = await stateHTML(w.locator('.eo-stage'));
    for (const [field, value, message] of badInputs) {
      await test.step(`bad ${field}: "${value}"`, async () => {
        const before = await stateHTML(w.locator('.eo-stage'));
        // Every case starts from the same stage as the first one.
        expect(before).toBe(start);
        const input = w.getByLabel(field);
        const good = await input.inputValue();
        expect(good).toBe(GOOD[field]);
        await input.fill(value);
        await expect(w.getByRole('alert').filter({ hasText: message })).toBeVisible();
        await expect(input).toHaveAttribute('aria-invalid', 'true');
        expect(await stateHTML(w.locator('.eo-stage'))).toBe(before);
        await expect(status).toContainText('Window 2 of 3');
        await noNaN(w.locator('.eo-stage'));
        await noNaN(w.locator('.eo-math'));
        // Fixing the field clears the message.
        await input.fill(good);
        await expect(w.getByRole('alert').filter({ hasText: message })).toBeHidden();
        await expect(input).not.toHaveAttribute('aria-invalid', 'true');
        // Back to the known good state for the next case.
        await expect(w.getByRole('alert')).toHaveCount(0);
        await expect(status).toHaveText('Output size 3. Window 2 of 3, output y[1]: reads inputs 1, 2, 3.');
      });
    }
  });

  test('ceil mode: the prose numbers and the explorer, by keyboard, with the window PyTorch drops', async ({
    page,
  }) => {
    await page.goto(URL);
    const prose = page.locator('.prose');
    // PyTorch ceil_mode on an 11-wide map, 2x2 window: ceil(9/2) + 1 = 6 windows (the floor gave 5).
    await expect(prose.locator('.computed .katex').filter({ hasText: '⌈(11−2)/2⌉+1=6' })).toHaveCount(1);
    // i=5, k=2, s=2, p=1: the ceiling's extra window would start in the right padding, so 3, as with the floor.
    await expect(prose.locator('.computed .katex').filter({ hasText: '⌈(5−2+2)/2⌉+1−1=3' })).toHaveCount(1);
    // TensorFlow's same at stride 2 is lopsided only for even inputs: i=7, k=3 pads 1 and 1.
    await expect(prose).toContainText('TensorFlow pads 1 before and 1 after');
    const w = explorer(page, 'eo3');
    const status = w.getByRole('status');
    await expect(w.getByRole('radio', { name: 'ceil (PyTorch pooling)' })).toBeChecked();
    await expect(status).toContainText('Output size 6. Window 1 of 6');
    await expect(w.locator('.eo-notes')).toContainText('hangs 1 cell past the end');
    await w.getByRole('group', { name: /Ceil mode/ }).focus();
    await page.keyboard.press('End');
    await expect(status).toHaveText(
      'Output size 6. Window 6 of 6, output y[5]: reads inputs 10 and 1 cell past the end.',
    );
    await expect(w.locator('.eo-1d td.g.off')).toHaveCount(1);
    // Floor mode drops that window and leaves input 10 unread.
    await w.getByRole('radio', { name: 'floor' }).check();
    await expect(status).toContainText('Output size 5.');
    await expect(w.locator('.eo-notes')).toContainText('Input 10 is never read');
    await expect(w.locator('.eo-1d td.g.off')).toHaveCount(0);
    // Ceil mode with padding 1 on a 5-wide input: the extra window would start in the right padding.
    await w.getByRole('radio', { name: 'ceil (PyTorch pooling)' }).check();
    await w.getByLabel('Input size i').fill('5');
    await w.getByLabel('Padding p').fill('1');
    await expect(status).toContainText('Output size 3.');
    await expect(w.locator('.eo-notes')).toContainText('starts in the right padding, so PyTorch drops it');
    await expect(w.locator('.formula')).toContainText('(dropped)');
    expect(page.url()).toContain('eo3.c=1');
  });

  test('shape walker updates every later shape and stops at the first layer that does not fit', async ({ page }) => {
    await page.goto(URL);
    const w = walker(page);
    const status = w.getByRole('status');
    const layer = (i: number) => w.locator('.sw-layer').nth(i);
    // The shape diagram only shows (it wraps, never scrolls): it is no tab stop that ignores every key.
    await w.getByRole('textbox', { name: 'Input height = width' }).focus();
    await page.keyboard.press('Shift+Tab');
    await expect(w.locator('.sw-stage')).not.toBeFocused();
    await expect(w.locator('.sw-stage')).not.toHaveAttribute('tabindex');
    await layer(2).getByLabel('Kernel', { exact: true }).fill('15');
    await expect(
      w.getByRole('alert').filter({
        hasText:
          /The kernel 15 is wider than the padded input 13 \(13 plus 0 padding\): add padding or use a smaller kernel\./,
      }),
    ).toBeVisible();
    await expect(status).toContainText('Shapes: 1 × 28 × 28, then 6 × 26 × 26, then 6 × 13 × 13. Layer 3 does not fit');
    await expect(w.locator('.sw-chain .sw-chip.bad')).toHaveText('—');
    await expect(w.locator('.sw-result').nth(3)).toHaveText('Not computed: an earlier layer does not fit.');
    await layer(2).getByLabel('Kernel', { exact: true }).fill('5');
    await expect(status).toHaveText(
      'Shapes: 1 × 28 × 28, then 6 × 26 × 26, then 6 × 13 × 13, then 16 × 9 × 9, then 16 × 4 × 4.',
    );
    await layer(0).getByLabel('Padding', { exact: true }).fill('same');
    await expect(status).toContainText('then 6 × 28 × 28, then 6 × 14 × 14, then 16 × 10 × 10, then 16 × 5 × 5.');
    // Type change: a pooling layer has a window instead of a kernel and no filters.
    await layer(0).getByLabel('Type').selectOption('maxPool');
    await expect(w.locator('.sw-layer').first().getByLabel('Window')).toBeVisible();
    await expect(w.locator('.sw-layer').first().getByLabel('Filters')).toBeHidden();
    // Add and remove layers.
    await w.getByRole('button', { name: 'Add a layer' }).click();
    await expect(w.locator('.sw-layer')).toHaveCount(5);
    await expect(w.getByLabel('Type').nth(4)).toBeFocused();
    await w.getByRole('button', { name: 'Remove layer 5' }).click();
    await expect(w.locator('.sw-layer')).toHaveCount(4);
    // Reset also clears a message about the input fields it refills.
    await w.getByLabel('Input height = width').fill('-3');
    await expect(w.getByRole('alert').filter({ hasText: 'The input size must be from 1 to 512' })).toBeVisible();
    await w.getByRole('button', { name: 'Reset to LeNet' }).click();
    await expect(w.getByLabel('Input height = width')).toHaveValue('28');
    await expect(w.getByLabel('Input height = width')).not.toHaveAttribute('aria-invalid', 'true');
    await expect(w.getByRole('alert').filter({ hasText: 'The input size must be from 1 to 512' })).toBeHidden();
    await expect(status).toHaveText(
      'Shapes: 1 × 28 × 28, then 6 × 26 × 26, then 6 × 13 × 13, then 16 × 11 × 11, then 16 × 5 × 5.',
    );
    await noNaN(w);
  });

  const walkerBad: [label: string, nth: number, value: string, message: RegExp][] = [
    ['Kernel', 0, '', /Enter the kernel size/],
    ['Kernel', 2, 'abc', /“abc” is not a number/],
    ['Stride', 1, '0', /A stride of 0 would never move the window/],
    ['Padding', 0, 'wide', /Or type same or valid/],
    ['Filters', 0, '0', /The number of filters must be from 1 to 1024; you gave 0/],
    ['Input height = width', 0, '-3', /The input size must be from 1 to 512; you gave -3/],
    ['Padding', 1, '2', /padding \(2\) may be at most half the pooling window \(2\)/],
  ];
  // One page for every bad value: each case ends by typing the field's good value back, which walks LeNet again.
  test('walker: bad input is explained beside the layer', async ({ page }) => {
    await page.goto(URL);
    const w = walker(page);
    const status = w.getByRole('status');
    const lenet = 'Shapes: 1 × 28 × 28, then 6 × 26 × 26, then 6 × 13 × 13, then 16 × 11 × 11, then 16 × 5 × 5.';
    await expect(w.getByRole('alert')).toHaveCount(0);
    await expect(status).toHaveText(lenet);
    const firstChain = await stateHTML(w.locator('.sw-chain-holder'));
    for (const [label, nth, value, message] of walkerBad) {
      await test.step(`bad ${label} #${nth + 1}: "${value}"`, async () => {
        const chain = await stateHTML(w.locator('.sw-chain-holder'));
        const input =
          label === 'Input height = width'
            ? w.getByLabel(label, { exact: true })
            : w.locator('.sw-layer').nth(nth).getByLabel(label, { exact: true });
        const good = await input.inputValue();
        await input.fill(value);
        await expect(w.getByRole('alert').filter({ hasText: message })).toBeVisible();
        if (label !== 'Padding' || value !== '2') {
          await expect(input).toHaveAttribute('aria-invalid', 'true');
          expect(await stateHTML(w.locator('.sw-chain-holder'))).toBe(chain);
        }
        await noNaN(w);
        // Back to the known good state for the next case.
        await input.fill(good);
        await expect(w.getByRole('alert')).toHaveCount(0);
        await expect(input).not.toHaveAttribute('aria-invalid', 'true');
        await expect(status).toHaveText(lenet);
        expect(await stateHTML(w.locator('.sw-chain-holder'))).toBe(firstChain);
      });
    }
  });

  test('explorer and walker restore their state from one link; a bad walker link is explained', async ({ page }) => {
    await page.goto(
      `${URL}?eo.dims=2&eo.i=6&eo.k=3&eo.p=same&eo.s=2&eo.d=1&eo.pos=4&sw.n=32&sw.c=3&sw.L=c5s1p2f8,m2s2p0`,
    );
    const e = explorer(page);
    await expect(e.getByRole('radio', { name: '2D square' })).toBeChecked();
    await expect(e.getByRole('radio', { name: 'same (TensorFlow)' })).toBeChecked();
    await expect(e.getByRole('status')).toContainText('Window 5 of 9, output row 1, column 1');
    await e.getByRole('button', { name: 'Next ▶' }).click();
    expect(page.url()).toContain('eo.pos=5');
    const w = walker(page);
    await expect(w.getByRole('status')).toHaveText('Shapes: 3 × 32 × 32, then 8 × 32 × 32, then 8 × 16 × 16.');
    await expect(w.locator('.sw-layer')).toHaveCount(2);
    await page.goto(`${URL}?sw.L=garbage`);
    await expect(w.getByRole('alert').filter({ hasText: 'is not readable' })).toBeVisible();
    await expect(w.getByRole('status')).toContainText('16 × 5 × 5');
  });

  // A long page: axe is slow on a shared machine, so it gets its own test and time.
  test('axe finds no violations on the whole page; nothing overflows a phone (screenshots)', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(URL);
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch05-output-size');
  });

  test('on a phone, a changed state is axe clean and fits', async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(
      `${URL}?eo.dims=2&eo.i=9&eo.k=3&eo.p=1&eo.s=2&eo.d=2&eo.pos=3&sw.L=c3s1pvalidf6,m2s2p0,c15s1pvalidf16#eo`,
    );
    await expect(explorer(page).getByRole('status')).toContainText('Window 4 of');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // The whole page is checked above; here only the widgets, in their changed state.
    await expectNoAxeViolationsIn(page, '#eo', '#sw');
    await widgetShot(explorer(page), 'ch05-explorer-2d-phone');
    await widgetShot(walker(page), 'ch05-walker-error-phone');
  });
});
