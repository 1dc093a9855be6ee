/**
 * Convolution as one matrix multiplication: im2col, then the filters as rows times the patch matrix. It computes
 * exactly what conv2d / conv2dBatch compute (the tests check every reference case against both); what changes is
 * the order of the work, which is what lets BLAS libraries (and GPUs) run it near their peak.
 */
import { EngineError, assertFiniteResult } from './errors.ts';
import { checkUpstream, conv2dGeometry, rotate180, type Conv2dOptions } from './conv2d.ts';
import { gemmConvBackward, gemmConvForward } from './gemm-kernels.ts';
import { assertFiniteTensor, assertRank, shapeString, wrap, type Tensor } from './tensor.ts';

function checkInputs(x: Tensor, w: Tensor, b: Tensor | null): void {
  if (x !== null && typeof x === 'object' && Array.isArray(x.shape) && x.shape.length === 4) {
    assertRank(x, 4, 'input', 'The input x', '[batch, channels, height, width]');
  } else assertRank(x, 3, 'input', 'The input x', '[channels, height, width]');
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

/**
 * 2D cross-correlation (or convolution) by im2col and a matrix product: y = W · cols, with the filters reshaped to
 * W [K, C*kh*kw] and cols = im2col(x) [C*kh*kw, OH*OW], image by image (as Caffe does: one image's patch matrix stays
 * in the cache), plus the bias. Same options, results and errors as conv2d.
 *
 * @param x shape [C, H, W] or [B, C, H, W]
 * @param w shape [K, C, kh, kw]
 * @param b shape [K], or null for no bias
 * @returns shape [K, OH, OW] (one image) or [B, K, OH, OW]
 */
export function conv2dGemm(x: Tensor, w: Tensor, b: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  checkInputs(x, w, b);
  const g = conv2dGeometry(x.shape, w.shape, opts);
  const wd = g.flip ? rotate180(w).data : w.data;
  const out = gemmConvForward(x.data, wd, b === null ? null : b.data, g);
  assertFiniteResult('conv2dGemm', out);
  return wrap(x.shape.length === 3 ? [g.K, g.OH, g.OW] : [g.B, g.K, g.OH, g.OW], out);
}

/**
 * Gradients of conv2dGemm in the same terms, per image, with δ = dy as [K, OH*OW] (the gradients of the weights and
 * bias add up over the batch):
 * dW = δ · colsᵀ (reshaped to [K, C, kh, kw]), d(cols) = Wᵀ · δ, and dx = col2im(d(cols)), which adds the
 * contributions of overlapping windows. db[k] is the sum of row k of δ. Equal to conv2dBackward / conv2dBatchBackward.
 *
 * @param x shape [C, H, W] or [B, C, H, W]
 * @param w shape [K, C, kh, kw]
 * @param dy shape [K, OH, OW] or [B, K, OH, OW]
 * @returns dx shaped like x, dw [K, C, kh, kw], db [K]
 */
export function conv2dGemmBackward(
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  opts: Conv2dOptions = {},
): { dx: Tensor; dw: Tensor; db: Tensor } {
  checkInputs(x, w, null);
  const g = conv2dGeometry(x.shape, w.shape, opts);
  checkUpstream(dy, x.shape.length === 3 ? [g.K, g.OH, g.OW] : [g.B, g.K, g.OH, g.OW]);
  const wd = g.flip ? rotate180(w).data : w.data;
  const { dx, dw: dwd, db } = gemmConvBackward(x.data, wd, dy.data, g);
  for (const v of [dx, dwd, db]) assertFiniteResult('conv2dGemmBackward', v);
  const dw = wrap(w.shape, dwd);
  // The weights that slid were rotate180(w); rotating their gradient back gives dL/dw.
  return { dx: wrap(x.shape, dx), dw: g.flip ? rotate180(dw) : dw, db: wrap([g.K], db) };
}
