/**
 * Chapter 13 exercises: batch normalisation in training mode for x [B][C][H][W], forward (per channel, over the
 * batch and every position, biased variance, then γ and β) and backward (dx with its two mean terms, dγ, dβ), the
 * backward built on the reader's forward. References: the engine's batchNorm and batchNormBackward. The worked
 * example is two images with two channels of 2 × 2 whole numbers.
 */
import { batchNorm, batchNormBackward as engineBackward } from '../../engine/batch-norm.ts';
import { fromNested, toNested } from '../../engine/tensor.ts';
import { compareValues } from './compare.ts';
import { valuesOf } from './nested.ts';
import { Rng, between, vector } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

type X4 = number[][][][];

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
const BN_SOURCE = `const x = [
  [[[1, 2], [3, 4]], [[10, 12], [14, 16]]],
  [[[0, 2], [1, 3]], [[11, 9], [13, 15]]],
];
`;

function forward(x: X4, gamma: number[], beta: number[], eps: number) {
  const r = batchNorm(fromNested(x), fromNested(gamma), fromNested(beta), { eps });
  return { y: toNested(r.y) as X4, mean: valuesOf(r.mean), variance: valuesOf(r.variance) };
}

function backward(x: X4, gamma: number[], dy: X4, eps: number) {
  const g = engineBackward(fromNested(x), fromNested(gamma), fromNested(dy), { eps });
  return { dx: toNested(g.dx) as X4, dgamma: valuesOf(g.dgamma), dbeta: valuesOf(g.dbeta) };
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

const constantChannel: X4 = [[[[2, 2]], [[1, 3]]], [[[2, 2]], [[0, 5]]]];

/** Cases as [label, x, gamma, eps]; the backward adds dy. */
function inputs(seed: number): { label: string; x: X4; gamma: number[]; beta: number[]; eps: number }[] {
  const list = [
    { label: 'the worked example: two images, two channels of 2 × 2, γ = 1, β = 0', x: BN_X, gamma: [1, 1], beta: [0, 0], eps: 1e-5 },
    { label: 'the worked example with γ = (2, −1) and β = (0.5, 3)', x: BN_X, gamma: [2, -1], beta: [0.5, 3], eps: 1e-5 },
    { label: 'a batch of one image: statistics over its positions', x: [BN_X[0]!], gamma: [1, 0.5], beta: [0, 1], eps: 1e-5 },
    {
      label: '1 × 1 maps: four values per channel, like a dense layer’s units',
      x: [[[[1]], [[-2]], [[30]]], [[[2]], [[0]], [[31]]], [[[4]], [[2]], [[29]]], [[[1]], [[4]], [[34]]]],
      gamma: [1, 2, 0.5],
      beta: [0, -1, 2],
      eps: 1e-5,
    },
    { label: 'a constant channel (variance 0: eps keeps it finite)', x: constantChannel, gamma: [3, 1], beta: [1, 0], eps: 1e-5 },
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
      ch.forEach((row, i) => row.forEach((v, j) => groups.set(key(b, c, i, j), [...(groups.get(key(b, c, i, j)) ?? []), v]))),
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
  cases: () => inputs(1341).map((c) => ({ label: c.label, names: ['x', 'gamma', 'beta', 'eps'], args: [c.x, c.gamma, c.beta, c.eps] })),
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

const backwardNames = ['x', 'gamma', 'dy', 'eps'];

function backwardCases(): CheckCase[] {
  const rng = new Rng(1342);
  return inputs(1343).map((c, i) => {
    const dy = c.x.map((img) => img.map((ch) => ch.map((row) => vector(rng, row.length, i < 8))));
    return { label: c.label, names: backwardNames, args: [c.x, c.gamma, dy, c.eps] };
  });
}

type Backward = (x: X4, gamma: number[], dy: X4, eps: number) => { dx: X4; dgamma: number[]; dbeta: number[] };

export const batchNormBackward: ExerciseSpec = {
  id: 'batchnorm-backward',
  chapter: 'training-in-practice',
  title: 'Batch normalisation, backward',
  fn: 'batchNormBackward',
  signature:
    'batchNormBackward(x: number[][][][], gamma: number[], dy: number[][][][], eps: number): { dx: number[][][][]; dgamma: number[]; dbeta: number[] }',
  uses: ['batchnorm'],
  starter: `// The training-mode layer y = batchNormForward(x, gamma, beta, eps) received dy = dL/dy.
// Per channel, over its m values: dbeta = Σ dy, dgamma = Σ dy·x̂, and
// dx = gamma / sqrt(var + eps) * (dy - mean(dy) - x̂ * mean(dy·x̂)). Your batchNormForward is available.
function batchNormBackward(x: number[][][][], gamma: number[], dy: number[][][][], eps: number): { dx: number[][][][]; dgamma: number[]; dbeta: number[] } {
  const dx: number[][][][] = [];
  const dgamma: number[] = [];
  const dbeta: number[] = [];
  // your code here
  return { dx, dgamma, dbeta };
}

${BN_SOURCE}const dy = x.map((img) => img.map((ch) => ch.map((row) => row.map((_, j) => (j === 0 ? 1 : -1)))));
show(batchNormBackward(x, [1, 1], dy, 1e-5));
`,
  solution: `function batchNormBackward(x: number[][][][], gamma: number[], dy: number[][][][], eps: number): { dx: number[][][][]; dgamma: number[]; dbeta: number[] } {
  const C = x[0].length;
  const { mean, variance } = batchNormForward(x, gamma.map(() => 1), gamma.map(() => 0), eps);
  const xhat = (a: number, c: number) => (a - mean[c]) / Math.sqrt(variance[c] + eps);
  const dgamma: number[] = [];
  const dbeta: number[] = [];
  const meanDy: number[] = [];
  const meanDyXhat: number[] = [];
  for (let c = 0; c < C; c++) {
    const pairs = x.flatMap((img, b) => img[c].flatMap((row, i) => row.map((a, j) => [dy[b][c][i][j], xhat(a, c)])));
    dbeta.push(pairs.reduce((s, [d]) => s + d, 0));
    dgamma.push(pairs.reduce((s, [d, h]) => s + d * h, 0));
    meanDy.push(dbeta[c] / pairs.length);
    meanDyXhat.push(dgamma[c] / pairs.length);
  }
  // the batch mean and variance depend on every x: hence the two mean terms
  const dx = x.map((img, b) =>
    img.map((ch, c) =>
      ch.map((row, i) =>
        row.map((a, j) => (gamma[c] / Math.sqrt(variance[c] + eps)) * (dy[b][c][i][j] - meanDy[c] - xhat(a, c) * meanDyXhat[c])),
      ),
    ),
  );
  return { dx, dgamma, dbeta };
}

${BN_SOURCE}const dy = x.map((img) => img.map((ch) => ch.map((row) => row.map((_, j) => (j === 0 ? 1 : -1)))));
show(batchNormBackward(x, [1, 1], dy, 1e-5));
`,
  hints: [
    'Get each channel’s mean and variance from your batchNormForward (γ = 1, β = 0 will do), and x̂ from them.',
    'Per channel: dβ = Σ dy and dγ = Σ dy·x̂ over its m = B·H·W values; their means Σ dy / m and Σ dy·x̂ / m enter dx.',
    'dx = γ/√(σ² + eps) · (dy − mean(dy) − x̂·mean(dy·x̂)). A check you can run: each channel’s dx sums to 0.',
  ],
  cases: backwardCases,
  reference: backward,
  mistakes: [
    {
      name: 'dx without the two mean terms (the inference formula)',
      advice:
        'In training μ and σ² are computed from the batch, so every x moves them too: dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)). γ/σ·dy alone is the gradient in inference mode, where the statistics are constants. A sign of this mistake: your dx does not sum to 0 per channel.',
      impl: ((x, gamma, dy, eps) => {
        const { mean, variance } = forward(x, gamma, gamma, eps);
        const running = { mean: fromNested(mean), variance: fromNested(variance) };
        const g = engineBackward(fromNested(x), fromNested(gamma), fromNested(dy), { eps, mode: 'inference', running });
        return { dx: toNested(g.dx) as X4, dgamma: valuesOf(g.dgamma), dbeta: valuesOf(g.dbeta) };
      }) as Backward,
    },
    {
      name: 'dropped the x̂ term (only the mean of dy subtracted)',
      advice:
        'The variance depends on x as well as the mean does: subtract x̂·mean(dy·x̂) too. Only the mean term comes from μ; the x̂ term is the share of σ².',
      impl: ((x, gamma, dy, eps) => {
        const right = backward(x, gamma, dy, eps);
        const { variance } = forward(x, gamma, gamma, eps);
        const m = x.length * x[0]![0]!.length * x[0]![0]![0]!.length;
        const dx = x.map((img, b) =>
          img.map((ch, c) =>
            ch.map((row, i) =>
              row.map((_, j) => (gamma[c]! / Math.sqrt(variance[c]! + eps)) * (dy[b]![c]![i]![j]! - right.dbeta[c]! / m)),
            ),
          ),
        );
        return { ...right, dx };
      }) as Backward,
    },
    {
      name: 'dgamma without x̂ (Σ dy)',
      advice: 'γ multiplies x̂, so its gradient is Σ dy·x̂ over the channel’s values; Σ dy alone is dβ.',
      impl: ((x, gamma, dy, eps) => {
        const right = backward(x, gamma, dy, eps);
        return { ...right, dgamma: [...right.dbeta] };
      }) as Backward,
    },
  ],
};

export const CH13_BATCHNORM_EXERCISES = [batchNormForward, batchNormBackward];
