/**
 * Backward step traces of conv1d, for the steppers: which output gradients and which weights (or inputs) feed one
 * input-gradient or weight-gradient element. The forward trace is conv1d's own `steps`.
 */
import { checkConv1dGradient, conv1d, type Conv1dOptions } from '../engine/conv1d.ts';
import { EngineError, assertFiniteResult } from '../engine/errors.ts';

/** One contribution to dx[i]: output gradient dy[n] times the kernel weight w[kernelIndex] that joined them. */
export interface Conv1dInputGradTerm {
  /** The output whose gradient flows back. */
  n: number;
  /** Index into w as given (for true convolution, the flipped kernel sat over x[i] with this weight). */
  kernelIndex: number;
  dy: number;
  w: number;
  product: number;
}

/** One contribution to dw[k]: output gradient dy[n] times the input x[inputIndex] that w[k] met in output n. */
export interface Conv1dWeightGradTerm {
  n: number;
  inputIndex: number;
  dy: number;
  x: number;
  product: number;
}

/** The terms behind one gradient element and their sum (the element itself). */
export interface Conv1dGradTrace<Term> {
  /** The element traced: i for dx[i], k for dw[k]. */
  index: number;
  /** One per output that used the element, in output order (outputs where it hung over the edge give none). */
  terms: Term[];
  /** Sum of the products, added in output order: equal to conv1dBackward's value to the last bit. */
  sum: number;
}

function checkIndex(v: number, n: number, field: string, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v >= n) {
    throw new EngineError(field, `${what} must be a whole number from 0 to ${n - 1}, got ${String(v)}.`);
  }
}

/**
 * Which output gradients and weights feed dx[i]: every output n whose window covered x[i] sends dy[n] times the
 * weight that sat over x[i]. dx[i] = sum over those n of dy[n] * w[kernelIndex].
 * @param x input, length N @param w kernel, length K @param dy one value per output of conv1d(x, w, options)
 * @param i input index, 0 <= i < N
 */
export function conv1dInputGradTrace(
  x: readonly number[],
  w: readonly number[],
  dy: readonly number[],
  options: Conv1dOptions,
  i: number,
): Conv1dGradTrace<Conv1dInputGradTerm> {
  const { steps } = conv1d(x, w, options);
  checkConv1dGradient(dy, steps.length);
  checkIndex(i, x.length, 'index', 'The input index');
  const terms: Conv1dInputGradTerm[] = [];
  let sum = 0;
  for (const step of steps) {
    // At most one cell of a window sits over x[i].
    const t = step.terms.find((term) => term.inputIndex === i);
    if (t === undefined) continue;
    const g = dy[step.n]!;
    const product = g * t.w;
    terms.push({ n: step.n, kernelIndex: t.kernelIndex, dy: g, w: t.w, product });
    sum += product;
  }
  assertFiniteResult('conv1dInputGradTrace', [sum]);
  return { index: i, terms, sum };
}

/**
 * Which output gradients and inputs feed dw[k]: in every output n where w[k] sat over a real input x[j], the
 * product dy[n] * x[j]. dw[k] = sum over those n.
 * @param x input, length N @param w kernel, length K @param dy one value per output of conv1d(x, w, options)
 * @param k kernel index (into w as given), 0 <= k < K
 */
export function conv1dWeightGradTrace(
  x: readonly number[],
  w: readonly number[],
  dy: readonly number[],
  options: Conv1dOptions,
  k: number,
): Conv1dGradTrace<Conv1dWeightGradTerm> {
  const { steps } = conv1d(x, w, options);
  checkConv1dGradient(dy, steps.length);
  checkIndex(k, w.length, 'index', 'The kernel index');
  const terms: Conv1dWeightGradTerm[] = [];
  let sum = 0;
  for (const step of steps) {
    const t = step.terms.find((term) => term.kernelIndex === k);
    if (t === undefined) continue;
    const g = dy[step.n]!;
    const product = g * t.x;
    terms.push({ n: step.n, inputIndex: t.inputIndex, dy: g, x: t.x, product });
    sum += product;
  }
  assertFiniteResult('conv1dWeightGradTrace', [sum]);
  return { index: k, terms, sum };
}
