import { EngineError } from './errors.ts';
import { assertTensor, shapeString, type Tensor } from './tensor.ts';

/** One checked gradient element. */
export interface GradCheckEntry {
  /** Key of the parameter in `params`. */
  param: string;
  /** Flat (row-major) index into that parameter. */
  index: number;
  /** The gradient the backward pass computed. */
  analytic: number;
  /** (f(p + eps) - f(p - eps)) / (2 eps). */
  numerical: number;
  /** relativeError(analytic, numerical). */
  relError: number;
  /** |analytic - numerical|. */
  absError: number;
  /** A kink (ReLU at 0, a max-pool tie, ...) lies within eps, so the finite difference is not a fair referee. */
  nearKink: boolean;
  /**
   * The gradient is too small for a finite difference to measure to `tol` relative accuracy: round-off in f
   * limits the numerical value to about `noise` absolute error, so it is checked absolutely (absError <= 16 noise).
   */
  belowNoise: boolean;
  /** Expected round-off error of the numerical value: 2^-52 * max|f| / eps. */
  noise: number;
}

export interface GradCheckReport {
  entries: GradCheckEntry[];
  /** Largest relError over the entries neither near a kink nor below the noise (0 when there are none). */
  maxRelError: number;
  /** How many entries were near a kink (reported, but not judged: the finite difference is wrong there). */
  kinks: number;
  /** How many entries (not near a kink) were below the noise and so judged by absError instead. */
  belowNoise: number;
  /** Largest absError / noise over the below-noise entries (0 when there are none); must stay <= 16. */
  maxNoiseRatio: number;
  /** maxRelError < tol and maxNoiseRatio <= 16. */
  passed: boolean;
}

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-5: near the best trade-off of truncation and round-off in float64). */
  eps?: number;
  /** Pass threshold on maxRelError (default 1e-7). */
  tol?: number;
  /** Says whether a kink lies within eps of params[param][index] (e.g. |x| < eps for a ReLU input). */
  isNearKink?: (param: string, index: number, eps: number) => boolean;
  /**
   * Describes the discrete choices the last f() call made (which ReLUs were on, which cell each max-pool picked).
   * gradCheck calls it after f() at p, p + eps and p - eps; if the three differ, the entry is near a kink.
   */
  signature?: () => string;
  /** Check at most this many evenly spaced elements of each parameter (default: all). */
  maxEntries?: number;
}

/**
 * |a - b| / max(|a|, |b|, 1e-12). Symmetric, scale-free, and 0 when both are exactly 0 (a parameter that
 * does not reach the loss). The 1e-12 floor only avoids 0/0; it is far below any gradient worth checking.
 */
export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

function evaluate(f: () => number): number {
  const v = f();
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new EngineError('f', `The loss function returned ${String(v)}; it must return a finite number.`);
  }
  return v;
}

/** Evenly spaced flat indices, all of them when n <= max. */
function pickIndices(n: number, max: number): number[] {
  const count = Math.min(n, max);
  const out: number[] = [];
  for (let j = 0; j < count; j++) out.push(Math.floor((j * n) / count));
  return out;
}

/** Below-noise entries pass when their absolute error is at most this many times the expected round-off. */
export const NOISE_FACTOR = 16;

/**
 * Checks analytic gradients against central finite differences, element by element.
 * `f` must read the current values of `params` (gradCheck nudges them in place and restores them exactly).
 *
 * Why "below noise": in float64 each value of f carries round-off of about 2^-52 |f|, so the central difference
 * carries about noise = 2^-52 |f| / eps of absolute error (2e-11 for |f| = 1, eps = 1e-5). A gradient element
 * smaller than noise / tol (2e-4 here) cannot be measured to relative accuracy tol at this step, so its relative
 * error says nothing about the backward pass. Such elements are still reported, and checked absolutely.
 *
 * @param params the tensors to perturb, by name
 * @param f the scalar loss as a function of the current params
 * @param analytic the gradient of f for each param, same names and shapes
 */
