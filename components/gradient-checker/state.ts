import {
  CHECK_TARGETS,
  DELIBERATE_BUGS,
  TARGET_BUG,
  TINY_CNN_MAX_SEED,
  errorVsEpsilon,
  finiteDifferenceAt,
  gradCheckProblem,
  runGradCheck,
  type CheckTarget,
  type EpsilonErrorPoint,
  type GradCheckProblem,
  type GradCheckReport,
} from '../../src/lib/index.ts';
import { parseNumber, type Parsed } from '../internal/parse.ts';

/** Everything the gradient checker shows, serializable to the URL. */
export interface CheckerState {
  target: CheckTarget;
  seed: number;
  /** The finite-difference step. */
  eps: number;
  /** Put the target's deliberate bug into the backward pass. */
  broken: boolean;
  /** The selected row of the table (its finite difference is shown in full). */
  row: number;
}

export const DEFAULT_STATE: CheckerState = { target: 'conv', seed: 1, eps: 1e-5, broken: false, row: 0 };
export const LIMITS = { seedMax: TINY_CNN_MAX_SEED, epsMin: 1e-12, epsMax: 0.1 } as const;
/** The pass mark on the relative error (gradCheck's default). */
export const TOL = 1e-7;

export const TARGET_LABELS: Record<CheckTarget, string> = {
  conv: 'conv 3 × 3',
  pool: 'max-pool 2 × 2',
  relu: 'ReLU',
  dense: 'dense 4 → 3',
  'softmax-ce': 'softmax + cross-entropy',
  network: 'whole tiny network',
};

/** What is checked, in words, for the summary. */
export const TARGET_FUNCTIONS: Record<CheckTarget, string> = {
  conv: 'f = ⟨conv(x, w) + b, R⟩ for a 6 × 6 input x, a 3 × 3 kernel w, a bias b and a seeded 4 × 4 upstream gradient R',
  pool: 'f = ⟨maxpool(x), R⟩ for a 4 × 4 input x (one window holds a tie, on purpose) and a seeded 2 × 2 R',
  relu: 'f = ⟨ReLU(x), R⟩ for a 4 × 4 input x (two entries are exactly 0, on purpose) and a seeded 4 × 4 R',
  dense: 'f = ⟨Wx + b, R⟩ for 4 inputs, a 3 × 4 matrix W, a bias b and a seeded R of 3 values',
  'softmax-ce': 'the loss L = −log softmax(z)[y] of 3 seeded logits z and a seeded true class y',
  network: 'the loss of the whole tiny CNN (the stepper’s network with the same seed, true class = seed mod 3)',
};

export { CHECK_TARGETS, DELIBERATE_BUGS, TARGET_BUG };

export function isTarget(s: string | undefined): s is CheckTarget {
  return s !== undefined && (CHECK_TARGETS as readonly string[]).includes(s);
}

/** Reads ε: a number from 1e-12 to 0.1 ("1e-5", "0.001"), or explains what is wrong. */
export function parseEps(text: string): Parsed<number> {
  const t = text.trim();
  const range = 'a number from 1e-12 to 0.1, such as 1e-5';
  if (t === '') return { ok: false, message: `Enter the step ε, ${range}.` };
  const v = parseNumber(t);
  if (v === null || !Number.isFinite(v)) return { ok: false, message: `“${t}” is not a number; ε must be ${range}.` };
  if (v < LIMITS.epsMin || v > LIMITS.epsMax) {
    return { ok: false, message: `ε must be from 1e-12 to 0.1; you gave ${t}.` };
  }
  return { ok: true, value: v };
}

/** What the engine computed for a state. */
export interface CheckerResult {
  problem: GradCheckProblem;
  report: GradCheckReport;
  /** The selected row (clamped). */
  row: number;
  /** The two evaluations behind the selected row's numerical gradient. */
  detail: { plus: number; minus: number; numerical: number; value: number };
}

/** Builds the seeded problem, runs the check, and expands the selected row. Throws EngineError on bad settings. */
export function compute(state: CheckerState): CheckerResult {
  const problem = gradCheckProblem(state.target, state.seed, state.broken);
  const report = runGradCheck(problem, state.eps);
  const row = Math.max(0, Math.min(report.entries.length - 1, Math.trunc(state.row)));
  const e = report.entries[row]!;
  const detail = finiteDifferenceAt(problem, e.param, e.index, state.eps);
  return { problem, report, row, detail };
}

/** The error-versus-step curve (float64 and emulated float32) for the plot; depends on the seed only. */
export function curve(seed: number): EpsilonErrorPoint[] {
  return errorVsEpsilon({ seed });
}
