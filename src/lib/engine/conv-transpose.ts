/**
 * Transposed convolution (often, wrongly, called "deconvolution"): the backward pass of a convolution with respect
 * to its input, used as a layer of its own to make feature maps larger (Dumoulin & Visin 2016, section 4; Long et
 * al. 2015). Each input value stamps a copy of the kernel, scaled by itself, into the output, `stride` cells apart;
 * overlapping stamps add. In matrix terms: cols = Wᵀ · x, then col2im.
 */
import { EngineError, assertFiniteResult } from './errors.ts';
import { checkUpstream, conv2dGeometry } from './conv2d.ts';
import type { Conv2dGeometry } from './conv2d-geometry.ts';
import { batchToRows, col2imRaw, gemmNN, gemmNT, gemmTN, im2colRaw, rowsToBatch } from './gemm-kernels.ts';
import { pair, transposedOutputSize, type ResolvedPadding } from './output-size.ts';
import { assertFiniteTensor, assertRank, shapeString, wrap, type Tensor } from './tensor.ts';

/** Settings of a transposed convolution: those of the convolution it transposes, plus the output padding. */
export interface ConvTransposeOptions {
  /** Distance between neighbouring stamps in the output, the same both ways or [vertical, horizontal] (1). */
  stride?: number | [number, number];
  /** The forward convolution's zero padding, cropped from the output: a number or each side (0). */
  padding?: number | ResolvedPadding;
  /** Gap between kernel taps, the same both ways or [vertical, horizontal] (1). */
  dilation?: number | [number, number];
  /** Extra rows/columns at the bottom/right, below the stride: picks the output size (0). */
  outputPadding?: number | [number, number];
}

/** The resolved sizes: the convolution this op transposes (from the output [C, OH, OW] back to [K, H, W]). */
export interface ConvTransposeGeometry {
  /** Output height and width. */
  OH: number;
  OW: number;
  /** The forward convolution's geometry, with its input = this op's output and its output = this op's input. */
  conv: Conv2dGeometry;
}

function resolve(p: number | ResolvedPadding | undefined): ResolvedPadding {
  if (p === undefined || typeof p === 'number') {
    const v = p ?? 0;
    return { top: v, bottom: v, left: v, right: v };
  }
  if (p === null || typeof p !== 'object') {
    throw new EngineError('padding', `The padding must be a number or {top, bottom, left, right}; got ${String(p)}.`);
  }
  return p;
}

/**
 * Output size and the underlying convolution of a transposed convolution.
 * @param xShape [K, H, W] or [B, K, H, W] @param wShape [K, C, kh, kw] (the forward convolution's kernels)
 */
export function convTransposeGeometry(
  xShape: readonly number[],
  wShape: readonly number[],
  opts: ConvTransposeOptions = {},
): ConvTransposeGeometry {
  if (opts !== null && opts !== undefined && typeof opts !== 'object') {
    throw new EngineError('options', 'The options must be an object like { stride: 2, padding: 0 }.');
  }
  opts ??= {};
  const [B, K, H, W] = (xShape.length === 3 ? [1, ...xShape] : xShape) as [number, number, number, number];
  const [Kw, C, kh, kw] = wShape as [number, number, number, number];
  if (Kw !== K) {
    throw new EngineError(
      'kernel',
      `The kernels w ${shapeString(wShape)} expect ${Kw} input channel${Kw === 1 ? '' : 's'} (their first axis, the forward convolution's filters), but x has ${K}.`,
    );
  }
  const [sy, sx] = pair(opts.stride ?? 1, 'stride', 'The stride', 1);
  const [dy, dx] = pair(opts.dilation ?? 1, 'dilation', 'The dilation', 1);
  const [opy, opx] = pair(opts.outputPadding ?? 0, 'outputPadding', 'The output padding', 0);
  const pad = resolve(opts.padding);
  const OH = transposedOutputSize(H, kh, [pad.top, pad.bottom], sy, dy, opy);
  const OW = transposedOutputSize(W, kw, [pad.left, pad.right], sx, dx, opx);
  const conv = conv2dGeometry([B, C, OH, OW], wShape, { stride: [sy, sx], dilation: [dy, dx], padding: pad });
  // transposedOutputSize keeps outputPadding below the stride, so this convolution maps OH x OW back to H x W:
  // floor(((H − 1)s + outputPadding)/s) + 1 = H.
  return { OH, OW, conv };
}

