import { layerVariances, type InitVarianceResult } from '../../src/lib/index.ts';
import { BATCH, type InitVarianceState } from './state.ts';

/** The engine's measurement for a state (throws EngineError for sizes out of range). */
export function computeVariances(s: InitVarianceState): InitVarianceResult {
  return layerVariances({
    depth: s.depth,
    width: s.width,
    batch: BATCH,
    activation: s.activation,
    init: s.init,
    std: s.std,
    seed: s.seed,
  });
}
