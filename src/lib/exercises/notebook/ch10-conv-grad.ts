/**
 * Chapter 10 exercises: a conv layer's backward pass for one channel, valid, stride 1. The weight gradient is the
 * cross-correlation of the input with the output gradient, dW = x ⋆ dy; the input gradient is the full
 * convolution of dy with the kernel, i.e. dy padded by k − 1 zeros cross-correlated with the kernel rotated 180°.
 * Worked example: the chapter's 4 × 4 input, 3 × 3 kernel and 2 × 2 gradient. References come from the engine's
 * conv2dBackward, which loops over the chain rule's terms directly.
 */
import { conv2d, conv2dBackward } from '../../engine/conv2d.ts';
import { reshape, zeros } from '../../engine/tensor.ts';
import { engine2d } from './ch03-conv2d.ts';
import { oneKernel, onePlane, planeOf, shapeOf } from './nested.ts';
import { Rng, between, matrix } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

export const CH10_X = [
  [1, 2, 0, 1],
  [0, 1, 3, 1],
  [2, 1, 0, 2],
  [1, 0, 1, 1],
];
export const CH10_W = [
  [1, 0, -1],
  [2, 1, 0],
  [0, -1, 1],
];
export const CH10_DY = [
  [1, -1],
  [2, 0],
];

/** dW from the engine's backward pass (the kernel's values do not matter for dW, only its shape). */
function gradW(x: number[][], dy: number[][]): number[][] {
  const kh = x.length - dy.length + 1;
  const kw = x[0]!.length - dy[0]!.length + 1;
  return planeOf(reshape(conv2dBackward(onePlane(x), zeros([1, 1, kh, kw]), onePlane(dy)).dw, [1, kh, kw]));
}

/** dX from the engine's backward pass (the input's values do not matter for dX, only its shape). */
function gradX(w: number[][], dy: number[][]): number[][] {
  const h = dy.length + w.length - 1;
  const wd = dy[0]!.length + w[0]!.length - 1;
  return planeOf(conv2dBackward(zeros([1, h, wd]), oneKernel(w), onePlane(dy)).dx);
}

/** dy padded by k − 1 zeros on every side, cross-correlated with `k` as given (no rotation). */
function fullCorrelation(w: number[][], dy: number[][]): number[][] {
  const [ph, pw] = [w.length - 1, w[0]!.length - 1];
  return planeOf(conv2d(onePlane(dy), oneKernel(w), null, { padding: { top: ph, bottom: ph, left: pw, right: pw } }));
}

const empty = (v: unknown) => Array.isArray(v) && (v.length === 0 || (Array.isArray(v[0]) && v[0].length === 0));

const wrongSize = (what: string): Mistake => ({
  name: 'wrong output size',
  advice: what,
  detect: (got, expected) => {
    const g = shapeOf(got);
    return g.length === 2 && !empty(got) && (g[0] !== shapeOf(expected)[0] || g[1] !== shapeOf(expected)[1]);
  },
});

function gradCases(seed: number, forX: boolean): CheckCase[] {
  const names = forX ? ['w', 'dy'] : ['x', 'dy'];
  const first = forX ? CH10_W : CH10_X;
  const cases: CheckCase[] = [
    {
      label: 'the worked example: the chapter’s 4 × 4 input, 3 × 3 kernel and 2 × 2 gradient',
      names,
      args: [first, CH10_DY],
    },
  ];
  const rng = new Rng(seed);
  const add = (label: string, kh: number, kw: number, oh: number, ow: number, ints: boolean) => {
    const a = forX ? matrix(rng, kh, kw, ints) : matrix(rng, kh + oh - 1, kw + ow - 1, ints);
    cases.push({ label, names, args: [a, matrix(rng, oh, ow, ints)] });
  };
  add('a 6 × 6 input and a 3 × 3 kernel (a 4 × 4 gradient)', 3, 3, 4, 4, true);
  add('a 1 × 1 kernel', 1, 1, 3, 3, true);
  add('a kernel as large as the input (one output)', 3, 3, 1, 1, true);
  add('a 2 × 3 kernel and a 3 × 2 gradient', 2, 3, 3, 2, true);
  for (let i = 0; i < 24; i++) {
    add(
      `random case ${i + 1} (seed ${seed})`,
      between(rng, 1, 4),
      between(rng, 1, 4),
      between(rng, 1, 5),
      between(rng, 1, 5),
      i < 10,
    );
  }
  return cases;
}

