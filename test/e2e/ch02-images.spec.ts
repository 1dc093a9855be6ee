import { readFileSync } from 'node:fs';
import { test, expect, expectNoAxeViolations, expectNoAxeViolationsIn, screenshots, smallText } from './fixtures.ts';
import { ZOOM } from '../../components/pixel-viewer/state.ts';

const URL = '/chapters/images-as-matrices/';

// The pictures as the site ships them; expected values are read from these files, not typed.
const digits = JSON.parse(readFileSync('public/data/mnist/sample-digits.json', 'utf8')) as {
  digits: { index: number; label: number; pixels: number[] }[];
};
const photo = JSON.parse(readFileSync('components/pixel-viewer/photo/astronaut-32.json', 'utf8')) as {
  rows: number;
  cols: number;
  pixels: number[];
};
const digit0 = digits.digits[0]!;
const digitAt = (d: { pixels: number[] }, r: number, c: number) => d.pixels[r * 28 + c]!;
const rgbAt = (r: number, c: number) => photo.pixels.slice((r * photo.cols + c) * 3, (r * photo.cols + c) * 3 + 3);
// On a digit the cursor starts on its first brightest pixel; the viewer opens on the photo (every control applies
// to it), with the cursor on the first brightest pixel of its red channel.
const red = photo.pixels.filter((_, i) => i % 3 === 0);
const redStart = red.indexOf(Math.max(...red));
const [pr0, pc0] = [Math.floor(redStart / photo.cols), redStart % photo.cols];
const max0 = Math.max(...digit0.pixels);
const start = digit0.pixels.indexOf(max0);
const [r0, c0] = [Math.floor(start / 28), start % 28];
const DIGIT = `${URL}?pv.image=digit-0&pv.row=${r0}&pv.col=${c0}`;

