/**
 * Chapter 13 exercise: one step of SGD with momentum (v = βv + g; w − lr·v) for a vector of weights, judged by the
 * path it makes: the checker runs the reader's step on a quadratic loss and compares every point with the engine's
 * SGD with momentum. The worked example is D2L's ravine 0.1x² + 2y² from (−5, −2) with β = 0.5 at lr 0.6, which ends
 * near (0.007188, 0.002553) after 20 steps (D2L §12.6).
 */
import { SGD } from '../../engine/optim.ts';
import { LRS, RAVINE, SADDLE, START, enginePath, gradient, randomQuadratic, type Quadratic } from './ch13-paths.ts';
import { Rng, between, vector } from './random.ts';
import { checkStepwise, expectArrays } from './stepwise.ts';
import type { AnyFn, CheckCase, ExerciseSpec, Mistake } from './types.ts';

/** One momentum step as the reader writes it. */
type MomentumStep = (w: number[], g: number[], v: number[], lr: number, beta: number) => { w: number[]; v: number[] };

/** Runs a momentum step from v = 0: (start, loss, lr, beta, steps) → the path. */
const driveMomentum = (step: AnyFn) => (start: number[], loss: Quadratic, lr: number, beta: number, steps: number) => {
  let w = [...start];
  let v = start.map(() => 0);
  const path = [[...w]];
  for (let t = 1; t <= steps; t++) {
    const out = step([...w], gradient(loss, w), [...v], lr, beta);
    const problem = expectArrays(out, ['w', 'v'], w.length, 'momentumStep');
    if (problem) throw new Error(`At step ${t}: ${problem}`);
    const o = out as { w: number[]; v: number[] };
    [w, v] = [[...o.w], [...o.v]];
    path.push([...w]);
  }
  return path;
};

function momentumCases(): CheckCase[] {
  const names = ['start', 'loss', 'lr', 'beta', 'steps'];
  const c = (label: string, start: number[], loss: Quadratic, lr: number, beta: number, steps: number) => ({
    label,
    names,
    args: [start, loss, lr, beta, steps],
  });
  const cases: CheckCase[] = [
    c('the worked example: D2L’s ravine from (−5, −2), lr 0.6, β 0.5, 20 steps', START, RAVINE, 0.6, 0.5, 20),
    c('the ravine at lr 0.4 with β 0.9: it overshoots across the ravine', START, RAVINE, 0.4, 0.9, 20),
    c('the ravine at lr 0.04 with β 0.9: fast along the floor', START, RAVINE, 0.04, 0.9, 20),
    c('one step from v = 0: a plain SGD step', START, RAVINE, 0.1, 0.9, 1),
    c('β = 0: plain SGD every step', START, RAVINE, 0.3, 0, 10),
    c('a saddle, started just off the ridge', [1.5, 0.01], SADDLE, 0.1, 0.9, 15),
  ];
  const seed = 1321;
  const rng = new Rng(seed);
  for (let i = 0; i < 20; i++) {
    const n = between(rng, 1, 5);
    const loss = randomQuadratic(rng, n);
    const lr = LRS[rng.int(0, LRS.length)]!;
    const beta = [0, 0.5, 0.9, 0.99][rng.int(0, 4)]!;
    cases.push(c(`random case ${i + 1} (seed ${seed})`, vector(rng, n), loss, lr, beta, between(rng, 1, 15)));
  }
  return cases;
}

const momentumReference = (start: number[], loss: Quadratic, lr: number, beta: number, steps: number) =>
  enginePath(new SGD(lr, { momentum: beta }), start, loss, steps);

/** A wrong momentum step, driven like the reader's. */
const wrongMomentum = (step: MomentumStep) => driveMomentum(step as AnyFn);

