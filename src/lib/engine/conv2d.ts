import { EngineError, assertFiniteResult } from './errors.ts';
import { outputSize, pair, resolvePadding, type Padding2d } from './output-size.ts';
import type { Conv2dGeometry } from './conv2d-geometry.ts';
import { backwardGeneral, backwardStride1, forwardGeneral, forwardStride1 } from './conv2d-kernels.ts';
import { assertFiniteTensor, assertRank, shapeString, wrap, type Tensor } from './tensor.ts';

export type { Conv2dGeometry } from './conv2d-geometry.ts';

/** Settings of a 2D convolution. Defaults: cross-correlation, stride 1, padding 0, dilation 1. */
export interface Conv2dOptions {
  /** Step between windows, the same both ways or [vertical, horizontal]. */
  stride?: number | [number, number];
  /** Zeros around the input: a number, 'same', 'valid' or each side. */
  padding?: Padding2d;
  /** Gap between kernel taps (1 = adjacent), the same both ways or [vertical, horizontal]. */
  dilation?: number | [number, number];
  /** 'convolution' rotates the kernel 180° first; deep-learning "conv" is cross-correlation. */
  kind?: 'cross-correlation' | 'convolution';
}

/**
 * Validates options and channel counts and computes the output size (ranks must already be checked).
 * @param xShape [B, C, H, W] or [C, H, W] (B = 1) @param wShape [K, C, kh, kw]
 */
export function conv2dGeometry(
  xShape: readonly number[],
  wShape: readonly number[],
  opts: Conv2dOptions = {},
): Conv2dGeometry {
  // A single image [C, H, W] is a batch of one; messages quote the shape as the caller gave it.
  const [B, C, H, W] = (xShape.length === 3 ? [1, ...xShape] : xShape) as [number, number, number, number];
  const [K, Cw, kh, kw] = wShape as [number, number, number, number];
  if (opts !== null && opts !== undefined && typeof opts !== 'object') {
    throw new EngineError('options', 'The options must be an object like { stride: 1, padding: 0 }.');
  }
  opts ??= {};
  if (Cw !== C) {
    throw new EngineError(
      'kernel',
      `The kernels expect ${Cw} input channel${Cw === 1 ? '' : 's'} (w shape ${shapeString(wShape)}) but the input has ${C} (x shape ${shapeString(xShape)}).`,
    );
  }
  const kind = opts.kind ?? 'cross-correlation';
  if (kind !== 'cross-correlation' && kind !== 'convolution') {
    throw new EngineError('kind', `kind must be 'cross-correlation' or 'convolution', got ${String(kind)}.`);
  }
  const [sy, sx] = pair(opts.stride ?? 1, 'stride', 'The stride', 1);
  const [dy, dx] = pair(opts.dilation ?? 1, 'dilation', 'The dilation', 1);
  const pad = resolvePadding(opts.padding ?? 0, H, W, kh, kw, [sy, sx], [dy, dx]);
  const ekh = dy * (kh - 1) + 1;
  const ekw = dx * (kw - 1) + 1;
  const ph = H + pad.top + pad.bottom;
  const pw = W + pad.left + pad.right;
  if (ekh > ph || ekw > pw) {
    const dil = dy === 1 && dx === 1 ? '' : ` (${ekh}x${ekw} with dilation)`;
    const how = ekw > pw ? 'wider' : 'taller';
    throw new EngineError(
      'kernel',
      `The kernel ${kh}x${kw}${dil} is ${how} than the padded input ${ph}x${pw} (input ${H}x${W} plus padding): add padding or use a smaller kernel.`,
    );
  }
  const OH = outputSize(H, kh, [pad.top, pad.bottom], sy, dy).size;
  const OW = outputSize(W, kw, [pad.left, pad.right], sx, dx).size;
  return { B, C, H, W, K, kh, kw, sy, sx, dy, dx, pad, OH, OW, flip: kind === 'convolution' };
}

/** The kernels with their last two axes flipped (180° rotation). @param w [..., kh, kw] */
export function rotate180(w: Tensor): Tensor {
  if (w.shape.length < 2)
    throw new EngineError('kernel', `rotate180 needs at least 2 dimensions, got shape ${shapeString(w.shape)}.`);
  const kh = w.shape[w.shape.length - 2]!;
  const kw = w.shape[w.shape.length - 1]!;
  const plane = kh * kw;
  const out = new Float64Array(w.data.length);
  for (let base = 0; base < w.data.length; base += plane) {
    for (let i = 0; i < plane; i++) out[base + plane - 1 - i] = w.data[base + i]!;
  }
  return wrap(w.shape, out);
}

function checkInputs(x: Tensor, w: Tensor, b: Tensor | null, batched: boolean): void {
  assertRank(
    x,
    batched ? 4 : 3,
    'input',
    'The input x',
    batched ? '[batch, channels, height, width]' : '[channels, height, width]',
  );
  assertRank(w, 4, 'kernel', 'The kernels w', '[filters, channels, kernel height, kernel width]');
  assertFiniteTensor(x, 'input', 'The input x');
  assertFiniteTensor(w, 'kernel', 'The kernels w');
  if (b !== null) {
    assertRank(b, 1, 'bias', 'The bias b', '[filters]');
    if (b.shape[0] !== w.shape[0]) {
      throw new EngineError(
        'bias',
        `The bias needs one value per filter: shape [${w.shape[0]}], got ${shapeString(b.shape)}.`,
      );
    }
    assertFiniteTensor(b, 'bias', 'The bias b');
  }
}

