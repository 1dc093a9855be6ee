/**
 * Chapter 5 exercises: the output-size formula out = floor((n + 2p − d(k − 1) − 1) / s) + 1, and a 2D
 * cross-correlation with zero padding on every side and a stride. Worked example: the chapter's 5-wide input,
 * 3-wide kernel, padding 1, stride 2 (in 2D, chapter 3's image and X kernel).
 */
import { conv2d } from '../../engine/conv2d.ts';
import { outputSize as engineOutputSize } from '../../engine/output-size.ts';
import { CH03_EDGE, CH03_IMAGE, CH03_X_KERNEL, IMAGE_SOURCE, WIDE_K, WIDE_X, offByOne } from './ch03-conv2d.ts';
import { compareValues } from './compare.ts';
import { oneKernel, onePlane, planeOf, shapeOf } from './nested.ts';
import { Rng, between, matrix } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

const size = (n: number, k: number, p: number, s: number, d: number) => engineOutputSize(n, k, p, s, d).size;

function sizeCases(): CheckCase[] {
  const names = ['n', 'k', 'p', 's', 'd'];
  const c = (label: string, args: number[]): CheckCase => ({ label, names, args });
  const cases = [
    c('the worked example: input 5, kernel 3, padding 1, stride 2', [5, 3, 1, 2, 1]),
    c('the 28 × 28 digit with a 3 × 3 kernel, no padding, stride 1', [28, 3, 0, 1, 1]),
    c('input 7, kernel 3, stride 3: the floor drops an input', [7, 3, 0, 3, 1]),
    c('input 6, kernel 3, stride 2: the division leaves a half', [6, 3, 0, 2, 1]),
    c('kernel 3 with dilation 2 on 28 inputs', [28, 3, 0, 1, 2]),
    c("'same' padding: input 32, kernel 5, padding 2", [32, 5, 2, 1, 1]),
    c('a 2-wide pooling window, stride 2, on 11 inputs', [11, 2, 0, 2, 1]),
    c('a kernel as wide as the input', [5, 5, 0, 1, 1]),
    c('a 1-wide kernel', [4, 1, 0, 1, 1]),
    c('a kernel wider than the input, made to fit by padding', [2, 5, 2, 1, 1]),
    c('padding, stride and dilation together', [10, 3, 2, 3, 2]),
  ];
  const seed = 501;
  const rng = new Rng(seed);
  while (cases.length < 11 + 24) {
    const [n, k, p, s, d] = [
      between(rng, 1, 40),
      between(rng, 1, 7),
      between(rng, 0, 3),
      between(rng, 1, 4),
      between(rng, 1, 3),
    ];
    if (d * (k - 1) + 1 > n + 2 * p) continue; // the kernel must fit: such inputs have no output size
    cases.push(c(`random case ${cases.length - 10} (seed ${seed})`, [n, k, p, s, d]));
  }
  return cases;
}

const numerator = (n: number, k: number, p: number, d: number) => n + 2 * p - d * (k - 1) - 1;

