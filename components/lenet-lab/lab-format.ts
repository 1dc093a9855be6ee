/** Small display helpers for the lab: percentages, durations, counts. Never NaN on screen. */

/** 0.98765 -> "98.77 %"; non-finite -> "—". */
export function pct(fraction: number, digits = 2): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : '—';
}

/** Seconds as "42 s", "3 min 05 s" or "1 h 02 min". */
export function seconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** 12345 -> "12,345". */
export function count(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

/** Bytes as "3.2 MB". */
export function megabytes(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(1)} MB` : '—';
}

/** A loss value with 3 significant decimals. */
export function lossText(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '—';
}

const epochs = (n: number) => `${n} ${n === 1 ? 'epoch' : 'epochs'}`;

/** The part of a run that ended: its epoch records (a stopped one may end with a partial epoch). */
interface RunEnd {
  reason: 'completed' | 'stopped' | 'early-stopping';
  /** This run's epoch records only. */
  records: readonly { epoch: number; partial?: number }[];
  /** Whole epochs the model had before this run (Continue training). */
  before: number;
  testAccuracy: number;
}

/**
 * What a finished run says. A stop mid-epoch names the epoch it cut and how far it got, never "after 1 epoch";
 * a continued run counts its own epochs and the total, matching the "Epoch N done" lines that counted the total.
 */
export function runEndText(end: RunEnd): string {
  const last = end.records.at(-1);
  const whole = end.records.filter((r) => r.partial === undefined).length;
  const total = end.before + whole;
  const how = { completed: 'Done', stopped: 'Stopped', 'early-stopping': 'Stopped early (no progress on validation)' };
  let what: string;
  if (last?.partial !== undefined) {
    const share = Math.round(last.partial * 100);
    what = `${how[end.reason]} ${share} % into epoch ${last.epoch + 1}${total > 0 ? ` (${epochs(total)} done in all)` : ''}`;
  } else if (end.before > 0) {
    what = `${how[end.reason]}: ${whole} more ${whole === 1 ? 'epoch' : 'epochs'}, ${total} in all`;
  } else {
    what = `${how[end.reason]} after ${epochs(whole)}`;
  }
  return `${what}: test accuracy ${pct(end.testAccuracy)} on all test digits.`;
}

/** What the training bar's line says when a run ends; the status line below it says how the run ended. */
export interface RunTiming {
  /** Images trained in this run, and the time it took (no pauses), from its last batch event. */
  imagesSeen: number;
  elapsedMs: number;
  /** This run's steps, and how many of them helper workers computed part of (0 on one worker). */
  steps: number;
  helperSteps: number;
  /** Workers the run trained on. */
  workers: number;
}

/**
 * "180,000 images trained in 36 s", and with several workers how often the helpers took part: on a device whose
 * other cores are busy the coordinator computes every shard itself (src/ml/pool.ts OffloadPolicy), so the workers
 * line alone would overstate what ran in parallel.
 */
export function runTimingText(t: RunTiming | null): string {
  if (!t || !(t.imagesSeen > 0)) return 'No images were trained.';
  const head = `${count(t.imagesSeen)} images trained in ${seconds(t.elapsedMs / 1000)}`;
  if (t.workers <= 1 || !(t.steps > 0)) return `${head}.`;
  const share = Math.round((100 * Math.min(t.helperSteps, t.steps)) / t.steps);
  return `${head}; helper workers computed part of the batch in ${share} % of the steps.`;
}

/** The line announced after each epoch; a partial one (a stop mid-epoch) says how far it got. */
export function epochDoneText(r: {
  epoch: number;
  partial?: number;
  seconds: number;
  trainAccuracy: number;
  valAccuracy?: number;
  testAccuracy?: number;
}): string {
  const parts = [`train accuracy ${pct(r.trainAccuracy)}`];
  if (r.valAccuracy !== undefined) parts.push(`validation ${pct(r.valAccuracy)}`);
  if (r.testAccuracy !== undefined) parts.push(`test ${pct(r.testAccuracy)}`);
  const head =
    r.partial === undefined
      ? `Epoch ${r.epoch + 1} done`
      : `Epoch ${r.epoch + 1} stopped ${Math.round(r.partial * 100)} % of the way through`;
  return `${head} in ${seconds(r.seconds)}: ${parts.join(', ')}.`;
}
