import { readFileSync } from 'node:fs';
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

const URL = '/chapters/kernels-as-feature-detectors/';

// An independent reference: the camera photo and a plain-loop valid cross-correlation, written here without the engine.
const camera = JSON.parse(readFileSync('components/kernel-playground/photo/camera-64.json', 'utf8')) as {
  rows: number;
  cols: number;
  pixels: number[];
};
const SOBEL_X = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
function ref(k: number[], r: number, c: number, size = 3): number {
  let s = 0;
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) s += k[i * size + j]! * camera.pixels[(r + i) * 64 + c + j]!;
  return s;
}
function refRange(k: number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < 62; r++)
    for (let c = 0; c < 62; c++) {
      const v = ref(k, r, c);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  return { min, max };
}
/** The page's number format: typographic minus. */
const n = (v: number) => String(v).replace('-', '\u2212');

const widget = (page: Page) => page.locator('#kp');
const status = (page: Page) => widget(page).getByRole('status');

async function noNaN(w: Locator): Promise<void> {
  await expect(w.locator('.kp-pics')).not.toContainText('NaN');
  await expect(w.locator('.kp-arith')).not.toContainText('NaN');
  await expect(w.getByRole('status')).not.toContainText('NaN');
}

test.describe('chapter 4: kernels as feature detectors', () => {
  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the first state is static HTML computed at build time (no JavaScript)', async ({ page }) => {
      await page.goto(URL);
      const { min, max } = refRange(SOBEL_X);
      const y = ref(SOBEL_X, 56, 32);
      await expect(status(page)).toHaveText(
        `Sobel x on the camera photo: a 62 × 62 map, values ${n(min)} to ${n(max)}. ` +
          `Cell row 56, column 32: 9 products sum to ${n(y)}, shown as gray level ` +
          `${Math.round(((y - min) / (max - min)) * 255)} of 255.`,
      );
      await expect(widget(page).locator('.kp-map img')).toHaveAttribute('src', /^data:image\/png;base64,/);
      await expect(widget(page).locator('.kp-sum')).toContainText(`y[56, 32] = ${n(y)}`);
      // The layer stack: 10 three-by-three presets, one map each.
      await expect(widget(page).locator('.kp-depth-item')).toHaveCount(10);
      await expect(widget(page).locator('.kp-depth-shape')).toContainText('10 × 62 × 62');
      // Prose numbers come from the engine: flat-patch responses and the map sizes.
      const prose = page.locator('.prose');
      await expect(prose).toContainText('so that flat patch stays at 100');
      await expect(prose).toContainText('gives a map of 26 × 26');
      // The 3x3 LeNet is named and linked to its lab preset; its first layer's output comes from the preset's summary.
      await expect(prose).toContainText('into an output of 26 × 26 × 6 (height × width × maps)');
      await expect(prose.getByRole('link', { name: /“LeNet-5 with 3x3 kernels” preset/ })).toHaveAttribute(
        'href',
        '/chapters/lenet-5/?lab.preset=lenet5-3x3#lab',
      );
    });
  });

  // One page load for two checks of the page as it loads.
  test('the pictures render: the PNG decodes to the map size; self-check answers are revealed on demand', async ({
    page,
  }) => {
    await page.goto(URL);
    const size = await widget(page)
      .locator('.kp-map img')
      .evaluate((img: HTMLImageElement) => img.decode().then(() => [img.naturalWidth, img.naturalHeight]));
    expect(size).toEqual([62, 62]);
    const checks = page.locator('.self-check');
    expect(await checks.count()).toBeGreaterThanOrEqual(4);
    await expect(checks.first().locator('.answer')).toBeHidden();
    await checks.first().getByText('Show the answer').click();
    await expect(checks.first().locator('.answer')).toBeVisible();
  });

  test('keyboard moves the selected cell and the arithmetic follows', async ({ page }) => {
    await page.goto(URL);
    const stage = widget(page).getByRole('group', { name: /Kernel playground/ });
    await stage.focus();
    await page.keyboard.press('ArrowRight');
    await expect(status(page)).toContainText(`Cell row 56, column 33: 9 products sum to ${n(ref(SOBEL_X, 56, 33))},`);
    await page.keyboard.press('Shift+ArrowDown');
    await expect(status(page)).toContainText('Cell row 61, column 33'); // clamped to the last row
    await page.keyboard.press('Home');
    await expect(status(page)).toContainText(`Cell row 0, column 0: 9 products sum to ${n(ref(SOBEL_X, 0, 0))},`);
    await page.keyboard.press('End');
    await expect(status(page)).toContainText('Cell row 61, column 61');
    await expect(widget(page).locator('.kp-arith')).toContainText('rows 61–63, columns 61–63');
    expect(page.url()).toContain('kp.at=61,61');
  });

  test('clicking a pixel of the feature map shows its arithmetic', async ({ page }) => {
    await page.goto(URL);
    const frame = widget(page).locator('.kp-map .hm-frame');
    await frame.scrollIntoViewIfNeeded();
    const box = (await frame.boundingBox())!;
    // Centre of cell (10, 20) of the 62 x 62 map.
    await page.mouse.click(box.x + ((20 + 0.5) / 62) * box.width, box.y + ((10 + 0.5) / 62) * box.height);
    await expect(status(page)).toContainText(`Cell row 10, column 20: 9 products sum to ${n(ref(SOBEL_X, 10, 20))},`);
    const products = widget(page).getByRole('table', { name: 'products' });
    await expect(products.locator('td')).toHaveCount(9);
  });

  test('presets, kernel size, images and normalisation recompute', async ({ page }) => {
    await page.goto(URL);
    const w = widget(page);
    await w.getByLabel('Kernel', { exact: true }).selectOption({ label: 'Laplacian' });
    await expect(status(page)).toContainText('Laplacian on the camera photo');
    await expect(w.locator('.kp-about')).toContainText('On a flat patch where every pixel is 100 it gives 0.');
    await expect(w.getByRole('button', { name: '6. Laplacian' })).toHaveAttribute('aria-pressed', 'true');
    await w.getByLabel('Kernel', { exact: true }).selectOption({ label: 'Gaussian blur 5x5' });
    await expect(status(page)).toContainText('a 60 × 60 map');
    await expect(w.locator('.kp-entry')).toHaveCount(25);
    await expect(w.getByLabel('Divide every entry by')).toHaveValue('256');
    // Depth buttons load their kernel.
    await w.getByRole('button', { name: '5. Sobel y' }).click();
    await expect(status(page)).toContainText('Sobel y on the camera photo: a 62 × 62 map');
    await expect(w.locator('.kp-entry')).toHaveCount(9);
    // Editing an entry makes it "your kernel"; putting it back names the preset again.
    await w.getByLabel('Kernel row 1, column 1').fill('5');
    await expect(status(page)).toContainText('Your kernel on the camera photo');
    await w.getByLabel('Kernel row 1, column 1').fill('-1');
    await expect(status(page)).toContainText('Sobel y on the camera photo');
    // Size 5 embeds the 3x3 kernel in zeros: same numbers in the middle, map 2 pixels smaller.
    await w.getByRole('radio', { name: '5 × 5' }).check();
    await expect(status(page)).toContainText('Your kernel on the camera photo: a 60 × 60 map');
    await w.getByRole('radio', { name: 'MNIST digit' }).check();
    await expect(status(page)).toContainText('on MNIST digit #0 (a 7): a 24 × 24 map');
    await w.getByLabel('Which digit').selectOption('1');
    await expect(status(page)).toContainText('on MNIST digit #1 (a 2)');
    // Normalisation is stated honestly, with the real range and clipping counts.
    await w.getByLabel('Kernel', { exact: true }).selectOption({ label: 'Vertical edge' });
    await w.getByRole('radio', { name: 'clipped to 0–255' }).check();
    await expect(w.locator('.kp-scale')).toContainText(
      /Shown clipped to 0–255\. Clipped: \d+ cells below 0 show black/,
    );
    await w.getByRole('radio', { name: 'signed (0 = white)' }).check();
    await expect(w.locator('.kp-scale')).toContainText('Signed colours: 0 is white');
    await noNaN(w);
  });

  test('rescaled range matches a plain-loop reference on the photo (vertical edge)', async ({ page }) => {
    await page.goto(URL);
    const w = widget(page);
    await w.getByLabel('Kernel', { exact: true }).selectOption({ label: 'Vertical edge' });
    const k = [-1, 0, 1, -1, 0, 1, -1, 0, 1];
    const { min, max } = refRange(k);
    await expect(w.locator('.kp-scale')).toHaveText(
      `Values run from ${n(min)} to ${n(max)}. Rescaled: ${n(min)} shows black and ${n(max)} white.`,
    );
  });

  const badInputs: [label: string, value: string, message: RegExp][] = [
    ['Kernel row 2, column 2', '', /row 2, column 2 of the kernel is empty/],
    ['Kernel row 1, column 3', 'abc', /“abc” at row 1, column 3 of the kernel is not a number/],
    ['Kernel row 3, column 1', 'NaN', /is not a finite number/],
    ['Kernel row 1, column 1', '5000', /must be between −1000 and 1000; you gave 5000/],
    ['Divide every entry by', '0', /The divisor cannot be 0/],
    ['Divide every entry by', '', /Enter the number to divide every entry by/],
    [
      'Divide every entry by',
      'x2',
      /^“x2” is not a number: type the number to divide every entry by \(1 for none\)\.$/,
    ],
  ];
  // One page for every bad value. The old per-value check moved the selected cell one column left to show the
  // widget still works; each case moves it back and types the field's good value again, so the next case starts
  // from the page's first state (Sobel x on the photo, cell row 56, column 32).
  test('bad input shows a message and keeps the last map', async ({ page }) => {
    await page.goto(URL);
    const w = widget(page);
    const stage = w.getByRole('group', { name: /Kernel playground/ });
    await expect(w.getByRole('alert')).toHaveCount(0);
    const firstStatus = await status(page).textContent();
    expect(firstStatus).toContain('Cell row 56, column 32:');
    const firstPics = await w.locator('.kp-pics').innerText();
    for (const [label, value, message] of badInputs) {
      await test.step(`bad ${label}: "${value}"`, async () => {
        await expect(status(page)).toHaveText(firstStatus!);
        const before = await stateHTML(w.locator('.kp-pics'));
        const statusBefore = await status(page).textContent();
        const field = w.getByLabel(label);
        const good = await field.inputValue();
        await field.fill(value);
        await expect(w.getByRole('alert').filter({ hasText: message })).toBeVisible();
        await expect(field).toHaveAttribute('aria-invalid', 'true');
        expect(await stateHTML(w.locator('.kp-pics'))).toBe(before);
        await expect(status(page)).toHaveText(statusBefore!);
        await noNaN(w);
        // The widget still works: the last good kernel is used for moving around.
        await stage.focus();
        await page.keyboard.press('ArrowLeft');
        await expect(status(page)).toContainText('Cell row 56, column 31');
        // Back to the known good state for the next case.
        await page.keyboard.press('ArrowRight');
        await expect(status(page)).toContainText('Cell row 56, column 32');
        await field.fill(good);
        await expect(w.getByRole('alert')).toHaveCount(0);
        await expect(field).not.toHaveAttribute('aria-invalid', 'true');
        await expect(status(page)).toHaveText(firstStatus!);
        // The build-time PNGs are encoded differently from the browser's, so compare what the pictures say.
        expect(await w.locator('.kp-pics').innerText()).toBe(firstPics);
      });
    }
  });

  test('state is restored from the URL and bad links are explained', async ({ page }) => {
    await page.goto(`${URL}?kp.img=digit&kp.digit=3&kp.k=0,1,0,1,-4,1,0,1,0&kp.div=1&kp.scale=diverging&kp.at=5,6`);
    const w = widget(page);
    await expect(w.getByLabel('Kernel', { exact: true })).toHaveValue('laplacian');
    await expect(w.getByRole('radio', { name: 'signed (0 = white)' })).toBeChecked();
    await expect(status(page)).toContainText('Laplacian on MNIST digit #3 (a 0): a 26 × 26 map');
    await expect(status(page)).toContainText('Cell row 5, column 6');
    await page.goto(`${URL}?kp.img=nope&kp.k=1,2,3`);
    await expect(w.getByRole('alert').filter({ hasText: 'image “nope” that does not exist' })).toBeVisible();
    await expect(w.getByRole('alert').filter({ hasText: 'has 3 numbers; a kernel needs 9' })).toBeVisible();
    await expect(status(page)).toContainText('Sobel x on the camera photo');
    await page.goto(`${URL}?kp.k=1,1,1,1,oops,1,1,1,1&kp.div=9`);
    await expect(w.getByRole('alert').filter({ hasText: '“oops” at row 2, column 2' })).toBeVisible();
    await noNaN(w);
  });

  // A long page: axe is slow on a shared machine, so it gets its own test and time.
  test('axe finds no violations on the whole page; nothing overflows a phone (screenshots)', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(URL);
    await expectNoAxeViolations(page);
    await screenshots(page, 'ch04-kernels');
  });

  test('on a phone, a changed state is axe clean and fits', async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(
      `${URL}?kp.img=digit&kp.digit=1&kp.k=1,4,6,4,1,4,16,24,16,4,6,24,36,24,6,4,16,24,16,4,1,4,6,4,1&kp.div=256&kp.scale=clip#kp`,
    );
    await expect(status(page)).toContainText('Gaussian blur 5x5 on MNIST digit #1');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // The whole page is checked above; here only the widgets, in their changed state.
    await expectNoAxeViolationsIn(page, '#kp');
    await widgetShot(widget(page), 'ch04-playground-5x5-phone');
  });
});