export const outputSize: ExerciseSpec = {
  id: 'output-size',
  chapter: 'padding-stride-output-size',
  title: 'Output size with padding, stride and dilation',
  fn: 'outputSize',
  signature: 'outputSize(n: number, k: number, p: number, s: number, d: number): number',
  starter: `// How many outputs along one axis: input n, kernel k, padding p (each side), stride s, dilation d.
function outputSize(n: number, k: number, p: number, s: number, d: number): number {
  // your code here
  return 0;
}

show(outputSize(5, 3, 1, 2, 1)); // the chapter's first worked example
`,
  solution: `function outputSize(n: number, k: number, p: number, s: number, d: number): number {
  const lastStart = n + 2 * p - d * (k - 1) - 1; // the last cell a window may start at
  return Math.floor(lastStart / s) + 1;
}

show(outputSize(5, 3, 1, 2, 1)); // the chapter's first worked example
`,
  hints: [
    'A window starts at cell t of the padded input and its last tap is at t + d(k − 1), which must stay below n + 2p.',
    'The last possible start is L = n + 2p − d(k − 1) − 1, and the starts are 0, s, 2s, …: count them.',
    '`return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;`',
  ],
  cases: sizeCases,
  reference: size,
  mistakes: [
    {
      name: 'float output size (no floor)',
      advice:
        'A window starts only at a whole number of strides, so the count is whole: take Math.floor of the division before adding 1 (Python’s //, not /).',
      impl: (n: number, k: number, p: number, s: number, d: number) => numerator(n, k, p, d) / s + 1,
    },
    {
      name: 'forgot the +1',
      advice: 'The starts 0, s, …, floor(L/s)·s are floor(L/s) + 1 of them: the first window, at 0, counts too.',
      impl: (n: number, k: number, p: number, s: number, d: number) => Math.floor(numerator(n, k, p, d) / s),
    },
    {
      name: "forgot dilation's effective kernel",
      advice: 'A dilated kernel spans d(k − 1) + 1 cells, not k: use n + 2p − d(k − 1) − 1 as the last start.',
      impl: (n: number, k: number, p: number, s: number) => Math.floor((n + 2 * p - k) / s) + 1,
    },
    {
      name: 'padding on one side only',
      advice: 'p zeros are added on each side, so the padded input is n + 2p long, not n + p.',
      impl: (n: number, k: number, p: number, s: number, d: number) => Math.floor((n + p - d * (k - 1) - 1) / s) + 1,
    },
    {
      name: 'rounded instead of taking the floor',
      advice:
        'Math.round (and Math.ceil) count a window that would hang over the end. The last window must fit entirely: use Math.floor.',
      impl: (n: number, k: number, p: number, s: number, d: number) => Math.round(numerator(n, k, p, d) / s) + 1,
      detect: (got, _e, args) => {
        const [n, k, p, s, d] = args as number[];
        return got === Math.ceil(numerator(n!, k!, p!, d!) / s!) + 1;
      },
    },
  ],
};

/** The engine's cross-correlation with padding on the given sides (zeros) and a stride. */
function padded(
  x: number[][],
  k: number[][],
  pad: { top: number; bottom: number; left: number; right: number },
  stride: number,
): number[][] {
  return planeOf(conv2d(onePlane(x), oneKernel(k), null, { padding: pad, stride }));
}

const padStride = (x: number[][], k: number[][], pad: number, stride: number) =>
  padded(x, k, { top: pad, bottom: pad, left: pad, right: pad }, stride);

/** The learner's loop without the stride in the input index: a stride-1 result cut to the strided output size. */
function strideNotApplied(x: number[][], k: number[][], pad: number, stride: number): number[][] {
  const full = padStride(x, k, pad, 1);
  const want = shapeOf(padStride(x, k, pad, stride));
  return full.slice(0, want[0]).map((row) => row.slice(0, want[1]));
}

function padStrideCases(): CheckCase[] {
  const names = ['x', 'k', 'pad', 'stride'];
  const cases: CheckCase[] = [
    {
      label: 'the worked example: the 5 × 5 image and X kernel of chapter 3, padding 1, stride 2',
      names,
      args: [CH03_IMAGE, CH03_X_KERNEL, 1, 2],
    },
    { label: 'no padding, stride 1 (chapter 3’s valid output)', names, args: [CH03_IMAGE, CH03_EDGE, 0, 1] },
    { label: "'same' padding: padding 1, stride 1", names, args: [CH03_IMAGE, CH03_EDGE, 1, 1] },
    {
      label: 'a 7 × 7 input, stride 3: the floor drops a row and a column',
      names,
      args: [matrix(new Rng(502), 7, 7, true), CH03_EDGE, 0, 3],
    },
    {
      label: 'a kernel larger than the input, made to fit by padding',
      names,
      args: [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 0, -1],
          [2, 1, 0],
          [0, -1, 1],
        ],
        1,
        1,
      ],
    },
    { label: 'a single pixel, a 3 × 3 kernel and padding 1', names, args: [[[5]], CH03_X_KERNEL, 1, 1] },
    {
      label: 'a wide input (3 × 6), a 2 × 3 kernel, padding 2, stride 2',
      names,
      args: [WIDE_X, WIDE_K, 2, 2],
    },
  ];
  const seed = 503;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const [h, w, pad, stride] = [between(rng, 1, 8), between(rng, 1, 8), between(rng, 0, 2), between(rng, 1, 3)];
    const k = matrix(rng, between(rng, 1, Math.min(5, h + 2 * pad)), between(rng, 1, Math.min(5, w + 2 * pad)), i < 10);
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [matrix(rng, h, w, i < 10), k, pad, stride],
    });
  }
  return cases;
}

