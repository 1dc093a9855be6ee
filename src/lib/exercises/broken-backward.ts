import { conv2d, rotate180 } from '../engine/conv2d.ts';
import { backwardKernels } from '../engine/conv2d-grad-identities.ts';
import { EngineError, assertInt } from '../engine/errors.ts';
import { assertFiniteTensor, assertRank, assertTensor, shapeString, wrap, type Tensor } from '../engine/tensor.ts';

/**
 * DELIBERATELY WRONG backward passes, for chapter 10's gradient checker ("break the backward pass").
 * Each one is a mistake people really make when they write a CNN by hand, and each returns plausible numbers of
 * the right shape, which is why it survives until a gradient check catches it. Never use these to train.
 */

/** The deliberate bugs, by the layer they break. */
export type DeliberateBug = 'conv-no-rotation' | 'pool-top-left' | 'relu-no-mask' | 'dense-reshape' | 'ce-sign';

/** What each bug does, in words a learner can check against the code. */
export const DELIBERATE_BUGS: Record<DeliberateBug, string> = {
  'conv-no-rotation':
    'dX slides the kernel over the padded output gradient without rotating it 180° (a cross-correlation where a convolution is needed).',
  'pool-top-left':
    'max-pool backward sends each gradient to the top-left cell of its window instead of to the cell that held the maximum.',
  'relu-no-mask': 'ReLU backward passes every gradient through, forgetting to zero it where the input was negative.',
  'dense-reshape':
    'dense backward computes dX with W.reshape(inputs, units) instead of Wᵀ: the same numbers in the wrong places.',
  'ce-sign': 'softmax cross-entropy backward returns y − p instead of p − y (the sign is flipped).',
};

/**
 * WRONG on purpose: dX of a stride-1 conv with the kernels not rotated. The two 180° turns cancel, so the
 * kernels that slide over the padded gradient are w as it is (only the filter and channel axes swapped).
 * @param w [K, C, kh, kw] @param dy [K, OH, OW] @returns "dx" [C, OH + kh - 1, OW + kw - 1]
 */
export function conv2dInputGradNoRotation(w: Tensor, dy: Tensor): Tensor {
  assertRank(dy, 3, 'gradient', 'The output gradient dy', '[filters, height, width]');
  const kernels = backwardKernels(rotate180(w));
  const [, , kh, kw] = w.shape as [number, number, number, number];
  return conv2d(dy, kernels, null, { padding: { top: kh - 1, bottom: kh - 1, left: kw - 1, right: kw - 1 } });
}

/**
 * WRONG on purpose: max-pool backward (non-overlapping size x size windows) that routes each gradient to the
 * window's top-left cell. Right only where the maximum happened to sit there.
 * @param x [C, H, W] the pool's input @param dy [C, H / size, W / size] @returns "dx" [C, H, W]
 */
export function maxPoolBackwardTopLeft(x: Tensor, size: number, dy: Tensor): Tensor {
  assertRank(x, 3, 'input', 'The input x', '[channels, height, width]');
  assertInt(size, 'size', 'The pooling window size', 1);
  assertTensor(dy, 'gradient', 'The output gradient dy');
  const [C, H, W] = x.shape as [number, number, number];
  const OH = Math.floor(H / size);
  const OW = Math.floor(W / size);
  if (dy.shape.length !== 3 || dy.shape[0] !== C || dy.shape[1] !== OH || dy.shape[2] !== OW) {
    throw new EngineError(
      'gradient',
      `The output gradient must have shape ${shapeString([C, OH, OW])}, got ${shapeString(dy.shape)}.`,
    );
  }
  const dx = new Float64Array(C * H * W);
  for (let c = 0; c < C; c++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) dx[(c * H + oy * size) * W + ox * size] = dy.data[(c * OH + oy) * OW + ox]!;
    }
  }
  return wrap(x.shape, dx);
}

/** WRONG on purpose: ReLU backward without the mask, dx = dy everywhere. @param dy any shape */
export function reluBackwardNoMask(dy: Tensor): Tensor {
  assertTensor(dy, 'gradient', 'The output gradient dy');
  assertFiniteTensor(dy, 'gradient', 'The output gradient dy');
  return wrap(dy.shape, Float64Array.from(dy.data));
}

/**
 * WRONG on purpose: dense dX = M dy with M = W.reshape(inputs, units), the row-major numbers of W read as an
 * [inputs, units] matrix, where the transpose W^T was meant. Same shape, same numbers, wrong places.
 * @param w [units, inputs] @param dy [units] @returns "dx" [inputs]
 */
export function denseInputGradReshaped(w: Tensor, dy: Tensor): Tensor {
  assertRank(w, 2, 'weights', 'The weights W', '[units, inputs]');
  assertTensor(dy, 'gradient', 'The output gradient dy');
  const [m, n] = w.shape as [number, number];
  if (dy.shape.length !== 1 || dy.shape[0] !== m) {
    throw new EngineError('gradient', `The output gradient must have shape [${m}], got ${shapeString(dy.shape)}.`);
  }
  const dx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += w.data[i * m + j]! * dy.data[j]!;
    dx[i] = s;
  }
  return wrap([n], dx);
}

/** WRONG on purpose: softmax cross-entropy gradient with the sign flipped, y - p. @param probs [n] */
export function softmaxCrossEntropyGradFlipped(probs: Tensor, label: number): Tensor {
  assertRank(probs, 1, 'probs', 'The probabilities', '[classes]');
  assertInt(label, 'label', 'The true class', 0, probs.data.length - 1);
  const out = new Float64Array(probs.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (i === label ? 1 : 0) - probs.data[i]!;
  return wrap(probs.shape, out);
}
