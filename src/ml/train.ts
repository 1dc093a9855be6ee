/**
 * The training loop. One step = fill a batch buffer in JS (data.ts/batches.ts), upload, forward + loss + backward +
 * update inside `optimizer.minimize` (which runs in a tidy), and keep the batch's loss and hits on the device until
 * the next report so the loop never waits for a read-back it does not need.
 * Pause/resume/stop go through a RunControl; a backend failing mid-run moves the weights to the next backend.
 */
import * as tf from '@tensorflow/tfjs-core';
// Gradients of every op are registered by @tensorflow/tfjs-layers (imported through model.ts), in Vite and Node.
import { Rng } from '../lib/index.ts';
import type { BackendName, EpochRecord, LossPoint, StepTimes, TrainConfig, TrainHistory } from './protocol.ts';
import type { MnistData } from './data.ts';
import { epochOrder, fillBatch, splitIndices, subSeed } from './batches.ts';
import { buildModel, dropoutSeed, seedDropout, type BuiltModel } from './model.ts';
import { evaluate, lossAndAccuracy } from './evaluate.ts';
import { DEFAULT_TRAIN_CONFIG, rateAt, validateConfig } from './config.ts';
import { RunControl, yieldToEvents } from './control.ts';
import { emptyStepTimes, OffloadPolicy, parallelStep, StepBuffers, type Helper } from './pool.ts';
import { flatLength } from './gradients.ts';
import { warmKernelLoops } from './heap-kernels.ts';
import { makeAdam } from './fused-adam.ts';

export { RunControl } from './control.ts';

/** What the loop reports while it runs. All optional. */
export interface TrainCallbacks {
  onBatch?(e: {
    point: LossPoint;
    imagesSeen: number;
    imagesTotal: number;
    imagesPerSec: number;
    elapsedMs: number;
    /** Steps of this run so far whose shards helper workers computed (OffloadPolicy may keep them all here). */
    helperSteps: number;
    /** Where the data-parallel steps so far spent their time (pool.ts); absent when the run trains alone. */
    stepTimes?: StepTimes;
    /** Workers training now: this one and the helpers not lost (1 when the run trains alone). */
    workers: number;
  }): void;
  onEpoch?(record: EpochRecord): void;
  /** Called when the current backend failed; returns the backend now active, or null when none is left. */
  onBackendFailure?(failed: BackendName, error: unknown): Promise<BackendName | null>;
  /** Called once when helper worker `index` (1-based) fails; the run goes on without it (pool.ts). */
  onHelperLost?(index: number, reason: string, workersLeft: number): void;
}

export type TrainEnd = 'completed' | 'stopped' | 'early-stopping';

/** Weights copied off the device, to survive a backend failure and to restore the best epoch. */
type Snapshot = { shape: number[]; data: Float32Array }[];

function makeOptimizer(c: TrainConfig): tf.Optimizer {
  if (c.optimizer === 'sgd') return tf.train.sgd(c.learningRate);
  if (c.optimizer === 'momentum') return tf.train.momentum(c.learningRate, 0.9);
  // The same update as tf.train.adam to the bit, in one call on the CPU backends (fused-adam.ts).
  return makeAdam(c.learningRate, 0.9, 0.999, 1e-7);
}

/**
 * Sets the learning rate of any of the three optimizers: SGD and momentum keep it in a tensor behind
 * setLearningRate, Adam in a plain field. (`instanceof` cannot tell them apart: TF.js optimizers override
 * Symbol.hasInstance with duck typing.)
 */
function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

function snapshot(b: BuiltModel): Snapshot {
  return b.model.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync().slice() as Float32Array }));
}

function restore(b: BuiltModel, s: Snapshot): void {
  const ts = s.map((w) => tf.tensor(w.data, w.shape));
  b.model.setWeights(ts);
  tf.dispose(ts);
}

/**
 * Trains `built` in place (so feature maps and saving see the new weights) and returns how the run ended and its
 * history. With `previous`, epochs and losses continue that history. May replace `built` after a backend failure:
 * use the returned `built`. With `helpers` (wasm only), each batch is split into 1 + helpers.length shards trained
 * data-parallel (pool.ts); the numbers do not depend on how many helpers are alive, only on that shard count.
 */
