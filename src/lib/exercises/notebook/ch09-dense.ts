/**
 * Chapter 9 exercises (the capstone needs them): a dense layer z = W x + b with W stored [out][in], and its
 * backward pass dx = Wᵀ dy, dW = dy xᵀ, db = dy (chapter 10). Worked example: the chapter's pooled map of
 * 2 channels of 2 × 2, flattened, through 3 units with the seeded whole-number weights its widget shows.
 */
import { dense as engineDense, denseBackward as engineDenseBackward } from '../../engine/dense.ts';
import { softmaxCrossEntropy } from '../../engine/loss.ts';
import { Rng, randomInts } from '../../engine/rng.ts';
import { fromNested, toNested } from '../../engine/tensor.ts';
import { denseInputGradReshaped } from '../broken-backward.ts';
import { compareValues } from './compare.ts';
import { shapeOf, transpose, valuesOf } from './nested.ts';
import { between, matrix, vector } from './random.ts';
import type { CheckCase, ExerciseSpec } from './types.ts';

/** The chapter's DenseExample: x flattened from [[[1, 0], [3, 2]], [[0, 2], [1, 1]]], 3 units, seed 7. */
export function ch09DenseExample(): { x: number[]; W: number[][]; b: number[] } {
  const rng = new Rng(7);
  const x = [1, 0, 3, 2, 0, 2, 1, 1];
  const W = toNested(randomInts([3, x.length], rng, -2, 3)) as number[][];
  const b = toNested(randomInts([3], rng, -1, 2)) as number[];
  return { x, W, b };
}

const forward = (x: number[], W: number[][], b: number[]) =>
  valuesOf(engineDense(fromNested(x), fromNested(W), fromNested(b)));

function backward(x: number[], W: number[][], dy: number[]): { dx: number[]; dW: number[][]; db: number[] } {
  const g = engineDenseBackward(fromNested(x), fromNested(W), fromNested(dy));
  return { dx: valuesOf(g.dx), dW: toNested(g.dw) as number[][], db: valuesOf(g.db) };
}

/** A square W: a learner who reads W as [in][out] gets numbers here, not a crash. */
const SQUARE_W = [
  [1, 0, -1],
  [2, 1, 0],
  [0, 3, 1],
];

/** Seeded layer sizes and values; the first ones are square, so a transposed W gives numbers, not a crash. */
function randomLayer(rng: Rng, i: number): { x: number[]; W: number[][]; b: number[] } {
  const n = between(rng, 1, 9);
  const m = i < 4 ? n : between(rng, 1, 9);
  return { x: vector(rng, n, i < 10), W: matrix(rng, m, n, i < 10), b: vector(rng, m, i < 10) };
}

function denseCases(): CheckCase[] {
  const names = ['x', 'W', 'b'];
  const ex = ch09DenseExample();
  const cases: CheckCase[] = [
    { label: 'the worked example: 8 inputs, 3 units (the chapter’s pooled map)', names, args: [ex.x, ex.W, ex.b] },
    { label: 'a square W (3 inputs, 3 units)', names, args: [[1, 2, 3], SQUARE_W, [0.5, -1, 0]] },
    { label: 'one input, one unit', names, args: [[4], [[-2]], [1]] },
    { label: 'one unit reading 4 inputs', names, args: [[1, -1, 2, 0], [[3, 1, 1, 5]], [-2]] },
  ];
  const seed = 911;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const { x, W, b } = randomLayer(rng, i);
    cases.push({ label: `random case ${i + 1} (seed ${seed})`, names, args: [x, W, b] });
  }
  return cases;
}

function denseBackwardCases(): CheckCase[] {
  const names = ['x', 'W', 'dy'];
  const ex = ch09DenseExample();
  // Upstream gradient of the worked example: p − y of its outputs with true class 0, as in chapter 10.
  const dy = valuesOf(softmaxCrossEntropy(fromNested([forward(ex.x, ex.W, ex.b)]), [0]).dlogits);
  const cases: CheckCase[] = [
    { label: 'the worked example: the chapter’s layer, dy = p − y for class 0', names, args: [ex.x, ex.W, dy] },
    { label: 'a square W (3 inputs, 3 units)', names, args: [[1, 2, 3], SQUARE_W, [1, -2, 0.5]] },
    { label: 'one input, one unit', names, args: [[4], [[-2]], [3]] },
  ];
  const seed = 912;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const { x, W } = randomLayer(rng, i);
    cases.push({ label: `random case ${i + 1} (seed ${seed})`, names, args: [x, W, vector(rng, W.length, i < 10)] });
  }
  return cases;
}

/** y_j = Σ_i W[i][j] x[i]: W read as [in][out] (only defined for a square W). */
const readTransposed = (W: number[][], v: number[]) =>
  transpose(W).map((col) => col.reduce((s, w, i) => s + w * v[i]!, 0));

