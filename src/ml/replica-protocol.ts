/**
 * Messages between the training worker (the coordinator, pool.ts) and its helper workers (replica-worker.ts).
 * Types only. Buffers travel as transferables: one weights buffer and one batch shard out, one gradient back.
 */
import type { PresetName } from './presets.ts';

/** What a helper computes: one shard's gradient from the weights given. */
export interface ShardJob {
  preset: PresetName;
  dropout: number;
  /** The coordinator's trainable weights, flat (gradients.ts). */
  weights: Float32Array;
  /** n images of 784 values in [0, 1], and their labels. */
  x: Float32Array;
  y: Int32Array;
  n: number;
  l2: number;
}

/** Coordinator -> helper. */
export type ReplicaRequest =
  /** Build the model now so the first job does not wait for it. */
  { type: 'prepare'; preset: PresetName; dropout: number } | ({ type: 'job'; job: number } & ShardJob);

/** Helper -> coordinator. */
export type ReplicaReply =
  | { type: 'ready' }
  | { type: 'result'; job: number; grads: Float32Array; lossSum: number; hits: number; n: number }
  | { type: 'failed'; job?: number; message: string };
