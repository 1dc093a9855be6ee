/**
 * Chapter 14 exercise: transposed convolution by stamping. Each input value x[k][i][j] adds the kernel w[k][c],
 * scaled by itself, into output channel c with its corner at (i·stride, j·stride); overlapping stamps add; then
 * `padding` rows and columns are cropped from each side. Reference: the engine's conv2dTranspose (checked against
 * TF.js and against conv2dBackward's dx in the engine's tests). The worked example is the chapter's: a 2 × 2 input,
 * a 3 × 3 kernel, stride 2; then its checkerboard of a constant input through a 3 × 3 kernel of ones.
 */
import { rotate180 } from '../../engine/conv2d.ts';
import { conv2dTranspose } from '../../engine/conv-transpose.ts';
import { fromNested } from '../../engine/tensor.ts';
import { closeEnough } from './compare.ts';
import { shapeOf, stackOf } from './nested.ts';
import { Rng, between, stack } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

type Transpose = (x: number[][][], w: number[][][][], stride: number, padding: number) => number[][][];

const engine: Transpose = (x, w, stride, padding) =>
  stackOf(conv2dTranspose(fromNested(x), fromNested(w), null, { stride, padding }));

const STAMP_X = [
  [
    [1, 2],
    [3, 4],
  ],
];
const STAMP_W = [
  [
    [1, 0, -1],
    [1, 1, 0],
    [0, 1, 1],
  ],
];
const full = (n: number, v = 1) => Array.from({ length: n }, () => new Array<number>(n).fill(v));

function transposeCases(): CheckCase[] {
  const names = ['x', 'w', 'stride', 'padding'];
  const c = (label: string, x: number[][][], w: number[][][][], stride: number, padding: number): CheckCase => ({
    label,
    names,
    args: [x, w, stride, padding],
  });
  const fixed = new Rng(1412);
  const cases: CheckCase[] = [
    c('the worked example: the chapter’s 2 × 2 input, 3 × 3 kernel, stride 2', STAMP_X, [STAMP_W], 2, 0),
    c('the checkerboard: a constant 4 × 4 input, a 3 × 3 kernel of ones, stride 2', [full(4)], [[full(3)]], 2, 0),
    c('even overlap: a 4 × 4 kernel of ones, stride 2, padding 1', [full(4)], [[full(4)]], 2, 1),
    c(
      'two channels in, two out (2 × 2 kernels, stride 2)',
      stack(fixed, 2, 2, 2, true),
      [0, 1].map(() => stack(fixed, 2, 2, 2, true)),
      2,
      0,
    ),
    c(
      'two channels in, three out, stride 1',
      stack(fixed, 2, 3, 2, true),
      [0, 1].map(() => stack(fixed, 3, 2, 2, true)),
      1,
      0,
    ),
    c('a 1 × 1 kernel with stride 2: the values spread apart', stack(fixed, 1, 3, 3, true), [[[[2]]]], 2, 0),
    c(
      'padding 1 with a 3 × 3 kernel, stride 1: the same size back',
      stack(fixed, 1, 3, 4, true),
      [[STAMP_W[0]!]],
      1,
      1,
    ),
    c('a single pixel: one stamp of the kernel', [[[3]]], [[STAMP_W[0]!]], 2, 0),
  ];
  const seed = 1411;
  const rng = new Rng(seed);
  for (let i = 0; i < 20; i++) {
    const [K, C, H, W] = [between(rng, 1, 3), between(rng, 1, 3), between(rng, 1, 4), between(rng, 1, 4)];
    const [kh, kw, stride] = [between(rng, 1, 4), between(rng, 1, 4), between(rng, 1, 3)];
    // crop at most what leaves one row and one column
    const most = Math.floor(Math.min((H - 1) * stride + kh - 1, (W - 1) * stride + kw - 1) / 2);
    const padding = between(rng, 0, Math.min(2, most));
    const ints = i < 8;
    const w = Array.from({ length: K }, () => stack(rng, C, kh, kw, ints));
    cases.push(c(`random case ${i + 1} (seed ${seed})`, stack(rng, K, H, W, ints), w, stride, padding));
  }
  return cases;
}

/**
 * True when every output cell holds one single stamp's value (or 0 where no stamp lands): what assigning instead of
 * adding leaves behind, whichever stamp is written last.
 */
function oneStampPerCell(got: unknown, expected: unknown, args: unknown[]): boolean {
  const [x, w, stride, padding] = args as Parameters<Transpose>;
  const s = shapeOf(got);
  const e = shapeOf(expected);
  if (s.length !== 3 || s.some((d, i) => d !== e[i])) return false;
  const [C, OH, OW] = e as [number, number, number];
  const stamps = Array.from({ length: C * OH * OW }, () => [] as number[]);
  x.forEach((plane, k) =>
    plane.forEach((row, i) =>
      row.forEach((v, j) =>
        w[k]!.forEach((kernel, c) =>
          kernel.forEach((krow, a) =>
            krow.forEach((wv, b) => {
              const [r, col] = [i * stride + a - padding, j * stride + b - padding];
              if (r >= 0 && r < OH && col >= 0 && col < OW) stamps[(c * OH + r) * OW + col]!.push(v * wv);
            }),
          ),
        ),
      ),
    ),
  );
  return (got as number[][][]).flat(2).every((v, n) => {
    const mine = stamps[n]!;
    return mine.length ? mine.some((m) => closeEnough(v, m, 1e-9)) : v === 0;
  });
}

