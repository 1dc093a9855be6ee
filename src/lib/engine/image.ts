import { EngineError, assertFiniteArray, assertInt } from './errors.ts';
import { assertFiniteTensor, assertRank, shapeString, wrap, type Tensor } from './tensor.ts';

/**
 * ITU-R BT.601 luma weights for R, G and B (the ones PIL's `convert('L')` and most libraries use):
 * green counts most because the eye is most sensitive to it, blue least.
 */
export const GRAY_WEIGHTS: readonly [number, number, number] = [0.299, 0.587, 0.114];

/**
 * Reorders pixels as image files store them (row by row, each pixel's channels together: HWC) into the
 * engine's channels-first layout. A transpose, not a reshape: reshaping HWC data to [C, H, W] scrambles it.
 * @param pixels row-major values, shape [H, W, C]
 * @returns shape [C, H, W]
 */
export function hwcToChw(pixels: ArrayLike<number>, height: number, width: number, channels: number): Tensor {
  assertInt(height, 'shape', 'The image height', 1);
  assertInt(width, 'shape', 'The image width', 1);
  assertInt(channels, 'shape', 'The number of channels', 1);
  const n = height * width * channels;
  if (pixels.length !== n) {
    throw new EngineError(
      'input',
      `An image of ${height}x${width} pixels with ${channels} channel${channels === 1 ? '' : 's'} needs ${n} values, got ${pixels.length}.`,
    );
  }
  assertFiniteArray(pixels, 'input', 'The pixels');
  const out = new Float64Array(n);
  const plane = height * width;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++) out[c * plane + p] = pixels[p * channels + c]!;
  }
  return wrap([channels, height, width], out);
}

export interface GrayOptions {
  /** Round to the nearest whole number, as an 8-bit image stores it (default false: exact weighted sum). */
  round?: boolean;
}

/**
 * Grayscale from colour: gray = 0.299 R + 0.587 G + 0.114 B at every pixel (a weighted sum over channels,
 * which is a 1x1 convolution with one filter).
 * @param x shape [3, H, W] (channels R, G, B)
 * @returns shape [1, H, W]
 */
export function rgbToGray(x: Tensor, opts: GrayOptions = {}): Tensor {
  assertRank(x, 3, 'input', 'The colour image', '[channels, height, width]');
  if (x.shape[0] !== 3) {
    throw new EngineError(
      'input',
      `A colour image needs 3 channels (R, G, B), but this one has shape ${shapeString(x.shape)}.`,
    );
  }
  assertFiniteTensor(x, 'input', 'The colour image');
  const plane = x.shape[1]! * x.shape[2]!;
  const out = new Float64Array(plane);
  const [wr, wg, wb] = GRAY_WEIGHTS;
  for (let p = 0; p < plane; p++) {
    const g = wr * x.data[p]! + wg * x.data[plane + p]! + wb * x.data[2 * plane + p]!;
    out[p] = opts.round ? Math.round(g) : g;
  }
  return wrap([1, x.shape[1]!, x.shape[2]!], out);
}

/**
 * Gradient of the unrounded rgbToGray: each channel receives its weight times the upstream gradient.
 * (Rounding has zero gradient almost everywhere, so networks never round inside the graph.)
 * @param dy shape [1, H, W]
 * @returns dx shape [3, H, W]
 */
export function rgbToGrayBackward(dy: Tensor): Tensor {
  assertRank(dy, 3, 'gradient', 'The output gradient dy', '[1, height, width]');
  if (dy.shape[0] !== 1) {
    throw new EngineError(
      'gradient',
      `The output gradient of rgbToGray has one channel, got shape ${shapeString(dy.shape)}.`,
    );
  }
  assertFiniteTensor(dy, 'gradient', 'The output gradient dy');
  const plane = dy.data.length;
  const out = new Float64Array(3 * plane);
  GRAY_WEIGHTS.forEach((w, c) => {
    for (let p = 0; p < plane; p++) out[c * plane + p] = w * dy.data[p]!;
  });
  return wrap([3, dy.shape[1]!, dy.shape[2]!], out);
}

/** Summary numbers of an image's values, for prose ("only 150 of its 784 pixels are not zero"). */
export interface ImageStats {
  /** How many values (C * H * W). */
  count: number;
  min: number;
  max: number;
  mean: number;
  /** How many values are exactly 0. */
  zeros: number;
}

/** @param x any shape, e.g. [C, H, W] */
export function imageStats(x: Tensor): ImageStats {
  assertFiniteTensor(x, 'input', 'The image');
  const d = x.data;
  if (d.length === 0) throw new EngineError('input', 'The image has no pixels.');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (v === 0) zeros++;
  }
  return { count: d.length, min, max, mean: sum / d.length, zeros };
}
