import { EngineError } from './errors.ts';

/** How a sliding window fits along one axis: how many positions, and what it leaves out. */
export interface OutputSizeResult {
  /** Number of window positions: floor((i + pBefore + pAfter - d(k-1) - 1) / s) + 1. */
  size: number;
  /** True when the last window ends exactly at the end of the padded input (the division leaves no remainder). */
  exact: boolean;
  /** (i + pBefore + pAfter - d(k-1) - 1) mod s: padded cells past the last window. */
  remainder: number;
  /** Span of the kernel once dilated: d(k-1)+1. */
  effectiveKernel: number;
  /** i + pBefore + pAfter. */
  paddedInput: number;
  /** Indices (0-based, unpadded input) that no window reads, from the floor or from dilation gaps. */
  unvisitedInputs: number[];
  /** Start of each window in padded coordinates (0 = first padding cell). */
  windowStarts: number[];
  /**
   * Ceil mode only: cells the last window reaches past the end of the padded input (0 in floor mode). Those cells
   * do not exist; pooling treats them like padding (max ignores them, average does not count them).
   */
  overhang: number;
}

/** Zero padding of a 2D input: a number (same on all sides), TensorFlow's 'same' or 'valid', or each side. */
export type Padding2d = number | 'same' | 'valid' | { top: number; bottom: number; left: number; right: number };

/** The padding added on each side, resolved to numbers. */
export interface ResolvedPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

// Sizes above this would allocate huge arrays in a widget; nothing in the course comes close.
const MAX_DIM = 1_000_000;

function checkWhole(n: unknown, field: string, what: string, min: number): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new EngineError(field, `${what} must be a whole number, got ${String(n)}.`);
  }
  if (n < min) {
    const hint = min === 1 ? 'a whole number of at least 1' : `a whole number of at least ${min}`;
    throw new EngineError(field, `${what} must be ${hint}, got ${n}.`);
  }
  if (n > MAX_DIM) throw new EngineError(field, `${what} is ${n}, which is too large (at most ${MAX_DIM}).`);
}

/**
 * How many positions a kernel takes along one axis, and which inputs it never reads.
 *
 * Floor mode (the default, and the only mode of convolutions): o = floor((i + pb + pa - d(k-1) - 1)/s) + 1, every
 * window inside the padded input. Ceil mode is PyTorch's `ceil_mode=True` for pooling: o = ceil(.../s) + 1, so a
 * last, partial window may hang past the end, except that a window may not start in the right padding (PyTorch
 * then drops it: `if ((o - 1) * s >= i + pb) --o`, aten/src/ATen/native/Pool.h, pooling_output_shape_pad_lr).
 *
 * @param input length of the (unpadded) input, >= 1
 * @param kernel kernel length, >= 1
 * @param padding zeros on each side, or [before, after]
 * @param stride step between windows, >= 1
 * @param dilation gap between kernel taps (1 = none), >= 1
 * @param ceilMode round the window count up (PyTorch's pooling `ceil_mode`) instead of down
 */
