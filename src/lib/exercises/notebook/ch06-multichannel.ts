/**
 * Chapter 6 exercise: a convolutional layer with many input channels, many filters and a bias per filter,
 * padding and stride: y[f] = b[f] + Σ_c x[c] ⋆ w[f][c]. Checked first on the chapter's CS231n example: a
 * 5 × 5 × 3 input, two 3 × 3 × 3 filters, padding 1, stride 2, drawn from the seed the chapter's stepper uses.
 */
import { conv2d } from '../../engine/conv2d.ts';
import { Rng, randomInts } from '../../engine/rng.ts';
import { fromNested, toNested } from '../../engine/tensor.ts';
import { shapeOf, stackOf } from './nested.ts';
import { between, stack } from './random.ts';
import type { CheckCase, ExerciseSpec } from './types.ts';

/** The stepper's seed for the worked example (components/multichannel-stepper/state.ts, DEFAULT_SEED). */
export const CH06_WORKED_SEED = 10;

/**
 * A layer's inputs as the chapter's stepper draws them: inputs 0..2, weights and biases −1..1, from one seed.
 * A unit test checks this against the stepper's own drawValues.
 */
export function steppedExample(
  seed: number,
  n: number,
  C: number,
  K: number,
  k: number,
): { x: number[][][]; w: number[][][][]; b: number[] } {
  const rng = new Rng(seed);
  const x = toNested(randomInts([C, n, n], rng, 0, 3)) as number[][][];
  const w = toNested(randomInts([K, C, k, k], rng, -1, 2)) as number[][][][];
  const b = toNested(randomInts([K], rng, -1, 2)) as number[];
  return { x, w, b };
}

/** The engine's layer, with an optional bias scale (0: no bias; C: the bias added once per channel). */
function layer(
  x: number[][][],
  w: number[][][][],
  b: number[],
  pad: number,
  stride: number,
  biasScale = 1,
): number[][][] {
  const bias = fromNested(b.map((v) => v * biasScale));
  return stackOf(conv2d(fromNested(x), fromNested(w), bias, { padding: pad, stride }));
}

const names = ['x', 'w', 'b', 'pad', 'stride'];

function multiCases(): CheckCase[] {
  const stepper = (label: string, n: number, C: number, K: number, k: number, pad: number, stride: number) => {
    const { x, w, b } = steppedExample(CH06_WORKED_SEED, n, C, K, k);
    return { label, names, args: [x, w, b, pad, stride] };
  };
  const cases: CheckCase[] = [
    stepper('the worked example: 5 × 5 × 3 input, two 3 × 3 filters, padding 1, stride 2', 5, 3, 2, 3, 1, 2),
    stepper('one channel (a gray image), one filter', 5, 1, 1, 3, 0, 1),
    stepper('two channels, two filters', 4, 2, 2, 3, 0, 1),
    stepper('1 × 1 filters: mixing channels only', 4, 3, 2, 1, 0, 1),
    stepper('padding 1, stride 1: same size, three filters', 4, 2, 3, 3, 1, 1),
    stepper('a single pixel with one channel and a 1 × 1 filter', 1, 1, 1, 1, 0, 1),
  ];
  const seed = 601;
  const rng = new Rng(seed);
  for (let i = 0; i < 22; i++) {
    const [C, K, h, wd, pad, stride] = [
      between(rng, 1, 3),
      between(rng, 1, 3),
      between(rng, 1, 6),
      between(rng, 1, 6),
      between(rng, 0, 2),
      between(rng, 1, 3),
    ];
    const [kh, kw] = [between(rng, 1, Math.min(4, h + 2 * pad)), between(rng, 1, Math.min(4, wd + 2 * pad))];
    const ints = i < 10;
    const w = Array.from({ length: K }, () => stack(rng, C, kh, kw, ints));
    const b = stack(rng, 1, 1, K, ints)[0]![0]!;
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [stack(rng, C, h, wd, ints), w, b, pad, stride],
    });
  }
  return cases;
}

