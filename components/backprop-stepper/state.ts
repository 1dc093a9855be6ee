import {
  BACKPROP_STAGES,
  TINY_CNN_MAX_SEED,
  backpropWalk,
  type BackpropStage,
  type BackpropWalk,
} from '../../src/lib/index.ts';

/** Everything the backprop stepper shows, serializable to the URL. */
export interface BackpropState {
  /** Seed of the weights and the input (tinyCnnParams). */
  seed: number;
  /** The true class y, 0..2. */
  label: number;
  /** Index into the walk's steps: 0 is the loss, then one gradient per step. */
  step: number;
}

export const DEFAULT_STATE: BackpropState = { seed: 1, label: 0, step: 0 };
export const LIMITS = { seedMax: TINY_CNN_MAX_SEED, classes: 3 } as const;

/** Short names of the stages for the "jump to" menu and the announcements. */
export const STAGE_NAMES: Record<BackpropStage, string> = {
  loss: 'the loss',
  dz: 'softmax + cross-entropy (δ = p − y)',
  dw2: 'dense weights W₂',
  db2: 'dense bias b₂',
  dm: 'dense input m',
  da1: 'max-pool backward',
  dz1: 'ReLU backward (δ₁)',
  dw1: 'conv kernel W₁',
  db1: 'conv bias b₁',
  dx: 'conv input x',
};

export { BACKPROP_STAGES };

/** Runs the engine for a state (seed and label are validated by the caller). */
export function compute(state: BackpropState): BackpropWalk {
  return backpropWalk(state.seed, state.label);
}

/** The step clamped into the walk. */
export function clampStep(step: number, walk: BackpropWalk): number {
  return Math.max(0, Math.min(walk.steps.length - 1, Math.trunc(step)));
}
