/**
 * Learning-rate schedules: how the step size changes over training (D2L section 12.11; Loshchilov & Hutter 2017
 * for cosine; Goyal et al. 2017 for linear warm-up). Each is a pure function of the step number.
 */
import { EngineError, assertInt } from './errors.ts';

/** A schedule as plain data, so a widget can keep it in its state. */
export interface LrSchedule {
  /**
   * 'constant'; 'step': multiply by `gamma` every `every` steps; 'exponential': multiply by `gamma` every step
   * (the lab's per-epoch decay, with an epoch as the step); 'cosine': from `lr` down to `minLr` along half a cosine
   * over `total` steps.
   */
  kind: 'constant' | 'step' | 'exponential' | 'cosine';
  /** The peak rate, > 0. */
  lr: number;
  /** Steps of linear warm-up from lr/warmup up to lr before the schedule starts (default 0). */
  warmup?: number;
  /** Factor for 'step' and 'exponential', in (0, 1] (default 0.1 for step, 0.9 for exponential). */
  gamma?: number;
  /** Steps between decays for 'step' (default 30). */
  every?: number;
  /** Length of the cosine (after warm-up), >= 1 (default 100). */
  total?: number;
  /** Floor of the cosine (default 0). */
  minLr?: number;
}

function positive(v: number, field: string, what: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new EngineError(field, `${what} must be a positive number, got ${String(v)}.`);
  }
}

/**
 * The learning rate at step t (0-based). During warm-up (t < warmup) it is lr·(t + 1)/warmup; afterwards the
 * schedule runs on t − warmup.
 */
export function learningRateAt(schedule: LrSchedule, t: number): number {
  if (schedule === null || typeof schedule !== 'object') {
    throw new EngineError('schedule', "The schedule must be an object like { kind: 'cosine', lr: 0.1, total: 100 }.");
  }
  assertInt(t, 'step', 'The step', 0);
  const { kind, lr, warmup = 0 } = schedule;
  positive(lr, 'lr', 'The learning rate');
  assertInt(warmup, 'warmup', 'The warm-up length', 0);
  if (t < warmup) return (lr * (t + 1)) / warmup;
  const s = t - warmup;
  switch (kind) {
    case 'constant':
      return lr;
    case 'step':
    case 'exponential': {
      const gamma = schedule.gamma ?? (kind === 'step' ? 0.1 : 0.9);
      positive(gamma, 'gamma', 'The decay factor');
      if (gamma > 1) throw new EngineError('gamma', `The decay factor must be at most 1, got ${gamma}.`);
      const every = kind === 'step' ? (schedule.every ?? 30) : 1;
      assertInt(every, 'every', 'The steps between decays', 1);
      return lr * gamma ** Math.floor(s / every);
    }
    case 'cosine': {
      const total = schedule.total ?? 100;
      assertInt(total, 'total', 'The cosine length', 1);
      const minLr = schedule.minLr ?? 0;
      if (typeof minLr !== 'number' || !Number.isFinite(minLr) || minLr < 0 || minLr > lr) {
        throw new EngineError('minLr', `The floor must be between 0 and the peak rate ${lr}, got ${String(minLr)}.`);
      }
      const progress = Math.min(s, total) / total;
      return minLr + ((lr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
    default:
      throw new EngineError('kind', `Unknown schedule "${String(kind)}"; use constant, step, exponential or cosine.`);
  }
}

/** The rate at steps 0 .. steps−1, for a chart. */
export function scheduleCurve(schedule: LrSchedule, steps: number): number[] {
  assertInt(steps, 'steps', 'The number of steps', 1, 100_000);
  return Array.from({ length: steps }, (_, t) => learningRateAt(schedule, t));
}
