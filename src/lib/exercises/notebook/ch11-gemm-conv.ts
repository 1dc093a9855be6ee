/**
 * Chapter 12 exercise: a convolution layer as one matrix product, W·cols, with the filters flattened as the rows
 * of W and the reader's own im2col for cols; checked against the engine's direct conv2d. The worked example is
 * chapter 6's 5 × 5 × 3 input with two 3 × 3 filters, padding 1 and stride 2, as the im2col stepper draws it.
 */
import { conv2d } from '../../engine/conv2d.ts';
import { fromNested } from '../../engine/tensor.ts';
import { WIDE_K, WIDE_X } from './ch03-conv2d.ts';
import {
  CH11_W,
  CH11_X,
  STEPPER_PRESETS,
  WORKED_SOURCE,
  randomInput,
  randomWindow,
  stepperExample,
} from './ch11-cases.ts';
import { compareValues } from './compare.ts';
import { stackOf } from './nested.ts';
import { Rng, between, stack, vector } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

function convCases(): CheckCase[] {
  const names = ['x', 'w', 'b', 'stride', 'padding'];
  const preset = (label: string, p: (typeof STEPPER_PRESETS)[keyof typeof STEPPER_PRESETS]): CheckCase => {
    const { x, w, b } = stepperExample(p);
    return { label, names, args: [x, w, b, p.stride, p.padding] };
  };
  const square = fourFilters();
  const cases: CheckCase[] = [
    preset(
      'the worked example: chapter 6’s 5 × 5 × 3 input, two 3 × 3 filters, padding 1, stride 2',
      STEPPER_PRESETS.worked,
    ),
    { label: 'the chapter’s 4 × 4 input and 3 × 3 kernel, bias 0', names, args: [[CH11_X], [[CH11_W]], [0], 1, 0] },
    preset('the stepper’s 4 × 4 grey input, one 2 × 2 filter', STEPPER_PRESETS.small),
    preset('1 × 1 filters: the product mixes channels only', STEPPER_PRESETS.pointwise),
    { label: 'four filters and a 2 × 2 output (as many positions as filters)', names, args: square },
    {
      label: 'a wide input (3 × 6), two 2 × 3 filters: a 2 × 4 output',
      names,
      args: [[WIDE_X], [[WIDE_K], [WIDE_K.map((row) => row.map((v) => -v))]], [1, -2], 1, 0],
    },
    {
      label: 'a single pixel with padding 1',
      names,
      args: [[[[5]]], [[CH11_W]], [2], 1, 1],
    },
  ];
  const seed = 1202;
  const rng = new Rng(seed);
  for (let i = 0; i < 22; i++) {
    const s = randomWindow(rng);
    const K = between(rng, 1, 3);
    const ints = i < 10;
    const w = Array.from({ length: K }, () => stack(rng, s.C, s.kh, s.kw, ints));
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [randomInput(rng, s, ints), w, vector(rng, K, ints), s.stride, s.padding],
    });
  }
  return cases;
}

/** Two channels of 3 × 3, four 2 × 2 filters: OH·OW = K, so a bias indexed by position still gives numbers. */
function fourFilters(): unknown[] {
  const rng = new Rng(1212);
  return [stack(rng, 2, 3, 3, true), Array.from({ length: 4 }, () => stack(rng, 2, 2, 2, true)), [1, -1, 2, 0], 1, 0];
}

type Conv = (x: number[][][], w: number[][][][], b: number[], stride: number, padding: number) => number[][][];

/** The engine's direct convolution (the reference the GEMM route must agree with). */
const direct: Conv = (x, w, b, stride, padding) =>
  stackOf(conv2d(fromNested(x), fromNested(w), fromNested(b), { stride, padding }));

/** Filters whose values were flattened in the order (order) but read back as (channel, row, column). */
function misflattened(w: number[][][][], order: 'rows-columns-channels' | 'channel-columns-rows'): number[][][][] {
  const [C, kh, kw] = [w[0]!.length, w[0]![0]!.length, w[0]![0]![0]!.length];
  return w.map((f) => {
    const flat: number[] = [];
    if (order === 'rows-columns-channels') {
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let c = 0; c < C; c++) flat.push(f[c]![i]![j]!);
    } else {
      for (let c = 0; c < C; c++) for (let j = 0; j < kw; j++) for (let i = 0; i < kh; i++) flat.push(f[c]![i]![j]!);
    }
    return Array.from({ length: C }, (_, c) =>
      Array.from({ length: kh }, (_, i) => flat.slice((c * kh + i) * kw, (c * kh + i + 1) * kw)),
    );
  });
}