export function outputSize(
  input: number,
  kernel: number,
  padding: number | readonly [number, number] = 0,
  stride = 1,
  dilation = 1,
  ceilMode = false,
): OutputSizeResult {
  checkWhole(input, 'input', 'The input size', 1);
  checkWhole(kernel, 'kernel', 'The kernel size', 1);
  checkWhole(stride, 'stride', 'The stride', 1);
  checkWhole(dilation, 'dilation', 'The dilation', 1);
  const [before, after] = typeof padding === 'number' ? [padding, padding] : padding;
  checkWhole(before, 'padding', 'The padding', 0);
  checkWhole(after, 'padding', 'The padding', 0);
  const effectiveKernel = dilation * (kernel - 1) + 1;
  const paddedInput = input + before + after;
  if (effectiveKernel > paddedInput) {
    throw new EngineError(
      'kernel',
      `The kernel ${kernel} (${effectiveKernel} with dilation ${dilation}) is wider than the padded input ${paddedInput}` +
        ` (${input} plus ${before + after} padding): add padding, shrink the kernel or the dilation.`,
    );
  }
  if (typeof ceilMode !== 'boolean') throw new EngineError('ceilMode', 'ceilMode must be true or false.');
  const span = paddedInput - effectiveKernel;
  const remainder = span % stride;
  let size = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // PyTorch's rule: in ceil mode the last window must start inside the input or the left padding.
  if (ceilMode && (size - 1) * stride >= input + before) size--;
  const windowStarts: number[] = [];
  const lastEnd = (size - 1) * stride + effectiveKernel;
  const visited = new Uint8Array(Math.max(paddedInput, lastEnd));
  for (let o = 0; o < size; o++) {
    const start = o * stride;
    windowStarts.push(start);
    for (let j = 0; j < kernel; j++) visited[start + j * dilation] = 1;
  }
  const unvisitedInputs: number[] = [];
  for (let i = 0; i < input; i++) if (!visited[i + before]) unvisitedInputs.push(i);
  const overhang = Math.max(0, lastEnd - paddedInput);
  return {
    size,
    exact: remainder === 0,
    remainder,
    effectiveKernel,
    paddedInput,
    unvisitedInputs,
    windowStarts,
    overhang,
  };
}

/**
 * The zeros TensorFlow's padding 'same' adds: enough that the output has ceil(i/s) positions.
 * total = max((ceil(i/s) - 1) * s + d(k-1) + 1 - i, 0); the odd one goes after (bottom/right).
 */
export function tfSamePadding(
  input: number,
  kernel: number,
  stride = 1,
  dilation = 1,
): { before: number; after: number; total: number } {
  checkWhole(input, 'input', 'The input size', 1);
  checkWhole(kernel, 'kernel', 'The kernel size', 1);
  checkWhole(stride, 'stride', 'The stride', 1);
  checkWhole(dilation, 'dilation', 'The dilation', 1);
  const total = Math.max((Math.ceil(input / stride) - 1) * stride + dilation * (kernel - 1) + 1 - input, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before, total };
}

/** Splits a `number | [y, x]` setting into its vertical and horizontal parts, validating both. */
export function pair(
  v: number | readonly [number, number],
  field: string,
  what: string,
  min: number,
): [number, number] {
  const arr: readonly unknown[] = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : [v];
  if (arr.length !== 2) throw new EngineError(field, `${what} must be a number or a pair [vertical, horizontal].`);
  const [a, b] = arr;
  checkWhole(a, field, what, min);
  checkWhole(b, field, what, min);
  return [a, b];
}

/**
 * Turns a padding setting into zeros per side for an inH x inW input and a kh x kw kernel.
 * @param stride number or [sy, sx]; @param dilation number or [dy, dx] (both matter only for 'same')
 */
