/**
 * Chapter 3 exercises: valid 2D cross-correlation and valid true 2D convolution of one matrix with one kernel.
 * The worked example is the chapter's 5 x 5 binary image with the X kernel, then its edge kernel e and the
 * asymmetric "tilt" kernel, for which the flip matters.
 */
import { conv2d } from '../../engine/conv2d.ts';
import { compareValues } from './compare.ts';
import { oneKernel, onePlane, planeOf, shapeOf, transpose } from './nested.ts';
import { Rng, between, matrix } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

/** The chapter's worked example and kernels. */
export const CH03_IMAGE = [
  [1, 1, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 0, 1, 1, 1],
  [0, 0, 1, 1, 0],
  [0, 1, 1, 0, 0],
];
export const CH03_X_KERNEL = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 0, 1],
];
export const CH03_EDGE = [
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1],
];
/** A wide input and a non-square kernel (rows and columns cannot be confused). */
export const WIDE_X = [
  [1, 0, 2, -1, 3, 1],
  [0, 1, -2, 2, 1, 0],
  [2, 2, 0, 1, -1, 3],
];
export const WIDE_K = [
  [1, 2, 3],
  [-1, 0, 4],
];
const TILT = [
  [1, 2, 0],
  [0, 1, 0],
  [0, 0, -1],
];

/** The worked image as the reader's code declares it: starters and solutions show their function on it. */
export const IMAGE_SOURCE = `const image = [
  [1, 1, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 0, 1, 1, 1],
  [0, 0, 1, 1, 0],
  [0, 1, 1, 0, 0],
];
`;
const CORR_DEMO = `${IMAGE_SOURCE}show(corr2d(image, [[1, 0, 1], [0, 1, 0], [1, 0, 1]]));
`;
const CONV_DEMO = `${IMAGE_SOURCE}show(conv2dTrue(image, [[1, 0, -1], [1, 0, -1], [1, 0, -1]]));
`;

type Kind = 'cross-correlation' | 'convolution';

/** The engine's valid 2D operation of one matrix with one kernel. */
export function engine2d(x: number[][], k: number[][], kind: Kind): number[][] {
  return planeOf(conv2d(onePlane(x), oneKernel(k), null, { kind }));
}

const corr = (x: number[][], k: number[][]) => engine2d(x, k, 'cross-correlation');
const conv = (x: number[][], k: number[][]) => engine2d(x, k, 'convolution');
const flipRows = (k: number[][]) => [...k].reverse();
const flipCols = (k: number[][]) => k.map((row) => [...row].reverse());

function cases2d(seed: number): CheckCase[] {
  const names = ['x', 'k'];
  // The asymmetric kernel comes before e: e's rows are equal, so a flip of its columns alone looks like a full flip.
  const cases: CheckCase[] = [
    { label: 'the worked example: the 5 × 5 image with the X kernel', names, args: [CH03_IMAGE, CH03_X_KERNEL] },
    { label: 'the 5 × 5 image with the asymmetric kernel (1 2 0; 0 1 0; 0 0 −1)', names, args: [CH03_IMAGE, TILT] },
    { label: 'the 5 × 5 image with the edge kernel e', names, args: [CH03_IMAGE, CH03_EDGE] },
  ];
  cases.push(
    {
      label: 'a kernel as large as the input (one output)',
      names,
      args: [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, -1],
          [0, 2],
        ],
      ],
    },
    { label: 'a 1 × 1 kernel (a scaling)', names, args: [CH03_IMAGE, [[-2]]] },
    { label: 'a single pixel and a 1 × 1 kernel', names, args: [[[3]], [[4]]] },
    {
      label: 'a wide input (3 × 6) and a 2 × 3 kernel',
      names,
      args: [WIDE_X, WIDE_K],
    },
  );
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const h = between(rng, 1, 7);
    const w = between(rng, 1, 7);
    const k = matrix(rng, between(rng, 1, h), between(rng, 1, w), i < 10);
    cases.push({ label: `random case ${i + 1} (seed ${seed})`, names, args: [matrix(rng, h, w, i < 10), k] });
  }
  return cases;
}

const oneAxis = (reference: (x: number[][], k: number[][]) => number[][]): Mistake => ({
  name: 'flipped only one axis',
  advice:
    'A 180° rotation reverses the rows and the columns of the kernel: w̃[m][n] = w[kh − 1 − m][kw − 1 − n]. Reversing only one of them mirrors the kernel instead.',
  impl: (x: number[][], k: number[][]) => reference(x, flipRows(k)),
  detect: (got, _e, args) => compareValues(reference(args[0] as number[][], flipCols(args[1] as number[][])), got).ok,
});

/** Two 2D shapes that differ by at most one along each axis, and differ. */
export function offByOne(got: number[], expected: number[]): boolean {
  if (got.length !== 2 || expected.length !== 2) return false;
  const dr = Math.abs(got[0]! - expected[0]!);
  const dc = Math.abs(got[1]! - expected[1]!);
  return dr <= 1 && dc <= 1 && dr + dc > 0;
}