export const conv2dGradW: ExerciseSpec = {
  id: 'conv2d-grad-w',
  chapter: 'backpropagation',
  title: 'Conv backward: the weight gradient',
  fn: 'conv2dGradW',
  signature: 'conv2dGradW(x: number[][], dy: number[][]): number[][]',
  uses: ['corr2d'],
  starter: `// A valid, stride-1 cross-correlation y = x ⋆ w received dy = dL/dy (one entry per output).
// Return dW = dL/dw, shaped like the kernel: (H - OH + 1) x (W - OW + 1).
// corr2d(x, k) from chapter 3 is available.
function conv2dGradW(x: number[][], dy: number[][]): number[][] {
  const dW: number[][] = [];
  // your code here
  return dW;
}

show(conv2dGradW([[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 2], [1, 0, 1, 1]], [[1, -1], [2, 0]]));
`,
  solution: `function conv2dGradW(x: number[][], dy: number[][]): number[][] {
  // dW[a][b] = sum over outputs (i, j) of dy[i][j] * x[i + a][j + b]: x cross-correlated with dy
  return corr2d(x, dy);
}

show(conv2dGradW([[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 2], [1, 0, 1, 1]], [[1, -1], [2, 0]]));
`,
  hints: [
    'Weight w[a][b] met x[i + a][j + b] at output (i, j), so dW[a][b] = Σ_i Σ_j dy[i][j] · x[i + a][j + b].',
    'That is the forward formula with dy in the kernel’s place: dW = x ⋆ dy, no rotation. Your corr2d computes it.',
  ],
  cases: () => gradCases(1001, false),
  reference: gradW,
  mistakes: [
    {
      name: 'rotated dy (a true convolution instead of a cross-correlation)',
      advice:
        'The weight gradient is the plain cross-correlation x ⋆ dy: dy[i][j] meets x[i + a][j + b]. Rotating dy by 180° belongs to nothing here (the rotation is in the input gradient, with the kernel).',
      impl: (x: number[][], dy: number[][]) => engine2d(x, dy, 'convolution'),
    },
    {
      name: 'swapped x and dy',
      advice:
        'dy is the small one: it slides over x like a kernel, dW = x ⋆ dy. Sliding x over dy does not fit, which is why the result came back empty.',
      detect: (got) => empty(got),
    },
    wrongSize('dW has the kernel’s shape, (H − OH + 1) × (W − OW + 1): one entry per position of dy over x.'),
  ],
};

export const conv2dGradX: ExerciseSpec = {
  id: 'conv2d-grad-x',
  chapter: 'backpropagation',
  title: 'Conv backward: the input gradient',
  fn: 'conv2dGradX',
  signature: 'conv2dGradX(w: number[][], dy: number[][]): number[][]',
  uses: ['corr2d'],
  starter: `// The same layer y = x ⋆ w. Return dX = dL/dx, shaped like the input: (OH + kh - 1) x (OW + kw - 1).
// It is the full convolution of dy with w: pad dy with kh - 1 rows and kw - 1 columns of zeros
// on every side, then cross-correlate with w rotated by 180 degrees. corr2d(x, k) is available.
function conv2dGradX(w: number[][], dy: number[][]): number[][] {
  const dX: number[][] = [];
  // your code here
  return dX;
}

show(conv2dGradX([[1, 0, -1], [2, 1, 0], [0, -1, 1]], [[1, -1], [2, 0]]));
`,
  solution: `function conv2dGradX(w: number[][], dy: number[][]): number[][] {
  const ph = w.length - 1;
  const pw = w[0].length - 1;
  const padded: number[][] = Array.from({ length: dy.length + 2 * ph }, () => new Array(dy[0].length + 2 * pw).fill(0));
  for (let i = 0; i < dy.length; i++) for (let j = 0; j < dy[0].length; j++) padded[i + ph][j + pw] = dy[i][j];
  const rotated = w.map((row) => [...row].reverse()).reverse(); // 180°: rows and columns reversed
  return corr2d(padded, rotated);
}

show(conv2dGradX([[1, 0, -1], [2, 1, 0], [0, -1, 1]], [[1, -1], [2, 0]]));
`,
  hints: [
    'Input x[p][q] fed output (i, j) through w[p − i][q − j], so dX[p][q] = Σ dy[i][j] · w[p − i][q − j] over the indices inside the kernel: a full convolution.',
    'To compute it with a cross-correlation: pad dy with kh − 1 zero rows and kw − 1 zero columns on every side, and rotate w by 180° (reverse its rows and each row).',
    '`const rotated = w.map((row) => [...row].reverse()).reverse(); return corr2d(padded, rotated);`',
  ],
  cases: () => gradCases(1002, true),
  reference: gradX,
  mistakes: [
    {
      name: 'forgot the 180° rotation',
      advice:
        'The kernel index runs backwards (w[p − i][q − j]), so the cross-correlation needs w rotated by 180°. Rotating and then calling a true convolution (which flips again) undoes it the same way.',
      impl: fullCorrelation,
    },
    {
      name: 'did not pad dy (valid instead of full)',
      advice:
        'dX has the input’s shape, larger than dy. Pad dy with kh − 1 rows and kw − 1 columns of zeros on every side so the kernel can hang over its edges (a corner input was read by one output only).',
      detect: (got, _e, args) => {
        const [w, dy] = args as [number[][], number[][]];
        const g = shapeOf(got);
        return empty(got) || (g[0] === dy.length - w.length + 1 && g[1] === dy[0]!.length - w[0]!.length + 1);
      },
    },
    wrongSize(
      'dX has the input’s shape, (OH + kh − 1) × (OW + kw − 1): pad dy by kh − 1 and kw − 1 on every side, no more.',
    ),
  ],
};

export const CH10_CONV_EXERCISES = [conv2dGradW, conv2dGradX];