export const dense: ExerciseSpec = {
  id: 'dense',
  chapter: 'fully-connected-softmax-loss',
  title: 'A dense layer',
  fn: 'dense',
  signature: 'dense(x: number[], W: number[][], b: number[]): number[]',
  starter: `// z = W x + b: W has one row per unit (W is [out][in]), so z[j] = sum over i of W[j][i] * x[i] + b[j].
function dense(x: number[], W: number[][], b: number[]): number[] {
  const z: number[] = [];
  // your code here
  return z;
}

show(dense([1, 2, 3], [[1, 0, -1], [2, 1, 0]], [0.5, -1]));
`,
  solution: `function dense(x: number[], W: number[][], b: number[]): number[] {
  return W.map((row, j) => row.reduce((sum, w, i) => sum + w * x[i], b[j]));
}

show(dense([1, 2, 3], [[1, 0, -1], [2, 1, 0]], [0.5, -1]));
`,
  hints: [
    'Each unit j is one row W[j] of the weights: a dot product with the whole input, plus its own bias.',
    '`W.map((row, j) => row.reduce((sum, w, i) => sum + w * x[i], b[j]))`',
  ],
  cases: denseCases,
  reference: forward,
  mistakes: [
    {
      name: 'W transposed (read as [in][out])',
      advice:
        'W is [out][in]: row j holds unit j’s weights, so z[j] = Σ_i W[j][i]·x[i]. The result has one entry per row of W, not per input.',
      impl: (x: number[], W: number[][], b: number[]) => {
        if (W.length !== x.length) throw new Error('only defined for a square W');
        return readTransposed(W, x).map((v, j) => v + b[j]!);
      },
      detect: (got, _e, args) => {
        const [x, W] = args as [number[], number[][]];
        return x.length !== W.length && shapeOf(got)[0] === x.length;
      },
    },
    {
      name: 'forgot the bias',
      advice: 'Each unit adds its own bias b[j] once, after the weighted sum.',
      impl: (x: number[], W: number[][], b: number[]) =>
        forward(
          x,
          W,
          b.map(() => 0),
        ),
    },
  ],
};

export const denseBackward: ExerciseSpec = {
  id: 'dense-backward',
  chapter: 'fully-connected-softmax-loss',
  title: 'A dense layer backward',
  fn: 'denseBackward',
  signature: 'denseBackward(x: number[], W: number[][], dy: number[]): { dx: number[]; dW: number[][]; db: number[] }',
  starter: `// The layer z = W x + b received dy = dL/dz. Return dx = Wᵀ dy (shape of x),
// dW = dy xᵀ (shape of W: dW[j][i] = dy[j] * x[i]) and db = dy.
function denseBackward(x: number[], W: number[][], dy: number[]): { dx: number[]; dW: number[][]; db: number[] } {
  const dx: number[] = [];
  const dW: number[][] = [];
  const db: number[] = [];
  // your code here
  return { dx, dW, db };
}

show(denseBackward([1, 2, 3], [[1, 0, -1], [2, 1, 0]], [1, -2]));
`,
  solution: `function denseBackward(x: number[], W: number[][], dy: number[]): { dx: number[]; dW: number[][]; db: number[] } {
  // dx[i] = sum over units j of W[j][i] * dy[j]: the transpose of W
  const dx = x.map((_, i) => W.reduce((sum, row, j) => sum + row[i] * dy[j], 0));
  // each weight's gradient: the delta of the unit it feeds times the input it multiplied
  const dW = dy.map((g) => x.map((v) => g * v));
  return { dx, dW, db: [...dy] };
}

show(denseBackward([1, 2, 3], [[1, 0, -1], [2, 1, 0]], [1, -2]));
`,
  hints: [
    'Input x[i] reaches every unit j through W[j][i], so dx[i] sums dy[j] * W[j][i] over the units: that is Wᵀ dy.',
    'Weight W[j][i] multiplied x[i] in unit j, so its gradient is dy[j] * x[i]; the bias b[j] was added with slope 1, so db[j] = dy[j].',
    '`const dx = x.map((_, i) => W.reduce((s, row, j) => s + row[i] * dy[j], 0)); const dW = dy.map((g) => x.map((v) => g * v));`',
  ],
  cases: denseBackwardCases,
  reference: backward,
  mistakes: [
    {
      name: 'dx computed with W instead of Wᵀ',
      advice:
        'dx has one entry per input: dx[i] = Σ_j W[j][i]·dy[j], down a column of W. Multiplying W by dy along its rows is the forward direction.',
      impl: (x: number[], W: number[][], dy: number[]) => {
        if (W.length !== x.length) throw new Error('only defined for a square W');
        return { ...backward(x, W, dy), dx: readTransposed(transpose(W), dy) };
      },
      detect: (got, _e, args) => {
        const [x, W] = args as [number[], number[][]];
        return x.length !== W.length && shapeOf((got as { dx?: unknown }).dx)[0] === W.length;
      },
    },
    {
      name: 'reshaped W instead of transposing it',
      advice:
        'W.reshape(inputs, units) keeps the numbers in memory order; Wᵀ moves them. Index W[j][i] with the unit j outer: dx[i] = Σ_j W[j][i]·dy[j].',
      impl: (x: number[], W: number[][], dy: number[]) => ({
        ...backward(x, W, dy),
        dx: valuesOf(denseInputGradReshaped(fromNested(W), fromNested(dy))),
      }),
    },
    {
      name: 'dW transposed (x dyᵀ instead of dy xᵀ)',
      advice: 'dW must have W’s shape [out][in]: dW[j][i] = dy[j]·x[i], one row per unit.',
      impl: (x: number[], W: number[][], dy: number[]) => ({
        ...backward(x, W, dy),
        dW: transpose(backward(x, W, dy).dW),
      }),
      detect: (got, _e, args) => {
        const [x, W] = args as [number[], number[][]];
        const s = shapeOf((got as { dW?: unknown }).dW);
        return x.length !== W.length && s[0] === x.length && s[1] === W.length;
      },
    },
    {
      name: 'summed db into one number',
      advice:
        'A dense layer has one bias per unit, each added once, so db = dy itself. (A conv layer’s bias is added at every position, which is why its gradient is a sum.)',
      detect: (got, expected) =>
        typeof got === 'object' &&
        got !== null &&
        typeof (got as { db?: unknown }).db === 'number' &&
        compareValues((expected as { dx: unknown }).dx, (got as { dx?: unknown }).dx).ok,
    },
  ],
};

export const CH09_DENSE_EXERCISES = [dense, denseBackward];
