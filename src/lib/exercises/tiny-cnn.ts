import { reluBackward, relu } from '../engine/activations.ts';
import { conv2d, conv2dBackward } from '../engine/conv2d.ts';
import { dense, denseBackward } from '../engine/dense.ts';
import { assertInt } from '../engine/errors.ts';
import { initWeights } from '../engine/init.ts';
import { softmaxCrossEntropy } from '../engine/loss.ts';
import { maxPool2d, pool2dBackward } from '../engine/pool.ts';
import { Rng } from '../engine/rng.ts';
import { tensor, wrap, type Tensor } from '../engine/tensor.ts';
import { maxPoolBackwardTopLeft } from './broken-backward.ts';

/**
 * Chapter 10's tiny CNN, small enough to walk backward one number at a time:
 * x [1, 6, 6] -> conv 3x3 (one filter, bias) -> ReLU -> 2x2 max-pool -> flatten (4) -> dense (3 classes)
 * -> softmax cross-entropy. It is composed from the engine's ops directly (no Sequential), so each intermediate
 * value has a name the stepper can point at; a unit test checks it against Sequential with the same weights.
 */
export const TINY_CNN = { size: 6, kernel: 3, conv: 4, pool: 2, pooled: 2, features: 4, classes: 3 } as const;

/** At least this many of the 16 ReLUs are on, and this many off, for every seed (see tinyCnnParams). */
const MIN_ON = 4;

/** The largest seed the widgets accept (any whole number from 0 up works in the engine). */
export const TINY_CNN_MAX_SEED = 999_999_999;

export interface TinyCnnParams {
  /** The input image, shape [1, 6, 6], values 0, 0.1, ..., 0.9 (grey levels a reader can multiply by hand). */
  x: Tensor;
  /** The conv kernel, shape [1, 1, 3, 3]: He normal, rounded to 2 decimals, redrawn until 4 to 12 ReLUs are on. */
  w1: Tensor;
  /** The conv bias, shape [1], in [-0.2, 0.2], 2 decimals. */
  b1: Tensor;
  /** The dense weights, shape [3, 4]: He normal, 2 decimals. */
  w2: Tensor;
  /** The dense bias, shape [3], 2 decimals. */
  b2: Tensor;
}

/** Every intermediate value of the forward pass, named as in the chapter. */
export interface TinyCnnForward {
  /** Conv output before the activation, [1, 4, 4]. */
  z1: Tensor;
  /** ReLU(z1), [1, 4, 4]. */
  a1: Tensor;
  /** The pooled map, [1, 2, 2]. */
  pooled: Tensor;
  /** For each pooled cell, the flat index into a1.data of the cell it took (first maximum on ties). */
  argmax: Int32Array;
  /** The pooled map flattened row by row, [4]: the dense layer's input. */
  m: Tensor;
  /** Logits, [3]. */
  z: Tensor;
  /** softmax(z), [3]. */
  p: Tensor;
  /** -log p[label]. */
  loss: number;
}

/** dLoss/d(every value and parameter), same shapes as the values. */
export interface TinyCnnGrads {
  dz: Tensor;
  dw2: Tensor;
  db2: Tensor;
  dm: Tensor;
  da1: Tensor;
  dz1: Tensor;
  dw1: Tensor;
  db1: Tensor;
  dx: Tensor;
}

const round = (v: number, digits: number): number => {
  const s = 10 ** digits;
  // + 0 turns -0 into 0 so no "-0" ever reaches the screen.
  return Math.round(v * s) / s + 0;
};

/**
 * Seeded parameters and input. Rounded values keep the stepper's formulas checkable with a pencil.
 * @param seed whole number >= 0
 */
