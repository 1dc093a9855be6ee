/**
 * im2col and col2im: how frameworks turn a convolution into one matrix multiplication (Chellapilla et al. 2006;
 * Caffe's im2col; CS231n "Implementation as Matrix Multiplication"). Every window of the input is copied out as one
 * column of a patch matrix, so the filters, reshaped to rows, multiply all windows at once.
 */
import { EngineError, assertFiniteResult } from './errors.ts';
import { conv2dGeometry, type Conv2dOptions } from './conv2d.ts';
import type { Conv2dGeometry } from './conv2d-geometry.ts';
import { col2imRaw, gemmNN, gemmNT, gemmTN, im2colRaw } from './gemm-kernels.ts';
import { assertFiniteTensor, assertRank, shapeString, wrap, type Tensor } from './tensor.ts';
import { pair } from './output-size.ts';

/** The window settings of im2col: a conv's stride, padding and dilation (the kernel's values play no part). */
export type Im2colOptions = Omit<Conv2dOptions, 'kind'>;

/** Checks x is [C, H, W] or [B, C, H, W] and returns the geometry of a kh x kw window over it. */
function windowGeometry(
  xShape: readonly number[],
  kernel: number | readonly [number, number],
  opts: Im2colOptions,
): Conv2dGeometry {
  const [kh, kw] = pair(kernel as number | [number, number], 'kernel', 'The kernel size', 1);
  const C = xShape[xShape.length - 3]!;
  if (opts !== null && opts !== undefined && typeof opts !== 'object') {
    throw new EngineError('options', 'The options must be an object like { stride: 1, padding: 0 }.');
  }
  return conv2dGeometry(xShape, [1, C, kh, kw], { ...(opts ?? {}), kind: 'cross-correlation' });
}

function assertImage(x: Tensor, field: string, what: string): void {
  if (x !== null && typeof x === 'object' && Array.isArray(x.shape) && x.shape.length === 4) {
    assertRank(x, 4, field, what, '[batch, channels, height, width]');
  } else assertRank(x, 3, field, what, '[channels, height, width]');
}

/**
 * The patch matrix: one column per window position, one row per (channel, kernel row, kernel column).
 * Column n = (b*OH + oy)*OW + ox holds the window of output (oy, ox) of image b, read in the order of a flattened
 * filter (channel, then row, then column); cells of the zero padding are 0.
 *
 * @param x shape [C, H, W] or [B, C, H, W]
 * @param kernel window size: kh = kw, or [kh, kw]
 * @returns shape [C*kh*kw, OH*OW] (one image) or [C*kh*kw, B*OH*OW] (a batch, images side by side)
 */
export function im2col(x: Tensor, kernel: number | [number, number], opts: Im2colOptions = {}): Tensor {
  assertImage(x, 'input', 'The input x');
  assertFiniteTensor(x, 'input', 'The input x');
  const g = windowGeometry(x.shape, kernel, opts);
  return wrap([g.C * g.kh * g.kw, g.B * g.OH * g.OW], im2colRaw(x.data, g));
}

/**
 * The adjoint of im2col: each entry of the patch matrix is ADDED back into the input cell it came from, so a cell
 * that k windows read receives the sum of k entries (entries from padding cells are dropped). This "+=" is what makes
 * col2im the backward pass of im2col; col2im(im2col(x)) is x times how many windows read each cell, not x.
 *
 * @param cols shape [C*kh*kw, OH*OW] or [C*kh*kw, B*OH*OW]
 * @param xShape the input's shape [C, H, W] or [B, C, H, W]
 * @param kernel window size: kh = kw, or [kh, kw]
 * @returns shape xShape
 */
export function col2im(
  cols: Tensor,
  xShape: readonly number[],
  kernel: number | [number, number],
  opts: Im2colOptions = {},
): Tensor {
  if (!Array.isArray(xShape) || (xShape.length !== 3 && xShape.length !== 4)) {
    throw new EngineError('shape', 'The input shape must be [C, H, W] or [B, C, H, W].');
  }
  xShape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1) {
      throw new EngineError('shape', `Dimension ${i} of the input shape ${shapeString(xShape)} must be at least 1.`);
    }
  });
  assertRank(cols, 2, 'cols', 'The patch matrix', '[C·kh·kw, columns]');
  assertFiniteTensor(cols, 'cols', 'The patch matrix');
  const g = windowGeometry(xShape, kernel, opts);
  const rows = g.C * g.kh * g.kw;
  const n = g.B * g.OH * g.OW;
  if (cols.shape[0] !== rows || cols.shape[1] !== n) {
    throw new EngineError(
      'cols',
      `For input ${shapeString(xShape)} and a ${g.kh}x${g.kw} kernel the patch matrix must be [${rows}, ${n}], got ${shapeString(cols.shape)}.`,
    );
  }
  const out = col2imRaw(cols.data, g);
  assertFiniteResult('col2im', out);
  return wrap(xShape, out);
}

/** Options of matmul: use a matrix transposed without copying it (as `tf.matMul(a, b, transposeA, transposeB)`). */
export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product op(a) · op(b), op = transpose when asked. Float64, no blocking: plain loops ordered so the innermost
 * one walks memory contiguously.
 *
 * @param a shape [M, K] (or [K, M] with transposeA)
 * @param b shape [K, N] (or [N, K] with transposeB)
 * @returns shape [M, N]
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  assertRank(a, 2, 'a', 'The matrix a', '[rows, columns]');
  assertRank(b, 2, 'b', 'The matrix b', '[rows, columns]');
  assertFiniteTensor(a, 'a', 'The matrix a');
  assertFiniteTensor(b, 'b', 'The matrix b');
  const ta = opts?.transposeA === true;
  const tb = opts?.transposeB === true;
  if (ta && tb)
    throw new EngineError('options', 'matmul transposes one operand at most; transpose the product instead.');
  const [M, Ka] = ta ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [Kb, N] = tb ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (Ka !== Kb) {
    throw new EngineError(
      'b',
      `The inner sizes must agree: a${ta ? 'ᵀ' : ''} is [${M}, ${Ka}] and b${tb ? 'ᵀ' : ''} is [${Kb}, ${N}] (${Ka} ≠ ${Kb}).`,
    );
  }
  const out = ta
    ? gemmTN(a.data, b.data, M, Ka, N)
    : tb
      ? gemmNT(a.data, b.data, M, Ka, N)
      : gemmNN(a.data, b.data, M, Ka, N);
  assertFiniteResult('matmul', out);
  return wrap([M, N], out);
}
