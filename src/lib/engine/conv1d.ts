import { EngineError, assertFiniteArray, assertFiniteResult, assertInt, assertNumberList } from './errors.ts';

/** Which outputs to keep: every overlap (`full`), the input's length centred (`same`), or full overlaps only (`valid`). */
export type Conv1dMode = 'full' | 'same' | 'valid';
/** True convolution flips the kernel; cross-correlation (what deep-learning libraries call "conv") does not. */
export type Conv1dKind = 'convolution' | 'cross-correlation';

export interface Conv1dOptions {
  mode?: Conv1dMode;
  kind?: Conv1dKind;
}

/** One term of one output: input x[inputIndex] times kernel w[kernelIndex]. */
export interface Conv1dTerm {
  inputIndex: number;
  kernelIndex: number;
  x: number;
  w: number;
  product: number;
}

/** Everything a stepper needs to draw output y[n]. */
export interface Conv1dStep {
  /** Index of this output in the returned `y` (0-based). */
  n: number;
  /**
   * Input index under the first cell of the kernel as drawn (the flipped kernel for convolution).
   * Negative or past the end when the kernel hangs over the input's edge (those cells count as 0).
   */
  offset: number;
  /** The products that contribute (kernel cells over real input), left to right along the input. */
  terms: Conv1dTerm[];
  /** y[n], the sum of the products (0 when no cell overlaps). */
  sum: number;
}

export interface Conv1dResult {
  /** The outputs, length N+K-1 (full), N (same) or N-K+1 (valid). */
  y: number[];
  /** The kernel as it slides along the input: reversed for convolution, as given for cross-correlation. */
  slidingKernel: number[];
  /** One step per output. */
  steps: Conv1dStep[];
}

const MODES: readonly Conv1dMode[] = ['full', 'same', 'valid'];
const KINDS: readonly Conv1dKind[] = ['convolution', 'cross-correlation'];

function checkMode(mode: Conv1dMode): void {
  if (!MODES.includes(mode)) {
    throw new EngineError('mode', `The mode must be 'full', 'same' or 'valid', got ${String(mode)}.`);
  }
}

/** The options with their defaults, validated (a misspelt mode or kind would otherwise fall through silently). */
export function conv1dOptions(options: Conv1dOptions | null | undefined): Required<Conv1dOptions> {
  if (options !== null && options !== undefined && typeof options !== 'object') {
    throw new EngineError('options', 'The options must be an object like { mode: "full", kind: "convolution" }.');
  }
  const mode = options?.mode ?? 'full';
  const kind = options?.kind ?? 'convolution';
  checkMode(mode);
  if (!KINDS.includes(kind)) {
    throw new EngineError('kind', `kind must be 'convolution' or 'cross-correlation', got ${String(kind)}.`);
  }
  return { mode, kind };
}

/**
 * Length of the output for an input of length n and a kernel of length k: n + k - 1 (full), n (same) or
 * n - k + 1 (valid). Throws unless n and k are whole numbers of at least 1 and the mode is known, and in valid
 * mode when the kernel is longer than the input.
 */
export function conv1dLength(n: number, k: number, mode: Conv1dMode): number {
  assertInt(n, 'input', 'The input length', 1);
  assertInt(k, 'kernel', 'The kernel length', 1);
  checkMode(mode);
  if (mode === 'full') return n + k - 1;
  if (mode === 'same') return n;
  if (k > n) {
    throw new EngineError(
      'kernel',
      `In valid mode the kernel (length ${k}) must not be longer than the input (length ${n}); use full or same, or shorten the kernel.`,
    );
  }
  return n - k + 1;
}

/**
 * 1D convolution y[n] = sum_k x[k] w[n-k] (or cross-correlation y[n] = sum_k x[n+k] w[k]), with its step trace.
 *
 * @param x input, length N >= 1
 * @param w kernel, length K >= 1
 * @returns outputs, the kernel as it slides, and one trace step per output
 */
export function conv1d(x: readonly number[], w: readonly number[], options: Conv1dOptions = {}): Conv1dResult {
  const { mode, kind } = conv1dOptions(options);
  assertNumberList(x, 'input', 'The input x');
  assertNumberList(w, 'kernel', 'The kernel w');
  if (x.length === 0) throw new EngineError('input', 'The input is empty; give at least one number.');
  if (w.length === 0) throw new EngineError('kernel', 'The kernel is empty; give at least one number.');
  assertFiniteArray(x, 'input', 'x');
  assertFiniteArray(w, 'kernel', 'w');
  const N = x.length;
  const K = w.length;
  const length = conv1dLength(N, K, mode);
  // Sliding kernel s: y[n] = sum_j x[offset + j] * s[j]. Convolution slides the reversed kernel.
  const slidingKernel = kind === 'convolution' ? [...w].reverse() : [...w];
  // Offset of output 0: full starts with one cell of overlap; same keeps the centre of full, as NumPy's
  // np.convolve/np.correlate do (floor(K/2) cells hang over the left edge, one more than the right when K is even).
  // Same is always N long, as the course defines it; NumPy's same gives max(N, K) when the kernel is the longer.
  const first = mode === 'full' ? -(K - 1) : mode === 'same' ? -Math.floor(K / 2) : 0;
  const steps: Conv1dStep[] = [];
  const y: number[] = [];
  for (let n = 0; n < length; n++) {
    const offset = first + n;
    const terms: Conv1dTerm[] = [];
    let sum = 0;
    for (let j = 0; j < K; j++) {
      const i = offset + j;
      if (i < 0 || i >= N) continue;
      const kernelIndex = kind === 'convolution' ? K - 1 - j : j;
      const product = x[i]! * w[kernelIndex]!;
      terms.push({ inputIndex: i, kernelIndex, x: x[i]!, w: w[kernelIndex]!, product });
      sum += product;
    }
    steps.push({ n, offset, terms, sum });
    y.push(sum);
  }
  assertFiniteResult('conv1d', y);
  return { y, slidingKernel, steps };
}

/**
 * Gradients of conv1d given dy = dLoss/dy: every product x[i]*w[j] in the forward pass sends dy[n]*w[j] back to
 * x[i] and dy[n]*x[i] back to w[j].
 *
 * @param x input, length N @param w kernel, length K @param dy one value per output of conv1d(x, w, options)
 * @returns dx (length N) and dw (length K)
 */
export function conv1dBackward(
  x: readonly number[],
  w: readonly number[],
  dy: readonly number[],
  options: Conv1dOptions = {},
): { dx: number[]; dw: number[] } {
  const { steps } = conv1d(x, w, options);
  checkConv1dGradient(dy, steps.length);
  const dx = new Array<number>(x.length).fill(0);
  const dw = new Array<number>(w.length).fill(0);
  for (const step of steps) {
    const g = dy[step.n]!;
    for (const t of step.terms) {
      dx[t.inputIndex] = dx[t.inputIndex]! + g * t.w;
      dw[t.kernelIndex] = dw[t.kernelIndex]! + g * t.x;
    }
  }
  assertFiniteResult('conv1dBackward', dx);
  assertFiniteResult('conv1dBackward', dw);
  return { dx, dw };
}

/** Throws unless dy is a list of `outputs` finite numbers (one per output of the forward pass). */
export function checkConv1dGradient(dy: readonly number[], outputs: number): void {
  assertNumberList(dy, 'gradient', 'The output gradient dy');
  if (dy.length !== outputs) {
    throw new EngineError('gradient', `dy must have one value per output (${outputs}), got ${dy.length}.`);
  }
  assertFiniteArray(dy, 'gradient', 'dy');
}
