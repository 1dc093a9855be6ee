/**
 * Chapter 12 exercise: col2im, the backward pass of im2col. Every entry of a patch matrix is added into the input
 * cell it was copied from (entries from the padding are dropped), so a cell read by several windows collects the sum
 * of their entries: the "+=" the chapter warns about. The worked example is Wᵀ·δ of the chapter's 4 × 4 example,
 * whose col2im is chapter 10's input gradient; a matrix of ones gives the copy counts the chapter shows.
 */
import { matmul } from '../../engine/im2col.ts';
import { fromNested, toNested } from '../../engine/tensor.ts';
import {
  CH11_DY,
  CH11_W,
  STEPPER_PRESETS,
  patches,
  randomCols,
  randomWindow,
  scatter,
  windows,
  type WindowSettings,
} from './ch11-cases.ts';
import { closeEnough } from './compare.ts';
import { shapeOf } from './nested.ts';
import { Rng, matrix } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

const names = ['cols', 'C', 'H', 'W', 'kh', 'kw', 'stride', 'padding'];

const settingsArgs = (s: WindowSettings) => [s.C, s.H, s.W, s.kh, s.kw, s.stride, s.padding];

/** A patch matrix of ones for a geometry: its col2im counts how many windows read each cell. */
function ones(s: WindowSettings): number[][] {
  const { OH, OW } = windows(s);
  return Array.from({ length: s.C * s.kh * s.kw }, () => new Array<number>(OH * OW).fill(1));
}

/** Wᵀ·δ of the chapter's example: column n is the kernel scaled by δ_n. */
function workedGradient(): number[][] {
  const wRow = fromNested([CH11_W.flat()]);
  const delta = fromNested([CH11_DY.flat()]);
  return toNested(matmul(wRow, delta, { transposeA: true })) as number[][];
}

function col2imCases(): CheckCase[] {
  const chapter: WindowSettings = { C: 1, H: 4, W: 4, kh: 3, kw: 3, stride: 1, padding: 0 };
  const w = STEPPER_PRESETS.worked;
  const ch6: WindowSettings = { C: w.C, H: w.n, W: w.n, kh: w.k, kw: w.k, stride: w.stride, padding: w.padding };
  const point: WindowSettings = { C: 3, H: 3, W: 3, kh: 1, kw: 1, stride: 1, padding: 0 };
  const sparse: WindowSettings = { C: 1, H: 5, W: 5, kh: 2, kw: 2, stride: 3, padding: 0 };
  const pixel: WindowSettings = { C: 1, H: 1, W: 1, kh: 3, kw: 3, stride: 1, padding: 1 };
  const fixed = new Rng(1213);
  const c = (label: string, cols: number[][], s: WindowSettings): CheckCase => ({
    label,
    names,
    args: [cols, ...settingsArgs(s)],
  });
  const cases: CheckCase[] = [
    c('the worked example: Wᵀ·δ of the chapter’s 4 × 4 example (gives chapter 10’s dx)', workedGradient(), chapter),
    c('a patch matrix of ones: how many windows read each cell', ones(chapter), chapter),
    c('ones for chapter 6’s example (5 × 5 × 3, 3 × 3 windows, padding 1, stride 2)', ones(ch6), ch6),
    c('1 × 1 windows: the matrix reshaped back to [C][H][W]', matrix(fixed, 3, 9, true), point),
    c('stride 3 with 2 × 2 windows: cells no window reads stay 0', matrix(fixed, 4, 4, true), sparse),
    c('a single pixel with padding 1: only the window’s centre is a real cell', matrix(fixed, 9, 1, true), pixel),
  ];
  const seed = 1203;
  const rng = new Rng(seed);
  for (let i = 0; i < 22; i++) {
    const s = randomWindow(rng);
    cases.push(c(`random case ${i + 1} (seed ${seed})`, randomCols(rng, s, i < 10), s));
  }
  return cases;
}

type Col2im = (
  cols: number[][],
  C: number,
  H: number,
  W: number,
  kh: number,
  kw: number,
  stride: number,
  padding: number,
) => number[][][];

/**
 * True when every cell of `got` holds one of the entries copied from it (0 for a cell no window reads): what an
 * assignment leaves behind, whichever window happens to be written last. Finds each entry's cell by running the
 * engine's im2col on an image of cell numbers.
 */