const MOMENTUM_MISTAKES: Mistake[] = [
  {
    name: 'learning rate applied twice (v = βv + lr·g, then w − lr·v)',
    advice:
      'In the chapter’s form the velocity sums raw gradients, v = βv + g, and the learning rate scales the step once: w − lr·v. (The other common form puts lr inside v and steps by v alone; mixing the two applies lr twice.)',
    impl: wrongMomentum((w, g, v, lr, beta) => {
      const nv = v.map((vi, i) => beta * vi + lr * g[i]!);
      return { w: w.map((wi, i) => wi - lr * nv[i]!), v: nv };
    }),
  },
  {
    name: 'averaged instead of summed (v = βv + (1 − β)·g)',
    advice:
      'That is an exponential average, as in Adam’s m, and it makes every step (1 − β) times smaller. PyTorch, TensorFlow and the engine sum: v = βv + g.',
    impl: wrongMomentum((w, g, v, lr, beta) => {
      const nv = v.map((vi, i) => beta * vi + (1 - beta) * g[i]!);
      return { w: w.map((wi, i) => wi - lr * nv[i]!), v: nv };
    }),
  },
  {
    name: 'stepped with the old velocity',
    advice:
      'Update the velocity first, v = βv + g, then step with the new one: w − lr·v. The first step already moves by lr·g.',
    impl: wrongMomentum((w, g, v, lr, beta) => ({
      w: w.map((wi, i) => wi - lr * v[i]!),
      v: v.map((vi, i) => beta * vi + g[i]!),
    })),
  },
];

export const momentumStep: ExerciseSpec = {
  id: 'momentum-step',
  chapter: 'training-in-practice',
  title: 'One step of SGD with momentum',
  fn: 'momentumStep',
  signature:
    'momentumStep(w: number[], g: number[], v: number[], lr: number, beta: number): { w: number[]; v: number[] }',
  starter: `// One step of SGD with momentum: v = beta * v + g, then w = w - lr * v.
// Return the new weights and the new velocity as new arrays. The checker runs your step many times.
function momentumStep(w: number[], g: number[], v: number[], lr: number, beta: number): { w: number[]; v: number[] } {
  const nextW: number[] = [];
  const nextV: number[] = [];
  // your code here
  return { w: nextW, v: nextV };
}

// The ravine 0.1x² + 2y² has the gradient (0.2x, 4y). Twenty steps from (-5, -2):
let state = { w: [-5, -2], v: [0, 0] };
for (let t = 0; t < 20; t++) {
  state = momentumStep(state.w, [0.2 * state.w[0], 4 * state.w[1]], state.v, 0.6, 0.5);
}
show(state.w); // D2L: about (0.007188, 0.002553)
`,
  solution: `function momentumStep(w: number[], g: number[], v: number[], lr: number, beta: number): { w: number[]; v: number[] } {
  const nextV = v.map((vi, i) => beta * vi + g[i]); // a running sum of past gradients
  const nextW = w.map((wi, i) => wi - lr * nextV[i]);
  return { w: nextW, v: nextV };
}

let state = { w: [-5, -2], v: [0, 0] };
for (let t = 0; t < 20; t++) {
  state = momentumStep(state.w, [0.2 * state.w[0], 4 * state.w[1]], state.v, 0.6, 0.5);
}
show(state.w); // D2L: about (0.007188, 0.002553)
`,
  hints: [
    'Two lines, in this order: the new velocity from the old one and the gradient, then the step along the new velocity.',
    '`const nextV = v.map((vi, i) => beta * vi + g[i]);` then `const nextW = w.map((wi, i) => wi - lr * nextV[i]);`',
  ],
  mistakes: MOMENTUM_MISTAKES,
  check: (fn, describe) =>
    checkStepwise(
      {
        cases: momentumCases,
        reference: momentumReference,
        drive: driveMomentum,
        mistakes: MOMENTUM_MISTAKES,
        firstCall: {
          label: 'the first step of the worked example',
          names: ['w', 'g', 'v', 'lr', 'beta'],
          args: [[...START], [-1, -8], [0, 0], 0.6, 0.5],
        },
        validate: (out) => expectArrays(out, ['w', 'v'], 2, 'momentumStep'),
      },
      fn,
      describe,
    ),
};

export const CH13_MOMENTUM_EXERCISES = [momentumStep];
