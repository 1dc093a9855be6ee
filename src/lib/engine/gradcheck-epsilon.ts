import { EngineError } from './errors.ts';
import { expDet, logDet } from './det-math.ts';
import { Rng } from './rng.ts';

/** One point of the error-versus-step plot. */
export interface EpsilonErrorPoint {
  eps: number;
  /** Relative error of the central difference computed in float64. */
  float64: number;
  /** The same computed in emulated float32 (every input and every arithmetic result rounded by Math.fround). */
  float32: number;
}

/** The default steps: 1e-1, 1e-2, ..., 1e-12. */
export const DEFAULT_EPSILONS: readonly number[] = Array.from({ length: 12 }, (_, i) => Number(`1e-${i + 1}`));

/**
 * Softmax cross-entropy of one dense layer, L(W) = -log softmax(W x + b)[label], with every input and every
 * arithmetic result passed through `r` (identity for float64, Math.fround to emulate float32).
 */
function denseSoftmaxLoss(
  w: Float64Array,
  x: Float64Array,
  b: Float64Array,
  label: number,
  r: (v: number) => number,
): number {
  const n = x.length;
  const classes = b.length;
  const z = new Float64Array(classes);
  let max = -Infinity;
  for (let j = 0; j < classes; j++) {
    let acc = r(b[j]!);
    for (let i = 0; i < n; i++) acc = r(acc + r(r(w[j * n + i]!) * r(x[i]!)));
    z[j] = acc;
    if (acc > max) max = acc;
  }
  let sum = 0;
  for (let j = 0; j < classes; j++) sum = r(sum + r(expDet(r(z[j]! - max))));
  return r(r(logDet(sum)) - r(z[label]! - max));
}

/**
 * How the central-difference error depends on the step, for the chapter plot: the truncation error (~eps^2)
 * falls as eps shrinks until round-off (~machine epsilon / eps) takes over and rises again; float32 (machine
 * epsilon 6e-8) turns around at a much larger eps than float64 (1.1e-16).
 *
 * Method: a dense layer (inputs -> classes) with softmax cross-entropy on one seeded example. The exact
 * gradient dL/dW = (p - onehot) x^T is computed in float64. The numerical gradient of every weight is
 * (L(W + eps) - L(W - eps)) / (2 eps) with all arithmetic in the given precision; float32 is emulated by
 * Math.fround on the inputs, on eps, and on the result of every addition, multiplication, exp and log.
 * The error is norm-wise: |numerical - exact| / |exact| over all weights (capped at 1 for the plot: 1 means
 * the difference carried no information, e.g. when W + eps rounds back to W).
 */
export function errorVsEpsilon(
  opts: { seed?: number; epsilons?: readonly number[]; inputs?: number; classes?: number } = {},
): EpsilonErrorPoint[] {
  const rng = new Rng(opts.seed ?? 1);
  const n = opts.inputs ?? 8;
  const classes = opts.classes ?? 4;
  const epsilons = opts.epsilons ?? DEFAULT_EPSILONS;
  if (!Number.isInteger(n) || n < 1)
    throw new EngineError('inputs', `inputs must be a whole number of at least 1, got ${n}.`);
  if (!Number.isInteger(classes) || classes < 2) {
    throw new EngineError('classes', `classes must be a whole number of at least 2, got ${classes}.`);
  }
  for (const e of epsilons) {
    if (!(e > 0) || !Number.isFinite(e))
      throw new EngineError('epsilons', `Every step must be a positive number, got ${String(e)}.`);
  }
  // Start exactly on float32 values so both precisions differentiate the same function at the same point.
  const draw = (len: number): Float64Array => Float64Array.from({ length: len }, () => Math.fround(rng.uniform(-1, 1)));
  const w = draw(n * classes);
  const x = draw(n);
  const b = draw(classes);
  const label = rng.int(0, classes);
  const exact = exactGradient(w, x, b, label);
  let exactNorm = 0;
  for (const g of exact) exactNorm += g * g;
  exactNorm = Math.sqrt(exactNorm);
  const id = (v: number): number => v;
  const error = (eps: number, r: (v: number) => number): number => {
    let diff = 0;
    for (let k = 0; k < w.length; k++) {
      const original = w[k]!;
      const e = r(eps);
      w[k] = r(original + e);
      const plus = denseSoftmaxLoss(w, x, b, label, r);
      w[k] = r(original - e);
      const minus = denseSoftmaxLoss(w, x, b, label, r);
      w[k] = original;
      const numerical = r(r(plus - minus) / r(2 * e));
      diff += (numerical - exact[k]!) ** 2;
    }
    return Math.min(1, Math.sqrt(diff) / exactNorm);
  };
  return epsilons.map((eps) => ({ eps, float64: error(eps, id), float32: error(eps, Math.fround) }));
}

/** dL/dW[j, i] = (softmax(z)_j - [j = label]) x_i, in float64. */
function exactGradient(w: Float64Array, x: Float64Array, b: Float64Array, label: number): Float64Array {
  const n = x.length;
  const classes = b.length;
  const z = new Float64Array(classes);
  for (let j = 0; j < classes; j++) {
    let acc = b[j]!;
    for (let i = 0; i < n; i++) acc += w[j * n + i]! * x[i]!;
    z[j] = acc;
  }
  const max = Math.max(...z);
  let sum = 0;
  for (let j = 0; j < classes; j++) sum += expDet(z[j]! - max);
  const g = new Float64Array(w.length);
  for (let j = 0; j < classes; j++) {
    const p = expDet(z[j]! - max) / sum - (j === label ? 1 : 0);
    for (let i = 0; i < n; i++) g[j * n + i] = p * x[i]!;
  }
  return g;
}
