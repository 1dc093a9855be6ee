/**
 * Inputs of chapter 12's exercises (im2col, a convolution as one matrix product, col2im): the chapter's 4 × 4
 * example, the im2col stepper's presets (drawn from its seed as chapter 6's stepper draws them) and seeded random
 * windows. Also the engine's answers on plain nested arrays, shared by the exercises and their known mistakes.
 */
import { col2im, im2col } from '../../engine/im2col.ts';
import { outputSize } from '../../engine/output-size.ts';
import { fromNested, toNested } from '../../engine/tensor.ts';
import { CH06_WORKED_SEED, steppedExample } from './ch06-multichannel.ts';
import { Rng, between, matrix, stack } from './random.ts';

/** The chapter's worked example (its GemmBackward figures): a 4 × 4 input, a 3 × 3 kernel, a 2 × 2 upstream δ. */
export const CH11_X = [
  [1, 2, 0, 1],
  [0, 1, 3, 1],
  [2, 1, 0, 2],
  [1, 0, 1, 1],
];
export const CH11_W = [
  [1, 0, -1],
  [2, 1, 0],
  [0, -1, 1],
];
export const CH11_DY = [
  [1, -1],
  [2, 0],
];

/** The worked input as the reader's code declares it: starters and solutions show their function on it. */
export const WORKED_SOURCE = `const x = [[
  [1, 2, 0, 1],
  [0, 1, 3, 1],
  [2, 1, 0, 2],
  [1, 0, 1, 1],
]];
`;

/** The im2col stepper's presets without dilation (components/im2col-stepper/state.ts, seed 10): n, C, K, k, pad, stride. */
export const STEPPER_PRESETS = {
  worked: { n: 5, C: 3, K: 2, k: 3, padding: 1, stride: 2 },
  small: { n: 4, C: 1, K: 1, k: 2, padding: 0, stride: 1 },
  pointwise: { n: 3, C: 3, K: 2, k: 1, padding: 0, stride: 1 },
} as const;

/** A preset's input, filters and biases as the stepper draws them (the biases come after, as in chapter 6). */
export function stepperExample(p: (typeof STEPPER_PRESETS)[keyof typeof STEPPER_PRESETS]) {
  return steppedExample(CH06_WORKED_SEED, p.n, p.C, p.K, p.k);
}

/** A window's geometry over a C × H × W input. */
export interface WindowSettings {
  C: number;
  H: number;
  W: number;
  kh: number;
  kw: number;
  stride: number;
  padding: number;
}

/** Output height and width of a window's geometry (the engine's output-size rule). */
export function windows(s: WindowSettings): { OH: number; OW: number } {
  return {
    OH: outputSize(s.H, s.kh, s.padding, s.stride).size,
    OW: outputSize(s.W, s.kw, s.padding, s.stride).size,
  };
}

/** Seeded settings whose window fits the padded input; kernels up to 4, padding up to 2, stride up to 3. */
export function randomWindow(rng: Rng): WindowSettings {
  const C = between(rng, 1, 3);
  const H = between(rng, 1, 7);
  const W = between(rng, 1, 7);
  const padding = between(rng, 0, 2);
  const stride = between(rng, 1, 3);
  const kh = between(rng, 1, Math.min(4, H + 2 * padding));
  const kw = between(rng, 1, Math.min(4, W + 2 * padding));
  return { C, H, W, kh, kw, stride, padding };
}

/** A random input for a window's geometry (whole numbers when `ints`). */
export const randomInput = (rng: Rng, s: WindowSettings, ints: boolean) => stack(rng, s.C, s.H, s.W, ints);

/** A random patch matrix for a window's geometry: [C·kh·kw][OH·OW]. */
export function randomCols(rng: Rng, s: WindowSettings, ints: boolean): number[][] {
  const { OH, OW } = windows(s);
  return matrix(rng, s.C * s.kh * s.kw, OH * OW, ints);
}

/** The engine's patch matrix of x [C][H][W]. */
export const patches = (x: number[][][], kh: number, kw: number, stride: number, padding: number): number[][] =>
  toNested(im2col(fromNested(x), [kh, kw], { stride, padding })) as number[][];

/** The engine's col2im, back to [C][H][W]. */
export function scatter(
  cols: number[][],
  C: number,
  H: number,
  W: number,
  kh: number,
  kw: number,
  stride: number,
  padding: number,
): number[][][] {
  return toNested(col2im(fromNested(cols), [C, H, W], [kh, kw], { stride, padding })) as number[][][];
}
