/**
 * Chapter 13 exercise: one step of Adam with bias correction for a vector of weights, judged like the momentum step
 * by the path it makes on a quadratic loss against the engine's Adam. The worked example is the chapter's race: the
 * ravine 0.1x² + 2y² from (−5, −2) at lr 0.4 for 20 steps.
 */
import { Adam } from '../../engine/optim.ts';
import { LRS, RAVINE, SADDLE, START, enginePath, gradient, randomQuadratic, type Quadratic } from './ch13-paths.ts';
import { Rng, between, vector } from './random.ts';
import { checkStepwise, expectArrays } from './stepwise.ts';
import type { AnyFn, CheckCase, ExerciseSpec, Mistake } from './types.ts';

/** One Adam step as the reader writes it (t counts steps from 1). */
type AdamStep = (
  w: number[],
  g: number[],
  m: number[],
  s: number[],
  t: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
) => { w: number[]; m: number[]; s: number[] };

/** Runs an Adam step from m = s = 0: (start, loss, lr, beta1, beta2, eps, steps) → the path. */
const driveAdam =
  (step: AnyFn) =>
  (start: number[], loss: Quadratic, lr: number, beta1: number, beta2: number, eps: number, steps: number) => {
    let w = [...start];
    let m = start.map(() => 0);
    let s = start.map(() => 0);
    const path = [[...w]];
    for (let t = 1; t <= steps; t++) {
      const out = step([...w], gradient(loss, w), [...m], [...s], t, lr, beta1, beta2, eps);
      const problem = expectArrays(out, ['w', 'm', 's'], w.length, 'adamStep');
      if (problem) throw new Error(`At step ${t}: ${problem}`);
      const o = out as { w: number[]; m: number[]; s: number[] };
      [w, m, s] = [[...o.w], [...o.m], [...o.s]];
      path.push([...w]);
    }
    return path;
  };

function adamCases(): CheckCase[] {
  const names = ['start', 'loss', 'lr', 'beta1', 'beta2', 'eps', 'steps'];
  const c = (
    label: string,
    start: number[],
    loss: Quadratic,
    lr: number,
    steps: number,
    b1 = 0.9,
    b2 = 0.999,
    eps = 1e-8,
  ) => ({
    label,
    names,
    args: [start, loss, lr, b1, b2, eps, steps],
  });
  const cases: CheckCase[] = [
    c('the worked example: the chapter’s race, the ravine from (−5, −2) at lr 0.4, 20 steps', START, RAVINE, 0.4, 20),
    c('the first step alone: each coordinate moves by about lr', START, RAVINE, 0.1, 1),
    c('lr 2: Adam hovers around the minimum', START, RAVINE, 2, 20),
    c('a large eps (0.1) that matters when gradients are small', START, RAVINE, 0.3, 15, 0.9, 0.999, 0.1),
    c('β1 = 0: no averaging of the gradient', START, RAVINE, 0.2, 10, 0, 0.99),
    c('a saddle, started just off the ridge', [1.5, 0.01], SADDLE, 0.1, 15),
  ];
  const seed = 1331;
  const rng = new Rng(seed);
  for (let i = 0; i < 20; i++) {
    const n = between(rng, 1, 5);
    const loss = randomQuadratic(rng, n);
    const lr = LRS[rng.int(0, LRS.length)]!;
    const [b1, b2] = [
      [0.9, 0.999],
      [0.5, 0.9],
      [0.8, 0.99],
      [0, 0.999],
    ][rng.int(0, 4)]!;
    const eps = [1e-8, 1e-3, 0.1][rng.int(0, 3)]!;
    cases.push(c(`random case ${i + 1} (seed ${seed})`, vector(rng, n), loss, lr, between(rng, 1, 15), b1, b2, eps));
  }
  return cases;
}

const adamReference = (
  start: number[],
  loss: Quadratic,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  steps: number,
) => enginePath(new Adam(lr, { beta1, beta2, eps }), start, loss, steps);

/** An Adam step with its update rule for w replaced: (m, s, t) → the step for one weight. */
const wrongAdam = (update: (m: number, s: number, t: number, b1: number, b2: number, eps: number) => number) =>
  driveAdam(((w, g, m, s, t, lr, b1, b2, eps) => {
    const nm = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
    const ns = s.map((si, i) => b2 * si + (1 - b2) * g[i]! * g[i]!);
    return { w: w.map((wi, i) => wi - lr * update(nm[i]!, ns[i]!, t, b1, b2, eps)), m: nm, s: ns };
  }) as AdamStep as AnyFn);

