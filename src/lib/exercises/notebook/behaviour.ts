/**
 * A grader for exercises judged by what the reader's function does rather than by one right answer: a kernel
 * judged by its responses to test images, a gradient checker judged by what it reports on right and wrong
 * gradients. Each trial runs and judges one behaviour; the report has the same shape as the case grader's.
 */
import { preview } from './compare.ts';
import type { CheckReport, DescribeError, ErrorPlace, Mistake } from './types.ts';

/** What one trial found. */
export interface TrialOutcome {
  ok: boolean;
  /** One sentence the reader can act on (empty when ok). */
  message: string;
  /** What the reader's function returned or produced (a response map, a reported error). */
  got?: unknown;
  /** What the course's engine gives for the same thing, when there is one value to show. */
  expected?: unknown;
  /** Index paths of the entries of `got` to mark. */
  diffs?: number[][];
}

/** One behaviour to check, with the inputs shown when it fails. */
export interface Trial {
  /** In the reader's terms: "a vertical edge, dark on the left". */
  label: string;
  inputs: { name: string; value: unknown }[];
  /** Calls the reader's function (or judges what it returned earlier). May throw the reader's error. */
  run: () => TrialOutcome;
}

/**
 * Runs every trial and reports the first failure; `diagnose` (called once, after a failure) names the mistake by
 * probing the reader's function further. Never throws.
 */
export function runTrials(
  trials: readonly Trial[],
  describe: DescribeError,
  diagnose: () => Mistake | undefined = () => undefined,
): CheckReport {
  let passedCount = 0;
  let failure: CheckReport['failure'];
  for (const t of trials) {
    let outcome: TrialOutcome;
    try {
      outcome = t.run();
    } catch (err) {
      if (!failure) {
        const error = describe(err);
        failure = { ...base(t), message: `Your function threw an error: ${error.message}`, error };
      }
      continue;
    }
    if (outcome.ok) {
      passedCount++;
      continue;
    }
    if (failure) continue;
    failure = { ...base(t), message: outcome.message, diffs: outcome.diffs ?? [] };
    if ('got' in outcome) failure.got = preview(outcome.got);
    if ('expected' in outcome) failure.expected = preview(outcome.expected);
  }
  const report: CheckReport = { passed: passedCount === trials.length, total: trials.length, passedCount };
  if (failure) {
    report.failure = failure;
    let named: Mistake | undefined;
    try {
      named = diagnose();
    } catch {
      named = undefined; // a probe the reader's code cannot answer names nothing
    }
    if (named) report.mistake = { name: named.name, advice: named.advice };
  }
  return report;
}

/** A report for a function whose result cannot be judged at all (wrong type, wrong shape, threw). */
export function failBeforeTrials(total: number, message: string, got?: unknown, error?: ErrorPlace): CheckReport {
  const failure: NonNullable<CheckReport['failure']> = { label: 'before any case', inputs: [], diffs: [], message };
  if (got !== undefined) failure.got = preview(got);
  if (error) failure.error = error;
  return { passed: false, total, passedCount: 0, failure };
}

function base(t: Trial): NonNullable<CheckReport['failure']> {
  return {
    label: t.label,
    inputs: t.inputs.map((i) => ({ name: i.name, value: preview(i.value) })),
    diffs: [],
    message: '',
  };
}
