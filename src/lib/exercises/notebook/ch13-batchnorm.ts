/**
 * Chapter 13 exercise: batch normalisation in training mode for x [B][C][H][W], forward: per channel, over the
 * batch and every position, the mean and biased variance, then γ and β. Reference: the engine's batchNorm. The
 * worked example is two images with two channels of 2 × 2 whole numbers. The backward pass is in
 * ch13-batchnorm-backward.ts and shares these inputs.
 */
import { batchNorm } from '../../engine/batch-norm.ts';
import { fromNested, toNested } from '../../engine/tensor.ts';
import { compareValues } from './compare.ts';
import { valuesOf } from './nested.ts';
import { Rng, between, vector } from './random.ts';
import type { ExerciseSpec, Mistake } from './types.ts';

export type X4 = number[][][][];

/** The worked example: two images, two channels of 2 × 2 (channel 1 sits far from 0). */
export const BN_X: X4 = [
  [
    [
      [1, 2],
      [3, 4],
    ],
    [
      [10, 12],
      [14, 16],
    ],
  ],
  [
    [
      [0, 2],
      [1, 3],
    ],
    [
      [11, 9],
      [13, 15],
    ],
  ],
];
export const BN_SOURCE = `const x = [
  [[[1, 2], [3, 4]], [[10, 12], [14, 16]]],
  [[[0, 2], [1, 3]], [[11, 9], [13, 15]]],
];
`;

export function forward(x: X4, gamma: number[], beta: number[], eps: number) {
  const r = batchNorm(fromNested(x), fromNested(gamma), fromNested(beta), { eps });
  return { y: toNested(r.y) as X4, mean: valuesOf(r.mean), variance: valuesOf(r.variance) };
}

/** Seeded input of a random shape with at least two values per channel; channels shifted away from 0. */
function randomBatch(rng: Rng, ints: boolean): { x: X4; C: number } {
  const B = between(rng, 1, 4);
  const C = between(rng, 1, 3);
  const H = between(rng, 1, 3);
  const W = between(rng, B * H === 1 ? 2 : 1, 3);
  const shift = vector(rng, C, true).map((v) => 4 * v);
  const x = Array.from({ length: B }, () =>
    Array.from({ length: C }, (_, c) =>
      Array.from({ length: H }, () => vector(rng, W, ints).map((v) => v + shift[c]!)),
    ),
  );
  return { x, C };
}

const constantChannel: X4 = [
  [[[2, 2]], [[1, 3]]],
  [[[2, 2]], [[0, 5]]],
];

/** Cases as [label, x, gamma, eps]; the backward adds dy. */
export function inputs(seed: number): { label: string; x: X4; gamma: number[]; beta: number[]; eps: number }[] {
  const list = [
    {
      label: 'the worked example: two images, two channels of 2 × 2, γ = 1, β = 0',
      x: BN_X,
      gamma: [1, 1],
      beta: [0, 0],
      eps: 1e-5,
    },
    {
      label: 'the worked example with γ = (2, −1) and β = (0.5, 3)',
      x: BN_X,
      gamma: [2, -1],
      beta: [0.5, 3],
      eps: 1e-5,
    },
    {
      label: 'a batch of one image: statistics over its positions',
      x: [BN_X[0]!],
      gamma: [1, 0.5],
      beta: [0, 1],
      eps: 1e-5,
    },
    {
      label: '1 × 1 maps: four values per channel, like a dense layer’s units',
      x: [
        [[[1]], [[-2]], [[30]]],
        [[[2]], [[0]], [[31]]],
        [[[4]], [[2]], [[29]]],
        [[[1]], [[4]], [[34]]],
      ],
      gamma: [1, 2, 0.5],
      beta: [0, -1, 2],
      eps: 1e-5,
    },
    {
      label: 'a constant channel (variance 0: eps keeps it finite)',
      x: constantChannel,
      gamma: [3, 1],
      beta: [1, 0],
      eps: 1e-5,
    },
    { label: 'Keras’s eps = 0.001', x: BN_X, gamma: [1, 1], beta: [0, 0], eps: 1e-3 },
  ];
  const rng = new Rng(seed);
  for (let i = 0; i < 20; i++) {
    const { x, C } = randomBatch(rng, i < 8);
    const eps = [1e-5, 1e-3][rng.int(0, 2)]!;
    list.push({ label: `random case ${i + 1} (seed ${seed})`, x, gamma: vector(rng, C), beta: vector(rng, C), eps });
  }
  return list;
}

/**
 * y of a wrong normalisation: statistics over the groups `key` makes (default: per channel), with the variance
 * divided by m − 1 when `unbiased`, and eps left out when `noEps`.
 */
