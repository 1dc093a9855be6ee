/**
 * Chapter 12 exercise: im2col, every window of a [C][H][W] input as one column of the patch matrix, rows in the
 * order of a flattened filter (channel, kernel row, kernel column). The worked example is the chapter's 4 × 4 input
 * with a 3 × 3 window, then chapter 6's 5 × 5 × 3 example with padding 1 and stride 2, as the im2col stepper draws it.
 */
import { WIDE_X } from './ch03-conv2d.ts';
import {
  CH11_X,
  STEPPER_PRESETS,
  WORKED_SOURCE,
  patches,
  randomInput,
  randomWindow,
  stepperExample,
  windows,
} from './ch11-cases.ts';
import { transpose } from './nested.ts';
import { Rng } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

function im2colCases(): CheckCase[] {
  const names = ['x', 'kh', 'kw', 'stride', 'padding'];
  const preset = (label: string, p: (typeof STEPPER_PRESETS)[keyof typeof STEPPER_PRESETS]): CheckCase => ({
    label,
    names,
    args: [stepperExample(p).x, p.k, p.k, p.stride, p.padding],
  });
  const cases: CheckCase[] = [
    { label: 'the worked example: the chapter’s 4 × 4 input, a 3 × 3 window', names, args: [[CH11_X], 3, 3, 1, 0] },
    preset('chapter 6’s example: 5 × 5 × 3, a 3 × 3 window, padding 1, stride 2 (27 × 9)', STEPPER_PRESETS.worked),
    preset('1 × 1 windows: the input reshaped to [C, H·W]', STEPPER_PRESETS.pointwise),
    preset('the stepper’s 4 × 4 grey input with a 2 × 2 window', STEPPER_PRESETS.small),
    {
      label: 'a window as large as the input (one column), two channels',
      names,
      args: [
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
        2,
        2,
        1,
        0,
      ],
    },
    { label: 'a wide input (3 × 6) and a 2 × 3 window', names, args: [[WIDE_X], 2, 3, 1, 0] },
    { label: 'a single pixel with padding 1 (one column, mostly padding)', names, args: [[[[5]]], 3, 3, 1, 1] },
  ];
  const seed = 1201;
  const rng = new Rng(seed);
  for (let i = 0; i < 22; i++) {
    const s = randomWindow(rng);
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [randomInput(rng, s, i < 10), s.kh, s.kw, s.stride, s.padding],
    });
  }
  return cases;
}

type Im2col = (x: number[][][], kh: number, kw: number, stride: number, padding: number) => number[][];

/** The engine's patch matrix with its rows or columns put in another order: row r of the result is row `row(r)`. */
function reordered(
  x: number[][][],
  kh: number,
  kw: number,
  stride: number,
  padding: number,
  order: 'channels-last' | 'window-by-columns' | 'columns-down',
): number[][] {
  const cols = patches(x, kh, kw, stride, padding);
  const C = x.length;
  const { OH, OW } = windows({ C, H: x[0]!.length, W: x[0]![0]!.length, kh, kw, stride, padding });
  const rowOf = (c: number, i: number, j: number) => (c * kh + i) * kw + j;
  if (order === 'columns-down') {
    // windows listed down the columns of the output: window (oy, ox) at column ox·OH + oy
    return cols.map((row) => Array.from({ length: OH * OW }, (_, n) => row[(n % OH) * OW + Math.floor(n / OH)]!));
  }
  const out: number[][] = [];
  if (order === 'channels-last') {
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++) for (let c = 0; c < C; c++) out.push(cols[rowOf(c, i, j)]!);
  } else {
    for (let c = 0; c < C; c++)
      for (let j = 0; j < kw; j++) for (let i = 0; i < kh; i++) out.push(cols[rowOf(c, i, j)]!);
  }
  return out;
}