export function resolvePadding(
  spec: Padding2d,
  inH: number,
  inW: number,
  kh: number,
  kw: number,
  stride: number | readonly [number, number] = 1,
  dilation: number | readonly [number, number] = 1,
): ResolvedPadding {
  if (spec === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  if (spec === 'same') {
    const [sy, sx] = pair(stride, 'stride', 'The stride', 1);
    const [dy, dx] = pair(dilation, 'dilation', 'The dilation', 1);
    const v = tfSamePadding(inH, kh, sy, dy);
    const h = tfSamePadding(inW, kw, sx, dx);
    return { top: v.before, bottom: v.after, left: h.before, right: h.after };
  }
  if (typeof spec === 'number') {
    checkWhole(spec, 'padding', 'The padding', 0);
    return { top: spec, bottom: spec, left: spec, right: spec };
  }
  if (spec === null || typeof spec !== 'object') {
    throw new EngineError(
      'padding',
      `The padding must be a number, 'same', 'valid' or {top, bottom, left, right}; got ${String(spec)}.`,
    );
  }
  checkWhole(spec.top, 'padding', 'The top padding', 0);
  checkWhole(spec.bottom, 'padding', 'The bottom padding', 0);
  checkWhole(spec.left, 'padding', 'The left padding', 0);
  checkWhole(spec.right, 'padding', 'The right padding', 0);
  return { top: spec.top, bottom: spec.bottom, left: spec.left, right: spec.right };
}

/**
 * Output size of pooling: a window of `size` cells every `stride` cells (default: size, no overlap).
 * Padding on each side may be at most half the window, PyTorch's rule ("pad should be at most half of effective
 * kernel size"); TensorFlow's 'same' never needs more. So every window holds real input cells, and more of them
 * than padding cells.
 * @param ceilMode PyTorch's `ceil_mode`: count a last, partial window (see outputSize)
 */
export function poolOutputSize(
  input: number,
  size: number,
  stride: number = size,
  padding: number | readonly [number, number] = 0,
  ceilMode = false,
): OutputSizeResult {
  checkWhole(size, 'size', 'The pooling window size', 1);
  const [before, after] = typeof padding === 'number' ? [padding, padding] : padding;
  checkWhole(before, 'padding', 'The padding', 0);
  checkWhole(after, 'padding', 'The padding', 0);
  if (2 * Math.max(before, after) > size) {
    throw new EngineError(
      'padding',
      `The padding (${Math.max(before, after)}) may be at most half the pooling window (${size}), as in PyTorch; otherwise a window could hold mostly padding.`,
    );
  }
  checkWhole(input, 'input', 'The input size', 1);
  if (size > input + before + after) {
    throw new EngineError(
      'size',
      `The pooling window ${size} is wider than the padded input ${input + before + after}: use a smaller window or more padding.`,
    );
  }
  return outputSize(input, size, [before, after], stride, 1, ceilMode);
}

/**
 * Output length of a transposed convolution along one axis (Dumoulin & Visin 2016, section 4.6, with dilation as
 * PyTorch's ConvTranspose2d adds it): o = (i - 1)s - pBefore - pAfter + d(k - 1) + 1 + outputPadding. It is the input length of the
 * convolution with the same settings whose output is i; a stride s > 1 makes s input lengths give the same i, and
 * outputPadding (0 <= outputPadding < s) picks one of them.
 *
 * @param input length of the transposed convolution's input, >= 1
 * @param padding the forward convolution's padding (each side, or [before, after]), removed from the output
 * @throws EngineError when outputPadding is not below the stride, or the padding leaves no output
 */
export function transposedOutputSize(
  input: number,
  kernel: number,
  padding: number | readonly [number, number] = 0,
  stride = 1,
  dilation = 1,
  outputPadding = 0,
): number {
  checkWhole(input, 'input', 'The input size', 1);
  checkWhole(kernel, 'kernel', 'The kernel size', 1);
  checkWhole(stride, 'stride', 'The stride', 1);
  checkWhole(dilation, 'dilation', 'The dilation', 1);
  const [before, after] = typeof padding === 'number' ? [padding, padding] : padding;
  checkWhole(before, 'padding', 'The padding', 0);
  checkWhole(after, 'padding', 'The padding', 0);
  checkWhole(outputPadding, 'outputPadding', 'The output padding', 0);
  if (outputPadding >= stride) {
    throw new EngineError(
      'outputPadding',
      `The output padding (${outputPadding}) must be smaller than the stride (${stride}): it only picks among the ${stride} input sizes a stride-${stride} convolution maps to the same output.`,
    );
  }
  const size = (input - 1) * stride - before - after + dilation * (kernel - 1) + 1 + outputPadding;
  if (size < 1) {
    throw new EngineError(
      'padding',
      `The padding (${before + after} in total) removes the whole output: (${input} - 1)·${stride} + ${dilation * (kernel - 1) + 1}${outputPadding ? ` + ${outputPadding}` : ''} is only ${size + before + after}.`,
    );
  }
  return size;
}
