import { describe, expect, it } from 'vitest';
import { trainingOnCpu } from './mnist-fixture.ts';
import { buildModel } from '../../src/ml/model.ts';
import { RunControl, train } from '../../src/ml/train.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/ml/config.ts';

const mnist = trainingOnCpu();

describe('learning-rate decay across Continue', () => {
  it('mlp-50-20, 2 epochs then Continue for 2: epoch k trains at lr0 * decay^k, counting from the first run', async () => {
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      preset: 'mlp-50-20' as const,
      learningRate: 0.004,
      lrDecay: 0.5,
      trainSubset: 64,
      batchSize: 32,
      epochs: 2,
      evaluateEachEpoch: false,
    };
    const first = await train(buildModel(config.preset, { seed: 1 }), mnist(), config, new RunControl());
    const second = await train(first.built, mnist(), config, new RunControl(), {}, first.history);
    const rates = second.history.epochs.map((e) => e.learningRate);
    // Restarting the schedule would give 0.004, 0.002, 0.004, 0.002.
    expect(rates).toEqual([0.004, 0.002, 0.001, 0.0005]);
  });
});