export async function train(
  initial: BuiltModel,
  data: MnistData,
  config: TrainConfig,
  control: RunControl,
  callbacks: TrainCallbacks = {},
  previous: TrainHistory | null = null,
  helpers: readonly Helper[] = [],
): Promise<{ reason: TrainEnd; history: TrainHistory; built: BuiltModel }> {
  const c = validateConfig(config);
  let built = initial;
  const { train: trainIdx, validation } = splitIndices(data.train.count, c.trainSubset, c.validationSplit, c.seed);
  const history: TrainHistory = {
    config: c,
    epochs: previous ? [...previous.epochs] : [],
    losses: previous ? [...previous.losses] : [],
    updatedAt: new Date().toISOString(),
  };
  const firstEpoch = history.epochs.length;
  let step = history.losses.at(-1)?.step ?? 0;
  const stepsPerEpoch = Math.ceil(trainIdx.length / c.batchSize);
  const imagesTotal = c.epochs * trainIdx.length;
  const x = new Float32Array(c.batchSize * 784);
  const y = new Int32Array(c.batchSize);
  let optimizer = makeOptimizer(c);
  let safe = snapshot(built);
  let best = { acc: -1, epoch: -1, weights: safe };
  let imagesSeen = 0;
  let helperSteps = 0;
  let pending: tf.Tensor[] = [];
  let window = { t: performance.now(), images: 0, rate: 0 };
  const t0 = performance.now();
  let reason: TrainEnd = 'completed';

  // Shards are bit-identical in every worker only when all run the same CPU kernels: wasm.
  const shards = tf.getBackend() === 'wasm' ? 1 + helpers.length : 1;
  for (const h of helpers) h.prepare(built.preset, c.dropout);
  const policy = new OffloadPolicy();
  // Allocates only when a step first needs a buffer; a rebuild on another backend keeps the preset, so the length.
  const buffers = new StepBuffers(flatLength(built));
  const times = emptyStepTimes();
  /** Workers training now: this one and the helpers not lost. */
  const working = () => (shards > 1 ? 1 + helpers.filter((h) => h.dead === null).length : 1);
  const onHelperLost = (index: number, reason: string) => callbacks.onHelperLost?.(index + 1, reason, working());
  let kernelsForL2 = l2Kernels(built);

  /** Reads the device-side sums of the batches since the last report; adds a loss-curve point. */
  const report = async (epoch: number, totals: { loss: number; hits: number; n: number }) => {
    if (pending.length === 0) return;
    const sums = tf.tidy(() => tf.addN(pending));
    const [lossSum, hits, n] = (await sums.data()) as unknown as [number, number, number];
    tf.dispose([sums, ...pending]);
    pending = [];
    totals.loss += lossSum;
    totals.hits += hits;
    totals.n += n;
    const now = performance.now();
    const dt = (now - window.t) / 1000;
    if (dt > 0.25) window = { t: now, images: 0, rate: window.images / dt };
    const point: LossPoint = { step, epoch, loss: lossSum / n, accuracy: hits / n };
    history.losses.push(point);
    const elapsedMs = control.activeMs(t0);
    const stepTimes = shards > 1 ? { stepTimes: { ...times } } : {};
    callbacks.onBatch?.({
      point,
      imagesSeen,
      imagesTotal,
      imagesPerSec: window.rate,
      elapsedMs,
      helperSteps,
      ...stepTimes,
      workers: working(),
    });
  };

  for (let e = 0; e < c.epochs && reason === 'completed'; e++) {
    const epoch = firstEpoch + e;
    const start = performance.now();
    const order = epochOrder(trainIdx, c.seed, epoch);
    const augRng = new Rng(subSeed(c.seed, 2000 + epoch));
    const totals = { loss: 0, hits: 0, n: 0 };
    let batches = 0;
    for (let b = 0; b < stepsPerEpoch; b++) {
      if (control.stopped) {
        reason = 'stopped';
        break;
      }
      batches = b + 1;
      // The epoch counts from the model's first, not this run's: Continue goes on down the schedule.
      setLearningRate(optimizer, rateAt(c, epoch, b / stepsPerEpoch));
      const n = Math.min(c.batchSize, order.length - b * c.batchSize);
      fillBatch(data.train.pixels, data.train.labels, order, b * c.batchSize, n, x, y, {
        spec: c.augment,
        rng: augRng,
      });
      try {
        if (shards > 1) {
          const masks = { runSeed: c.seed, step };
          const opts = { helpers, shards, policy, buffers, times, l2: c.l2, dropout: c.dropout, masks, onHelperLost };
          const r = await parallelStep(built, optimizer, x, y, n, opts);
          if (r.byHelpers > 0) helperSteps++;
          pending.push(tf.tensor1d([r.lossSum, r.hits, r.n]));
        } else {
          seedDropout(built, dropoutSeed(c.seed, step, 0));
          pending.push(trainStep(built, optimizer, x, y, n, c.l2, kernelsForL2));
        }
      } catch (err) {
        const next = await callbacks.onBackendFailure?.(tf.getBackend() as BackendName, err);
        if (!next) throw err;
        // Rebuild on the new backend from the last safe copy; the optimizer's moments are lost, the weights are not.
        pending = [];
        built = buildModel(built.preset, { seed: c.seed, dropout: c.dropout });
        restore(built, safe);
        optimizer = makeOptimizer(c);
        kernelsForL2 = l2Kernels(built);
        continue;
      }
      step++;
      imagesSeen += n;
      window.images += n;
      // The run's first batch is reported at once, so the page can show life (and the bench time it).
      if ((b + 1) % c.reportEvery === 0 || imagesSeen === n) await report(epoch, totals);
      if ((b + 1) % 200 === 0) safe = snapshot(built);
      await yieldToEvents();
      await control.waitWhilePaused();
    }
    await report(epoch, totals);
    if (totals.n === 0) break;
    safe = snapshot(built);
    const record: EpochRecord = {
      epoch,
      loss: totals.loss / totals.n,
      trainAccuracy: totals.hits / totals.n,
      learningRate: rateAt(c, epoch, 0),
      seconds: (performance.now() - start) / 1000,
      backend: tf.getBackend() as BackendName,
    };
    // A stop mid-epoch still records (and tests) the part done, marked so no one counts it as a whole epoch.
    if (batches < stepsPerEpoch) record.partial = batches / stepsPerEpoch;
    if (shards > 1) record.shards = shards;
    if (validation.length > 0) {
      const v = await lossAndAccuracy(built.logits, data.train, validation);
      record.valLoss = v.loss;
      record.valAccuracy = v.accuracy;
      if (v.accuracy > best.acc) best = { acc: v.accuracy, epoch, weights: safe };
      else if (c.patience > 0 && epoch - best.epoch >= c.patience) reason = 'early-stopping';
    }
    if (c.evaluateEachEpoch) record.testAccuracy = (await evaluate(built.model, data.test, 0)).accuracy;
    history.epochs.push(record);
    callbacks.onEpoch?.(record);
  }
  // Early stopping keeps the best epoch's weights, not the last (Keras's restore_best_weights).
  if (reason === 'early-stopping') restore(built, best.weights);
  optimizer.dispose();
  history.updatedAt = new Date().toISOString();
  return { reason, history, built };
}

