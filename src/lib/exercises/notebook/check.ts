/**
 * The grader every exercise shares: run the reader's function on each case, compare with the engine, and for the
 * first failure show inputs, expected and got side by side and name the mistake when it is a known one.
 * Pure: it receives the reader's function as a value, so unit tests call it with plain TypeScript functions.
 */
import { clonePlain, compareValues, pathText, preview, samePlain } from './compare.ts';
import type { AnyFn, CheckCase, CheckReport, DescribeError, ExerciseSpec, Mistake } from './types.ts';

/** Used when a case finds that the reader's function changed one of its arguments. */
export const MUTATED_INPUT: Mistake = {
  name: 'changed its input',
  advice:
    'Your function modified an argument it was given (for example padding or flipping it in place). Work on a copy: `const flipped = [...w].reverse()` rather than `w.reverse()`.',
};

/** Describes a thrown value without a notebook (unit tests, Node). */
export const plainDescribe: DescribeError = (err) => ({
  message: err instanceof Error ? `${err.name}: ${err.message}` : `threw ${String(err)}`,
});

/** Runs `fn` through the exercise's checker and returns the report. Never throws. */
export function checkExercise(spec: ExerciseSpec, fn: unknown, describe: DescribeError = plainDescribe): CheckReport {
  if (typeof fn !== 'function') {
    return {
      passed: false,
      total: 0,
      passedCount: 0,
      failure: {
        label: 'before any case',
        inputs: [],
        diffs: [],
        message:
          fn === undefined
            ? `No function named ${spec.fn} is defined. Keep the name from the starter code: ${spec.signature}.`
            : `${spec.fn} is ${typeof fn}, not a function. Keep the starter's form: ${spec.signature}.`,
      },
    };
  }
  const reader = fn as (...args: unknown[]) => unknown;
  if (spec.check) return spec.check(reader, describe);
  return gradeCases(
    {
      cases: spec.cases?.() ?? [],
      reference: spec.reference ?? (() => undefined),
      tolerance: spec.tolerance ?? 1e-9,
      mistakes: spec.mistakes ?? [],
    },
    reader,
    describe,
  );
}

/** What the case grader needs: the cases, the engine's answer for each, the tolerance and the known mistakes. */
export interface CaseGrading {
  cases: readonly CheckCase[];
  reference: AnyFn;
  tolerance: number;
  mistakes: readonly Mistake[];
}

/**
 * The case grader: runs `reader` on every case, compares with the reference and names the mistake. Used by
 * checkExercise, and by checkers of their own that grade a function built from the reader's (stepwise.ts).
 */
export function gradeCases(g: CaseGrading, reader: AnyFn, describe: DescribeError): CheckReport {
  const { cases, reference, tolerance: tol } = g;
  let passedCount = 0;
  let report: CheckReport['failure'];
  // Every case that returned a wrong value (or changed an input), for naming the mistake afterwards.
  const wrong: WrongAnswer[] = [];
  for (const c of cases) {
    const expected = reference(...clonePlain(c.args));
    const before = clonePlain(c.args);
    let got: unknown;
    try {
      got = reader(...c.args);
    } catch (err) {
      if (!report) {
        const error = describe(err);
        report = { ...failureBase(c), message: `Your function threw an error: ${error.message}`, error };
        report.expected = preview(expected);
      }
      continue;
    }
    const cmp = compareValues(expected, got, tol);
    const mutated = !samePlain(before, c.args);
    if (cmp.ok && !mutated) {
      passedCount++;
      continue;
    }
    wrong.push({ args: before, got, expected, mutated });
    if (report) continue;
    report = {
      ...failureBase(c, before),
      expected: preview(expected),
      got: preview(got),
      diffs: cmp.diffs.filter((p) => p.every((x) => typeof x === 'number')) as number[][],
      message: cmp.ok ? `The result is right, but ${changedArgs(before, c)} changed during the call.` : cmp.message,
    };
  }
  const out: CheckReport = { passed: passedCount === cases.length, total: cases.length, passedCount };
  if (report) out.failure = report;
  const named = nameMistake(g.mistakes, wrong, tol);
  if (named) out.mistake = { name: named.name, advice: named.advice };
  return out;
}