const im2colMistakes: Mistake[] = [
  {
    name: 'rows in channels-last order',
    advice:
      'Order the rows (channel, kernel row, kernel column): all kh·kw cells of channel 0 first, then channel 1. That is the order of a filter w[k] flattened, so that one row of W lines up with one column. Putting the channel innermost is the channels-last (TensorFlow) order.',
    impl: ((x, kh, kw, s, p) => reordered(x, kh, kw, s, p, 'channels-last')) as Im2col,
  },
  {
    name: 'each window read column by column',
    advice:
      'Within a channel, walk the window row by row: row index (c·kh + i)·kw + j for the cell at kernel row i, column j. Reading it down the columns swaps the roles of i and j.',
    impl: ((x, kh, kw, s, p) => reordered(x, kh, kw, s, p, 'window-by-columns')) as Im2col,
  },
  {
    name: 'windows listed down the columns',
    advice:
      'Column n is the window of output (oy, ox) with n = oy·OW + ox: the windows in reading order, left to right along a row, then the next row. Later the product’s row is reshaped into the map row by row, so the two must agree.',
    impl: ((x, kh, kw, s, p) => reordered(x, kh, kw, s, p, 'columns-down')) as Im2col,
  },
  {
    name: 'one row per window (the transpose)',
    advice:
      'The patch matrix is [C·kh·kw, OH·OW]: one row per cell of a window, one column per window. Your result has one row per window.',
    impl: ((x, kh, kw, s, p) => transpose(patches(x, kh, kw, s, p))) as Im2col,
  },
  {
    name: 'forgot the padding',
    advice:
      'With padding p the window also visits positions that hang over the border; the cells outside the input read as 0. Count the windows with H + 2p, and test whether a cell lies inside before reading it.',
    impl: ((x, kh, kw, s) => patches(x, kh, kw, s, 0)) as Im2col,
  },
];

export const im2colExercise: ExerciseSpec = {
  id: 'im2col',
  chapter: 'convolution-as-matrix-multiplication',
  title: 'im2col: the patch matrix',
  fn: 'im2col',
  signature: 'im2col(x: number[][][], kh: number, kw: number, stride: number, padding: number): number[][]',
  starter: `// x is [C][H][W]. Return the patch matrix [C*kh*kw][OH*OW]: column n is the window of output
// (oy, ox), n = oy*OW + ox; row r = (c*kh + i)*kw + j holds the cell at kernel row i, column j of
// channel c. Cells that fall on the zero padding are 0.
function im2col(x: number[][][], kh: number, kw: number, stride: number, padding: number): number[][] {
  const cols: number[][] = [];
  // your code here
  return cols;
}

${WORKED_SOURCE}show(im2col(x, 3, 3, 1, 0));
`,
  solution: `function im2col(x: number[][][], kh: number, kw: number, stride: number, padding: number): number[][] {
  const C = x.length;
  const H = x[0].length;
  const W = x[0][0].length;
  const OH = Math.floor((H + 2 * padding - kh) / stride) + 1;
  const OW = Math.floor((W + 2 * padding - kw) / stride) + 1;
  const cols: number[][] = [];
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row: number[] = []; // this cell of every window, windows in reading order
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            const r = oy * stride - padding + i;
            const col = ox * stride - padding + j;
            row.push(r >= 0 && r < H && col >= 0 && col < W ? x[c][r][col] : 0);
          }
        }
        cols.push(row);
      }
    }
  }
  return cols;
}

${WORKED_SOURCE}show(im2col(x, 3, 3, 1, 0));
`,
  hints: [
    'There are OH·OW windows, OH = ⌊(H + 2·padding − kh) / stride⌋ + 1 (and OW likewise), so every row of the result has OH·OW entries.',
    'Build the matrix row by row: for each channel c, kernel row i and kernel column j (in that order), one row holding that cell of every window: input cell (oy·stride − padding + i, ox·stride − padding + j), or 0 outside the input.',
    'Loops c, i, j outside (one row each), oy, ox inside (one entry each): `row.push(inside ? x[c][r][col] : 0)`.',
  ],
  cases: im2colCases,
  reference: patches,
  mistakes: im2colMistakes,
};

export const CH11_IM2COL_EXERCISES = [im2colExercise];
