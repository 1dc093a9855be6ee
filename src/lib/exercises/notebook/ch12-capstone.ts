/**
 * Chapter 12's capstone: one SGD step of a small CNN (conv 8×3×3 -> ReLU -> max-pool 2 -> dense 10 -> softmax
 * cross-entropy) written by chaining the reader's own functions from chapters 6-11. The reference step below is
 * built from the engine's tensor ops, so it checks the reader's chain against code that shares none of it.
 */
import { relu, reluBackward } from '../../engine/activations.ts';
import { conv2d, conv2dBackward } from '../../engine/conv2d.ts';
import { dense, denseBackward } from '../../engine/dense.ts';
import { softmaxCrossEntropy } from '../../engine/loss.ts';
import { pool2d, pool2dBackward } from '../../engine/pool.ts';
import { Rng } from '../../engine/rng.ts';
import { fromNested, reshape, toNested, wrap } from '../../engine/tensor.ts';
import { clonePlain, compareValues, preview } from './compare.ts';
import type { AnyFn, CheckReport, DescribeError, ExerciseSpec, Mistake } from './types.ts';

/** Function names of the pieces the capstone chains, in the order of the forward and backward pass. */
export const CAPSTONE_PIECES = [
  'conv2dMulti',
  'relu',
  'maxPool',
  'dense',
  'softmax',
  'crossEntropy',
  'softmaxCrossEntropyGrad',
  'denseBackward',
  'maxPoolBackward',
  'reluBackward',
  'conv2dGradW',
  'sgdStep',
] as const;

interface Params {
  W1: number[][][][];
  b1: number[];
  W2: number[][];
  b2: number[];
}

/** The engine's version of the step: same maths on tensors, float64. `variant` plants a known mistake. */
function referenceStep(
  params: Params,
  x: number[][][],
  label: number,
  lr: number,
  variant: 'right' | 'ascent' | 'no-bias' | 'stale-w2' = 'right',
): { loss: number; params: Params } {
  const xt = fromNested(x);
  const w1 = fromNested(params.W1);
  const b1 = fromNested(params.b1);
  const w2 = fromNested(params.W2);
  const b2 = fromNested(params.b2);
  const conv = conv2d(xt, w1, b1);
  const act = relu(conv);
  const pool = { size: 2, stride: 2 };
  const pooled = pool2d(act, 'max', pool).y;
  const flat = reshape(pooled, [pooled.data.length]);
  const logits = dense(flat, w2, b2);
  const ce = softmaxCrossEntropy(logits, [label]);
  const dLogits = reshape(ce.dlogits, [ce.dlogits.data.length]);
  // The stale-w2 mistake updates W2 first and backpropagates through the new weights.
  const sign = variant === 'ascent' ? -1 : 1;
  const d2 = denseBackward(flat, w2, dLogits);
  const w2New = w2.data.map((v, i) => v - sign * lr * d2.dw.data[i]!);
  const dFlat =
    variant === 'stale-w2' ? denseBackward(flat, wrap(w2.shape, Float64Array.from(w2New)), dLogits).dx : d2.dx;
  const dPooled = reshape(dFlat, pooled.shape);
  const dAct = pool2dBackward(act, 'max', pool, dPooled);
  const dConv = reluBackward(conv, dAct);
  const g1 = conv2dBackward(xt, w1, dConv);
  const step = (t: { data: Float64Array }, g: { data: Float64Array }, bias: boolean) =>
    Array.from(t.data, (v, i) => (bias && variant === 'no-bias' ? v : v - sign * lr * g.data[i]!));
  return {
    loss: ce.loss,
    params: {
      W1: toNested(wrap(w1.shape, Float64Array.from(step(w1, g1.dw, false)))) as number[][][][],
      b1: step(b1, g1.db, true),
      W2: toNested(wrap(w2.shape, Float64Array.from(w2New))) as number[][],
      b2: step(b2, d2.db, true),
    },
  };
}

/** Small seeded cases: a random digit-like image, a label, random weights. */
function capstoneCases(): { label: string; args: [Params, number[][][], number, number] }[] {
  const rng = new Rng(1101);
  const cases: { label: string; args: [Params, number[][][], number, number] }[] = [];
  for (let c = 0; c < 3; c++) {
    const x = [Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => (rng.next() < 0.2 ? rng.next() : 0)))];
    const params: Params = {
      W1: Array.from({ length: 8 }, () => [
        Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => rng.normal() * 0.47)),
      ]),
      b1: Array.from({ length: 8 }, () => rng.uniform(-0.1, 0.1)),
      W2: Array.from({ length: 10 }, () => Array.from({ length: 1352 }, () => rng.normal() * 0.027)),
      b2: Array.from({ length: 10 }, () => rng.uniform(-0.1, 0.1)),
    };
    cases.push({ label: `random image ${c + 1} (seed 1101), label ${c * 3}`, args: [params, x, c * 3, 0.05] });
  }
  return cases;
}