const sizeOff: Mistake = {
  name: 'output size off by one',
  advice:
    'The valid output has (H − kh + 1) × (W − kw + 1) cells. Check the loop bounds (< versus <=) and the size of the array you create.',
  detect: (got, expected) => {
    const g = shapeOf(got);
    const e = shapeOf(expected);
    return offByOne(g, e);
  },
};

const transposed = (reference: (x: number[][], k: number[][]) => number[][]): Mistake => ({
  name: 'transposed result',
  advice:
    'Rows and columns were swapped somewhere: out[i][j] belongs to the window whose top-left pixel is x[i][j], i counting rows (down) and j columns (right).',
  impl: (x: number[][], k: number[][]) => transpose(reference(x, k)),
});

export const corr2d: ExerciseSpec = {
  id: 'corr2d',
  chapter: 'convolution-2d',
  title: '2D cross-correlation',
  fn: 'corr2d',
  signature: 'corr2d(x: number[][], k: number[][]): number[][]',
  starter: `// Valid 2D cross-correlation: y[i][j] = sum over m, n of x[i + m][j + n] * k[m][n].
function corr2d(x: number[][], k: number[][]): number[][] {
  const y: number[][] = [];
  // your code here
  return y;
}

${CORR_DEMO}`,
  solution: `function corr2d(x: number[][], k: number[][]): number[][] {
  const kh = k.length;
  const kw = k[0].length;
  const y: number[][] = [];
  for (let i = 0; i + kh <= x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j + kw <= x[0].length; j++) {
      let s = 0;
      for (let m = 0; m < kh; m++) for (let n = 0; n < kw; n++) s += x[i + m][j + n] * k[m][n];
      row.push(s);
    }
    y.push(row);
  }
  return y;
}

${CORR_DEMO}`,
  hints: [
    'The output has H − kh + 1 rows and W − kw + 1 columns: one per position where the whole kernel lies on the image.',
    'Four loops: rows i and columns j of the output, then rows m and columns n of the kernel, adding x[i + m][j + n] * k[m][n].',
    '`for (let i = 0; i + kh <= x.length; i++) { const row = []; for (let j = 0; j + kw <= x[0].length; j++) { let s = 0; /* m, n loops */ row.push(s); } y.push(row); }`',
  ],
  cases: () => cases2d(301),
  reference: corr,
  mistakes: [
    {
      name: 'flipped the kernel when it should not',
      advice:
        'This is the true convolution: the kernel was rotated by 180°. Cross-correlation, what CNN layers compute, lays k[0][0] on x[i][j] without any flip.',
      impl: conv,
    },
    oneAxis(corr),
    transposed(corr),
    sizeOff,
  ],
};

export const conv2dTrue: ExerciseSpec = {
  id: 'conv2d-true',
  chapter: 'convolution-2d',
  title: 'True 2D convolution',
  fn: 'conv2dTrue',
  // The task suggests building on corr2d: after a reload the reader's passed corr2d (or the course's) is there.
  uses: ['corr2d'],
  signature: 'conv2dTrue(x: number[][], k: number[][]): number[][]',
  starter: `// Valid true convolution: the cross-correlation with the kernel rotated by 180 degrees,
// k̃[m][n] = k[kh - 1 - m][kw - 1 - n].
function conv2dTrue(x: number[][], k: number[][]): number[][] {
  const y: number[][] = [];
  // your code here
  return y;
}

${CONV_DEMO}`,
  solution: `function conv2dTrue(x: number[][], k: number[][]): number[][] {
  const kh = k.length;
  const kw = k[0].length;
  const y: number[][] = [];
  for (let i = 0; i + kh <= x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j + kw <= x[0].length; j++) {
      let s = 0;
      for (let m = 0; m < kh; m++)
        for (let n = 0; n < kw; n++) s += x[i + m][j + n] * k[kh - 1 - m][kw - 1 - n]; // rotated 180°
      row.push(s);
    }
    y.push(row);
  }
  return y;
}

${CONV_DEMO}`,
  hints: [
    'Same windows and output size as the cross-correlation; only the kernel entry each pixel meets changes.',
    'Pixel x[i + m][j + n] meets k[kh − 1 − m][kw − 1 − n]: both kernel indices run backwards.',
    'Or rotate a copy first and reuse the cross-correlation loops: `const r = k.map((row) => [...row].reverse()).reverse();`',
  ],
  cases: () => cases2d(302),
  reference: conv,
  mistakes: [
    {
      name: 'forgot the flip',
      advice:
        'This is the cross-correlation: the kernel was not rotated. In the true convolution the top-left pixel of each window meets the bottom-right weight k[kh − 1][kw − 1].',
      impl: corr,
    },
    oneAxis(conv),
    transposed(conv),
    sizeOff,
  ],
};

export const CH03_EXERCISES = [corr2d, conv2dTrue];
