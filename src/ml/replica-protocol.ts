/**
 * Messages between the training worker (the coordinator, pool.ts) and its helper workers (replica-worker.ts).
 * Types only. A job's buffers are transferred out and back again with the answer, so a step allocates none: the
 * weights, the batch shard, and the gradient the helper writes into.
 */
import type { PresetName } from './presets.ts';

/** The buffers one helper's jobs travel in, reused every step. */
export interface ShardBuffers {
  /** The coordinator's trainable weights, flat (gradients.ts). */
  weights: Float32Array;
  /** Room for the shard's images (784 values each, in [0, 1]) and labels: at least n of each. */
  x: Float32Array;
  y: Int32Array;
  /** Where the helper writes the shard's gradient, flat like the weights. */
  grads: Float32Array;
}

/** What a helper computes: the gradient of the first n images in `buffers` from the weights in `buffers`. */
export interface ShardJob {
  preset: PresetName;
  dropout: number;
  /** The shard's dropout masks (model.ts dropoutSeed), the same whichever worker computes it. */
  dropoutSeed: number;
  buffers: ShardBuffers;
  n: number;
  l2: number;
}

/** Coordinator -> helper. */
export type ReplicaRequest =
  /** Build the model now so the first job does not wait for it. */
  { type: 'prepare'; preset: PresetName; dropout: number } | ({ type: 'job'; job: number } & ShardJob);

/** Helper -> coordinator: a result hands the job's buffers back, the gradient filled in. */
export type ReplicaReply =
  | { type: 'ready' }
  | {
      type: 'result';
      job: number;
      buffers: ShardBuffers;
      lossSum: number;
      hits: number;
      n: number;
      /** The helper's time for the job, weights in to gradient out (ms): the bench's step breakdown. */
      ms: number;
    }
  | { type: 'failed'; job?: number; message: string };

/** The buffers' ArrayBuffers, for a postMessage transfer list. */
export function transferList(b: ShardBuffers): ArrayBuffer[] {
  return [b.weights.buffer, b.x.buffer, b.y.buffer, b.grads.buffer] as ArrayBuffer[];
}
