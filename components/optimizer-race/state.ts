import { SURFACES, type RacePath, type Surface } from '../../src/lib/index.ts';

/** Everything the optimiser race shows, serializable to the URL. */
export interface RaceState {
  surface: Surface['id'];
  /** One learning rate for all three optimisers. */
  lr: number;
  steps: number;
}

/** D2L §12.6's setting: the ravine at learning rate 0.4 for 20 steps. */
export const DEFAULT_STATE: RaceState = { surface: 'ravine', lr: 0.4, steps: 20 };
export const LR_RANGE = { min: 0.0001, max: 10 };
export const STEPS = { min: 1, max: 500, name: 'the number of steps' };

/**
 * One colour per optimiser, mid-tones that read on light and dark backgrounds. Here, not in charts.ts, so the table
 * can use them without pulling Observable Plot into the page before the first chart is drawn.
 */
export const COLORS: Record<RacePath['id'], string> = { sgd: '#d9782b', momentum: '#3d7fc4', adam: '#2f9e62' };

export function isSurface(v: string | undefined): v is Surface['id'] {
  return SURFACES.some((s) => s.id === v);
}