function normalised(
  x: X4,
  gamma: number[],
  beta: number[],
  eps: number,
  o: { key?: (b: number, c: number, i: number, j: number) => string; unbiased?: boolean; noEps?: boolean },
): X4 {
  const key = o.key ?? ((_b, c) => String(c));
  const groups = new Map<string, number[]>();
  x.forEach((img, b) =>
    img.forEach((ch, c) =>
      ch.forEach((row, i) =>
        row.forEach((v, j) => groups.set(key(b, c, i, j), [...(groups.get(key(b, c, i, j)) ?? []), v])),
      ),
    ),
  );
  const stats = new Map<string, { mean: number; sd: number }>();
  for (const [k, vs] of groups) {
    const mean = vs.reduce((s, v) => s + v, 0) / vs.length;
    const ss = vs.reduce((s, v) => s + (v - mean) ** 2, 0);
    const variance = ss / (o.unbiased ? vs.length - 1 : vs.length);
    stats.set(k, { mean, sd: Math.sqrt(variance + (o.noEps ? 0 : eps)) });
  }
  return x.map((img, b) =>
    img.map((ch, c) =>
      ch.map((row, i) =>
        row.map((v, j) => {
          const s = stats.get(key(b, c, i, j))!;
          return gamma[c]! * ((v - s.mean) / s.sd) + beta[c]!;
        }),
      ),
    ),
  );
}

/** A mistake recognised by the reader's y alone (their mean and variance may be shaped differently). */
const wrongY = (name: string, advice: string, o: Parameters<typeof normalised>[4]): Mistake => ({
  name,
  advice,
  detect: (got, _e, args) => {
    const [x, gamma, beta, eps] = args as [X4, number[], number[], number];
    return compareValues(normalised(x, gamma, beta, eps, o), (got as { y?: unknown }).y).ok;
  },
});

export const batchNormForward: ExerciseSpec = {
  id: 'batchnorm',
  chapter: 'training-in-practice',
  title: 'Batch normalisation, forward',
  fn: 'batchNormForward',
  signature:
    'batchNormForward(x: number[][][][], gamma: number[], beta: number[], eps: number): { y: number[][][][]; mean: number[]; variance: number[] }',
  starter: `// x is [B][C][H][W], training mode. For each channel c: the mean and the (biased) variance of all
// its values over the batch and every position, x̂ = (x - mean) / sqrt(variance + eps),
// y = gamma[c] * x̂ + beta[c]. Return y and the per-channel mean and variance.
function batchNormForward(x: number[][][][], gamma: number[], beta: number[], eps: number): { y: number[][][][]; mean: number[]; variance: number[] } {
  const y: number[][][][] = [];
  const mean: number[] = [];
  const variance: number[] = [];
  // your code here
  return { y, mean, variance };
}

${BN_SOURCE}show(batchNormForward(x, [1, 1], [0, 0], 1e-5).y);
`,
  solution: `function batchNormForward(x: number[][][][], gamma: number[], beta: number[], eps: number): { y: number[][][][]; mean: number[]; variance: number[] } {
  const C = x[0].length;
  const channel = (c: number) => x.flatMap((img) => img[c].flat()); // every value of channel c in the batch
  const mean: number[] = [];
  const variance: number[] = [];
  for (let c = 0; c < C; c++) {
    const v = channel(c);
    const mu = v.reduce((s, a) => s + a, 0) / v.length;
    mean.push(mu);
    variance.push(v.reduce((s, a) => s + (a - mu) ** 2, 0) / v.length); // divide by m, not m - 1
  }
  const y = x.map((img) =>
    img.map((ch, c) => ch.map((row) => row.map((a) => gamma[c] * ((a - mean[c]) / Math.sqrt(variance[c] + eps)) + beta[c]))),
  );
  return { y, mean, variance };
}

${BN_SOURCE}show(batchNormForward(x, [1, 1], [0, 0], 1e-5).y);
`,
  hints: [
    'Channel c’s statistics average over m = B·H·W values: every image of the batch and every position of its map.',
    'The variance is the mean of (x − μ)², divided by m (not m − 1); eps goes inside the square root: √(σ² + eps).',
    '`const v = x.flatMap((img) => img[c].flat());` gives channel c’s m values; then y = γ[c]·(x − μ[c])/√(σ²[c] + eps) + β[c].',
  ],
  cases: () =>
    inputs(1341).map((c) => ({
      label: c.label,
      names: ['x', 'gamma', 'beta', 'eps'],
      args: [c.x, c.gamma, c.beta, c.eps],
    })),
  reference: forward,
  mistakes: [
    wrongY(
      'statistics per image, not per channel',
      'Batch norm normalises each channel over the whole batch: channel c’s mean and variance take all B·H·W of its values. Statistics per image (or per image and channel) are layer and instance normalisation, other layers.',
      { key: (b, c) => `${b},${c}` },
    ),
    wrongY(
      'statistics per position (over the batch only)',
      'In a conv layer a channel shares one mean and variance over every position, as it shares one kernel: average over the batch and over H and W, not separately for each pixel.',
      { key: (_b, c, i, j) => `${c},${i},${j}` },
    ),
    wrongY(
      'variance divided by m − 1',
      'The normalisation uses the biased variance, Σ(x − μ)²/m, as the paper and every framework do. (The m/(m − 1) correction belongs to the running estimate kept for inference.)',
      { unbiased: true },
    ),
    wrongY(
      'left out eps',
      'Add eps to the variance inside the square root, √(σ² + eps): it changes the result slightly everywhere and keeps a constant channel (σ² = 0) from dividing by 0.',
      { noEps: true },
    ),
  ],
};

export const CH13_BATCHNORM_EXERCISES = [batchNormForward];
