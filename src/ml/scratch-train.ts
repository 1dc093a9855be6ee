/**
 * The same LeNet-5 trained by the project's own engine (src/lib, float64, no TF.js) on a subset, with
 * the TF.js run's seed and data order (batches.ts picks the images and shuffles each epoch the same way for both).
 * Initial weights differ: the engine draws them from its own seeded Rng (He init), TF.js from its seeded Glorot
 * initialiser. Emits the same batch/epoch event shapes as the TF.js worker so both curves plot alike.
 * Pure apart from the clock: scratch-worker.ts runs it in a worker, the unit tests run it in Node.
 */
import { Adam, Sequential, evaluate, tensor, trainStep, type LayerSpec } from '../lib/index.ts';
import type { DistributiveOmit, ScratchConfig, ScratchResponse } from './protocol.ts';
import type { MnistData } from './data.ts';
import { epochOrder, fillBatch, gatherImages, splitIndices } from './batches.ts';
import { yieldToEvents, type RunControl } from './control.ts';
import { engineModel } from './presets.ts';

/** A scratch-worker message without its reply id. */
export type ScratchEvent = DistributiveOmit<ScratchResponse, 'replyTo'>;

/**
 * Trains `layers` (default: the catalogue's modern LeNet-5, `lenet5`) on the seeded subset, emitting a batch event per step and an epoch event
 * per epoch, then tests on the first `testSubset` test images and emits `scratch-end`. Honours pause and stop.
 */
export async function trainScratch(
  d: MnistData,
  c: ScratchConfig,
  run: RunControl,
  emit: (e: ScratchEvent) => void,
  layers: readonly LayerSpec[] = engineModel('lenet5').layers,
): Promise<void> {
  // im2col + GEMM: the engine's fastest correct conv path (`npm run bench:engine`, 2026-12-05: 1.0-1.04x and
  // 1.57-1.75x the direct loops on LeNet's two conv layers, 1.29x on the whole training step; equal within 1e-14).
  const model = new Sequential([1, 28, 28], layers, { seed: c.seed, conv: 'gemm' });
  const opt = new Adam(c.learningRate);
  const { train } = splitIndices(d.train.count, c.trainSubset, 0, c.seed);
  const x = new Float32Array(c.batchSize * 784);
  const y = new Int32Array(c.batchSize);
  const steps = Math.ceil(train.length / c.batchSize);
  const total = c.epochs * train.length;
  let seen = 0;
  let step = 0;
  const t0 = performance.now();
  for (let epoch = 0; epoch < c.epochs && !run.stopped; epoch++) {
    const order = epochOrder(train, c.seed, epoch);
    const start = performance.now();
    let lossSum = 0;
    let hits = 0;
    let n = 0;
    for (let b = 0; b < steps && !run.stopped; b++) {
      const count = Math.min(c.batchSize, order.length - b * c.batchSize);
      fillBatch(d.train.pixels, d.train.labels, order, b * c.batchSize, count, x, y);
      const r = trainStep(
        model,
        opt,
        tensor([count, 1, 28, 28], x.subarray(0, count * 784)),
        Array.from(y.subarray(0, count)),
      );
      lossSum += r.loss * count;
      hits += r.correct;
      n += count;
      seen += count;
      step++;
      const point = { step, epoch, loss: r.loss, accuracy: r.correct / count };
      emit({
        type: 'batch',
        point,
        imagesSeen: seen,
        imagesTotal: total,
        imagesPerSec: seen / Math.max(1e-3, (performance.now() - t0) / 1000),
      });
      await yieldToEvents(0);
      await run.waitWhilePaused();
    }
    if (n === 0) break;
    const seconds = (performance.now() - start) / 1000;
    emit({
      type: 'epoch',
      record: {
        epoch,
        loss: lossSum / n,
        trainAccuracy: hits / n,
        learningRate: c.learningRate,
        seconds,
        backend: 'scratch',
      },
    });
  }
  const testIdx = Array.from({ length: Math.min(c.testSubset, d.test.count) }, (_, i) => i);
  const xs = tensor([testIdx.length, 1, 28, 28], gatherImages(d.test.pixels, testIdx));
  const { accuracy } = evaluate(
    model,
    xs,
    testIdx.map((i) => d.test.labels[i]!),
  );
  emit({ type: 'scratch-end', reason: run.stopped ? 'stopped' : 'completed', testAccuracy: accuracy });
}
