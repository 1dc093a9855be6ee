/**
 * Softmax at a temperature, computed the stable way and the naive way, and the gradients of cross-entropy and of
 * the squared error 1/2 sum (y - p)^2 with respect to the logits: the numbers behind chapter 9's loss widget.
 */
import { EngineError } from '../engine/errors.ts';
import { softmaxCrossEntropy, softmaxSquaredErrorGrad } from '../engine/loss.ts';
import { tensor } from '../engine/tensor.ts';

/** Largest finite float32, 2^128 - 2^104. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The largest z for which exp(z) is still finite: about 709.78 in float64 and 88.72 in float32.
 * Beyond it the naive softmax overflows.
 */
export function expOverflowThreshold(precision: 'float64' | 'float32'): number {
  return Math.log(precision === 'float64' ? Number.MAX_VALUE : FLOAT32_MAX);
}

function checkLogits(logits: readonly number[], temperature: number): void {
  if (!Array.isArray(logits) || logits.length < 2) {
    throw new EngineError('logits', 'Softmax needs at least two logits (one per class).');
  }
  logits.forEach((z, i) => {
    if (typeof z !== 'number' || !Number.isFinite(z)) {
      throw new EngineError('logits', `Logit z[${i}] is ${String(z)}; every logit must be a finite number.`);
    }
  });
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature <= 0) {
    throw new EngineError(
      'temperature',
      `The temperature must be a positive number (it divides the logits), got ${String(temperature)}.`,
    );
  }
}

/** z / T, checked: a tiny temperature can push finite logits past the largest float64. */
function scale(logits: readonly number[], temperature: number): number[] {
  const scaled = logits.map((z) => z / temperature);
  const bad = scaled.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new EngineError(
      'temperature',
      `z[${bad}] / T = ${String(logits[bad])} / ${String(temperature)} is too large to represent; use a larger temperature.`,
    );
  }
  return scaled;
}

function checkLabel(label: number, n: number): void {
  if (!Number.isInteger(label) || label < 0 || label >= n) {
    throw new EngineError('label', `The true class must be a whole number from 0 to ${n - 1}, got ${String(label)}.`);
  }
}

/** The naive softmax exp(z_i/T) / sum_j exp(z_j/T), without subtracting the maximum. */
export interface NaiveSoftmax {
  /** exp(z_i / T) as the chosen precision computes it (Infinity after overflow, 0 after underflow). */
  exps: number[];
  /** Their sum. */
  sum: number;
  /** The quotients; NaN entries when the sum overflowed (Inf/Inf) or underflowed to 0 (0/0). */
  probs: number[];
  /** Some exp(z_i / T) overflowed to Infinity. */
  overflow: boolean;
  /** Every exp(z_i / T) underflowed to 0, so the sum is 0. */
  underflow: boolean;
  /** True when every probability is a finite number (the naive recipe worked). */
  ok: boolean;
}

/**
 * Softmax without the max-subtraction, to show what goes wrong. In 'float32' every intermediate result is rounded
 * to float32 with Math.fround, as on a GPU. Never throws on overflow: reporting it is the point.
 * @param logits n >= 2 finite numbers @param temperature > 0
 */
export function naiveSoftmax(
  logits: readonly number[],
  temperature = 1,
  precision: 'float64' | 'float32' = 'float64',
): NaiveSoftmax {
  checkLogits(logits, temperature);
  const r = precision === 'float32' ? Math.fround : (v: number): number => v;
  const exps = logits.map((z) => r(Math.exp(r(r(z) / r(temperature)))));
  let sum = 0;
  for (const e of exps) sum = r(sum + e);
  const probs = exps.map((e) => r(e / sum));
  const overflow = exps.some((e) => e === Infinity) || sum === Infinity;
  const underflow = sum === 0;
  return { exps, sum, probs, overflow, underflow, ok: probs.every((p) => Number.isFinite(p)) };
}

