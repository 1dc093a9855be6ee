/**
 * Chapter 14 exercise: a 1 × 1 convolution as one matrix product, w [K][C] times x reshaped to [C][H·W], reshaped
 * back to [K][H][W]: a dense layer applied at every pixel. Reference: the engine's conv2d with w as [K, C, 1, 1].
 * The worked example is the chapter's OneByOneConv widget at its defaults (3 channels to 2, 4 × 4, seed 5).
 */
import { conv2d } from '../../engine/conv2d.ts';
import { Rng, randomInts } from '../../engine/rng.ts';
import { fromNested, toNested } from '../../engine/tensor.ts';
import { shapeOf, stackOf } from './nested.ts';
import { between, matrix, stack } from './random.ts';
import type { CheckCase, ExerciseSpec } from './types.ts';

/** The widget's input and weights for C channels, K filters, an n × n map and a seed (components/one-by-one/state.ts). */
export function oneByOneExample(C: number, K: number, n: number, seed: number): { x: number[][][]; w: number[][] } {
  const rng = new Rng(seed);
  const x = toNested(randomInts([C, n, n], rng, 0, 4)) as number[][][];
  const w = toNested(randomInts([K, C], rng, -2, 3)) as number[][];
  return { x, w };
}

type OneByOne = (x: number[][][], w: number[][]) => number[][][];

const engine: OneByOne = (x, w) =>
  stackOf(conv2d(fromNested(x), fromNested(w.map((row) => row.map((v) => [[v]]))), null));

function cases(): CheckCase[] {
  const names = ['x', 'w'];
  const ex = oneByOneExample(3, 2, 4, 5);
  const fixed = new Rng(1422);
  const list: CheckCase[] = [
    { label: 'the worked example: the widget’s 3 channels mixed down to 2 on a 4 × 4 map', names, args: [ex.x, ex.w] },
    {
      label: 'as many filters as channels (3 → 3)',
      names,
      args: [stack(fixed, 3, 3, 3, true), matrix(fixed, 3, 3, true)],
    },
    { label: 'one filter: a weighted sum of the channels', names, args: [stack(fixed, 3, 2, 2, true), [[1, -1, 2]]] },
    { label: 'one channel: every filter scales the map', names, args: [stack(fixed, 1, 3, 3, true), [[2], [-1]]] },
    {
      label: 'a single pixel: a dense layer',
      names,
      args: [
        [[[1]], [[2]], [[-1]]],
        [
          [1, 0, 2],
          [0, -3, 1],
        ],
      ],
    },
    {
      label: 'a wide map (2 × 5), 2 channels to 4',
      names,
      args: [stack(fixed, 2, 2, 5, true), matrix(fixed, 4, 2, true)],
    },
  ];
  const seed = 1421;
  const rng = new Rng(seed);
  for (let i = 0; i < 20; i++) {
    const C = between(rng, 1, 4);
    const K = i < 4 ? C : between(rng, 1, 4);
    const ints = i < 8;
    list.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [stack(rng, C, between(rng, 1, 5), between(rng, 1, 5), ints), matrix(rng, K, C, ints)],
    });
  }
  return list;
}

/** Rows of `n` taken from a flat list, in order: a reshape. */
const rowsOf = (flat: number[], n: number) =>
  Array.from({ length: flat.length / n }, (_, i) => flat.slice(i * n, (i + 1) * n));

const SOURCE = `const x = [
  [[1, 0], [2, 3]],
  [[0, 1], [1, 0]],
  [[2, 2], [0, 1]],
];
show(conv1x1(x, [[1, 0, -1], [0.5, 0.5, 0.5]]));
`;

export const oneByOne: ExerciseSpec = {
  id: 'one-by-one',
  chapter: 'beyond-lenet',
  title: 'A 1 × 1 convolution as one matrix product',
  fn: 'conv1x1',
  signature: 'conv1x1(x: number[][][], w: number[][]): number[][][]',
  starter: `// x is [C][H][W], w is [K][C]. Reshape x to a [C][H*W] matrix (one column per pixel), multiply
// w by it, and reshape the [K][H*W] product back to [K][H][W].
function conv1x1(x: number[][][], w: number[][]): number[][][] {
  const y: number[][][] = [];
  // your code here
  return y;
}

${SOURCE}`,
  solution: `function conv1x1(x: number[][][], w: number[][]): number[][][] {
  const [H, W] = [x[0].length, x[0][0].length];
  const X = x.map((plane) => plane.flat()); // [C][H*W]: channels first, so a plain reshape
  const product = w.map((row) => X[0].map((_, p) => row.reduce((s, v, c) => s + v * X[c][p], 0))); // [K][H*W]
  return product.map((flat) => Array.from({ length: H }, (_, i) => flat.slice(i * W, (i + 1) * W)));
}

${SOURCE}`,
  hints: [
    'Channels first makes the reshape free: `x.map((plane) => plane.flat())` is the [C][H·W] matrix, column p holding pixel p’s channel vector.',
    'Entry (k, p) of the product is Σ_c w[k][c]·X[c][p]: the dense layer w applied to pixel p.',
    'Reshape each row of the product back into H rows of W: `Array.from({ length: H }, (_, i) => flat.slice(i * W, (i + 1) * W))`.',
  ],
  cases,
  reference: engine,
  mistakes: [
    {
      name: 'read w as [C][K] (transposed)',
      advice:
        'w[k] is filter k, one weight per input channel: output channel k at a pixel is Σ_c w[k][c]·x[c][pixel]. Reading w[c][k] mixes the channels with another filter’s weights.',
      impl: ((x, w) => {
        if (w.length !== w[0]!.length) throw new Error('only defined for a square w');
        return engine(
          x,
          w.map((_, k) => w.map((row) => row[k]!)),
        );
      }) as OneByOne,
      detect: (got, _e, args) => {
        const [x, w] = args as [number[][][], number[][]];
        return x.length !== w.length && shapeOf(got)[0] === x.length;
      },
    },
    {
      name: 'reshaped x to [H·W][C] where a transpose was needed',
      advice:
        'x is channels first, so its values run plane by plane; reshaping them to [H·W][C] does not give each pixel its channel vector, it cuts the planes into wrong pieces. Use the [C][H·W] reshape (w times it), or transpose, never reshape, to go to pixels × channels.',
      impl: ((x, w) => {
        const [H, W] = [x[0]!.length, x[0]![0]!.length];
        const pixels = rowsOf(x.flat(2), x.length); // [H·W][C], wrongly
        const product = pixels.map((v) => w.map((row) => row.reduce((s, wv, c) => s + wv * v[c]!, 0))); // [H·W][K]
        return rowsOf(product.flat(), H * W).map((flat) => rowsOf(flat, W));
      }) as OneByOne,
    },
  ],
};

export const CH14_ONE_BY_ONE_EXERCISES = [oneByOne];