const ADAM_MISTAKES: Mistake[] = [
  {
    name: 'no bias correction',
    advice:
      'm and s start at 0, so early on they are too small: after one step m = (1 − β1)·g and s = (1 − β2)·g². Divide by 1 − β1^t and 1 − β2^t (t counting from 1). Without it, with β1 = 0.9 and β2 = 0.999, the first step is about three times too large (Kingma and Ba, section 3).',
    impl: wrongAdam((m, s, _t, _b1, _b2, eps) => m / (Math.sqrt(s) + eps)),
  },
  {
    name: 'forgot the square root of s',
    advice:
      's averages g², so its square root is on the scale of |g|, and m/√s is about ±1: each weight moves by about lr. Dividing by s itself makes the step depend on 1/|g|.',
    impl: wrongAdam((m, s, t, b1, b2, eps) => m / (1 - b1 ** t) / (s / (1 - b2 ** t) + eps)),
  },
  {
    name: 'eps inside the square root',
    advice:
      'Kingma and Ba, PyTorch and the engine add eps after the root: m̂ / (√ŝ + eps). √(ŝ + eps) is a variant some libraries use, but it differs wherever the gradient is small.',
    impl: wrongAdam((m, s, t, b1, b2, eps) => m / (1 - b1 ** t) / Math.sqrt(s / (1 - b2 ** t) + eps)),
  },
];

export const adamStep: ExerciseSpec = {
  id: 'adam-step',
  chapter: 'training-in-practice',
  title: 'One step of Adam',
  fn: 'adamStep',
  signature:
    'adamStep(w: number[], g: number[], m: number[], s: number[], t: number, lr: number, beta1: number, beta2: number, eps: number): { w: number[]; m: number[]; s: number[] }',
  starter: `// One step of Adam; t is this step's number, 1 for the first. m = beta1*m + (1 - beta1)*g,
// s = beta2*s + (1 - beta2)*g², then w = w - lr * mHat / (sqrt(sHat) + eps) with the bias
// corrections mHat = m / (1 - beta1^t), sHat = s / (1 - beta2^t). Return new arrays.
function adamStep(w: number[], g: number[], m: number[], s: number[], t: number, lr: number, beta1: number, beta2: number, eps: number): { w: number[]; m: number[]; s: number[] } {
  const nextW: number[] = [];
  const nextM: number[] = [];
  const nextS: number[] = [];
  // your code here
  return { w: nextW, m: nextM, s: nextS };
}

// The first step on the ravine from (-5, -2), gradient (-1, -8): both coordinates move by about lr.
show(adamStep([-5, -2], [-1, -8], [0, 0], [0, 0], 1, 0.4, 0.9, 0.999, 1e-8).w);
`,
  solution: `function adamStep(w: number[], g: number[], m: number[], s: number[], t: number, lr: number, beta1: number, beta2: number, eps: number): { w: number[]; m: number[]; s: number[] } {
  const nextM = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
  const nextS = s.map((si, i) => beta2 * si + (1 - beta2) * g[i] * g[i]);
  const nextW = w.map((wi, i) => {
    const mHat = nextM[i] / (1 - beta1 ** t); // the averages start at 0: correct them
    const sHat = nextS[i] / (1 - beta2 ** t);
    return wi - (lr * mHat) / (Math.sqrt(sHat) + eps);
  });
  return { w: nextW, m: nextM, s: nextS };
}

show(adamStep([-5, -2], [-1, -8], [0, 0], [0, 0], 1, 0.4, 0.9, 0.999, 1e-8).w);
`,
  hints: [
    'First the two running averages, m of g and s of g², each from its old value; then the bias-corrected m̂ and ŝ; then the step.',
    'With t = 1 the corrections give m̂ = g and ŝ = g², so the first step is lr·g/(|g| + eps): about lr in every coordinate.',
    '`const mHat = nextM[i] / (1 - beta1 ** t); const sHat = nextS[i] / (1 - beta2 ** t); return wi - (lr * mHat) / (Math.sqrt(sHat) + eps);`',
  ],
  mistakes: ADAM_MISTAKES,
  check: (fn, describe) =>
    checkStepwise(
      {
        cases: adamCases,
        reference: adamReference,
        drive: driveAdam,
        mistakes: ADAM_MISTAKES,
        firstCall: {
          label: 'the first step of the worked example',
          names: ['w', 'g', 'm', 's', 't', 'lr', 'beta1', 'beta2', 'eps'],
          args: [[...START], [-1, -8], [0, 0], [0, 0], 1, 0.4, 0.9, 0.999, 1e-8],
        },
        validate: (out) => expectArrays(out, ['w', 'm', 's'], 2, 'adamStep'),
      },
      fn,
      describe,
    ),
};

export const CH13_ADAM_EXERCISES = [adamStep];