test.describe('chapter 2: images are matrices', () => {
  test('prose numbers are computed from the shipped pictures', async ({ page }) => {
    await page.goto(URL);
    const prose = page.locator('.prose');
    await expect(prose).toContainText('28 × 28');
    // MNIST's box and field from the preprocessing constants (MNIST_BOX, MNIST_SIZE).
    await expect(prose).toContainText('fit a 20 × 20 box with anti-aliasing and then centred in the 28 × 28 frame');
    await expect(prose).toContainText(String(digit0.pixels.length));
    const zeros = digit0.pixels.filter((v) => v === 0).length;
    await expect(prose).toContainText(`${zeros} are exactly 0`);
    await expect(prose).toContainText('32 × 32 × 3');
    await expect(prose).toContainText(photo.pixels.length.toLocaleString('en-US'));
    await expect(prose).toContainText(`(${rgbAt(20, 6).join(', ')})`);
    // The gray formula is typeset from the engine's weights (BT.601), and the prose states their sum.
    const formula = prose.locator('.katex-display').filter({ hasText: 'gray' });
    await expect(formula.locator('.katex-mathml')).toContainText('0.299');
    await expect(formula.locator('.katex-mathml')).toContainText('0.587');
    await expect(formula.locator('.katex-mathml')).toContainText('0.114');
    await expect(prose).toContainText('The weights add up to 1, so a gray pixel');
    expect(await page.locator('.self-check').count()).toBeGreaterThanOrEqual(3);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the first state is static HTML (no JavaScript needed)', async ({ page }) => {
      await page.goto(URL);
      const widget = page.locator('#pv');
      const [R, G, B] = rgbAt(pr0, pc0);
      await expect(widget.getByRole('status')).toHaveText(
        `The photo, row ${pr0}, column ${pc0}: R ${R}, G ${G}, B ${B}.`,
      );
      await expect(widget.getByLabel('Picture')).toHaveValue('photo');
      // Every control applies to the first picture: none is greyed out.
      await expect(widget.getByRole('radio', { name: 'Three channel matrices' })).toBeEnabled();
      await expect(widget.getByRole('checkbox', { name: 'R (red)' })).toBeEnabled();
      await expect(widget.getByRole('img').first()).toBeVisible();
    });
  });

  test('arrow keys move the cursor and read each pixel from the data', async ({ page }) => {
    await page.goto(DIGIT);
    const widget = page.locator('#pv');
    const status = widget.getByRole('status');
    const grid = widget.getByRole('group', { name: /pixel grid/ });
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await expect(status).toHaveText(
      `The digit ${digit0.label}, row ${r0 + 1}, column ${c0}: ${digitAt(digit0, r0 + 1, c0)} (0 is no ink, 255 is full ink).`,
    );
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(status).toContainText(`row ${r0 + 1}, column ${c0 + 2}: ${digitAt(digit0, r0 + 1, c0 + 2)} `);
    await page.keyboard.press('Home');
    await expect(status).toContainText(`column 0: ${digitAt(digit0, r0 + 1, 0)} `);
    await page.keyboard.press('PageDown');
    await expect(status).toContainText(`row 27, column 0: `);
    // The cursor stops at the edge instead of leaving the picture.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    await expect(status).toContainText(`row 27, column 0: `);
    await expect(widget.locator('.readout')).toContainText(
      `Scaled to [0, 1] for a network: ${digitAt(digit0, 27, 0)} / 255`,
    );
  });

  test('hovering a pixel reads it; another digit can be picked', async ({ page }) => {
    await page.goto(URL);
    const widget = page.locator('#pv');
    const status = widget.getByRole('status');
    const d3 = digits.digits[3]!;
    await widget.getByLabel('Picture').selectOption(`digit-${d3.index}`);
    await expect(status).toContainText(`The digit ${d3.label},`);
    const svg = widget.getByRole('img').first();
    const box = (await svg.boundingBox())!;
    const cell = box.width / 28;
    // hover() scrolls the picture into view first, then points at the middle of row 10, column 14.
    await svg.hover({ position: { x: cell * 14.5, y: cell * 10.5 } });
    await expect(status).toHaveText(
      `The digit ${d3.label}, row 10, column 14: ${digitAt(d3, 10, 14)} (0 is no ink, 255 is full ink).`,
    );
  });

  test('the photo: colour, three channel matrices, computed gray, channel toggles', async ({ page }) => {
    await page.goto(URL);
    const widget = page.locator('#pv');
    const status = widget.getByRole('status');
    await widget.getByLabel('Picture').selectOption('photo');
    await widget.getByRole('group', { name: /pixel grid/ }).focus();
    // Walk to row 20, column 6 (the orange suit) from wherever the cursor is.
    await page.keyboard.press('PageUp');
    await page.keyboard.press('Home');
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    const [R, G, B] = rgbAt(20, 6) as [number, number, number];
    await expect(status).toHaveText(`The photo, row 20, column 6: R ${R}, G ${G}, B ${B}.`);

    await widget.getByRole('radio', { name: 'Three channel matrices' }).check();
    await expect(widget.getByRole('figure')).toHaveCount(6); // three pictures and three tables of numbers
    await expect(widget.getByRole('img')).toHaveCount(3);

    await widget.getByRole('checkbox', { name: 'R (red)' }).uncheck();
    await expect(widget.getByRole('img')).toHaveCount(2);
    await expect(status).toHaveText(`The photo, row 20, column 6: R off (stored ${R}), G ${G}, B ${B}.`);
    await widget.getByRole('checkbox', { name: 'G (green)' }).uncheck();
    await widget.getByRole('checkbox', { name: 'B (blue)' }).uncheck();
    await expect(widget.getByRole('alert').filter({ hasText: 'Switch on at least one channel' })).toBeVisible();
    await expect(widget.getByRole('img')).toHaveCount(1); // the last good state (blue only) stays
    await widget.getByRole('checkbox', { name: 'R (red)' }).check();
    await expect(widget.getByRole('alert').filter({ hasText: 'Switch on at least one channel' })).toBeHidden();

    await widget.getByRole('radio', { name: 'Grayscale (computed)' }).check();
    const gray = Math.round(0.299 * R + 0.587 * G + 0.114 * B);
    await expect(status).toHaveText(`The photo, row 20, column 6: gray ${gray} (computed from R, G and B).`);
    await expect(widget.locator('.readout .katex')).toBeVisible();
    await expect(widget.locator('.readout')).not.toContainText('NaN');
  });

  test('state is shared through the URL, and nonsense in a link is ignored', async ({ page }) => {
    await page.goto(`${URL}?pv.image=photo&pv.view=channels&pv.ch=rb&pv.zoom=12&pv.row=20&pv.col=6`);
    const widget = page.locator('#pv');
    const [R, G, B] = rgbAt(20, 6) as [number, number, number];
    await expect(widget.getByRole('status')).toHaveText(
      `The photo, row 20, column 6: R ${R}, G off (stored ${G}), B ${B}.`,
    );
    await expect(widget.getByLabel('Picture')).toHaveValue('photo');
    await expect(widget.getByRole('img')).toHaveCount(2);
    await expect(widget.getByRole('img').first()).toHaveAttribute('width', String(32 * 12));

    await page.goto(`${URL}?pv.image=nope&pv.zoom=999&pv.row=-5&pv.col=abc&pv.ch=xyz`);
    const [R0, G0, B0] = rgbAt(0, 0);
    await expect(widget.getByRole('status')).toHaveText(`The photo, row 0, column 0: R ${R0}, G ${G0}, B ${B0}.`);
    await expect(widget).not.toContainText('NaN');

    // Issue 15: zoomed in far enough to show every cell's number, the numbers are 12 px on screen (they were 7.5 px).
    await page.goto(`${URL}?pv.image=photo&pv.view=gray&pv.zoom=${ZOOM.numbersFrom}`);
    await expect(widget.locator('g.numbers text').first()).toBeVisible();
    expect(await smallText(page)).toEqual([]);
  });

  // Each state is its own test: axe and full-page screenshots are slow on a busy two-core machine.
  test('axe finds no violations; screenshots at 1280 and 375 px (digit)', async ({ page }) => {
    test.slow();
    await page.goto(DIGIT);
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch02-images');
  });

  test('axe finds no violations in the viewer; screenshots at 1280 and 375 px (photo as three channels)', async ({
    page,
  }) => {
    test.slow();
    await page.goto(`${URL}?pv.image=photo&pv.view=channels&pv.zoom=9&pv.row=20&pv.col=6#pv`);
    await expect(page.locator('#pv').getByRole('img')).toHaveCount(3);
    // The page around the viewer is the one swept above: only the viewer changed.
    await expectNoAxeViolationsIn(page, '#pv');
    await screenshots(page, 'ch02-images-photo');
  });
});