function oneEntryPerCell(got: unknown, args: unknown[]): boolean {
  const [cols, C, H, W, kh, kw, stride, padding] = args as Parameters<Col2im>;
  const s = shapeOf(got);
  if (s.length !== 3 || s[0] !== C || s[1] !== H || s[2] !== W) return false;
  const numbered = Array.from({ length: C }, (_, c) =>
    Array.from({ length: H }, (_, i) => Array.from({ length: W }, (_, j) => 1 + (c * H + i) * W + j)),
  );
  const source = patches(numbered, kh, kw, stride, padding);
  const entries = new Map<number, number[]>();
  source.forEach((row, r) =>
    row.forEach((cell, n) => {
      if (cell > 0) entries.set(cell, [...(entries.get(cell) ?? []), cols[r]![n]!]);
    }),
  );
  const g = (got as number[][][]).flat(2);
  return g.every((v, idx) => {
    const mine = entries.get(idx + 1);
    return mine ? mine.some((e) => closeEnough(v, e, 1e-9)) : v === 0;
  });
}

const col2imMistakes: Mistake[] = [
  {
    name: 'assigned (=) instead of adding (+=)',
    advice:
      'A cell that several windows read must receive the sum of their entries: `dx[c][r][col] += cols[row][n]`. With `=` only the last window’s entry survives, so the corners (one window each) come out right and the inner cells do not.',
    detect: (got, _e, args) => oneEntryPerCell(got, args),
  },
  {
    name: 'averaged the copies instead of adding them',
    advice:
      'col2im is not the inverse of im2col: it is its backward pass, and a value copied into k columns influenced the loss through all k of them, so its gradient is the sum of the k entries, not their mean.',
    impl: ((cols, C, H, W, kh, kw, s, p) => {
      const sum = scatter(cols, C, H, W, kh, kw, s, p);
      const count = scatter(ones({ C, H, W, kh, kw, stride: s, padding: p }), C, H, W, kh, kw, s, p);
      return sum.map((m, c) => m.map((row, i) => row.map((v, j) => (count[c]![i]![j]! ? v / count[c]![i]![j]! : 0))));
    }) as Col2im,
  },
  {
    name: 'kept the padding border',
    advice:
      'The result has the input’s shape [C][H][W]. Entries that came from the zero padding belong to no input cell: drop them (skip positions outside 0..H − 1 and 0..W − 1) instead of keeping a padded array.',
    impl: ((cols, C, H, W, kh, kw, s, p) => scatter(cols, C, H + 2 * p, W + 2 * p, kh, kw, s, 0)) as Col2im,
  },
];

const ONES_DEMO = `// A patch matrix of ones for a 4 × 4 input and 3 × 3 windows: its col2im counts the copies of each cell.
const ones = Array.from({ length: 9 }, () => [1, 1, 1, 1]);
show(col2im(ones, 1, 4, 4, 3, 3, 1, 0));
`;

export const col2imExercise: ExerciseSpec = {
  id: 'col2im',
  chapter: 'convolution-as-matrix-multiplication',
  title: 'col2im: the backward pass of im2col',
  fn: 'col2im',
  signature:
    'col2im(cols: number[][], C: number, H: number, W: number, kh: number, kw: number, stride: number, padding: number): number[][][]',
  starter: `// cols is [C*kh*kw][OH*OW], laid out as im2col lays it out. Return dx [C][H][W]: add every entry
// into the input cell it was copied from, and drop the entries that came from the padding.
function col2im(cols: number[][], C: number, H: number, W: number, kh: number, kw: number, stride: number, padding: number): number[][][] {
  const dx: number[][][] = [];
  // your code here
  return dx;
}

${ONES_DEMO}`,
  solution: `function col2im(cols: number[][], C: number, H: number, W: number, kh: number, kw: number, stride: number, padding: number): number[][][] {
  const OH = Math.floor((H + 2 * padding - kh) / stride) + 1;
  const OW = Math.floor((W + 2 * padding - kw) / stride) + 1;
  const dx = Array.from({ length: C }, () => Array.from({ length: H }, () => new Array<number>(W).fill(0)));
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = (c * kh + i) * kw + j;
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            const r = oy * stride - padding + i;
            const col = ox * stride - padding + j;
            // +=: a cell read by several windows collects all their entries
            if (r >= 0 && r < H && col >= 0 && col < W) dx[c][r][col] += cols[row][oy * OW + ox];
          }
        }
      }
    }
  }
  return dx;
}

${ONES_DEMO}`,
  hints: [
    'Walk the patch matrix exactly as im2col built it: row (c·kh + i)·kw + j, column oy·OW + ox came from input cell (c, oy·stride − padding + i, ox·stride − padding + j).',
    'Start from zeros of shape [C][H][W] and add each entry into its cell when the cell lies inside the input; entries from the padding have nowhere to go.',
    'A check you can run: for any x and Y, the sum of im2col(x)·Y entry by entry equals the sum of x·col2im(Y). That is what "backward pass" means.',
  ],
  cases: col2imCases,
  reference: scatter,
  mistakes: col2imMistakes,
};

export const CH11_COL2IM_EXERCISES = [col2imExercise];
