import { Rng, conv2d, dense, randomInts, tensor, type Tensor } from '../../src/lib/index.ts';

/** Everything the 1×1-convolution widget shows, serializable to the URL. */
export interface OneByOneState {
  /** Input channels. */
  C: number;
  /** Filters (output channels). */
  K: number;
  /** Input height = width. */
  n: number;
  seed: number;
  /** The pixel in focus, row-major: 0 .. n·n − 1. */
  step: number;
}

export const LIMITS = {
  C: { min: 1, max: 4, name: 'the number of input channels' },
  K: { min: 1, max: 4, name: 'the number of filters' },
  n: { min: 2, max: 5, name: 'the input size' },
  seed: { min: 0, max: 999_999, name: 'the seed' },
} as const;
export type LimitField = keyof typeof LIMITS;
export const FIELDS = Object.keys(LIMITS) as LimitField[];

/** Three channels mixed down to two, like a NiN or GoogLeNet 1×1 reduction in miniature. */
export const DEFAULT_STATE: OneByOneState = { C: 3, K: 2, n: 4, seed: 5, step: 0 };

/** What one state shows, computed by the engine. */
export interface OneByOneView {
  x: Tensor;
  /** Kernels [K, C, 1, 1]; as a matrix [K, C]. */
  w: Tensor;
  wMatrix: Tensor;
  /** conv2d(x, w): [K, n, n]. */
  y: Tensor;
  /** The pixel's channel vector x[:, i, j] and dense(that vector, W): [C] and [K]. */
  pixel: { i: number; j: number; vector: number[]; dense: number[] };
}

export function computeView(s: OneByOneState): OneByOneView {
  const rng = new Rng(s.seed);
  const x = randomInts([s.C, s.n, s.n], rng, 0, 4);
  const w = randomInts([s.K, s.C, 1, 1], rng, -2, 3);
  const wMatrix = tensor([s.K, s.C], w.data);
  const y = conv2d(x, w, null);
  const i = Math.floor(s.step / s.n);
  const j = s.step % s.n;
  const plane = s.n * s.n;
  const vector = Array.from({ length: s.C }, (_, c) => x.data[c * plane + s.step]!);
  const d = dense(tensor([1, s.C], vector), wMatrix, null);
  return { x, w, wMatrix, y, pixel: { i, j, vector, dense: Array.from(d.data) } };
}