const conv2dIm2colMistakes: Mistake[] = [
  {
    name: 'filters flattened in a different order from the patch rows',
    advice:
      'Row r of the patch matrix is (channel, kernel row, kernel column); filter k must be flattened in exactly that order, `w[k].flat(2)`, so that weight r meets the input value it belongs to. Flattening channels last (or column by column) pairs weights with the wrong cells.',
    impl: ((x, w, b, s, p) => direct(x, misflattened(w, 'rows-columns-channels'), b, s, p)) as Conv,
    detect: (got, _e, args) => {
      const [x, w, b, s, p] = args as Parameters<Conv>;
      return compareValues(direct(x, misflattened(w, 'channel-columns-rows'), b, s, p), got).ok;
    },
  },
  {
    name: 'output reshaped column-major',
    advice:
      'Row k of W·cols lists filter k’s outputs in the windows’ reading order, n = oy·OW + ox, so the map’s row oy is entries oy·OW to oy·OW + OW − 1. Filling the map down its columns puts them in the wrong cells.',
    impl: ((x, w, b, s, p) =>
      direct(x, w, b, s, p).map((map) => {
        const flat = map.flat();
        const [OH, OW] = [map.length, map[0]!.length];
        return Array.from({ length: OH }, (_, i) => Array.from({ length: OW }, (_, j) => flat[j * OH + i]!));
      })) as Conv,
  },
  {
    name: 'bias added per column instead of per row',
    advice:
      'Row k of the product is filter k’s map, so b[k] is added to every entry of row k. Adding b[n] to column n gives the positions biases they do not have (and reads past the end of b when there are more positions than filters).',
    detect: (got, expected, args) => {
      const b = args[2] as number[];
      const g = (got as number[][][]).map((m) => m.flat());
      return (expected as number[][][]).every((m, k) =>
        m.flat().every((e, n) => {
          const v = g[k]![n]!;
          return n < b.length ? Math.abs(v - (e - b[k]! + b[n]!)) <= 1e-9 * Math.max(1, Math.abs(e)) : Number.isNaN(v);
        }),
      );
    },
  },
  {
    name: 'forgot the bias',
    advice: 'After the product, add b[k] to every entry of row k: each filter has one bias, shared by all positions.',
    impl: ((x, w, b, s, p) =>
      direct(
        x,
        w,
        b.map(() => 0),
        s,
        p,
      )) as Conv,
  },
];

export const conv2dIm2col: ExerciseSpec = {
  id: 'conv2d-im2col',
  chapter: 'convolution-as-matrix-multiplication',
  title: 'A convolution layer as one matrix product',
  fn: 'conv2dIm2col',
  signature:
    'conv2dIm2col(x: number[][][], w: number[][][][], b: number[], stride: number, padding: number): number[][][]',
  uses: ['im2col'],
  starter: `// x is [C][H][W], w is [K][C][kh][kw], b is [K]. With your im2col, compute the layer as
// W·cols: W has one row per filter (the filter flattened), cols = im2col(x, kh, kw, stride, padding).
// Add b[k] to row k and reshape each row into an OH × OW map.
function conv2dIm2col(x: number[][][], w: number[][][][], b: number[], stride: number, padding: number): number[][][] {
  const y: number[][][] = [];
  // your code here
  return y;
}

${WORKED_SOURCE}show(conv2dIm2col(x, [[[[1, 0, -1], [2, 1, 0], [0, -1, 1]]]], [0], 1, 0));
`,
  solution: `function conv2dIm2col(x: number[][][], w: number[][][][], b: number[], stride: number, padding: number): number[][][] {
  const kh = w[0][0].length;
  const kw = w[0][0][0].length;
  const cols = im2col(x, kh, kw, stride, padding); // [C*kh*kw][OH*OW]
  const OH = Math.floor((x[0].length + 2 * padding - kh) / stride) + 1;
  const OW = cols[0].length / OH;
  return w.map((filter, k) => {
    const row = filter.flat(2); // (channel, kernel row, kernel column): the order of the patch rows
    const out = cols[0].map((_, n) => row.reduce((sum, v, r) => sum + v * cols[r][n], b[k]));
    return Array.from({ length: OH }, (_, i) => out.slice(i * OW, (i + 1) * OW)); // row-major reshape
  });
}

${WORKED_SOURCE}show(conv2dIm2col(x, [[[[1, 0, -1], [2, 1, 0], [0, -1, 1]]]], [0], 1, 0));
`,
  hints: [
    'Filter k flattened with `w[k].flat(2)` lists its weights (channel, kernel row, kernel column), the same order as the rows of your patch matrix: that row times the patch matrix is filter k’s output at every window.',
    'Entry n of row k is Σ_r W[k][r]·cols[r][n] + b[k]; there are OH·OW entries, windows in reading order.',
    'Reshape row k row by row: map row i is entries i·OW to i·OW + OW − 1 (`out.slice(i * OW, (i + 1) * OW)`).',
  ],
  cases: convCases,
  reference: direct,
  mistakes: conv2dIm2colMistakes,
};

export const CH11_GEMM_EXERCISES = [conv2dIm2col];