/** A case the reader's function got wrong: its inputs as given, what came back and what should have. */
export interface WrongAnswer {
  args: unknown[];
  got: unknown;
  expected: unknown;
  /** The function changed one of its arguments. */
  mutated: boolean;
}

/**
 * The known mistake behind the reader's wrong answers. Candidates are the mistakes that explain the first wrong
 * answer (a case that threw is skipped: its error is reported, and a later wrong value may still name the
 * mistake, e.g. weights read as [C][K] throw where C ≠ K and give wrong numbers where C = K). When several
 * explain it (on one scalar, "forgot the +1" and "padding on one side only" can coincide), the one that also
 * explains the most later wrong answers wins, ties going to the earlier in the list. A changed input is named first.
 */
export function nameMistake(
  mistakes: readonly Mistake[],
  wrong: readonly WrongAnswer[],
  tol: number,
): Mistake | undefined {
  const first = wrong[0];
  if (!first) return undefined;
  if (first.mutated) return MUTATED_INPUT;
  const explains = (m: Mistake, w: WrongAnswer) => identify([m], w.args, w.got, w.expected, tol) !== undefined;
  const candidates = mistakes.filter((m) => explains(m, first));
  if (candidates.length <= 1) return candidates[0];
  let best = candidates[0]!;
  let bestScore = -1;
  for (const m of candidates) {
    const score = wrong.reduce((n, w) => n + (explains(m, w) ? 1 : 0), 0);
    if (score > bestScore) [best, bestScore] = [m, score];
  }
  return best;
}

function failureBase(c: CheckCase, args: unknown[] = c.args): NonNullable<CheckReport['failure']> {
  return {
    label: c.label,
    inputs: c.names.map((name, i) => ({ name, value: preview(args[i]) })),
    diffs: [],
    message: '',
  };
}

function changedArgs(before: unknown[], c: CheckCase): string {
  const names = c.names.filter((_, i) => !samePlain(before[i], c.args[i]));
  return names.length ? names.map((n) => `\`${n}\``).join(' and ') : 'an argument';
}

/**
 * The first mistake whose wrong answer equals the reader's on this case (skipping mistakes that happen to give
 * the right answer here), or whose test on the output says so.
 */
export function identify(
  mistakes: readonly Mistake[],
  args: unknown[],
  got: unknown,
  expected: unknown,
  tol: number,
): Mistake | undefined {
  for (const m of mistakes) {
    if (m.impl && implMatches(m.impl, args, got, expected, tol)) return m;
    if (m.detect) {
      try {
        if (m.detect(got, expected, args)) return m;
      } catch {
        // A detector that cannot read this output simply does not match.
      }
    }
  }
  return undefined;
}

/**
 * True when the wrong implementation gives the reader's answer here and that answer is wrong. An implementation
 * that throws, or happens to be right on this case, does not match (the mistake's `detect` may still).
 */
function implMatches(impl: AnyFn, args: unknown[], got: unknown, expected: unknown, tol: number): boolean {
  let wrong: unknown;
  try {
    wrong = impl(...clonePlain(args));
  } catch {
    return false;
  }
  return !compareValues(expected, wrong, tol).ok && compareValues(wrong, got, tol).ok;
}

/** A one-line summary for the cell's status line and the screen-reader announcement. */
export function summarize(spec: ExerciseSpec, r: CheckReport): string {
  if (r.passed) return `Passed: all ${r.total} cases of ${spec.title} give the engine's answer.`;
  const f = r.failure;
  const head = r.total ? `${r.passedCount} of ${r.total} cases passed.` : 'Not checked yet.';
  const named = r.mistake ? ` Looks like: ${r.mistake.name}.` : '';
  const where =
    f && f.label !== 'before any case' ? ` First failure: ${f.label}: ${f.message}` : ` ${f?.message ?? ''}`;
  return `${head}${named}${where}`.trim();
}

export { pathText };
