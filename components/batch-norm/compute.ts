import {
  Rng,
  batchNorm,
  dense,
  tensor,
  updateRunningStats,
  type BatchNormResult,
  type ChannelStats,
  type Tensor,
} from '../../src/lib/index.ts';
import type { BatchNormState } from './state.ts';

/** Units of the demo layer, and inputs per unit. */
export const UNITS = 3;
const INPUTS = 6;
/** Training batches whose statistics the running estimates have seen before inference. */
export const WARMUP = 40;
/** Each unit's own offset, in units of the shift: layers rarely centre their units alike. */
const OFFSETS = [1, 0.5, -1];

/** One batch of the layer's pre-activations: scale · (x Wᵀ) + shift · offset, x standard normal. */
function layerBatch(s: BatchNormState, w: Tensor, rng: Rng, batch: number): Tensor {
  const x = tensor([batch, INPUTS]);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const z = dense(x, w, null);
  for (let b = 0; b < batch; b++)
    for (let u = 0; u < UNITS; u++) z.data[b * UNITS + u] = s.scale * z.data[b * UNITS + u]! + s.shift * OFFSETS[u]!;
  return z;
}

export interface BatchNormDemo {
  /** The batch shown, [B, units]. */
  z: Tensor;
  /** Its batch statistics (before). */
  before: { mean: number[]; std: number[] };
  result: BatchNormResult;
  /** The output's own statistics (after). */
  after: { mean: number[]; std: number[] };
  /** The running estimates inference used (null in training). */
  running: ChannelStats | null;
}

function stats(t: Tensor): { mean: number[]; std: number[] } {
  const B = t.shape[0]!;
  const mean: number[] = [];
  const std: number[] = [];
  for (let u = 0; u < UNITS; u++) {
    let m = 0;
    for (let b = 0; b < B; b++) m += t.data[b * UNITS + u]!;
    m /= B;
    let v = 0;
    for (let b = 0; b < B; b++) v += (t.data[b * UNITS + u]! - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(v / B));
  }
  return { mean, std };
}

/**
 * The layer's batch before and after batch norm, computed by the engine. In inference the running statistics come
 * from WARMUP earlier training batches of the same layer (updateRunningStats, momentum 0.9). Throws EngineError for
 * a training batch of one.
 */
export function computeDemo(s: BatchNormState): BatchNormDemo {
  const rng = new Rng(s.seed);
  const w = tensor([UNITS, INPUTS]);
  for (let i = 0; i < w.data.length; i++) w.data[i] = rng.normal() / Math.sqrt(INPUTS);
  const gamma = tensor([UNITS], new Array(UNITS).fill(s.gamma));
  const beta = tensor([UNITS], new Array(UNITS).fill(s.beta));
  let running: ChannelStats | null = null;
  if (s.mode === 'inference') {
    running = { mean: tensor([UNITS]), variance: tensor([UNITS], new Array(UNITS).fill(1)) };
    for (let i = 0; i < WARMUP; i++) {
      const r = batchNorm(layerBatch(s, w, rng, 32), gamma, beta);
      running = updateRunningStats(running, r, 0.9);
    }
  }
  const z = layerBatch(s, w, rng, s.batch);
  const result = batchNorm(z, gamma, beta, running ? { mode: 'inference', running } : { mode: 'train' });
  return { z, before: stats(z), result, after: stats(result.y), running };
}
