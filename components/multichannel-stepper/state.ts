import { Rng, randomInts, tensor, type Conv2dOptions, type Tensor } from '../../src/lib/index.ts';

/**
 * Everything the multi-channel stepper shows, serializable to the URL. Sizes are square: the input is
 * C x n x n, each of the K filters is C x k x k with one bias.
 */
export interface MultiChannelState {
  /** Input size (height = width). */
  n: number;
  /** Input channels. */
  C: number;
  /** Filters = output channels. */
  K: number;
  /** Kernel size (height = width). */
  k: number;
  padding: number;
  stride: number;
  /** Seed the random example was drawn from. */
  seed: number;
  /** Input, row-major [C, n, n]. */
  x: number[];
  /** Filters, row-major [K, C, k, k]. */
  w: number[];
  /** One bias per filter [K]. */
  b: number[];
  /** Position in the walk: output cell (filter, row, column) times C + 1 sub-steps (each channel, then the bias). */
  step: number;
}

/** The sizes a preset (or the shape fields) fix; values are then drawn from the seed. */
export type Shape = Pick<MultiChannelState, 'n' | 'C' | 'K' | 'k' | 'padding' | 'stride'>;

/** Limits of the shape fields: small enough that every number stays readable on a phone. */
export const LIMITS = {
  n: { min: 1, max: 9 },
  C: { min: 1, max: 4 },
  K: { min: 1, max: 3 },
  k: { min: 1, max: 5 },
  padding: { min: 0, max: 3 },
  stride: { min: 1, max: 4 },
  seed: { min: 0, max: 999_999 },
} as const;

export const PRESETS: readonly { id: string; label: string; shape: Shape }[] = [
  {
    id: 'worked',
    label: '5×5×3 input, two 3×3×3 filters, padding 1, stride 2',
    shape: { n: 5, C: 3, K: 2, k: 3, padding: 1, stride: 2 },
  },
  {
    id: 'gray',
    label: 'One channel (a grey image), one filter',
    shape: { n: 5, C: 1, K: 1, k: 3, padding: 0, stride: 1 },
  },
  {
    id: 'pointwise',
    label: '1×1 filters: mixing channels only',
    shape: { n: 4, C: 3, K: 2, k: 1, padding: 0, stride: 1 },
  },
  {
    id: 'same',
    label: 'Padding 1, stride 1: same size, three filters',
    shape: { n: 4, C: 2, K: 3, k: 3, padding: 1, stride: 1 },
  },
];

/** The seed of the worked example: its biases come out as 1 and 0, as in the CS231n demo. */
export const DEFAULT_SEED = 10;

/**
 * Small whole numbers that are easy to add in your head: inputs 0..2, weights and biases -1..1.
 * The same seed always gives the same example.
 */
export function drawValues(shape: Shape, seed: number): Pick<MultiChannelState, 'x' | 'w' | 'b'> {
  const rng = new Rng(seed);
  const { n, C, K, k } = shape;
  return {
    x: Array.from(randomInts([C, n, n], rng, 0, 3).data),
    w: Array.from(randomInts([K, C, k, k], rng, -1, 2).data),
    b: Array.from(randomInts([K], rng, -1, 2).data),
  };
}

export function initialState(shape: Shape = PRESETS[0]!.shape, seed = DEFAULT_SEED): MultiChannelState {
  return { ...shape, seed, ...drawValues(shape, seed), step: 0 };
}

/** The engine's view of the state. */
export function tensors(s: MultiChannelState): { x: Tensor; w: Tensor; b: Tensor; opts: Conv2dOptions } {
  return {
    x: tensor([s.C, s.n, s.n], s.x),
    w: tensor([s.K, s.C, s.k, s.k], s.w),
    b: tensor([s.K], s.b),
    opts: { padding: s.padding, stride: s.stride },
  };
}

/** Which output cell and which sub-step (channel c, or the bias when c === C) a step index means. */
export function decodeStep(
  s: MultiChannelState,
  OH: number,
  OW: number,
): { k: number; oy: number; ox: number; c: number } {
  const per = s.C + 1;
  const cell = Math.floor(s.step / per);
  return { k: Math.floor(cell / (OH * OW)), oy: Math.floor(cell / OW) % OH, ox: cell % OW, c: s.step % per };
}

/** Number of steps in the walk: every output cell, channel by channel, then its bias. */
export function stepCount(s: Pick<MultiChannelState, 'K' | 'C'>, OH: number, OW: number): number {
  return s.K * OH * OW * (s.C + 1);
}
