/**
 * Measured results of the training lab's runs, read from bench/lab-accuracy.json (written by bench/lab-accuracy.ts
 * with the lab's own code), so prose and exercises quote what the lab really reached instead of typing it.
 */
import file from '../../../bench/lab-accuracy.json' with { type: 'json' };

/** One measured run. Accuracies are fractions in [0, 1]. */
export interface LabRun {
  /** "default/<preset>", "recipe/shift<0|1>/seed<n>" or "<exercise id>/<run key>/seed<n>". */
  id: string;
  preset: string;
  seed: number;
  /** Training images actually trained on (after the validation split). */
  trainImages: number;
  epochsRun: number;
  /** How the run ended: 'completed', 'early-stopping' or 'stopped'. */
  end: string;
  /** On all 10,000 test digits, after training (the best epoch's weights when early stopping). */
  testAccuracy: number;
  /** On all test digits after each epoch, when the run tested after every epoch. */
  testByEpoch?: number[];
  /** Measured during the last epoch. */
  trainAccuracy: number;
  /** Validation accuracy after the last epoch (as the lab's table shows it), when the run held out a split. */
  valAccuracy?: number;
  /** The best epoch's validation accuracy (the epoch early stopping keeps). */
  bestValAccuracy?: number;
  firstEpochLoss: number;
  lastEpochLoss: number;
  seconds: number;
}

/** The whole file: how it was made, then the runs. */
export interface LabRunFile {
  generator: string;
  command: string;
  engine: string;
  machine: string;
  date: string;
  runs: LabRun[];
}

export const LAB_RUNS: LabRunFile = file as LabRunFile;

/** The run with this id; throws at build time when it was never measured (rerun the benchmark). */
export function labRun(id: string): LabRun {
  const r = LAB_RUNS.runs.find((x) => x.id === id);
  if (!r) throw new Error(`No measured lab run "${id}" in bench/lab-accuracy.json: run npm run bench:accuracy.`);
  return r;
}

/** Every run whose id starts with `prefix` (an exercise run over several seeds: "nonlinearity/relu/"). */
export function labRuns(prefix: string): LabRun[] {
  const rs = LAB_RUNS.runs.filter((x) => x.id.startsWith(prefix));
  if (rs.length === 0) throw new Error(`No measured lab run starting "${prefix}" in bench/lab-accuracy.json.`);
  return rs;
}

/** A fraction as a percentage with one decimal: 0.9912 -> "99.1 %". */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** The lowest and highest test accuracy of some runs: "97.6 %" or "97.2–97.9 %". */
export function accuracyRange(
  runs: readonly LabRun[],
  field: 'testAccuracy' | 'trainAccuracy' | 'valAccuracy' = 'testAccuracy',
): string {
  const values = runs.map((r) => r[field] ?? NaN);
  const lo = percent(Math.min(...values));
  const hi = percent(Math.max(...values));
  return lo === hi ? lo : `${lo.replace(' %', '')}–${hi}`;
}