const MISTAKES: (Mistake & { variant: 'ascent' | 'no-bias' | 'stale-w2' })[] = [
  {
    name: 'stepped up the gradient',
    advice: 'Gradient descent subtracts: w − lr·g. Check the sign in sgdStep, or how you call it.',
    variant: 'ascent',
  },
  {
    name: 'forgot the bias updates',
    advice: 'b1 and b2 learn too: db2 comes from denseBackward, db1[k] is the sum of the conv gradient over map k.',
    variant: 'no-bias',
  },
  {
    name: 'updated W2 before backpropagating through it',
    advice:
      'Compute every gradient first, then update. dflat must use the weights of the forward pass; updating W2 first sends the gradient through the new weights.',
    variant: 'stale-w2',
  },
];

/** Loss and biases of a step's result, for display (the weights are too many to show side by side). */
function summaryOf(got: unknown): unknown {
  if (!got || typeof got !== 'object' || !('params' in got)) return got;
  const g = got as { loss?: unknown; params?: Partial<Params> };
  return { loss: g.loss, b1: g.params?.b1, b2: g.params?.b2 };
}

function checkTrainStep(fn: AnyFn, describe: DescribeError): CheckReport {
  const cases = capstoneCases();
  let passedCount = 0;
  let failure: CheckReport['failure'];
  let mistake: CheckReport['mistake'];
  for (const c of cases) {
    const expected = referenceStep(...clonePlain(c.args));
    let got: unknown;
    try {
      // The step may update params in place or return new ones; either is fine, so it gets its own copy.
      got = fn(...clonePlain(c.args));
    } catch (err) {
      const error = describe(err);
      failure ??= {
        label: c.label,
        inputs: [],
        diffs: [],
        message: `Your function threw an error: ${error.message}`,
        error,
      };
      continue;
    }
    const cmp = compareValues(expected, got, 1e-8);
    if (cmp.ok) {
      passedCount++;
      continue;
    }
    if (failure) continue;
    failure = {
      label: c.label,
      inputs: [
        { name: 'label', value: preview(c.args[2]) },
        { name: 'lr', value: preview(c.args[3]) },
      ],
      expected: preview({ loss: expected.loss, b1: expected.params.b1, b2: expected.params.b2 }),
      got: preview(summaryOf(got)),
      diffs: [],
      message: cmp.message,
    };
    for (const m of MISTAKES) {
      if (compareValues(referenceStep(...clonePlain(c.args), m.variant), got, 1e-8).ok) {
        mistake = { name: m.name, advice: m.advice };
        break;
      }
    }
  }
  const report: CheckReport = { passed: passedCount === cases.length, total: cases.length, passedCount };
  if (failure) report.failure = failure;
  if (mistake) report.mistake = mistake;
  return report;
}

const FORWARD = `// The capstone network: a 28×28 digit -> conv, 8 filters of 3×3 -> ReLU -> max-pool 2×2
// -> dense 10 -> softmax cross-entropy. params = { W1: [8][1][3][3], b1: [8], W2: [10][1352], b2: [10] }.
// Every call below is one of your functions from the earlier chapters (or the course's, until yours passes).
type Params = { W1: number[][][][]; b1: number[]; W2: number[][]; b2: number[] };

function forward(params: Params, x: number[][][]) {
  const conv = conv2dMulti(x, params.W1, params.b1, 0, 1); // [8][26][26]
  const act = relu(conv); // [8][26][26]
  const pooled = act.map((m) => maxPool(m, 2, 2)); // 8 × { y: [13][13], argmax }
  const flat = pooled.flatMap((p) => p.y.flat()); // [1352]
  const logits = dense(flat, params.W2, params.b2); // [10]
  return { conv, act, pooled, flat, logits };
}
`;