export const conv2dMulti: ExerciseSpec = {
  id: 'conv2d-multi',
  chapter: 'channels-and-filters',
  title: 'Multi-channel, multi-filter convolution with bias',
  fn: 'conv2dMulti',
  signature: 'conv2dMulti(x: number[][][], w: number[][][][], b: number[], pad: number, stride: number): number[][][]',
  uses: ['conv2d-pad-stride'],
  starter: `// x is [C][H][W], w is [K][C][kh][kw] (K filters, each with one kernel per input channel),
// b is [K]. Output channel f is b[f] plus the sum over c of x[c] cross-correlated with w[f][c].
// conv2dPadStride(x, k, pad, stride) from chapter 5 is available.
function conv2dMulti(x: number[][][], w: number[][][][], b: number[], pad: number, stride: number): number[][][] {
  const y: number[][][] = [];
  // your code here
  return y;
}

const img = [
  [[1, 0, 2], [2, 1, 0], [0, 1, 1]],
  [[0, 2, 1], [1, 1, 0], [2, 0, 1]],
];
const filters = [[[[1, 0], [0, -1]], [[0, 1], [1, 0]]]];
show(conv2dMulti(img, filters, [1], 0, 1));
`,
  solution: `function conv2dMulti(x: number[][][], w: number[][][][], b: number[], pad: number, stride: number): number[][][] {
  return w.map((filter, f) => {
    // one partial sum per input channel, each a 2D cross-correlation
    const parts = x.map((channel, c) => conv2dPadStride(channel, filter[c], pad, stride));
    return parts[0].map((row, i) =>
      row.map((_, j) => b[f] + parts.reduce((sum, part) => sum + part[i][j], 0)),
    );
  });
}

const img = [
  [[1, 0, 2], [2, 1, 0], [0, 1, 1]],
  [[0, 2, 1], [1, 1, 0], [2, 0, 1]],
];
const filters = [[[[1, 0], [0, -1]], [[0, 1], [1, 0]]]];
show(conv2dMulti(img, filters, [1], 0, 1));
`,
  hints: [
    'One filter makes one output channel, however many input channels there are: the output has K channels.',
    'For filter f, cross-correlate every input channel x[c] with its own kernel w[f][c] (your conv2dPadStride does it), add the C results entry by entry, then add b[f] once.',
    '`w.map((filter, f) => { const parts = x.map((ch, c) => conv2dPadStride(ch, filter[c], pad, stride)); /* add parts, then b[f] */ })`',
  ],
  cases: multiCases,
  reference: (x: number[][][], w: number[][][][], b: number[], pad: number, stride: number) =>
    layer(x, w, b, pad, stride),
  mistakes: [
    {
      name: 'forgot the bias',
      advice: 'Each filter adds its own bias b[f] once to every output value of its channel.',
      impl: (x: number[][][], w: number[][][][], b: number[], pad: number, stride: number) =>
        layer(x, w, b, pad, stride, 0),
    },
    {
      name: 'bias added per channel (C times)',
      advice:
        'The bias belongs to the filter, not to a channel: add b[f] once after summing the channels, not inside the loop over c.',
      impl: (x: number[][][], w: number[][][][], b: number[], pad: number, stride: number) =>
        layer(x, w, b, pad, stride, x.length),
    },
    {
      name: 'weights read as [C][K] instead of [K][C]',
      advice:
        'w[f] is filter f, and w[f][c] its kernel for input channel c. Reading w[c][f] takes the kernels of other filters (and runs off the end when C ≠ K).',
      impl: (x: number[][][], w: number[][][][], b: number[], pad: number, stride: number) => {
        if (w.length !== x.length || w.some((f) => f.length !== w.length)) throw new Error('only defined for C = K');
        const swapped = w.map((_, f) => w.map((row) => row[f]!));
        return layer(x, swapped, b, pad, stride);
      },
    },
    {
      name: 'summed over the wrong axis (filters instead of channels)',
      advice:
        'The output has one channel per filter (K), each a sum over the C input channels. Your result has one channel per input channel: loop over the filters outside and sum over the channels inside.',
      detect: (got, _e, args) => {
        const [x, w] = args as [number[][][], number[][][][]];
        return x.length !== w.length && shapeOf(got).length === 3 && (got as unknown[]).length === x.length;
      },
    },
    {
      name: 'kept every channel separately (no sum over channels)',
      advice:
        'A standard conv layer adds the C partial sums of a filter into one output channel; keeping them apart is a depthwise convolution. With C = 3 and K = 2 the output has 2 channels, not 6.',
      detect: (got, _e, args) => {
        const [x, w] = args as [number[][][], number[][][][]];
        const s = shapeOf(got);
        const C = x.length;
        const K = w.length;
        return C > 1 && ((s.length === 3 && s[0] === C * K) || (s.length === 4 && s[0] === K && s[1] === C));
      },
    },
  ],
};

export const CH06_EXERCISES = [conv2dMulti];