export function gradCheck(
  params: Record<string, Tensor>,
  f: () => number,
  analytic: Record<string, Tensor>,
  opts: GradCheckOptions = {},
): GradCheckReport {
  const eps = opts.eps ?? 1e-5;
  const tol = opts.tol ?? 1e-7;
  const maxEntries = opts.maxEntries ?? Infinity;
  if (!(eps > 0) || !Number.isFinite(eps))
    throw new EngineError('eps', `eps must be a positive number, got ${String(eps)}.`);
  if (!(tol > 0)) throw new EngineError('tol', `tol must be a positive number, got ${String(tol)}.`);
  if (!(maxEntries >= 1))
    throw new EngineError('maxEntries', `maxEntries must be at least 1, got ${String(maxEntries)}.`);
  if (params === null || typeof params !== 'object') {
    throw new EngineError('params', 'gradCheck needs the parameters as an object of named tensors, e.g. { w }.');
  }
  if (typeof f !== 'function') throw new EngineError('f', 'gradCheck needs the loss as a function f() => number.');
  if (analytic === null || typeof analytic !== 'object') {
    throw new EngineError('analytic', 'gradCheck needs the analytic gradients as an object of named tensors.');
  }
  for (const [name, p] of Object.entries(params)) {
    assertTensor(p, 'params', `The parameter "${name}"`);
    const g = analytic[name];
    if (g === undefined) throw new EngineError('analytic', `No analytic gradient was given for "${name}".`);
    assertTensor(g, 'analytic', `The gradient of "${name}"`);
    if (g.data.length !== p.data.length) {
      const what = `The gradient of "${name}" has shape ${shapeString(g.shape)}`;
      throw new EngineError('analytic', `${what} but the parameter has ${shapeString(p.shape)}.`);
    }
  }
  const f0 = evaluate(f);
  const base = opts.signature ? opts.signature() : '';
  const entries: GradCheckEntry[] = [];
  const report = { maxRelError: 0, kinks: 0, belowNoise: 0, maxNoiseRatio: 0 };
  for (const [name, p] of Object.entries(params)) {
    const g = analytic[name]!;
    for (const i of pickIndices(p.data.length, maxEntries)) {
      const original = p.data[i]!;
      p.data[i] = original + eps;
      const plus = evaluate(f);
      const sigPlus = opts.signature ? opts.signature() : '';
      p.data[i] = original - eps;
      const minus = evaluate(f);
      const sigMinus = opts.signature ? opts.signature() : '';
      p.data[i] = original;
      const numerical = (plus - minus) / (2 * eps);
      const a = g.data[i]!;
      const relError = relativeError(a, numerical);
      const absError = Math.abs(a - numerical);
      const noise = (2 ** -52 * Math.max(Math.abs(f0), Math.abs(plus), Math.abs(minus))) / eps;
      const nearKink = sigPlus !== base || sigMinus !== base || (opts.isNearKink?.(name, i, eps) ?? false);
      const magnitude = Math.max(Math.abs(a), Math.abs(numerical));
      // Two exact zeros (a parameter that does not reach the loss) agree exactly: judged relatively (error 0).
      const belowNoise = !nearKink && magnitude > 0 && magnitude < noise / tol;
      if (nearKink) report.kinks++;
      else if (belowNoise) {
        report.belowNoise++;
        report.maxNoiseRatio = Math.max(report.maxNoiseRatio, absError / noise);
      } else if (!(relError <= report.maxRelError)) report.maxRelError = relError; // NaN sticks
      entries.push({ param: name, index: i, analytic: a, numerical, relError, absError, nearKink, belowNoise, noise });
    }
  }
  const passed = report.maxRelError < tol && report.maxNoiseRatio <= NOISE_FACTOR;
  return { entries, ...report, passed };
}

export { DEFAULT_EPSILONS, errorVsEpsilon, type EpsilonErrorPoint } from './gradcheck-epsilon.ts';
