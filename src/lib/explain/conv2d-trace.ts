import { EngineError } from '../engine/errors.ts';
import { checkUpstream, conv2dGeometry, rotate180, type Conv2dGeometry, type Conv2dOptions } from '../engine/conv2d.ts';
import { assertFiniteTensor, assertRank, type Tensor } from '../engine/tensor.ts';

/** One product of one output: kernel cell (ky, kx) of channel c over input cell (iy, ix). */
export interface Conv2dTerm {
  c: number;
  /** Cell of the sliding window (row, column). */
  ky: number;
  kx: number;
  /** The same cell as an index into w as given; differs from (ky, kx) only for true convolution (rotated kernel). */
  wy: number;
  wx: number;
  /** Input coordinates; outside [0,H) x [0,W) when the cell is padding. */
  iy: number;
  ix: number;
  inPadding: boolean;
  /** Input value (0 for padding). */
  x: number;
  w: number;
  product: number;
}

/** Everything a stepper needs to draw output y[k, oy, ox]. */
export interface Conv2dTrace {
  k: number;
  oy: number;
  ox: number;
  /** Window's top-left cell in unpadded input coordinates (negative inside the top/left padding). */
  top: number;
  left: number;
  /** All C*kh*kw cells, channel by channel, row by row; padding cells have x = 0. */
  terms: Conv2dTerm[];
  /** Sum of the products of each input channel. */
  partialSums: number[];
  bias: number;
  /** partialSums + bias: the output value. */
  sum: number;
}

function setup(x: Tensor, w: Tensor, opts: Conv2dOptions): { g: Conv2dGeometry; wd: Float64Array } {
  assertRank(x, 3, 'input', 'The input x', '[channels, height, width]');
  assertRank(w, 4, 'kernel', 'The kernels w', '[filters, channels, kernel height, kernel width]');
  assertFiniteTensor(x, 'input', 'The input x');
  assertFiniteTensor(w, 'kernel', 'The kernels w');
  const g = conv2dGeometry(x.shape, w.shape, opts);
  return { g, wd: g.flip ? rotate180(w).data : w.data };
}

function checkIndex(v: number, n: number, field: string, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v >= n) {
    throw new EngineError(field, `${what} must be a whole number from 0 to ${n - 1}, got ${String(v)}.`);
  }
}

/**
 * The products and sums behind one output y[k, oy, ox] of conv2d.
 * @param x [C, H, W] @param w [K, C, kh, kw] @param b [K] or null
 */
export function conv2dTrace(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  opts: Conv2dOptions,
  k: number,
  oy: number,
  ox: number,
): Conv2dTrace {
  const { g, wd } = setup(x, w, opts);
  checkIndex(k, g.K, 'k', 'The filter index');
  checkIndex(oy, g.OH, 'oy', 'The output row');
  checkIndex(ox, g.OW, 'ox', 'The output column');
  let bias = 0;
  if (b !== null) {
    assertRank(b, 1, 'bias', 'The bias b', '[filters]');
    if (b.shape[0] !== g.K)
      throw new EngineError('bias', `The bias needs one value per filter (${g.K}), got ${b.shape[0]}.`);
    assertFiniteTensor(b, 'bias', 'The bias b');
    bias = b.data[k]!;
  }
  const top = oy * g.sy - g.pad.top;
  const left = ox * g.sx - g.pad.left;
  const terms: Conv2dTerm[] = [];
  const partialSums: number[] = [];
  for (let c = 0; c < g.C; c++) {
    let partial = 0;
    for (let ky = 0; ky < g.kh; ky++) {
      for (let kx = 0; kx < g.kw; kx++) {
        const iy = top + ky * g.dy;
        const ix = left + kx * g.dx;
        const inPadding = iy < 0 || iy >= g.H || ix < 0 || ix >= g.W;
        const xv = inPadding ? 0 : x.data[(c * g.H + iy) * g.W + ix]!;
        const wv = wd[((k * g.C + c) * g.kh + ky) * g.kw + kx]!;
        const wy = g.flip ? g.kh - 1 - ky : ky;
        const wx = g.flip ? g.kw - 1 - kx : kx;
        const product = xv * wv;
        partial += product;
        terms.push({ c, ky, kx, wy, wx, iy, ix, inPadding, x: xv, w: wv, product });
      }
    }
    partialSums.push(partial);
  }
  const sum = partialSums.reduce((a, v) => a + v, 0) + bias;
  return { k, oy, ox, top, left, terms, partialSums, bias, sum };
}