/** The weights L2 regularisation penalises: the kernels, not the biases. */
function l2Kernels(built: BuiltModel): tf.Tensor[] {
  return built.model.trainableWeights.filter((w) => /kernel/.test(w.name)).map((w) => w.read());
}

/**
 * A throwaway run of the real loop: one batch of blank images on a model built for it and freed after, after the
 * site's plain-JS kernel loops have been run hot on a wasm without SIMD (warmKernelLoops). A run's first batch
 * compiles TF.js's JavaScript, the backend's kernels, the site's SIMD loops and this loop's own code: 0.2-0.25 s on a
 * 2-core machine.
 * The worker runs this while the data is still downloading, so the reader's first batch does not wait for it. It
 * leaves no tensors and no state behind: the run after it is the same to the bit (ml-leak.test.ts).
 */
export async function warmUp(c: TrainConfig = DEFAULT_TRAIN_CONFIG): Promise<void> {
  const n = c.batchSize;
  const blank = { count: n, rows: 28, cols: 28, pixels: new Uint8Array(n * 784), labels: new Uint8Array(n) };
  // Those loops run only on wasm (heap-kernels.ts); elsewhere warming them would just spend the time.
  if (tf.getBackend() === 'wasm') warmKernelLoops();
  const built = buildModel(c.preset, { seed: c.seed, dropout: c.dropout });
  const config = { ...c, epochs: 1, trainSubset: n, validationSplit: 0, patience: 0, evaluateEachEpoch: false };
  try {
    const r = await train(built, { train: blank, test: blank }, config, new RunControl());
    if (r.built !== built) r.built.model.dispose();
  } finally {
    built.model.dispose();
  }
}

/**
 * One optimisation step on the first `n` images of the buffers. Returns a [3] tensor (loss sum, hits, n) left on
 * the device for the next report.
 */
function trainStep(
  built: BuiltModel,
  optimizer: tf.Optimizer,
  x: Float32Array,
  y: Int32Array,
  n: number,
  l2: number,
  kernels: tf.Tensor[],
): tf.Tensor {
  return tf.tidy(() => {
    const xs = tf.tensor4d(x.subarray(0, n * 784), [n, 28, 28, 1]);
    const labels = tf.tensor1d(y.subarray(0, n), 'int32');
    const targets = tf.oneHot(labels, 10);
    const out: { stats?: tf.Tensor } = {};
    optimizer.minimize(() => {
      const logits = built.logits.apply(xs, { training: true }) as tf.Tensor2D;
      const ce = tf.losses.softmaxCrossEntropy(targets, logits);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
      out.stats = tf.keep(tf.stack([tf.mul(ce, n), hits, tf.scalar(n)]));
      if (l2 === 0 || kernels.length === 0) return ce as tf.Scalar;
      return tf.add(ce, tf.mul(l2, tf.addN(kernels.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
    });
    return out.stats!;
  });
}