export const capstoneTrainStep: ExerciseSpec = {
  id: 'capstone-train-step',
  chapter: 'lenet-5',
  title: 'Capstone: one training step of your CNN',
  fn: 'trainStep',
  signature: 'trainStep(params: Params, x: number[][][], label: number, lr: number): { loss: number; params: Params }',
  uses: [],
  timeLimitMs: 10_000,
  starter: `${FORWARD}
function trainStep(params: Params, x: number[][][], label: number, lr: number) {
  const f = forward(params, x);
  const loss = crossEntropy(softmax(f.logits), label);
  const dLogits = softmaxCrossEntropyGrad(f.logits, label); // [10]
  const d2 = denseBackward(f.flat, params.W2, dLogits); // { dx: [1352], dW, db }
  // 1. Cut d2.dx into 8 maps of 13×13 and send each back through the max-pool (maxPoolBackward).
  // 2. Through the ReLU (reluBackward, on the conv output).
  // 3. The conv weights' gradient per filter: conv2dGradW(x[0], dConv[k]); the bias gradient sums dConv[k].
  // 4. Update every parameter with sgdStep, and return the loss and the new params.
  return { loss, params };
}

// One step on a blank digit with small seeded weights: the loss starts near ln 10 ≈ 2.3.
const rng = new lib.Rng(1);
const small = (n: number) => Array.from({ length: n }, () => rng.normal() * 0.05);
const p0: Params = {
  W1: Array.from({ length: 8 }, () => [Array.from({ length: 3 }, () => small(3))]),
  b1: small(8),
  W2: Array.from({ length: 10 }, () => small(1352)),
  b2: small(10),
};
const blank = [Array.from({ length: 28 }, () => new Array(28).fill(0))];
show(trainStep(p0, blank, 3, 0.01).loss, { label: 'loss of one step' });
`,
  solution: `${FORWARD}
function trainStep(params: Params, x: number[][][], label: number, lr: number) {
  const f = forward(params, x);
  const loss = crossEntropy(softmax(f.logits), label);
  const dLogits = softmaxCrossEntropyGrad(f.logits, label);
  const d2 = denseBackward(f.flat, params.W2, dLogits);
  const side = 13;
  const dAct = f.act.map((m, k) => {
    const dPooled = Array.from({ length: side }, (_, r) => d2.dx.slice((k * side + r) * side, (k * side + r + 1) * side));
    return maxPoolBackward(m, 2, 2, dPooled);
  });
  const dConv = reluBackward(f.conv, dAct);
  const dW1 = dConv.map((g) => [conv2dGradW(x[0], g)]);
  const db1 = dConv.map((g) => g.flat().reduce((s, v) => s + v, 0));
  const next: Params = {
    W1: params.W1.map((w, k) => w.map((plane, c) => plane.map((row, r) => sgdStep(row, dW1[k][c][r], lr)))),
    b1: sgdStep(params.b1, db1, lr),
    W2: params.W2.map((row, o) => sgdStep(row, d2.dW[o], lr)),
    b2: sgdStep(params.b2, d2.db, lr),
  };
  return { loss, params: next };
}

// One step on a blank digit with small seeded weights: the loss starts near ln 10 ≈ 2.3.
const rng = new lib.Rng(1);
const small = (n: number) => Array.from({ length: n }, () => rng.normal() * 0.05);
const p0: Params = {
  W1: Array.from({ length: 8 }, () => [Array.from({ length: 3 }, () => small(3))]),
  b1: small(8),
  W2: Array.from({ length: 10 }, () => small(1352)),
  b2: small(10),
};
const blank = [Array.from({ length: 28 }, () => new Array(28).fill(0))];
show(trainStep(p0, blank, 3, 0.01).loss, { label: 'loss of one step' });
`,
  hints: [
    'Work backwards from the loss, one layer at a time, keeping each gradient the shape of what it is the gradient of: dflat [1352] -> 8 maps [13][13] -> [8][26][26] through the pool -> the same through the ReLU.',
    'Cut dflat with `d2.dx.slice((k * 13 + r) * 13, (k * 13 + r + 1) * 13)` for row r of map k (flatten put map 0 first, row by row). Then `maxPoolBackward(f.act[k], 2, 2, dPooled)` and `reluBackward(f.conv, dAct)`.',
    'Per filter k: `dW1[k] = [conv2dGradW(x[0], dConv[k])]` and `db1[k]` = the sum of dConv[k]. Update each row with sgdStep: `params.W2.map((row, o) => sgdStep(row, d2.dW[o], lr))`, the same for W1, b1 and b2.',
  ],
  check: checkTrainStep,
  mistakes: MISTAKES.map(({ name, advice }) => ({ name, advice })),
};

export const CH12_CAPSTONE = [capstoneTrainStep];