/** The forward pass on validated inputs, x [B, C, H, W] or [C, H, W]; `name` is the public function, for messages. */
function forward(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions, name: string): Tensor {
  const g = conv2dGeometry(x.shape, w.shape, opts);
  const wd = g.flip ? rotate180(w).data : w.data;
  const kernel = g.sy === 1 && g.sx === 1 ? forwardStride1 : forwardGeneral;
  const out = kernel(x.data, wd, b === null ? null : b.data, g);
  assertFiniteResult(name, out);
  return wrap([g.B, g.K, g.OH, g.OW], out);
}

/** The backward pass on validated inputs (x batched or not); dy is checked against the output shape here. */
function backward(
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  opts: Conv2dOptions,
  name: string,
): { dx: Float64Array; dw: Tensor; db: Tensor } {
  const g = conv2dGeometry(x.shape, w.shape, opts);
  const expected = x.shape.length === 3 ? [g.K, g.OH, g.OW] : [g.B, g.K, g.OH, g.OW];
  checkUpstream(dy, expected);
  const wd = g.flip ? rotate180(w).data : w.data;
  const kernel = g.sy === 1 && g.sx === 1 ? backwardStride1 : backwardGeneral;
  const r = kernel(x.data, wd, dy.data, g);
  assertFiniteResult(name, r.dx);
  assertFiniteResult(name, r.dw);
  assertFiniteResult(name, r.db);
  const dwT = wrap(w.shape, r.dw);
  // The weights that slid were rotate180(w); rotating their gradient back gives dL/dw.
  return { dx: r.dx, dw: g.flip ? rotate180(dwT) : dwT, db: wrap([g.K], r.db) };
}

/**
 * Batched 2D cross-correlation (or convolution), the fast path used for training.
 * y[b,k,oy,ox] = bias[k] + sum_{c,ky,kx} w[k,c,ky,kx] * x[b,c, oy*sy + ky*dy - top, ox*sx + kx*dx - left]
 *
 * @param x shape [B, C, H, W]
 * @param w shape [K, C, kh, kw]
 * @param b shape [K], or null for no bias
 * @returns shape [B, K, OH, OW]
 */
export function conv2dBatch(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  checkInputs(x, w, b, true);
  return forward(x, w, b, opts, 'conv2dBatch');
}

/**
 * Gradients of conv2dBatch given the upstream gradient dy = dLoss/dy.
 * dx[b,c,iy,ix] = sum of w * dy over the windows that read x[b,c,iy,ix]; dw[k,c,ky,kx] = sum of x * dy over
 * every window position; db[k] = sum of dy[:,k].
 *
 * @param x shape [B, C, H, W] @param w shape [K, C, kh, kw] @param dy shape [B, K, OH, OW]
 * @returns dx [B, C, H, W], dw [K, C, kh, kw], db [K]
 */
export function conv2dBatchBackward(
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  opts: Conv2dOptions = {},
): { dx: Tensor; dw: Tensor; db: Tensor } {
  checkInputs(x, w, null, true);
  const r = backward(x, w, dy, opts, 'conv2dBatchBackward');
  return { dx: wrap(x.shape, r.dx), dw: r.dw, db: r.db };
}

/** Throws unless the upstream gradient has the output's shape and finite values. */
export function checkUpstream(dy: Tensor, expected: readonly number[]): void {
  assertRank(dy, expected.length, 'gradient', 'The output gradient dy', `${shapeString(expected)}`);
  if (dy.shape.some((d, i) => d !== expected[i])) {
    throw new EngineError(
      'gradient',
      `The output gradient dy must have the output's shape ${shapeString(expected)}, got ${shapeString(dy.shape)}.`,
    );
  }
  assertFiniteTensor(dy, 'gradient', 'The output gradient dy');
}

/**
 * 2D cross-correlation (or convolution) of one image.
 * @param x shape [C, H, W] @param w shape [K, C, kh, kw] @param b shape [K] or null
 * @returns shape [K, OH, OW]
 */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  checkInputs(x, w, b, false);
  // The geometry and kernels read [C, H, W] as a batch of one (messages still quote the shape as given).
  const y = forward(x, w, b, opts, 'conv2d');
  return wrap(y.shape.slice(1), y.data);
}

/**
 * Gradients of conv2d for one image.
 * @param x [C, H, W] @param w [K, C, kh, kw] @param dy [K, OH, OW]
 * @returns dx [C, H, W], dw [K, C, kh, kw], db [K]
 */
export function conv2dBackward(
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  opts: Conv2dOptions = {},
): { dx: Tensor; dw: Tensor; db: Tensor } {
  checkInputs(x, w, null, false);
  const r = backward(x, w, dy, opts, 'conv2dBackward');
  return { dx: wrap(x.shape, r.dx), dw: r.dw, db: r.db };
}
