/**
 * A grader for exercises whose function is one step of an iteration, such as an optimiser's update: a driver runs
 * the reader's step for many steps, and the case grader compares the whole path with the engine's, so a mistake
 * that only shows after a few steps (a state that is not carried over, a bias correction) is caught, and the first
 * case can be the chapter's own run. One call of the step comes first, to give a plain message when its result has
 * the wrong form or it changed its inputs, instead of a puzzling path.
 */
import { MUTATED_INPUT, gradeCases } from './check.ts';
import { clonePlain, preview, samePlain } from './compare.ts';
import type { AnyFn, CheckCase, CheckReport, DescribeError, Mistake } from './types.ts';

export interface StepwiseGrading {
  /** Runs of the step: each case's arguments are the driver's (a start, a loss, settings, a number of steps). */
  cases: () => CheckCase[];
  /** The engine's path for a case's arguments. */
  reference: AnyFn;
  /** Turns a step function into a path function taking the cases' arguments; mistakes' impls are drivers too. */
  drive: (step: AnyFn) => AnyFn;
  mistakes: readonly Mistake[];
  /** One call of the step, shown when its result has the wrong form or it changed its inputs. */
  firstCall: CheckCase;
  /** A sentence saying what is wrong with the form of the step's result, or null when it can be used. */
  validate: (out: unknown) => string | null;
}

/** Checks the form of one step, then grades the paths the reader's step makes. Never throws. */
export function checkStepwise(g: StepwiseGrading, reader: AnyFn, describe: DescribeError): CheckReport {
  const { label, names, args } = g.firstCall;
  const given = clonePlain(args);
  let out: unknown;
  let threw = false;
  try {
    out = reader(...given);
  } catch {
    threw = true; // the path grader reports the error with its place in the reader's code
  }
  if (!threw) {
    const problem = g.validate(out);
    const mutated = !samePlain(given, args);
    if (problem !== null || mutated) {
      const changed = names.filter((_, i) => !samePlain(given[i], args[i])).map((n) => `\`${n}\``);
      const report: CheckReport = {
        passed: false,
        total: g.cases().length,
        passedCount: 0,
        failure: {
          label,
          inputs: names.map((name, i) => ({ name, value: preview(args[i]) })),
          got: preview(out),
          diffs: [],
          message: problem ?? `${changed.join(' and ')} changed during the call: build new arrays and return them.`,
        },
      };
      if (mutated) report.mistake = { name: MUTATED_INPUT.name, advice: MUTATED_INPUT.advice };
      return report;
    }
  }
  return gradeCases(
    { cases: g.cases(), reference: g.reference, tolerance: 1e-9, mistakes: g.mistakes },
    g.drive(reader),
    describe,
  );
}

/** A plain message when `out` is not an object holding number arrays of `length` under each of `keys`. */
export function expectArrays(out: unknown, keys: readonly string[], length: number, fn: string): string | null {
  const form = `{ ${keys.join(', ')} }`;
  if (out === null || typeof out !== 'object' || Array.isArray(out)) {
    return `${fn} returned ${out === undefined ? 'undefined' : Array.isArray(out) ? 'an array' : typeof out}; return an object ${form}, each a new array.`;
  }
  for (const k of keys) {
    const v = (out as Record<string, unknown>)[k];
    if (!Array.isArray(v)) return `The result has no array "${k}"; return an object ${form}.`;
    if (v.length !== length) return `"${k}" has ${v.length} entries; it should have ${length}, one per weight.`;
    if (v.some((x) => typeof x !== 'number')) return `"${k}" holds something other than numbers.`;
  }
  return null;
}