function checkInputs(x: Tensor, w: Tensor): void {
  if (x !== null && typeof x === 'object' && Array.isArray(x.shape) && x.shape.length === 4) {
    assertRank(x, 4, 'input', 'The input x', '[batch, channels, height, width]');
  } else assertRank(x, 3, 'input', 'The input x', '[channels, height, width]');
  assertRank(w, 4, 'kernel', 'The kernels w', '[input channels K, output channels C, kernel height, kernel width]');
  assertFiniteTensor(x, 'input', 'The input x');
  assertFiniteTensor(w, 'kernel', 'The kernels w');
}

/**
 * Transposed 2D convolution: y = col2im(Wᵀ · x), with W = w reshaped to [K, C*kh*kw] and x as [K, B*H*W].
 * Equal to the input gradient of conv2d(·, w, opts) for the upstream gradient x; its output size per axis is
 * (i - 1)s - pBefore - pAfter + d(k - 1) + 1 + outputPadding (`transposedOutputSize`).
 *
 * @param x shape [K, H, W] or [B, K, H, W]
 * @param w shape [K, C, kh, kw]: the same tensor the forward convolution [C, ...] -> [K, ...] uses
 *   (PyTorch's ConvTranspose2d stores [in, out, kh, kw], the same order; TF.js's conv2dTranspose [kh, kw, out, in])
 * @param b shape [C], or null
 * @returns shape [C, OH, OW] or [B, C, OH, OW]
 */
export function conv2dTranspose(x: Tensor, w: Tensor, b: Tensor | null, opts: ConvTransposeOptions = {}): Tensor {
  checkInputs(x, w);
  const { conv: g, OH, OW } = convTransposeGeometry(x.shape, w.shape, opts);
  if (b !== null) {
    assertRank(b, 1, 'bias', 'The bias b', '[output channels]');
    if (b.shape[0] !== g.C) {
      throw new EngineError(
        'bias',
        `The bias needs one value per output channel: shape [${g.C}], got ${shapeString(b.shape)}.`,
      );
    }
    assertFiniteTensor(b, 'bias', 'The bias b');
  }
  const P = g.OH * g.OW;
  const cols = gemmTN(w.data, batchToRows(x.data, g.K, g.B, P), g.C * g.kh * g.kw, g.K, g.B * P);
  const out = col2imRaw(cols, g);
  if (b !== null) {
    const plane = OH * OW;
    for (let n = 0; n < g.B; n++)
      for (let c = 0; c < g.C; c++) {
        const o = (n * g.C + c) * plane;
        for (let i = o; i < o + plane; i++) out[i] = out[i]! + b.data[c]!;
      }
  }
  assertFiniteResult('conv2dTranspose', out);
  return wrap(x.shape.length === 3 ? [g.C, OH, OW] : [g.B, g.C, OH, OW], out);
}

/**
 * Gradients of conv2dTranspose. With cols = im2col(dy) (the forward convolution's windows over dy):
 * dx = W · cols (that is conv2d(dy, w): the transpose of a transpose is the convolution), dW = x · colsᵀ, and
 * db[c] = the sum of dy over channel c.
 *
 * @param x shape [K, H, W] or [B, K, H, W] @param w shape [K, C, kh, kw] @param dy shape [C, OH, OW] or [B, C, OH, OW]
 * @returns dx shaped like x, dw [K, C, kh, kw], db [C]
 */
export function conv2dTransposeBackward(
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  opts: ConvTransposeOptions = {},
): { dx: Tensor; dw: Tensor; db: Tensor } {
  checkInputs(x, w);
  const { conv: g, OH, OW } = convTransposeGeometry(x.shape, w.shape, opts);
  checkUpstream(dy, x.shape.length === 3 ? [g.C, OH, OW] : [g.B, g.C, OH, OW]);
  const P = g.OH * g.OW;
  const R = g.C * g.kh * g.kw;
  const N = g.B * P;
  const cols = im2colRaw(dy.data, g);
  const dx = rowsToBatch(gemmNN(w.data, cols, g.K, R, N), g.K, g.B, P);
  const dw = gemmNT(batchToRows(x.data, g.K, g.B, P), cols, g.K, N, R);
  const db = new Float64Array(g.C);
  const plane = OH * OW;
  for (let n = 0; n < g.B; n++)
    for (let c = 0; c < g.C; c++) {
      let s = 0;
      for (let i = (n * g.C + c) * plane; i < (n * g.C + c + 1) * plane; i++) s += dy.data[i]!;
      db[c] = db[c]! + s;
    }
  for (const v of [dx, dw, db]) assertFiniteResult('conv2dTransposeBackward', v);
  return { dx: wrap(x.shape, dx), dw: wrap(w.shape, dw), db: wrap([g.C], db) };
}