/** One contribution to dx[c, iy, ix]: the output gradient dy[k, oy, ox] times the weight that joined them. */
export interface Conv2dInputGradTerm {
  k: number;
  oy: number;
  ox: number;
  /** Window cell that sat over (iy, ix) (index into the sliding kernel). */
  ky: number;
  kx: number;
  dy: number;
  w: number;
  product: number;
}

/**
 * Which output gradients and weights feed dx[c, iy, ix] (one term per window that read x[c, iy, ix]).
 * @param x [C, H, W] @param w [K, C, kh, kw] @param dy [K, OH, OW]
 */
export function conv2dInputGradTrace(
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  opts: Conv2dOptions,
  c: number,
  iy: number,
  ix: number,
): { terms: Conv2dInputGradTerm[]; sum: number } {
  const { g, wd } = setup(x, w, opts);
  checkUpstream(dy, [g.K, g.OH, g.OW]);
  checkIndex(c, g.C, 'c', 'The input channel');
  checkIndex(iy, g.H, 'iy', 'The input row');
  checkIndex(ix, g.W, 'ix', 'The input column');
  const terms: Conv2dInputGradTerm[] = [];
  let sum = 0;
  for (let k = 0; k < g.K; k++) {
    for (let ky = 0; ky < g.kh; ky++) {
      // oy*sy + ky*dy - top = iy must hold for a whole oy in range.
      const ny = iy + g.pad.top - ky * g.dy;
      if (ny < 0 || ny % g.sy !== 0 || ny / g.sy >= g.OH) continue;
      const oy = ny / g.sy;
      for (let kx = 0; kx < g.kw; kx++) {
        const nx = ix + g.pad.left - kx * g.dx;
        if (nx < 0 || nx % g.sx !== 0 || nx / g.sx >= g.OW) continue;
        const ox = nx / g.sx;
        const dv = dy.data[(k * g.OH + oy) * g.OW + ox]!;
        const wv = wd[((k * g.C + c) * g.kh + ky) * g.kw + kx]!;
        const product = dv * wv;
        sum += product;
        terms.push({ k, oy, ox, ky, kx, dy: dv, w: wv, product });
      }
    }
  }
  return { terms, sum };
}

/** One contribution to dw[k, c, ky, kx]: input x[c, iy, ix] times output gradient dy[k, oy, ox]. */
export interface Conv2dWeightGradTerm {
  oy: number;
  ox: number;
  iy: number;
  ix: number;
  /** True when (iy, ix) is padding (x = 0, so the product is 0). */
  inPadding: boolean;
  x: number;
  dy: number;
  product: number;
}

/**
 * Which inputs and output gradients feed dw[k, c, ky, kx] (one term per output position).
 * (ky, kx) index w as given; for true convolution that weight sits at the rotated window cell.
 * @param x [C, H, W] @param w [K, C, kh, kw] @param dy [K, OH, OW]
 */
export function conv2dWeightGradTrace(
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  opts: Conv2dOptions,
  k: number,
  c: number,
  ky: number,
  kx: number,
): { terms: Conv2dWeightGradTerm[]; sum: number } {
  const { g } = setup(x, w, opts);
  checkUpstream(dy, [g.K, g.OH, g.OW]);
  checkIndex(k, g.K, 'k', 'The filter index');
  checkIndex(c, g.C, 'c', 'The input channel');
  checkIndex(ky, g.kh, 'ky', 'The kernel row');
  checkIndex(kx, g.kw, 'kx', 'The kernel column');
  const cy = g.flip ? g.kh - 1 - ky : ky;
  const cx = g.flip ? g.kw - 1 - kx : kx;
  const terms: Conv2dWeightGradTerm[] = [];
  let sum = 0;
  for (let oy = 0; oy < g.OH; oy++) {
    for (let ox = 0; ox < g.OW; ox++) {
      const iy = oy * g.sy + cy * g.dy - g.pad.top;
      const ix = ox * g.sx + cx * g.dx - g.pad.left;
      const inPadding = iy < 0 || iy >= g.H || ix < 0 || ix >= g.W;
      const xv = inPadding ? 0 : x.data[(c * g.H + iy) * g.W + ix]!;
      const dv = dy.data[(k * g.OH + oy) * g.OW + ox]!;
      const product = xv * dv;
      sum += product;
      terms.push({ oy, ox, iy, ix, inPadding, x: xv, dy: dv, product });
    }
  }
  return { terms, sum };
}
