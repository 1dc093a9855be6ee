import {
  compareSoftmaxLosses,
  expOverflowThreshold,
  naiveSoftmax,
  stableSoftmax,
  sweepTrueLogit,
  type LossComparison,
  type NaiveSoftmax,
  type StableSoftmax,
  type TrueLogitSweep,
} from '../../src/lib/index.ts';
import type { SoftmaxLossState } from './state.ts';

/** Everything the widget draws, from the engine. Throws EngineError on bad settings. */
export interface SoftmaxLossResult {
  stable: StableSoftmax;
  naive64: NaiveSoftmax;
  naive32: NaiveSoftmax;
  losses: LossComparison;
  sweep: TrueLogitSweep;
  /** ln of the largest float: exp overflows beyond it. */
  limit64: number;
  limit32: number;
}

export function computeSoftmaxLoss(s: SoftmaxLossState): SoftmaxLossResult {
  const { logits, label, temperature: T } = s;
  const losses = compareSoftmaxLosses(logits, label, T);
  // Sweep the true logit from "confidently wrong" to "confidently right" around the strongest other class,
  // in units of T so the curves keep their shape when the temperature changes, always including the current value.
  const rival = Math.max(...logits.filter((_, i) => i !== label));
  const from = Math.min(rival - 12 * T, logits[label]! - T);
  const to = Math.max(rival + 8 * T, logits[label]! + T);
  return {
    stable: stableSoftmax(logits, T),
    naive64: naiveSoftmax(logits, T, 'float64'),
    naive32: naiveSoftmax(logits, T, 'float32'),
    losses,
    sweep: sweepTrueLogit(logits, label, T, from, to, 121),
    limit64: expOverflowThreshold('float64'),
    limit32: expOverflowThreshold('float32'),
  };
}