const PAD_STRIDE_DEMO = `${IMAGE_SOURCE}show(conv2dPadStride(image, [[1, 0, 1], [0, 1, 0], [1, 0, 1]], 1, 2));
`;

const oneSided: Mistake = {
  name: 'padding on one side only',
  advice:
    'Zero padding adds pad rows above and below and pad columns left and right. Build a padded copy of size (H + 2·pad) × (W + 2·pad) and put x[i][j] at [i + pad][j + pad].',
  impl: (x: number[][], k: number[][], pad: number, stride: number) =>
    padded(x, k, { top: pad, bottom: 0, left: pad, right: 0 }, stride),
  detect: (got, _e, args) => {
    const [x, k, pad, stride] = args as [number[][], number[][], number, number];
    return compareValues(padded(x, k, { top: 0, bottom: pad, left: 0, right: pad }, stride), got).ok;
  },
};

export const conv2dPadStride: ExerciseSpec = {
  id: 'conv2d-pad-stride',
  chapter: 'padding-stride-output-size',
  title: 'A padded, strided 2D convolution',
  fn: 'conv2dPadStride',
  signature: 'conv2dPadStride(x: number[][], k: number[][], pad: number, stride: number): number[][]',
  starter: `// Cross-correlation (no flip) of x with k, after adding pad zeros on every side,
// moving the window stride cells at a time.
function conv2dPadStride(x: number[][], k: number[][], pad: number, stride: number): number[][] {
  const y: number[][] = [];
  // your code here
  return y;
}

${PAD_STRIDE_DEMO}`,
  solution: `function conv2dPadStride(x: number[][], k: number[][], pad: number, stride: number): number[][] {
  const H = x.length + 2 * pad;
  const W = x[0].length + 2 * pad;
  const xp: number[][] = Array.from({ length: H }, () => new Array(W).fill(0));
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x[0].length; j++) xp[i + pad][j + pad] = x[i][j];
  const kh = k.length;
  const kw = k[0].length;
  const oh = Math.floor((H - kh) / stride) + 1;
  const ow = Math.floor((W - kw) / stride) + 1;
  const y: number[][] = [];
  for (let i = 0; i < oh; i++) {
    const row: number[] = [];
    for (let j = 0; j < ow; j++) {
      let s = 0;
      for (let m = 0; m < kh; m++) for (let n = 0; n < kw; n++) s += xp[i * stride + m][j * stride + n] * k[m][n];
      row.push(s);
    }
    y.push(row);
  }
  return y;
}

${PAD_STRIDE_DEMO}`,
  hints: [
    'First build the padded input: a (H + 2·pad) × (W + 2·pad) matrix of zeros with x copied into its middle.',
    'The output has floor((H + 2·pad − kh) / stride) + 1 rows (the same for columns). Output (i, j) reads the window whose top-left cell is (i·stride, j·stride) of the padded input.',
    '`s += xp[i * stride + m][j * stride + n] * k[m][n]` inside loops over the output (i, j) and the kernel (m, n).',
  ],
  cases: padStrideCases,
  reference: padStride,
  mistakes: [
    oneSided,
    {
      name: 'stride applied to the input index wrongly',
      advice:
        'Output (i, j) starts its window at row i·stride and column j·stride of the padded input. Stepping the output index by 1 must move the window by stride cells.',
      impl: strideNotApplied,
    },
    {
      name: 'forgot to pad',
      advice: 'The window slid over x itself. Slide it over the padded copy, with pad zeros on every side.',
      impl: (x: number[][], k: number[][], _pad: number, stride: number) => padStride(x, k, 0, stride),
    },
    {
      name: 'flipped the kernel',
      advice:
        'Like CNN layers, this exercise cross-correlates: k[0][0] lies on the window’s top-left cell, no rotation.',
      impl: (x: number[][], k: number[][], pad: number, stride: number) =>
        planeOf(conv2d(onePlane(x), oneKernel(k), null, { padding: pad, stride, kind: 'convolution' })),
    },
    {
      name: 'output size off by one',
      advice:
        'The output has floor((H + 2·pad − kh) / stride) + 1 rows and floor((W + 2·pad − kw) / stride) + 1 columns: check the floor, the +1 and the loop bounds.',
      detect: (got, expected) => offByOne(shapeOf(got), shapeOf(expected)),
    },
  ],
};

export const CH05_EXERCISES = [outputSize, conv2dPadStride];