const TRANSPOSE_MISTAKES: Mistake[] = [
  {
    name: 'assigned instead of adding where stamps overlap',
    advice:
      'Where neighbouring stamps overlap (the kernel is wider than the stride), a cell receives the sum of every stamp that lands on it: `y[c][r][col] += x[k][i][j] * w[k][c][a][b]`. With `=` only the last stamp survives.',
    detect: oneStampPerCell,
  },
  {
    name: 'forgot to crop the padding',
    advice:
      'padding is the forward convolution’s zero border, so the transposed one removes it: after stamping into a (H − 1)·stride + kh tall output, drop `padding` rows at the top and bottom and `padding` columns at each side.',
    impl: ((x, w, stride) => engine(x, w, stride, 0)) as Transpose,
  },
  {
    name: 'rotated the kernel',
    advice:
      'A stamp is the kernel as it is, scaled by the input value: cell (a, b) of w[k][c] lands at (i·stride + a, j·stride + b). The 180° rotation belongs to the other way of writing it, as a convolution over a zero-stuffed input.',
    impl: ((x, w, stride, padding) =>
      stackOf(conv2dTranspose(fromNested(x), rotate180(fromNested(w)), null, { stride, padding }))) as Transpose,
  },
  {
    name: 'read w as [C][K] instead of [K][C]',
    advice:
      'w[k] holds the kernels input channel k stamps, one per output channel: w[k][c] goes into output channel c. This is the forward convolution’s [K, C, kh, kw] tensor, used the other way round (PyTorch’s ConvTranspose2d stores it the same way).',
    impl: ((x, w, stride, padding) => {
      if (w.length !== w[0]!.length) throw new Error('only defined for as many inputs as outputs');
      return engine(
        x,
        w.map((_, k) => w.map((row) => row[k]!)),
        stride,
        padding,
      );
    }) as Transpose,
  },
];

const STAMP_SOURCE = `const x = [[[1, 2], [3, 4]]];
const w = [[[[1, 0, -1], [1, 1, 0], [0, 1, 1]]]];
show(convTranspose(x, w, 2, 0));
`;

export const convTranspose: ExerciseSpec = {
  id: 'conv-transpose',
  chapter: 'beyond-lenet',
  title: 'Transposed convolution by stamping',
  fn: 'convTranspose',
  signature: 'convTranspose(x: number[][][], w: number[][][][], stride: number, padding: number): number[][][]',
  starter: `// x is [K][H][W], w is [K][C][kh][kw]. Input value x[k][i][j] stamps w[k][c], scaled by itself, into
// output channel c with its top-left corner at (i*stride, j*stride); overlapping stamps add. The full
// output is ((H-1)*stride + kh) × ((W-1)*stride + kw); crop padding rows and columns from each side.
function convTranspose(x: number[][][], w: number[][][][], stride: number, padding: number): number[][][] {
  const y: number[][][] = [];
  // your code here
  return y;
}

${STAMP_SOURCE}`,
  solution: `function convTranspose(x: number[][][], w: number[][][][], stride: number, padding: number): number[][][] {
  const [K, H, W] = [x.length, x[0].length, x[0][0].length];
  const [C, kh, kw] = [w[0].length, w[0][0].length, w[0][0][0].length];
  const OH = (H - 1) * stride - 2 * padding + kh;
  const OW = (W - 1) * stride - 2 * padding + kw;
  const y = Array.from({ length: C }, () => Array.from({ length: OH }, () => new Array<number>(OW).fill(0)));
  for (let k = 0; k < K; k++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let c = 0; c < C; c++)
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++) {
              const r = i * stride + a - padding; // the crop: shift by padding, skip what falls outside
              const col = j * stride + b - padding;
              if (r >= 0 && r < OH && col >= 0 && col < OW) y[c][r][col] += x[k][i][j] * w[k][c][a][b];
            }
  return y;
}

${STAMP_SOURCE}`,
  hints: [
    'The output has (H − 1)·stride − 2·padding + kh rows (and likewise columns): the last stamp starts at (H − 1)·stride and is kh tall, and padding is cropped from both sides.',
    'Six loops: over the input (k, i, j), the output channels c and the kernel cells (a, b); the cell (a, b) of stamp (i, j) lands at row i·stride + a − padding, column j·stride + b − padding.',
    'Add, do not assign: `y[c][r][col] += x[k][i][j] * w[k][c][a][b]`, skipping the cells the crop removed.',
  ],
  cases: transposeCases,
  reference: engine,
  mistakes: TRANSPOSE_MISTAKES,
};

export const CH14_TRANSPOSE_EXERCISES = [convTranspose];
