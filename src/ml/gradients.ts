/**
 * Gradients as flat Float32Arrays, so that several workers can train one model data-parallel: each computes the
 * gradient of its shard of the batch (shardGradients), the coordinator averages them in a fixed order
 * (averageShards) and applies the result with its optimizer (applyFlat); helpers receive the new weights as one flat
 * buffer (flatWeights / setFlatWeights). One buffer per message can be transferred, not copied or JSON-encoded.
 * The order of the flat layout is the model's trainableWeights order, the same in every worker that built the preset.
 */
import * as tf from '@tensorflow/tfjs-core';
import { seedDropout, type BuiltModel } from './model.ts';
import { isFusedAdam } from './fused-adam.ts';
import { assignFloats, readFloats } from './heap.ts';

/** One shard's contribution: the gradient of its mean loss, the sum of its losses, its correct guesses, its size. */
export interface ShardResult {
  grads: Float32Array;
  lossSum: number;
  hits: number;
  n: number;
}

function variables(built: BuiltModel): tf.Variable[] {
  return built.logits.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Number of trainable values, the length of every flat buffer of this model. */
export function flatLength(built: BuiltModel): number {
  return variables(built).reduce((s, v) => s + v.size, 0);
}

/**
 * A flat buffer of this model's length, or `reuse` when it is one. A data-parallel step reuses its buffers: in
 * Chromium a fresh 240 KB ArrayBuffer per use costs more than filling it (heap.ts).
 */
function flatBuffer(vars: tf.Variable[], reuse?: Float32Array): Float32Array {
  const len = vars.reduce((s, v) => s + v.size, 0);
  if (reuse && reuse.length !== len) throw new Error(`A buffer of ${reuse.length} values for a model of ${len}.`);
  return reuse ?? new Float32Array(len);
}

/** The current trainable weights, concatenated in trainableWeights order (into `out` when given). */
export function flatWeights(built: BuiltModel, out?: Float32Array): Float32Array {
  const vars = variables(built);
  const flat = flatBuffer(vars, out);
  let at = 0;
  for (const v of vars) {
    flat.set(readFloats(v), at);
    at += v.size;
  }
  return flat;
}

/** Overwrites the trainable weights from a buffer made by flatWeights on a model of the same preset. */
export function setFlatWeights(built: BuiltModel, flat: Float32Array): void {
  const vars = variables(built);
  flatBuffer(vars, flat); // Only to refuse a buffer of another length before any weight changes.
  let at = 0;
  for (const v of vars) {
    const part = flat.subarray(at, at + v.size);
    at += v.size;
    assignFloats(v, part);
  }
}

/**
 * The gradient of the mean cross-entropy (plus `l2` times the kernels' squared norm) over the first `n` images of
 * `x` ([n, 28, 28] in [0, 1]) with labels `y`. Leaves the weights unchanged. Deterministic on a CPU backend: the same
 * weights and images give the same bits in any worker, which is what makes a parallel run reproducible. The gradient
 * goes into `out` when given. `dropoutSeed` (model.ts) sets the dropout masks, so any worker draws the same ones.
 */
export function shardGradients(
  built: BuiltModel,
  x: Float32Array,
  y: Int32Array,
  n: number,
  l2: number,
  out?: Float32Array,
  dropoutSeed = 0,
): ShardResult {
  seedDropout(built, dropoutSeed);
  const vars = variables(built);
  const kernels = vars.filter((v) => /kernel/.test(v.name));
  const stats: { loss?: tf.Tensor; hits?: tf.Tensor } = {};
  const grads = tf.tidy(() => {
    const xs = tf.tensor4d(x.subarray(0, n * 784), [n, 28, 28, 1]);
    const labels = tf.tensor1d(y.subarray(0, n), 'int32');
    const targets = tf.oneHot(labels, 10);
    const { grads } = tf.variableGrads(() => {
      const logits = built.logits.apply(xs, { training: true }) as tf.Tensor2D;
      const ce = tf.losses.softmaxCrossEntropy(targets, logits);
      stats.loss = tf.keep(tf.mul(ce, n));
      stats.hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')));
      if (l2 === 0 || kernels.length === 0) return ce as tf.Scalar;
      return tf.add(ce, tf.mul(l2, tf.addN(kernels.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
    }, vars);
    return vars.map((v) => grads[v.name]!);
  });
  const flat = flatBuffer(vars, out);
  let at = 0;
  for (const g of grads) {
    flat.set(readFloats(g), at);
    at += g.size;
  }
  const lossSum = stats.loss!.dataSync()[0]!;
  const hits = stats.hits!.dataSync()[0]!;
  tf.dispose([...grads, stats.loss!, stats.hits!]);
  return { grads: flat, lossSum, hits, n };
}

/**
 * The batch gradient from its shards: the mean loss over the batch is sum_i (n_i / n) * meanLoss_i, so its gradient
 * is the same weighted sum of the shard gradients. Summed in the order given (shard 0 first), rounding to float32
 * after each shard, so the same shards give the same bits whatever worker computed each one. Into `out` when given.
 */
export function averageShards(shards: readonly ShardResult[], out?: Float32Array): ShardResult {
  const n = shards.reduce((s, r) => s + r.n, 0);
  const len = shards[0]!.grads.length;
  if (out && out.length !== len) throw new Error(`A buffer of ${out.length} values for gradients of ${len}.`);
  // Summed from +0 as a fresh buffer is: 0 + (-0) is +0, so skipping the zeros could change a sign bit.
  const acc = out ? out.fill(0) : new Float32Array(len);
  for (const r of shards) {
    if (r.grads.length !== len) throw new Error('Shard gradients of different sizes cannot be averaged.');
    const w = r.n / n;
    const g = r.grads;
    for (let j = 0; j < len; j++) acc[j] = acc[j]! + w * g[j]!;
  }
  return {
    grads: acc,
    lossSum: shards.reduce((s, r) => s + r.lossSum, 0),
    hits: shards.reduce((s, r) => s + r.hits, 0),
    n,
  };
}

/** Applies a flat gradient to the model's trainable weights with `optimizer` (one step, as `minimize` would). */
export function applyFlat(built: BuiltModel, optimizer: tf.Optimizer, flat: Float32Array): void {
  const vars = variables(built);
  if (isFusedAdam(optimizer)) return optimizer.applyFlat(vars, flat);
  tf.tidy(() => {
    const named: tf.NamedTensorMap = {};
    let at = 0;
    for (const v of vars) {
      named[v.name] = tf.tensor(flat.subarray(at, at + v.size), v.shape);
      at += v.size;
    }
    optimizer.applyGradients(named);
  });
}

/**
 * Splits `n` images into `k` consecutive shards as evenly as possible (the first ones one larger), dropping empty
 * ones: [start, count] pairs. The split depends only on n and k, never on which workers are alive.
 */
export function shardRanges(n: number, k: number): [number, number][] {
  const out: [number, number][] = [];
  const base = Math.floor(n / k);
  const extra = n % k;
  let start = 0;
  for (let i = 0; i < k; i++) {
    const count = base + (i < extra ? 1 : 0);
    if (count > 0) out.push([start, count]);
    start += count;
  }
  return out;
}
