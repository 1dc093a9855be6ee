/**
 * Chapter 13 exercises: one step of SGD with momentum (v = βv + g; w − lr·v) and one step of Adam with bias
 * correction, for a vector of weights. Each is judged by the path it makes: the checker runs the reader's step for
 * many steps on a quadratic loss and compares every point with the engine's SGD and Adam on the same loss. The
 * worked example is D2L's ravine 0.1x² + 2y² from (−5, −2): momentum β = 0.5 at lr 0.6 ends near (0.007188,
 * 0.002553) after 20 steps (D2L §12.6).
 */
import { Adam, SGD, type Optimizer } from '../../engine/optim.ts';
import { tensor } from '../../engine/tensor.ts';
import { Rng, between, vector } from './random.ts';
import { checkStepwise, expectArrays } from './stepwise.ts';
import type { AnyFn, CheckCase, ExerciseSpec, Mistake } from './types.ts';

/** f(w) = Σ ½·curvature[i]·(w[i] − center[i])²; `formula` names it in the report. */
export interface Quadratic {
  formula: string;
  curvature: number[];
  center: number[];
}

const gradient = (q: Quadratic, w: readonly number[]) => w.map((v, i) => q.curvature[i]! * (v - q.center[i]!));

/** D2L's ravine 0.1x² + 2y² (the chapter's race): its gradient is (0.2x, 4y). */
export const RAVINE: Quadratic = { formula: '0.1x² + 2y²', curvature: [0.2, 4], center: [0, 0] };
const SADDLE: Quadratic = { formula: 'x² − y² (a saddle at 0)', curvature: [2, -2], center: [0, 0] };
const START = [-5, -2];

/** The engine's path: the start, then the point after each step. */
function enginePath(opt: Optimizer, start: number[], loss: Quadratic, steps: number): number[][] {
  const value = tensor([start.length], start);
  const grad = tensor([start.length]);
  const path = [[...start]];
  for (let t = 0; t < steps; t++) {
    grad.data.set(gradient(loss, Array.from(value.data)));
    opt.step([{ name: 'w', value, grad }]);
    path.push(Array.from(value.data));
  }
  return path;
}

function randomQuadratic(rng: Rng, n: number): Quadratic {
  const curvature = Array.from({ length: n }, () => Math.round(rng.uniform(0.1, 5) * 100) / 100);
  const center = vector(rng, n);
  return { formula: `a random bowl in ${n} dimension${n === 1 ? '' : 's'}`, curvature, center };
}

const LRS = [0.01, 0.05, 0.1, 0.2, 0.3];

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
    advice: 'Update the velocity first, v = βv + g, then step with the new one: w − lr·v. The first step already moves by lr·g.',
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
  signature: 'momentumStep(w: number[], g: number[], v: number[], lr: number, beta: number): { w: number[]; v: number[] }',
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
  const c = (label: string, start: number[], loss: Quadratic, lr: number, steps: number, b1 = 0.9, b2 = 0.999, eps = 1e-8) => ({
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
    const [b1, b2] = [[0.9, 0.999], [0.5, 0.9], [0.8, 0.99], [0, 0.999]][rng.int(0, 4)]!;
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

export const CH13_OPTIM_EXERCISES = [momentumStep, adamStep];
