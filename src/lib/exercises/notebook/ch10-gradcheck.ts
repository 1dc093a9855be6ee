/**
 * Chapter 10 exercise: a numerical gradient check. The reader's gradCheck(f, grad, x, eps) returns the largest
 * relative error |a − n| / max(|a|, |n|) between the analytic gradient and central differences. It is judged by
 * what it reports: below 1e-6 for right gradients of several functions, above 1e-3 for planted bugs (the
 * deliberately broken backward passes of chapter 10's checker, and simple planted ones). Its mistakes are named
 * by probing it further with gradients built to fool one kind of mistake.
 */
import { activate, reluBackward } from '../../engine/activations.ts';
import { dense, denseBackward } from '../../engine/dense.ts';
import { gradCheck as engineGradCheck } from '../../engine/gradcheck.ts';
import { softmaxCrossEntropy } from '../../engine/loss.ts';
import { Rng } from '../../engine/rng.ts';
import { fromNested, tensor, type Tensor } from '../../engine/tensor.ts';
import { reluBackwardNoMask } from '../broken-backward.ts';
import { gradCheckProblem, type CheckTarget } from '../gradcheck-problems.ts';
import { runTrials, type Trial, type TrialOutcome } from './behaviour.ts';
import { fmt, samePlain } from './compare.ts';
import { valuesOf } from './nested.ts';
import type { ExerciseSpec, Mistake } from './types.ts';

/** A correct gradient must score below this; a planted bug above BUG_LEVEL. */
export const RIGHT_LEVEL = 1e-6;
export const BUG_LEVEL = 1e-3;

type VecFn = (x: number[]) => number;

/** One function to check: f, the gradient a backward pass claims, the point, and whether that gradient is right. */
export interface GradProblem {
  label: string;
  f: VecFn;
  grad: number[];
  x: number[];
  eps?: number;
  right: boolean;
}

/** f as the reader calls it: a fresh array of numbers in, a number out; a wrong argument gets a plain message. */
function vectorFn(n: number, value: (x: number[]) => number): VecFn {
  return (x: number[]) => {
    if (!Array.isArray(x) || x.length !== n || !x.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new Error(`f expects an array of ${n} finite numbers (a copy of x with one entry nudged).`);
    }
    return value(x);
  };
}

/** A parameter of one of chapter 10's checker problems as a function of a plain vector. */
function fromChecker(target: CheckTarget, seed: number, param: string, broken: boolean, label: string): GradProblem {
  const p = gradCheckProblem(target, seed, broken);
  const t = p.params[param]!;
  const x = valuesOf(t);
  const f = vectorFn(x.length, (v) => {
    const saved = Float64Array.from(t.data);
    t.data.set(v);
    try {
      return p.f();
    } finally {
      t.data.set(saved);
    }
  });
  return { label, f, grad: valuesOf(p.analytic[param]!), x, right: !broken };
}

const dot = (a: Tensor, b: Tensor) => a.data.reduce((s, v, i) => s + v * b.data[i]!, 0);

/** Seeded values bounded away from 0, so no entry sits on a ReLU kink or below the round-off. */
function awayFromZero(rng: Rng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(lo, hi));
}

/** ⟨relu(x), R⟩ for a seeded x (half the inputs negative: their gradient is exactly 0). */
function reluProblem(broken: boolean): GradProblem {
  const rng = new Rng(1003);
  const x = awayFromZero(rng, 12, 0.2, 1.5);
  const R = tensor([12], awayFromZero(rng, 12, 0.5, 1.5));
  const f = vectorFn(12, (v) => dot(activate(tensor([12], v), 'relu'), R));
  const grad = valuesOf(broken ? reluBackwardNoMask(R) : reluBackward(tensor([12], x), R));
  const label = broken
    ? 'a planted bug: ReLU backward without its mask (f = ⟨relu(x), R⟩)'
    : 'a ReLU layer, f = ⟨relu(x), R⟩: half of the gradient is exactly 0';
  return { label, f, grad, x, right: !broken };
}

