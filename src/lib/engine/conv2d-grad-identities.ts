import { conv2d, rotate180 } from './conv2d.ts';
import { EngineError } from './errors.ts';
import { assertFiniteTensor, assertRank, shapeString, wrap, type Tensor } from './tensor.ts';

/**
 * The two identities that make a conv layer's backward pass "just more convolutions" (stride 1, no dilation,
 * square zero padding p), written with the engine's forward conv2d (a cross-correlation) so a chapter can show
 * they give exactly what conv2dBackward gives:
 * - dW[k, c] = x[c] (zero-padded by p) cross-correlated with dy[k];
 * - dX[c] = sum over k of dy[k] zero-padded by (kernel - 1 - p), cross-correlated with w[k, c] rotated 180°,
 *   i.e. the full convolution of dy with the kernel.
 */

function checkPadding(p: number, kh: number, kw: number): void {
  if (!Number.isInteger(p) || p < 0 || p > Math.min(kh, kw) - 1) {
    throw new EngineError(
      'padding',
      `The padding must be a whole number from 0 to ${Math.min(kh, kw) - 1} (kernel size minus one), got ${String(p)}.`,
    );
  }
}

/**
 * dL/dW as a cross-correlation of the input with the output gradient.
 * @param x shape [C, H, W] @param dy shape [K, OH, OW] @param padding the forward pass's zero padding
 * @returns dw shape [K, C, H + 2p - OH + 1, W + 2p - OW + 1] (the kernel's shape)
 */
export function conv2dWeightGradByCorrelation(x: Tensor, dy: Tensor, padding = 0): Tensor {
  assertRank(x, 3, 'input', 'The input x', '[channels, height, width]');
  assertRank(dy, 3, 'gradient', 'The output gradient dy', '[filters, height, width]');
  assertFiniteTensor(x, 'input', 'The input x');
  assertFiniteTensor(dy, 'gradient', 'The output gradient dy');
  const [C, H, W] = x.shape as [number, number, number];
  const [K, OH, OW] = dy.shape as [number, number, number];
  const kh = H + 2 * padding - OH + 1;
  const kw = W + 2 * padding - OW + 1;
  if (kh < 1 || kw < 1) {
    throw new EngineError(
      'gradient',
      `The output gradient ${shapeString(dy.shape)} is larger than the padded input ${shapeString(x.shape)}.`,
    );
  }
  checkPadding(padding, kh, kw);
  const out = new Float64Array(K * C * kh * kw);
  for (let k = 0; k < K; k++) {
    // dy[k] plays the kernel: one filter over one channel.
    const kern = wrap([1, 1, OH, OW], dy.data.slice(k * OH * OW, (k + 1) * OH * OW));
    for (let c = 0; c < C; c++) {
      const plane = wrap([1, H, W], x.data.slice(c * H * W, (c + 1) * H * W));
      const g = conv2d(plane, kern, null, { padding });
      out.set(g.data, (k * C + c) * kh * kw);
    }
  }
  return wrap([K, C, kh, kw], out);
}

/**
 * The kernels with the filter and channel axes swapped and each kernel rotated 180°: w[k, c] -> out[c, k].
 * Sliding these over dy maps K gradient channels back to C input channels. @param w [K, C, kh, kw]
 */
export function backwardKernels(w: Tensor): Tensor {
  assertRank(w, 4, 'kernel', 'The kernels w', '[filters, channels, kernel height, kernel width]');
  const [K, C, kh, kw] = w.shape as [number, number, number, number];
  const rotated = rotate180(w).data;
  const out = new Float64Array(rotated.length);
  const plane = kh * kw;
  for (let k = 0; k < K; k++) {
    for (let c = 0; c < C; c++)
      out.set(rotated.subarray((k * C + c) * plane, (k * C + c + 1) * plane), (c * K + k) * plane);
  }
  return wrap([C, K, kh, kw], out);
}

/**
 * dL/dX as the full convolution of the output gradient with the kernels: pad dy with kernel - 1 - p zeros on
 * every side, then cross-correlate with backwardKernels(w).
 * @param w shape [K, C, kh, kw] @param dy shape [K, OH, OW] @param padding the forward pass's zero padding
 * @returns dx shape [C, OH + kh - 1 - 2p, OW + kw - 1 - 2p] (the input's shape)
 */
export function conv2dInputGradByFullConvolution(w: Tensor, dy: Tensor, padding = 0): Tensor {
  assertRank(w, 4, 'kernel', 'The kernels w', '[filters, channels, kernel height, kernel width]');
  assertRank(dy, 3, 'gradient', 'The output gradient dy', '[filters, height, width]');
  const [K, , kh, kw] = w.shape as [number, number, number, number];
  if (dy.shape[0] !== K) {
    throw new EngineError(
      'gradient',
      `The output gradient has ${dy.shape[0]} channels but there are ${K} filters; they must match.`,
    );
  }
  checkPadding(padding, kh, kw);
  return conv2d(dy, backwardKernels(w), null, {
    padding: { top: kh - 1 - padding, bottom: kh - 1 - padding, left: kw - 1 - padding, right: kw - 1 - padding },
  });
}

/** A copy of t [C, H, W] with p zeros on every side: [C, H + 2p, W + 2p] (to show the padded gradient). */
export function padZeros(t: Tensor, p: number): Tensor {
  assertRank(t, 3, 'input', 'The tensor', '[channels, height, width]');
  if (!Number.isInteger(p) || p < 0)
    throw new EngineError('padding', `The padding must be a whole number of at least 0, got ${String(p)}.`);
  const [C, H, W] = t.shape as [number, number, number];
  const PH = H + 2 * p;
  const PW = W + 2 * p;
  const out = new Float64Array(C * PH * PW);
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < H; r++) {
      out.set(t.data.subarray((c * H + r) * W, (c * H + r + 1) * W), (c * PH + r + p) * PW + p);
    }
  }
  return wrap([C, PH, PW], out);
}
