import { Rng, conv2d, conv2dTrace, randomInts, tensor, type Conv2dTrace, type Tensor } from '../../src/lib/index.ts';

/** A matrix as the widget keeps it: row-major values, shape [rows, cols]. */
export interface Matrix {
  rows: number;
  cols: number;
  values: number[];
}

export type Kind2d = 'cross-correlation' | 'convolution';
export const KINDS: readonly Kind2d[] = ['cross-correlation', 'convolution'];

/** Everything the 2D stepper shows, serializable to the URL. */
export interface Stepper2dState {
  x: Matrix;
  w: Matrix;
  kind: Kind2d;
  /** Output cell being computed, row-major (0-based): y[floor(step / OW), step % OW]. */
  step: number;
  /** Seed of the "random integers" preset. */
  seed: number;
}

export const LIMITS = { input: 12, kernel: 5, seedMax: 999_999_999 } as const;
/** Random presets draw the input from [0, 10) and the kernel from [-2, 3): small enough to add up by hand. */
export const RANDOM_RANGES = { input: [0, 10], kernel: [-2, 3] } as const;

/** The literature's worked example: a 5x5 binary image and an "X" kernel. */
export const WORKED: Pick<Stepper2dState, 'x' | 'w'> = {
  x: {
    rows: 5,
    cols: 5,
    values: [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0],
  },
  w: { rows: 3, cols: 3, values: [1, 0, 1, 0, 1, 0, 1, 0, 1] },
};

export const DEFAULT_STATE: Stepper2dState = { ...WORKED, kind: 'cross-correlation', step: 0, seed: 42 };

export function isKind(s: string | undefined): s is Kind2d {
  return s !== undefined && (KINDS as readonly string[]).includes(s);
}

/** What the engine computed for a state: the whole output and the products behind the current cell. */
export interface Stepper2dResult {
  /** shape [1, OH, OW] */
  y: Tensor;
  OH: number;
  OW: number;
  trace: Conv2dTrace;
}

/** Runs the engine (throws EngineError on a bad combination, e.g. a kernel larger than the input). */
export function compute(state: Stepper2dState): Stepper2dResult {
  const x = tensor([1, state.x.rows, state.x.cols], state.x.values);
  const w = tensor([1, 1, state.w.rows, state.w.cols], state.w.values);
  const y = conv2d(x, w, null, { kind: state.kind });
  const OH = y.shape[1]!;
  const OW = y.shape[2]!;
  const step = Math.max(0, Math.min(OH * OW - 1, state.step));
  const trace = conv2dTrace(x, w, null, { kind: state.kind }, 0, Math.floor(step / OW), step % OW);
  return { y, OH, OW, trace };
}

/** Seeded whole numbers in the given shapes, so a shared seed gives the same exercise everywhere. */
export function randomPreset(
  seed: number,
  xShape: [number, number],
  wShape: [number, number],
): Pick<Stepper2dState, 'x' | 'w'> {
  const rng = new Rng(seed);
  const x = randomInts(xShape, rng, RANDOM_RANGES.input[0], RANDOM_RANGES.input[1]);
  const w = randomInts(wShape, rng, RANDOM_RANGES.kernel[0], RANDOM_RANGES.kernel[1]);
  return {
    x: { rows: xShape[0], cols: xShape[1], values: Array.from(x.data) },
    w: { rows: wShape[0], cols: wShape[1], values: Array.from(w.data) },
  };
}

/** For the text areas: one row per line, entries separated by spaces, ASCII minus so it edits cleanly. */
export function matrixToText(m: Matrix): string {
  const rows: string[] = [];
  for (let r = 0; r < m.rows; r++) rows.push(m.values.slice(r * m.cols, (r + 1) * m.cols).join(' '));
  return rows.join('\n');
}

/** For the URL: "1,0,1;0,1,0;1,0,1" (parseMatrix reads it back). */
export function matrixToUrl(m: Matrix): string {
  return matrixToText(m).replace(/ /g, ',').replace(/\n/g, ';');
}