/** Softmax cross-entropy of a dense layer's outputs, as a function of its weights W [3, 4]. */
function denseLossProblem(): GradProblem {
  const rng = new Rng(1004);
  const input = tensor([4], awayFromZero(rng, 4, 0.5, 1.5));
  const b = tensor([3], awayFromZero(rng, 3, 0.1, 0.5));
  const w0 = awayFromZero(rng, 12, 0.1, 1);
  const loss = (w: number[]) => softmaxCrossEntropy(fromNested([valuesOf(dense(input, tensor([3, 4], w), b))]), [1]);
  const dz = tensor([3], loss(w0).dlogits.data); // p − y of the one example
  const grad = valuesOf(denseBackward(input, tensor([3, 4], w0), dz).dw);
  return {
    label: 'softmax cross-entropy after a dense layer, for its 3 × 4 weights',
    f: vectorFn(12, (w) => loss(w).loss),
    grad,
    x: w0,
    right: true,
  };
}

/** c · Σ x_i², whose gradient is 2c·x; `scale` multiplies the claimed gradient (1: right). */
function quadratic(c: number, scale: number, label: string): GradProblem {
  const x = awayFromZero(new Rng(1005), 5, 0.5, 2);
  return {
    label,
    f: vectorFn(5, (v) => c * v.reduce((s, u) => s + u * u, 0)),
    grad: x.map((u) => 2 * c * u * scale),
    x,
    right: scale === 1,
  };
}

/** Every function the reader's gradCheck is tried on, right gradients first. */
export function gradProblems(): GradProblem[] {
  const ce = fromChecker('softmax-ce', 1, 'z', false, 'softmax cross-entropy on 3 logits, right gradient p − y');
  return [
    fromChecker('conv', 1, 'w', false, 'the chapter’s checker: the conv layer f = ⟨conv(x, w) + b, R⟩, its kernel w'),
    ce,
    { ...ce, eps: 1e-4, label: 'the same softmax cross-entropy, called with eps = 1e-4' },
    denseLossProblem(),
    reluProblem(false),
    quadratic(1e6, 1, 'f(x) = 10⁶ · Σ xᵢ²: gradients near 10⁶ (the error must be relative)'),
    fromChecker('conv', 1, 'x', true, 'a planted bug: the conv layer’s input gradient without the 180° rotation'),
    fromChecker('softmax-ce', 2, 'z', true, 'a planted bug: softmax cross-entropy with the sign flipped (y − p)'),
    reluProblem(true),
    quadratic(1e-6, 0.5, 'a planted bug in a tiny loss: f(x) = 10⁻⁶ · Σ xᵢ², every gradient halved'),
  ];
}

/** The course engine's largest relative error for a problem (shown beside the reader's). */
function engineError(p: GradProblem): number {
  const t = tensor([p.x.length], p.x);
  const r = engineGradCheck(
    { x: t },
    () => p.f(valuesOf(t)),
    { x: tensor([p.x.length], p.grad) },
    { eps: p.eps ?? 1e-5 },
  );
  return r.maxRelError;
}

type Reader = (f: VecFn, grad: number[], x: number[], eps?: number) => unknown;

const call = (fn: Reader, p: GradProblem, x = [...p.x]) =>
  p.eps === undefined ? fn(p.f, [...p.grad], x) : fn(p.f, [...p.grad], x, p.eps);

