/** Everything the softmax-and-loss widget shows, serializable to the URL. */
export interface SoftmaxLossState {
  /** Logits z, one per class. */
  logits: number[];
  /** The true class y (0-based). */
  label: number;
  /** Softmax temperature T > 0: p = softmax(z / T). */
  temperature: number;
}

export const DEFAULT_STATE: SoftmaxLossState = { logits: [2, 1, 0.1], label: 1, temperature: 1 };
export const MAX_CLASSES = 10;
/** Temperatures the field accepts; the slider covers the useful middle. */
export const T_MIN = 0.01;
export const T_MAX = 100;
export const SLIDER = { min: 0.1, max: 5, step: 0.05 };
/** Logits beyond this are refused: they teach nothing more than 10000 does. */
export const MAX_ABS_LOGIT = 10000;
