import { activate, conv2d, sumPool2d, tensor, type Tensor } from '../../src/lib/index.ts';
import { SOBEL_X } from './edge-kernels.ts';

/**
 * Real MNIST digits for widgets: the 20 sample test digits that `npm run data` writes to
 * public/data/mnist/sample-digits.json, and the edge feature map a first conv layer + ReLU would make of one.
 * Build time reads the file with node:fs in the .astro frontmatter; the browser fetches it (same origin).
 */

/** One digit: 28 x 28 grey levels 0..255, row-major, and its label. */
export interface SampleDigit {
  index: number;
  label: number;
  pixels: number[];
}
export interface SampleDigits {
  rows: number;
  cols: number;
  digits: SampleDigit[];
}

/** Where the file is served, relative to the site's base URL. */
export const SAMPLE_DIGITS_PATH = 'data/mnist/sample-digits.json';

/** Checks the file's shape, so a stale or truncated file gives a message instead of NaN downstream. */
export function parseSampleDigits(json: unknown): SampleDigits {
  const data = json as Partial<SampleDigits> | null;
  const rows = data?.rows;
  const cols = data?.cols;
  const digits = data?.digits;
  if (typeof rows !== 'number' || typeof cols !== 'number' || !Array.isArray(digits) || digits.length === 0) {
    throw new Error('The sample digits file has no digits; run `npm run data`.');
  }
  for (const d of digits) {
    if (!Array.isArray(d.pixels) || d.pixels.length !== rows * cols) {
      throw new Error(`Sample digit ${String(d.index)} does not have ${rows * cols} pixels; run \`npm run data\`.`);
    }
  }
  return { rows, cols, digits };
}

let cache: Promise<SampleDigits> | null = null;

/** Fetches the sample digits once per page (browser only). */
export function loadSampleDigits(): Promise<SampleDigits> {
  cache ??= fetch(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}${SAMPLE_DIGITS_PATH}`)
    .then((r) => {
      if (!r.ok) throw new Error(`The sample digits could not be loaded (HTTP ${r.status}).`);
      return r.json() as Promise<unknown>;
    })
    .then(parseSampleDigits)
    .catch((err: unknown) => {
      cache = null; // let a later click try again
      throw err;
    });
  return cache;
}

/**
 * The vertical-edge kernel of chapter 4 (Sobel x, edge-kernels.ts): brightness rising from left to right gives a
 * large positive response, so on a white-on-black MNIST digit the left edge of each stroke is positive.
 */
export const EDGE_KERNEL: readonly number[] = SOBEL_X;

/**
 * What a first conv layer with one vertical-edge filter and ReLU makes of a digit: pixels scaled to 0..1,
 * cross-correlated with EDGE_KERNEL (valid, stride 1), negatives zeroed.
 * @param pixels rows*cols grey levels 0..255 @returns shape [1, rows - 2, cols - 2]
 */
export function edgeFeatureMap(pixels: readonly number[], rows: number, cols: number): Tensor {
  const x = tensor(
    [1, rows, cols],
    pixels.map((p) => p / 255),
  );
  return activate(conv2d(x, tensor([1, 1, 3, 3], EDGE_KERNEL), null), 'relu');
}

/**
 * The size x size patch of a [1, H, W] map with the largest total (found with sum pooling, stride 2, so the patch
 * starts on even rows and columns), rounded to one decimal so a reader can check every pooled value by hand.
 */
export function strongestPatch(map: Tensor, size: number): { values: number[]; top: number; left: number } {
  const [, H, W] = map.shape as [number, number, number];
  const sums = sumPool2d(map, { size, stride: 2 }).y;
  let best = 0;
  for (let i = 1; i < sums.data.length; i++) if (sums.data[i]! > sums.data[best]!) best = i;
  const OW = sums.shape[2]!;
  const top = Math.floor(best / OW) * 2;
  const left = (best % OW) * 2;
  const values: number[] = [];
  for (let r = top; r < Math.min(H, top + size); r++) {
    for (let c = left; c < Math.min(W, left + size); c++) values.push(Math.round(map.data[r * W + c]! * 10) / 10);
  }
  return { values, top, left };
}
