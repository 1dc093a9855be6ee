/**
 * Inverted dropout (Srivastava et al. 2014, in the form every framework uses): in training each value is zeroed with
 * probability `rate` and the survivors are divided by 1 − rate, so the expected output equals the input; at test
 * time the layer is the identity and nothing needs rescaling.
 */
import { EngineError } from './errors.ts';
import type { Rng } from './rng.ts';
import { assertFiniteTensor, assertSameShape, assertTensor, wrap, type Tensor } from './tensor.ts';

/** The output and the mask that made it (the backward pass needs the same mask). */
export interface DropoutResult {
  y: Tensor;
  /** Per value: 0 (dropped) or 1/(1 − rate) (kept, scaled); all 1 at test time. */
  mask: Tensor;
}

/**
 * @param x any shape
 * @param rate probability of dropping a value, in [0, 1)
 * @param mode 'train' draws a mask from `rng`; 'test' returns x unchanged (mask of ones)
 * @param rng seeded generator, required in training
 */
export function dropout(x: Tensor, rate: number, mode: 'train' | 'test', rng?: Rng): DropoutResult {
  assertTensor(x, 'input', 'The input x');
  assertFiniteTensor(x, 'input', 'The input x');
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
    throw new EngineError('rate', `The dropout rate must be at least 0 and below 1, got ${String(rate)}.`);
  }
  if (mode !== 'train' && mode !== 'test') {
    throw new EngineError('mode', `mode must be 'train' or 'test', got ${String(mode)}.`);
  }
  const mask = new Float64Array(x.data.length).fill(1);
  if (mode === 'train') {
    if (typeof rng?.next !== 'function') throw new EngineError('rng', 'Dropout in training needs a seeded Rng.');
    const keep = 1 / (1 - rate);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < rate ? 0 : keep;
  }
  const y = new Float64Array(x.data.length);
  for (let i = 0; i < y.length; i++) y[i] = x.data[i]! * mask[i]!;
  return { y: wrap(x.shape, y), mask: wrap(x.shape, mask) };
}

/** dx = dy · mask: the dropped values pass no gradient, the kept ones pass it scaled like the forward pass. */
export function dropoutBackward(mask: Tensor, dy: Tensor): Tensor {
  assertTensor(mask, 'mask', 'The mask');
  assertTensor(dy, 'gradient', 'The output gradient dy');
  assertSameShape(mask.shape, dy.shape, 'gradient', 'The output gradient dy must match the mask');
  assertFiniteTensor(dy, 'gradient', 'The output gradient dy');
  const dx = new Float64Array(dy.data.length);
  for (let i = 0; i < dx.length; i++) dx[i] = dy.data[i]! * mask.data[i]!;
  return wrap(dy.shape, dx);
}
