import { EngineError, assertFiniteArray, assertInt, assertNumberList } from './errors.ts';

/**
 * A single-channel raster of ink, row-major [height, width]: a Float64Array holds ink in [0, 1], a Uint8ClampedArray
 * holds ink in 0..255 (e.g. the alpha channel of a canvas drawn on a transparent background).
 */
export interface InkRaster {
  width: number;
  height: number;
  data: Float64Array | Uint8ClampedArray;
}

/** What MNIST-style preprocessing did, so a widget can explain it. */
export interface DigitPreprocessResult {
  /** The 28x28 image the model sees, row-major, ink in [0, 1]. */
  pixels: Float64Array;
  /** The ink's bounding box in the raster (inclusive left/top, exclusive right/bottom). */
  box: { left: number; top: number; right: number; bottom: number };
  /** Raster pixels per output pixel were divided by this: output size = raster size x scale. */
  scale: number;
  /** Centre of mass of the ink in raster coordinates (x right, y down; a pixel's centre is at +0.5). */
  centre: { x: number; y: number };
}

/** Side of the MNIST field, and of the box the longer side of the digit is scaled to. */
export const MNIST_SIZE = 28;
export const MNIST_BOX = 20;
/** Below this ink level a pixel counts as paper when finding the bounding box (canvas anti-aliasing fringes). */
const INK_THRESHOLD = 0.05;

function inkAt(r: InkRaster): (i: number) => number {
  const scale = r.data instanceof Uint8ClampedArray ? 1 / 255 : 1;
  return (i) => {
    const v = r.data[i]! * scale;
    return v > 0 ? Math.min(v, 1) : 0;
  };
}

function checkRaster(r: InkRaster): void {
  assertInt(r.width, 'drawing', 'The drawing width', 1, 4096);
  assertInt(r.height, 'drawing', 'The drawing height', 1, 4096);
  if (r.data.length !== r.width * r.height) {
    throw new EngineError(
      'drawing',
      `The drawing has ${r.data.length} values but ${r.width}x${r.height} = ${r.width * r.height} pixels.`,
    );
  }
}

/**
 * Area-weighted resampling of a piecewise-constant raster: output pixel (i, j) covers the raster rectangle
 * x in [x0 + j/s, x0 + (j+1)/s), y in [y0 + i/s, y0 + (i+1)/s) and gets the mean ink over it (outside = paper).
 * Averaging over the footprint is the grey anti-aliasing MNIST's normalisation produced.
 */
function resample(r: InkRaster, x0: number, y0: number, s: number, size: number): Float64Array {
  const ink = inkAt(r);
  const out = new Float64Array(size * size);
  const step = 1 / s;
  // Overlap of [a, a + step) with each raster column/row: precomputed per output index, used for both axes.
  const spans = (origin: number, limit: number) =>
    Array.from({ length: size }, (_, k) => {
      const a = origin + k * step;
      const b = a + step;
      const parts: [number, number][] = [];
      for (let p = Math.max(0, Math.floor(a)); p < Math.min(limit, Math.ceil(b)); p++) {
        const w = Math.min(b, p + 1) - Math.max(a, p);
        if (w > 0) parts.push([p, w]);
      }
      return parts;
    });
  const cols = spans(x0, r.width);
  const rows = spans(y0, r.height);
  const area = step * step;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let sum = 0;
      for (const [py, wy] of rows[i]!) {
        for (const [px, wx] of cols[j]!) sum += ink(py * r.width + px) * wy * wx;
      }
      out[i * size + j] = Math.min(1, sum / area);
    }
  }
  return out;
}

/**
 * MNIST-style normalisation of a drawn digit (LeCun et al.'s recipe for the MNIST set): crop to the ink, scale so
 * the longer side fits a 20x20 box keeping the aspect ratio, and place it in a 28x28 field so that its centre of mass
 * lies at the field's centre (index coordinates 13.5, 13.5), with grey levels from area averaging.
 * Ink that lands outside the field after centring (very lopsided digits) is cut off, as in MNIST.
 * @param raster ink of shape [height, width]
 * @returns pixels of shape [28, 28] in [0, 1], with the box, scale and centre used
 * @throws EngineError "Draw a digit first" when there is no ink
 */
export function preprocessDigit(raster: InkRaster): DigitPreprocessResult {
  checkRaster(raster);
  const ink = inkAt(raster);
  const { width: W, height: H } = raster;
  let left = W;
  let top = H;
  let right = 0;
  let bottom = 0;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = ink(y * W + x);
      if (v <= 0) continue;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
      if (v >= INK_THRESHOLD) {
        left = Math.min(left, x);
        top = Math.min(top, y);
        right = Math.max(right, x + 1);
        bottom = Math.max(bottom, y + 1);
      }
    }
  }
  if (right <= left || mass <= 0) {
    throw new EngineError('drawing', 'Draw a digit first: the canvas is empty.');
  }
  const scale = MNIST_BOX / Math.max(right - left, bottom - top);
  const cx = mx / mass;
  const cy = my / mass;
  // Output coordinate u = (x - cx) * scale + 14, so output pixel j starts at raster x = cx + (j - 14) / scale.
  const half = MNIST_SIZE / 2;
  const pixels = resample(raster, cx - half / scale, cy - half / scale, scale, MNIST_SIZE);
  return { pixels, box: { left, top, right, bottom }, scale, centre: { x: cx, y: cy } };
}

/**
 * The naive alternative, for comparison: shrink the whole raster to 28x28 by area averaging, with no cropping,
 * size normalisation or centring (what a model sees if a drawing is simply resized).
 * @param raster ink of shape [height, width]
 * @returns pixels of shape [28, 28] in [0, 1]
 */
export function downsampleRaw(raster: InkRaster): Float64Array {
  checkRaster(raster);
  const scale = MNIST_SIZE / Math.max(raster.width, raster.height);
  return resample(raster, 0, 0, scale, MNIST_SIZE);
}

/**
 * Centre of mass of a square image in index coordinates (a pixel's centre is at its index), or null for no ink.
 * @param pixels shape [size, size]
 */
export function centreOfMass(pixels: ArrayLike<number>, size: number): { x: number; y: number } | null {
  assertInt(size, 'size', 'The image size', 1, 4096);
  assertNumberList(pixels, 'input', 'The pixels');
  if (pixels.length !== size * size) {
    throw new EngineError('input', `A ${size}x${size} image needs ${size * size} pixels, got ${pixels.length}.`);
  }
  assertFiniteArray(pixels, 'input', 'The pixels');
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const v = pixels[i * size + j]!;
      mass += v;
      mx += v * j;
      my += v * i;
    }
  }
  return mass > 0 ? { x: mx / mass, y: my / mass } : null;
}
