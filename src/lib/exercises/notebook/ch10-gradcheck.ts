/**
 * Chapter 10 exercise: a numerical gradient check. The reader's gradCheck(f, grad, x, eps) returns the largest
 * relative error |a − n| / max(|a|, |n|) between the analytic gradient and central differences. It is judged by
 * what it reports: below 1e-6 for right gradients of several functions, above 1e-3 for planted bugs (the
 * deliberately broken backward passes of chapter 10's checker, and simple planted ones). Its mistakes are named
 * by probing it further with gradients built to fool one kind of mistake.
 */
import { gradCheck as engineGradCheck } from '../../engine/gradcheck.ts';
import { tensor } from '../../engine/tensor.ts';
import { gradProblems, vectorFn, type GradProblem, type VecFn } from './ch10-gradcheck-problems.ts';
import { runTrials, type Trial, type TrialOutcome } from './behaviour.ts';
import { fmt, samePlain } from './compare.ts';
import { valuesOf } from './nested.ts';
import type { ExerciseSpec, Mistake } from './types.ts';

/** A correct gradient must score below this; a planted bug above BUG_LEVEL. */
export const RIGHT_LEVEL = 1e-6;
export const BUG_LEVEL = 1e-3;

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