/** The stable softmax of z / T, step by step. */
export interface StableSoftmax {
  /** z_i / T. */
  scaled: number[];
  /** max_i z_i / T, the amount subtracted. */
  max: number;
  /** exp(z_i / T - max): each at most 1, the largest exactly 1, so nothing overflows. */
  exps: number[];
  /** Their sum, between 1 and n. */
  sum: number;
  /** p_i = exps_i / sum. */
  probs: number[];
}

/** Softmax of z / T with the maximum subtracted first, keeping every intermediate. @param logits n >= 2 */
export function stableSoftmax(logits: readonly number[], temperature = 1): StableSoftmax {
  checkLogits(logits, temperature);
  const scaled = scale(logits, temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return { scaled, max, exps, sum, probs: exps.map((e) => e / sum) };
}

/** Both losses on the same logits, with their gradients with respect to the logits z (not z / T). */
export interface LossComparison {
  probs: number[];
  crossEntropy: { loss: number; grad: number[] };
  squaredError: { loss: number; grad: number[] };
}

/**
 * Cross-entropy L = -log p_y and squared error L = 1/2 sum_i (y_i - p_i)^2, where p = softmax(z / T) and y is
 * one-hot. By the chain rule through z / T, each gradient with respect to z is the gradient with respect to z / T
 * divided by T: dCE/dz = (p - y) / T, and dSE/dz_j = p_j ((p_j - y_j) - sum_i (p_i - y_i) p_i) / T.
 * @param logits n >= 2 finite numbers @param label the true class, 0 <= label < n @param temperature > 0
 */
export function compareSoftmaxLosses(logits: readonly number[], label: number, temperature = 1): LossComparison {
  checkLogits(logits, temperature);
  checkLabel(label, logits.length);
  const z = tensor([logits.length], scale(logits, temperature));
  const ce = softmaxCrossEntropy(z, [label]);
  const se = softmaxSquaredErrorGrad(z, [label]);
  return {
    probs: Array.from(ce.probs.data),
    crossEntropy: { loss: ce.loss, grad: Array.from(ce.dlogits.data, (g) => g / temperature) },
    squaredError: { loss: se.loss, grad: Array.from(se.dlogits.data, (g) => g / temperature) },
  };
}

/** Gradients on the true class's logit as that logit sweeps a range, the other logits fixed. */
export interface TrueLogitSweep {
  /** The values taken by z_label. */
  z: number[];
  /** dCE/dz_label at each value. */
  crossEntropy: number[];
  /** dSE/dz_label at each value. */
  squaredError: number[];
}

/**
 * Sweeps the true class's logit from `from` to `to` in `points` steps and records both gradients on it.
 * Far to the left the prediction is confidently wrong: cross-entropy's gradient tends to -1/T, the squared
 * error's to 0.
 */
export function sweepTrueLogit(
  logits: readonly number[],
  label: number,
  temperature: number,
  from: number,
  to: number,
  points = 81,
): TrueLogitSweep {
  checkLogits(logits, temperature);
  checkLabel(label, logits.length);
  if (!Number.isFinite(from) || !Number.isFinite(to) || !(to > from)) {
    throw new EngineError(
      'range',
      `The sweep needs finite bounds with from < to, got ${String(from)} and ${String(to)}.`,
    );
  }
  if (!Number.isInteger(points) || points < 2 || points > 10_000) {
    throw new EngineError('points', `The sweep needs a whole number of points from 2 to 10000, got ${String(points)}.`);
  }
  const out: TrueLogitSweep = { z: [], crossEntropy: [], squaredError: [] };
  const z = [...logits];
  for (let k = 0; k < points; k++) {
    const v = from + ((to - from) * k) / (points - 1);
    z[label] = v;
    const c = compareSoftmaxLosses(z, label, temperature);
    out.z.push(v);
    out.crossEntropy.push(c.crossEntropy.grad[label]!);
    out.squaredError.push(c.squaredError.grad[label]!);
  }
  return out;
}
