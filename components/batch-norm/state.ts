/** Everything the batch-norm demo shows, serializable to the URL. */
export interface BatchNormState {
  batch: number;
  /** How far the layer's units sit from 0 (each unit has its own multiple of it). */
  shift: number;
  /** How spread out the layer's pre-activations are. */
  scale: number;
  gamma: number;
  beta: number;
  mode: 'train' | 'inference';
  seed: number;
}

export const DEFAULT_STATE: BatchNormState = {
  batch: 16,
  shift: 4,
  scale: 3,
  gamma: 1,
  beta: 0,
  mode: 'train',
  seed: 1,
};

export const INT_LIMITS = {
  batch: { min: 1, max: 64, name: 'the batch size' },
  seed: { min: 0, max: 999_999, name: 'the seed' },
} as const;
export const NUM_LIMITS = {
  shift: { min: -20, max: 20, name: 'the shift' },
  scale: { min: 0.01, max: 20, name: 'the spread' },
  gamma: { min: -5, max: 5, name: 'γ' },
  beta: { min: -5, max: 5, name: 'β' },
} as const;

export function isMode(v: string | undefined): v is BatchNormState['mode'] {
  return v === 'train' || v === 'inference';
}