/** Judges the reader's answer on one problem. */
function judge(fn: Reader, p: GradProblem, flags: { mutated: boolean; nan: boolean }): TrialOutcome {
  const x = [...p.x];
  const got = call(fn, p, x);
  const expected = engineError(p);
  if (!samePlain(x, p.x)) {
    flags.mutated = true;
    return {
      ok: false,
      message: 'x changed during the call: after nudging x[i], put it back before moving on.',
      got: x,
      expected: p.x,
    };
  }
  if (typeof got !== 'number') {
    return {
      ok: false,
      message: `gradCheck returned ${got === undefined ? 'undefined' : typeof got}; it should return one number, the largest relative error.`,
      got,
      expected,
    };
  }
  if (Number.isNaN(got)) {
    flags.nan = true;
    return {
      ok: false,
      message:
        'gradCheck returned NaN: where both gradients are exactly 0, |a − n| / max(|a|, |n|) is 0 / 0. Count that entry’s error as 0.',
      got,
      expected,
    };
  }
  if (p.right && !(got < RIGHT_LEVEL)) {
    return {
      ok: false,
      message: `This gradient is right, but your gradCheck reports an error of ${fmt(got)}; a correct check gives less than ${fmt(RIGHT_LEVEL)} (the course’s checker: ${fmt(expected)}).`,
      got,
      expected,
    };
  }
  if (!p.right && !(got > BUG_LEVEL)) {
    return {
      ok: false,
      message: `This gradient has a planted bug, but your gradCheck reports only ${fmt(got)}; it should be above ${fmt(BUG_LEVEL)} (the course’s checker: ${fmt(expected)}).`,
      got,
      expected,
    };
  }
  return { ok: true, message: '' };
}

const sumSquares = (x: number[]) => x.reduce((s, v) => s + v * v, 0);
const PROBE_X = [0.7, -1.3, 2.1];

/** The reader's result on a probe, or NaN when it throws. */
function probe(fn: Reader, f: VecFn, grad: number[], eps?: number): number {
  try {
    const r = eps === undefined ? fn(f, grad, [...PROBE_X]) : fn(f, grad, [...PROBE_X], eps);
    return typeof r === 'number' ? r : NaN;
  } catch {
    return NaN;
  }
}

/** The mistakes, each with the probe that recognises it. */
function gradCheckMistakes(flags: { mutated: boolean; nan: boolean }): (Mistake & { test: (fn: Reader) => boolean })[] {
  const expSum = vectorFn(3, (x) => x.reduce((s, v) => s + Math.exp(v), 0));
  const h = 1e-2;
  return [
    {
      name: 'forgot to restore x[i] after perturbing',
      advice:
        'After f(x + eps·eᵢ) and f(x − eps·eᵢ), set x[i] back to its original value; otherwise every later entry is checked at a shifted point (and the caller’s x is changed).',
      test: () => flags.mutated,
    },
    {
      name: 'one-sided difference',
      advice:
        '(f(x + eps) − f(x)) / eps has an error proportional to eps; the central difference (f(x + eps) − f(x − eps)) / (2·eps) has one proportional to eps², which is what makes 1e-7 reachable.',
      // Passes a one-sided estimate as if it were the analytic gradient, and fails the exact one.
      test: (fn) => {
        const exact = PROBE_X.map(Math.exp);
        const forward = PROBE_X.map((v) => (Math.exp(v + h) - Math.exp(v)) / h);
        const backward = PROBE_X.map((v) => (Math.exp(v) - Math.exp(v - h)) / h);
        const fooled = probe(fn, expSum, forward, h) < 1e-4 || probe(fn, expSum, backward, h) < 1e-4;
        return fooled && probe(fn, expSum, exact, h) > 1e-3;
      },
    },
    {
      name: 'divided by eps instead of 2·eps',
      advice:
        'The two evaluations f(x + eps) and f(x − eps) are 2·eps apart, so their difference is divided by 2·eps. Dividing by eps doubles every numerical gradient.',
      // Passes twice the gradient of Σ x², and fails the right one (2x).
      test: (fn) => {
        const f = vectorFn(3, sumSquares);
        return (
          probe(
            fn,
            f,
            PROBE_X.map((v) => 4 * v),
          ) < BUG_LEVEL &&
          probe(
            fn,
            f,
            PROBE_X.map((v) => 2 * v),
          ) > BUG_LEVEL
        );
      },
    },
    {
      name: 'absolute instead of relative error',
      advice:
        '|a − n| depends on the scale of f: tiny for a tiny loss even when the gradient is half wrong, large for a big one even when it is right. Divide by max(|a|, |n|).',
      // Misses a halved gradient of a tiny function, but catches the same bug at ordinary scale.
      test: (fn) => {
        const half = PROBE_X.map((v) => v);
        const tiny = probe(
          fn,
          vectorFn(3, (x) => 1e-6 * sumSquares(x)),
          half.map((v) => 1e-6 * v),
        );
        return tiny < BUG_LEVEL && probe(fn, vectorFn(3, sumSquares), half) > BUG_LEVEL;
      },
    },
    {
      name: 'divided 0 by 0 where both gradients are 0',
      advice:
        'A parameter that does not reach the loss has analytic and numerical gradient exactly 0, and |a − n| / max(|a|, |n|) is then 0 / 0 = NaN. Treat that entry’s error as 0.',
      test: () => flags.nan,
    },
  ];
}

