/**
 * What the im2col stepper and the GEMM chapter's cost tables narrate: which input cells make up one column of the
 * patch matrix, how many columns copy each input cell, and what the patch matrix costs in memory and arithmetic
 * against the direct loop.
 */
import { assertInt } from '../engine/errors.ts';
import { col2im, im2col, type Im2colOptions } from '../engine/im2col.ts';
import { conv2dGeometry } from '../engine/conv2d.ts';
import { tensor, type Tensor } from '../engine/tensor.ts';

/** One entry of a patch-matrix column: the kernel cell it meets and the input cell it was copied from. */
export interface ColumnEntry {
  /** Row of the patch matrix: (c*kh + ky)*kw + kx. */
  row: number;
  c: number;
  ky: number;
  kx: number;
  /** Input coordinates (may lie in the padding). */
  iy: number;
  ix: number;
  inPadding: boolean;
  value: number;
}

/** Column j of im2col(x): the window of output (oy, ox), entry by entry. */
export interface Im2colColumn {
  j: number;
  oy: number;
  ox: number;
  /** Top-left corner of the window in input coordinates (negative inside the padding). */
  top: number;
  left: number;
  entries: ColumnEntry[];
}

/**
 * @param x shape [C, H, W] @param kernel kh = kw or [kh, kw]
 * @param j column index, 0 .. OH*OW − 1 (reading order of the output)
 */
export function im2colColumn(
  x: Tensor,
  kernel: number | [number, number],
  opts: Im2colOptions,
  j: number,
): Im2colColumn {
  const cols = im2col(x, kernel, opts);
  const [kh, kw] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
  const g = conv2dGeometry(x.shape, [1, x.shape[0]!, kh, kw], opts);
  const n = g.OH * g.OW;
  assertInt(j, 'column', 'The column', 0, n - 1);
  const oy = Math.floor(j / g.OW);
  const ox = j % g.OW;
  const top = oy * g.sy - g.pad.top;
  const left = ox * g.sx - g.pad.left;
  const entries: ColumnEntry[] = [];
  for (let c = 0; c < g.C; c++)
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++) {
        const row = (c * kh + ky) * kw + kx;
        const iy = top + ky * g.dy;
        const ix = left + kx * g.dx;
        const inPadding = iy < 0 || iy >= g.H || ix < 0 || ix >= g.W;
        entries.push({ row, c, ky, kx, iy, ix, inPadding, value: cols.data[row * n + j]! });
      }
  return { j, oy, ox, top, left, entries };
}

/**
 * How many columns of the patch matrix hold a copy of each input cell (col2im of a matrix of ones): the "+="
 * count col2im must add back, and the reason the patch matrix is about kh·kw times bigger than the input.
 * @param xShape [C, H, W] @returns shape [C, H, W]
 */
export function im2colCopies(
  xShape: readonly number[],
  kernel: number | [number, number],
  opts: Im2colOptions = {},
): Tensor {
  const cols = im2col(tensor(xShape), kernel, opts);
  return col2im(tensor(cols.shape, new Float64Array(cols.data.length).fill(1)), xShape, kernel, opts);
}

/** Memory and multiply-adds of one conv layer done directly and as im2col + GEMM, for one image. */
export interface ConvCost {
  /** C·H·W. */
  inputValues: number;
  /** C·kh·kw · OH·OW: the patch matrix. */
  patchValues: number;
  /** patchValues / inputValues. */
  blowup: number;
  /** K·C·kh·kw + K. */
  weights: number;
  /** K·OH·OW. */
  outputValues: number;
  /** K · C·kh·kw · OH·OW: the GEMM multiplies every entry of the patch matrix, padding zeros included. */
  gemmMacs: number;
  /** Products the direct loop must do: taps that land inside the input (it can skip the padding). */
  directMacs: number;
}

/**
 * @param xShape [C, H, W] @param wShape [K, C, kh, kw]
 */
export function conv2dCost(
  xShape: readonly [number, number, number],
  wShape: readonly [number, number, number, number],
  opts: Im2colOptions = {},
): ConvCost {
  const g = conv2dGeometry(xShape, wShape, opts);
  const R = g.C * g.kh * g.kw;
  const P = g.OH * g.OW;
  let inside = 0;
  for (let oy = 0; oy < g.OH; oy++)
    for (let ky = 0; ky < g.kh; ky++) {
      const iy = oy * g.sy + ky * g.dy - g.pad.top;
      if (iy < 0 || iy >= g.H) continue;
      for (let ox = 0; ox < g.OW; ox++)
        for (let kx = 0; kx < g.kw; kx++) {
          const ix = ox * g.sx + kx * g.dx - g.pad.left;
          if (ix >= 0 && ix < g.W) inside++;
        }
    }
  const inputValues = g.C * g.H * g.W;
  return {
    inputValues,
    patchValues: R * P,
    blowup: (R * P) / inputValues,
    weights: g.K * R + g.K,
    outputValues: g.K * P,
    gemmMacs: g.K * R * P,
    directMacs: g.K * g.C * inside,
  };
}