export function tinyCnnParams(seed: number): TinyCnnParams {
  assertInt(seed, 'seed', 'The seed', 0);
  const rng = new Rng(seed);
  const { size, kernel, features, classes } = TINY_CNN;
  const x = tensor([1, size, size]);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.int(0, 10) / 10;
  const rounded = (t: Tensor): Tensor =>
    wrap(
      t.shape,
      t.data.map((v) => round(v, 2)),
    );
  // Redraw the kernel until some ReLUs are on and some off (a dead layer, all off, would pass no gradient back
  // to the conv, and a layer with all on would never show the mask). Deterministic: the Rng simply moves on.
  let w1 = tensor([1, 1, kernel, kernel]);
  let b1 = tensor([1]);
  for (let attempt = 0; attempt < 1000; attempt++) {
    w1 = rounded(initWeights([1, 1, kernel, kernel], kernel * kernel, kernel * kernel, 'he', rng));
    b1 = tensor([1], [round(rng.uniform(-0.2, 0.2), 2)]);
    const on = conv2d(x, w1, b1).data.filter((v) => v > 0).length;
    if (on >= MIN_ON && on <= TINY_CNN.conv * TINY_CNN.conv - MIN_ON) break;
  }
  const w2 = rounded(initWeights([classes, features], features, classes, 'he', rng));
  const b2 = tensor(
    [classes],
    Array.from({ length: classes }, () => round(rng.uniform(-0.2, 0.2), 2)),
  );
  return { x, w1, b1, w2, b2 };
}

function checkLabel(label: number): void {
  assertInt(label, 'label', 'The true class', 0, TINY_CNN.classes - 1);
}

/** Runs the network on params.x and keeps every intermediate. @param label the true class, 0..2 */
export function tinyCnnForward(params: TinyCnnParams, label: number): TinyCnnForward {
  checkLabel(label);
  const z1 = conv2d(params.x, params.w1, params.b1);
  const a1 = relu(z1);
  const { y: pooled, argmax } = maxPool2d(a1, { size: TINY_CNN.pool });
  const m = wrap([TINY_CNN.features], Float64Array.from(pooled.data));
  const z = dense(m, params.w2, params.b2);
  const { loss, probs } = softmaxCrossEntropy(z, [label]);
  return { z1, a1, pooled, argmax: argmax!, m, z, p: probs, loss };
}

/**
 * Which deliberate bug to put into the backward pass (for the gradient checker's "break it" toggle):
 * 'pool-top-left' routes each pooled gradient to its window's top-left cell instead of the maximum.
 */
export type TinyCnnBug = 'none' | 'pool-top-left';

/**
 * The backward pass, layer by layer from the loss down to the input.
 * dz = p - y; dW2 = dz m^T; db2 = dz; dm = W2^T dz; da1 = dm routed to each window's argmax;
 * dz1 = da1 where z1 > 0; dW1 = x cross-correlated with dz1; db1 = sum of dz1; dx = dz1 fully convolved with W1.
 */
export function tinyCnnBackward(
  params: TinyCnnParams,
  fwd: TinyCnnForward,
  label: number,
  bug: TinyCnnBug = 'none',
): TinyCnnGrads {
  const { dlogits: dz } = softmaxCrossEntropy(fwd.z, [label]);
  const d2 = denseBackward(fwd.m, params.w2, dz);
  const dPooled = wrap(fwd.pooled.shape, Float64Array.from(d2.dx.data));
  const da1 =
    bug === 'pool-top-left'
      ? maxPoolBackwardTopLeft(fwd.a1, TINY_CNN.pool, dPooled)
      : pool2dBackward(fwd.a1, 'max', { size: TINY_CNN.pool }, dPooled);
  const dz1 = reluBackward(fwd.z1, da1);
  const d1 = conv2dBackward(params.x, params.w1, dz1);
  return { dz, dw2: d2.dw, db2: d2.db, dm: d2.dx, da1, dz1, dw1: d1.dw, db1: d1.db, dx: d1.dx };
}

/** The discrete choices of a forward pass (which ReLUs are on, which cell each window took), for kink detection. */
export function tinyCnnSignature(fwd: TinyCnnForward): string {
  let s = '';
  for (const v of fwd.z1.data) s += v > 0 ? '1' : '0';
  return `${s}|${fwd.argmax.join(',')}`;
}
