import { Rng, conv2dGeometry, randomInts, tensor, type Conv2dOptions, type Tensor } from '../../src/lib/index.ts';

/**
 * Everything the im2col stepper shows, serializable to the URL. Square sizes: the input is C × n × n, each of the
 * K filters C × k × k. Values are small whole numbers drawn from the seed, so every product can be checked by hand.
 */
export interface Im2colState {
  n: number;
  C: number;
  K: number;
  k: number;
  padding: number;
  stride: number;
  dilation: number;
  seed: number;
  /** Column of the patch matrix being written: 0 .. OH·OW − 1 (the windows in reading order). */
  step: number;
}

/** The sizes a reader can set. */
export type Im2colShape = Omit<Im2colState, 'seed' | 'step'>;

export const LIMITS = {
  n: { min: 1, max: 8, name: 'the input size' },
  C: { min: 1, max: 3, name: 'the number of channels' },
  K: { min: 1, max: 3, name: 'the number of filters' },
  k: { min: 1, max: 4, name: 'the kernel size' },
  padding: { min: 0, max: 2, name: 'the padding' },
  stride: { min: 1, max: 3, name: 'the stride' },
  dilation: { min: 1, max: 3, name: 'the dilation' },
  seed: { min: 0, max: 999_999, name: 'the seed' },
} as const;
export type LimitField = keyof typeof LIMITS;
export const FIELDS = Object.keys(LIMITS) as LimitField[];

/** More windows than this make the patch matrix too wide to read (and to step through). */
export const MAX_WINDOWS = 49;

export const PRESETS: readonly { id: string; label: string; shape: Im2colShape }[] = [
  {
    id: 'worked',
    label: '5×5×3 input, two 3×3×3 filters, padding 1, stride 2 (chapter 6’s example)',
    shape: { n: 5, C: 3, K: 2, k: 3, padding: 1, stride: 2, dilation: 1 },
  },
  {
    id: 'small',
    label: '4×4 grey input, one 2×2 filter',
    shape: { n: 4, C: 1, K: 1, k: 2, padding: 0, stride: 1, dilation: 1 },
  },
  {
    id: 'dilated',
    label: '7×7 input, 3×3 filter with dilation 2',
    shape: { n: 7, C: 1, K: 2, k: 3, padding: 0, stride: 1, dilation: 2 },
  },
  {
    id: 'pointwise',
    label: '1×1 filters: the patch matrix is the input itself',
    shape: { n: 3, C: 3, K: 2, k: 1, padding: 0, stride: 1, dilation: 1 },
  },
];

export const DEFAULT_SEED = 10;
export const DEFAULT_STATE: Im2colState = { ...PRESETS[0]!.shape, seed: DEFAULT_SEED, step: 0 };

/** The engine's view of a state: inputs 0..2 and weights −1..1 from the seed (as chapter 6's stepper draws them). */
export function tensors(s: Im2colState): { x: Tensor; w: Tensor; opts: Conv2dOptions } {
  const rng = new Rng(s.seed);
  return {
    x: tensor([s.C, s.n, s.n], randomInts([s.C, s.n, s.n], rng, 0, 3).data),
    w: tensor([s.K, s.C, s.k, s.k], randomInts([s.K, s.C, s.k, s.k], rng, -1, 2).data),
    opts: { padding: s.padding, stride: s.stride, dilation: s.dilation },
  };
}

/** Output size of a state (throws EngineError when the kernel does not fit). */
export function outputShape(s: Im2colShape): { OH: number; OW: number } {
  const g = conv2dGeometry([s.C, s.n, s.n], [s.K, s.C, s.k, s.k], {
    padding: s.padding,
    stride: s.stride,
    dilation: s.dilation,
  });
  return { OH: g.OH, OW: g.OW };
}
