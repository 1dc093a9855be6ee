/**
 * The shape of a code exercise: its task lives in the chapter's MDX; here are its starter code, solution, hints,
 * the cases its checker runs and the mistakes it recognises by name. Plain data and pure functions, so the same
 * checker runs in the notebook's worker and in the unit tests.
 */

/**
 * Any function: exercises call functions of many signatures (the reader's, the engine's, the known wrong ones)
 * with arguments the cases supply, so their parameter types cannot be one type here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFn = (...args: any[]) => unknown;

/** One call of the reader's function: the arguments, their names (for the report) and why this case exists. */
export interface CheckCase {
  /** In the reader's terms: "the worked example from the text", "kernel as long as the input". */
  label: string;
  /** Argument names as in the signature, shown beside their values when the case fails. */
  names: string[];
  args: unknown[];
}

/** A known wrong answer, recognised when the reader's output on the failing case matches it. */
export interface Mistake {
  /** Short, named: "forgot to flip the kernel". */
  name: string;
  /** What to look at in the code. */
  advice: string;
  /** The wrong implementation; matched on the failing case (and only when it differs from the right answer). */
  impl?: AnyFn;
  /** Or a test on what came back: (got, expected, args) -> true when this is the mistake. */
  detect?: (got: unknown, expected: unknown, args: unknown[]) => boolean;
}

/** A value cut down for display in a report (arrays at most 32 per axis; the `cut` note says what was dropped). */
export interface Preview {
  value: unknown;
  cut?: string;
}

/** Where in the reader's code a thrown error came from (1-based), filled in by the notebook's runner. */
export interface ErrorPlace {
  message: string;
  line?: number;
  column?: number;
  cellId?: string;
}

/** What the checker found. Serializable: it crosses from the worker to the page. */
export interface CheckReport {
  passed: boolean;
  /** Cases run and how many gave the right answer. */
  total: number;
  passedCount: number;
  /** The first failing case, with the inputs, the expected and the reader's output side by side. */
  failure?: {
    label: string;
    inputs: { name: string; value: Preview }[];
    expected?: Preview;
    got?: Preview;
    /** Index paths of the entries that differ ([3] or [1, 2]), for marking; at most 200. */
    diffs: number[][];
    /** One sentence: "2 of 7 entries differ", "expected 7 values, got 6", "threw RangeError: …". */
    message: string;
    error?: ErrorPlace;
  };
  /** The named mistake, when one matched. */
  mistake?: { name: string; advice: string };
}

/** Describes an error the reader's code threw (the notebook maps it to a line; Node tests keep the message). */
export type DescribeError = (err: unknown) => ErrorPlace;

/** A code exercise. `F` is the type of the function the reader writes. */
export interface ExerciseSpec {
  /** Stable id used in the MDX (`<Exercise id="conv1d-full">`), storage and exports. */
  id: string;
  /** Slug of the chapter that teaches it (its URL is /chapters/<slug>/). */
  chapter: string;
  title: string;
  /** The function the reader defines (the checker calls it by this name). */
  fn: string;
  /** Its TypeScript signature, shown in the help. */
  signature: string;
  starter: string;
  solution: string;
  /** Progressive hints, 1 to 3, from a nudge to nearly the answer. */
  hints: string[];
  /** Ids of exercises whose functions this one may call (the reader's passed version, else the course's). */
  uses?: string[];
  /** Time limit for one Run or Check, in ms (default 3000). */
  timeLimitMs?: number;
  /**
   * The cases to run: first the chapter's worked example, then edge cases, then seeded random ones.
   * Omitted when `check` is given.
   */
  cases?: () => CheckCase[];
  /** The right answer for a case, computed with the course engine. */
  reference?: AnyFn;
  /** Absolute tolerance scaled by max(1, |expected|); default 1e-9. */
  tolerance?: number;
  mistakes?: Mistake[];
  /** A checker of its own (for exercises judged by behaviour, such as designing a kernel). */
  check?: (fn: AnyFn, describe: DescribeError) => CheckReport;
}
