import { INIT_LIMITS, type ActivationName, type InitChoice } from '../../src/lib/index.ts';

/** Everything the initialisation widget shows, serializable to the URL. */
export interface InitVarianceState {
  depth: number;
  width: number;
  activation: ActivationName;
  init: InitChoice;
  /** Standard deviation of the 'fixed' initialisation. */
  std: number;
  seed: number;
}

/** One batch of this many inputs: enough for a variance to two digits, fast enough to redraw on every key. */
export const BATCH = 64;

export const ACTIVATIONS: readonly { value: ActivationName; label: string }[] = [
  { value: 'relu', label: 'ReLU' },
  { value: 'tanh', label: 'tanh' },
  { value: 'sigmoid', label: 'sigmoid' },
  { value: 'identity', label: 'none (linear)' },
];
export const INITS: readonly { value: InitChoice; label: string }[] = [
  { value: 'glorot', label: 'Glorot (Xavier) uniform' },
  { value: 'he', label: 'He (Kaiming) normal' },
  { value: 'fixed', label: 'normal with a fixed std' },
];

export const LIMITS = {
  depth: { ...INIT_LIMITS.depth, name: 'the depth' },
  width: { ...INIT_LIMITS.width, name: 'the width' },
  seed: { min: 0, max: 999_999, name: 'the seed' },
} as const;
export const STD_RANGE = { min: 0.001, max: 10 };

/** Glorot and Bengio's setting: a deep tanh stack. He with ReLU is one click away. */
export const DEFAULT_STATE: InitVarianceState = {
  depth: 10,
  width: 100,
  activation: 'relu',
  init: 'glorot',
  std: 1,
  seed: 1,
};

export function isActivation(v: string | undefined): v is ActivationName {
  return ACTIVATIONS.some((a) => a.value === v);
}
export function isInit(v: string | undefined): v is InitChoice {
  return INITS.some((a) => a.value === v);
}
