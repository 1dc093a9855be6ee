import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { trainingOnCpu } from './mnist-fixture.ts';
import { buildModel } from '../../src/ml/model.ts';
import { RunControl, train, warmUp } from '../../src/ml/train.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/ml/config.ts';

const mnist = trainingOnCpu();

describe('training loop memory', () => {
  it('lenet5 x=[8,28,28,1] subset 20, 5 epochs, L2 + dropout + validation: numTensors same after epoch 1 and 5', async () => {
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      trainSubset: 20,
      validationSplit: 0.2,
      batchSize: 8,
      epochs: 5,
      l2: 1e-4,
      dropout: 0.2,
      augment: { shift: 1, rotate: 5 },
      evaluateEachEpoch: false,
      reportEvery: 1,
    };
    const built = buildModel('lenet5', { seed: 1, dropout: config.dropout });
    const counts: number[] = [];
    const result = await train(built, mnist(), config, new RunControl(), {
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    expect(result.reason).toBe('completed');
    expect(result.history.epochs.length).toBe(5);
    expect(counts.length).toBe(5);
    expect(counts[4]).toBe(counts[0]);
    expect(result.history.epochs.every((e) => Number.isFinite(e.loss) && e.valAccuracy !== undefined)).toBe(true);
    built.model.dispose();
  }, 60_000);
});

describe('the warm-up run (while the data downloads)', () => {
  it('leaves no tensors behind, and the seeded run after it is the same to the bit', async () => {
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      batchSize: 16,
      trainSubset: 32,
      validationSplit: 0,
      epochs: 1,
      evaluateEachEpoch: false,
    };
    const run = async () => {
      const built = buildModel('lenet5', { seed: config.seed, dropout: config.dropout });
      const r = await train(built, mnist(), { ...config, reportEvery: 1 }, new RunControl());
      const weights = r.built.model.getWeights().map((w) => [...w.dataSync()]);
      r.built.model.dispose();
      return { losses: r.history.losses.map((p) => p.loss), weights };
    };
    const before = await run();
    const tensors = tf.memory().numTensors;
    await warmUp(config);
    expect(tf.memory().numTensors).toBe(tensors);
    const after = await run();
    expect(after.losses).toEqual(before.losses);
    expect(after.weights).toEqual(before.weights);
    expect(before.losses.length).toBe(2);
  }, 60_000);
});

describe('a backend failure mid-run', () => {
  // The small MLP keeps this fast on the cpu backend; the recovery code is the same for every preset.
  // A lost WebGL context surfaces as a throw from the training step. The loop asks for the next backend, rebuilds
  // the model there from the last safe copy of the weights (taken at each epoch's end) and carries on.
  const config = {
    ...DEFAULT_TRAIN_CONFIG,
    trainSubset: 200,
    validationSplit: 0,
    batchSize: 20,
    epochs: 3,
    evaluateEachEpoch: false,
    reportEvery: 1,
  };

  /** Makes the model's 15th training forward pass (epoch 2, batch 5) throw as a dead GPU context would. */
  function failOnce(built: ReturnType<typeof buildModel>) {
    const apply = built.logits.apply.bind(built.logits);
    let calls = 0;
    built.logits.apply = ((...args: Parameters<typeof apply>) => {
      if (++calls === 15) throw new Error('WebGL context lost (injected)');
      return apply(...args);
    }) as typeof apply;
  }

  it('mlp-100 subset 200, batch 20: the rebuilt model starts from the weights at the end of epoch 1', async () => {
    const built = buildModel('mlp-100', { seed: 3 });
    failOnce(built);
    let afterEpoch1: Float32Array[] = [];
    const control = new RunControl();
    const failures: string[] = [];
    const result = await train(built, mnist(), config, control, {
      onEpoch: (e) => {
        if (e.epoch === 0) afterEpoch1 = built.model.getWeights().map((w) => w.dataSync() as Float32Array);
      },
      onBackendFailure: async (failed, err) => {
        failures.push(`${failed}: ${(err as Error).message}`);
        control.stop(); // stop right after the switch, so the rebuilt weights can be compared untouched
        return 'cpu';
      },
    });
    expect(failures).toEqual(['cpu: WebGL context lost (injected)']);
    expect(result.reason).toBe('stopped');
    expect(result.built).not.toBe(built);
    const kept = result.built.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(afterEpoch1.length).toBeGreaterThan(0);
    expect(kept).toEqual(afterEpoch1.map((w) => Array.from(w)));
    built.model.dispose();
    result.built.model.dispose();
  }, 60_000);

  it('mlp-100 subset 200, batch 20: a stop after 3 of 10 batches records epoch 1 as 30 % done, not whole', async () => {
    const built = buildModel('mlp-100', { seed: 3 });
    const control = new RunControl();
    const result = await train(built, mnist(), config, control, {
      onBatch: (b) => {
        if (b.point.step === 3) control.stop();
      },
    });
    expect(result.reason).toBe('stopped');
    expect(result.history.epochs.map((e) => [e.epoch, e.partial])).toEqual([[0, 0.3]]);
    built.model.dispose();
  }, 60_000);

  it('mlp-100 subset 200, batch 20: training finishes every epoch on the new backend', async () => {
    const built = buildModel('mlp-100', { seed: 3 });
    failOnce(built);
    let failures = 0;
    const result = await train(built, mnist(), config, new RunControl(), {
      onBackendFailure: async () => {
        failures++;
        return 'cpu';
      },
    });
    expect(failures).toBe(1);
    expect(result.reason).toBe('completed');
    expect(result.history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(result.history.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
    // Without a handler (or when no backend is left) the error reaches the caller.
    const again = buildModel('mlp-100', { seed: 3 });
    failOnce(again);
    await expect(train(again, mnist(), config, new RunControl(), {})).rejects.toThrow('WebGL context lost (injected)');
    built.model.dispose();
    result.built.model.dispose();
    again.model.dispose();
  }, 60_000);
});