export const gradCheck: ExerciseSpec = {
  id: 'grad-check',
  chapter: 'backpropagation',
  title: 'A numerical gradient check',
  fn: 'gradCheck',
  signature: 'gradCheck(f: (x: number[]) => number, grad: number[], x: number[], eps?: number): number',
  starter: `// Compare an analytic gradient grad of f at x with central differences, entry by entry, and
// return the largest relative error |a - n| / max(|a|, |n|) (count 0 where both are 0).
// Leave x as it was when you return.
function gradCheck(f: (x: number[]) => number, grad: number[], x: number[], eps = 1e-5): number {
  let worst = 0;
  // your code here
  return worst;
}

// f(x) = x0² + 3·x1 has the gradient (2·x0, 3): at (1, 2) that is (2, 3).
show(gradCheck((x) => x[0] ** 2 + 3 * x[1], [2, 3], [1, 2]));
show(gradCheck((x) => x[0] ** 2 + 3 * x[1], [2, 4], [1, 2])); // a wrong gradient
`,
  solution: `function gradCheck(f: (x: number[]) => number, grad: number[], x: number[], eps = 1e-5): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const original = x[i];
    x[i] = original + eps;
    const plus = f(x);
    x[i] = original - eps;
    const minus = f(x);
    x[i] = original; // restore before the next entry
    const numerical = (plus - minus) / (2 * eps);
    const scale = Math.max(Math.abs(grad[i]), Math.abs(numerical));
    const error = scale === 0 ? 0 : Math.abs(grad[i] - numerical) / scale;
    worst = Math.max(worst, error);
  }
  return worst;
}

show(gradCheck((x) => x[0] ** 2 + 3 * x[1], [2, 3], [1, 2]));
show(gradCheck((x) => x[0] ** 2 + 3 * x[1], [2, 4], [1, 2])); // a wrong gradient
`,
  hints: [
    'For each entry i: nudge x[i] up by eps and evaluate f, nudge it down by eps and evaluate f, then put x[i] back.',
    'The numerical gradient is (f₊ − f₋) / (2·eps); its relative error against grad[i] is |a − n| / max(|a|, |n|), taken as 0 when both are 0.',
    'Return the largest of those errors over all i (Math.max as you go).',
  ],
  mistakes: gradCheckMistakes({ mutated: false, nan: false }).map(({ name, advice }) => ({ name, advice })),
  check: (fn, describe) => {
    const problems = gradProblems();
    const reader = fn as Reader;
    const flags = { mutated: false, nan: false };
    const trials: Trial[] = problems.map((p) => ({
      label: p.label,
      inputs: [
        { name: 'grad', value: p.grad },
        { name: 'x', value: p.x },
        ...(p.eps === undefined ? [] : [{ name: 'eps', value: p.eps }]),
      ],
      run: () => judge(reader, p, flags),
    }));
    const mistakes = gradCheckMistakes(flags);
    return runTrials(trials, describe, () => mistakes.find((m) => m.test(reader)));
  },
};

export const CH10_GRADCHECK_EXERCISES = [gradCheck];
