import { describe, expect, it } from 'vitest';
import { trainingOnCpu } from './mnist-fixture.ts';
import { buildModel } from '../../src/ml/model.ts';
import { RunControl, train } from '../../src/ml/train.ts';
import { DEFAULT_TRAIN_CONFIG, rateAt } from '../../src/ml/config.ts';

const mnist = trainingOnCpu();
/** Two epochs of two batches of a small MLP, from lr 0.004 halving per epoch. */
const SMALL = {
  ...DEFAULT_TRAIN_CONFIG,
  preset: 'mlp-50-20' as const,
  learningRate: 0.004,
  lrDecay: 0.5,
  trainSubset: 64,
  batchSize: 32,
  epochs: 2,
  evaluateEachEpoch: false,
};

describe('learning-rate decay across Continue', () => {
  it('mlp-50-20, 2 epochs then Continue for 2: epoch k trains at lr0 * decay^k, counting from the first run', async () => {
    const config = SMALL;
    const first = await train(buildModel(config.preset, { seed: 1 }), mnist(), config, new RunControl());
    const second = await train(first.built, mnist(), config, new RunControl(), {}, first.history);
    const rates = second.history.epochs.map((e) => e.learningRate);
    // Restarting the schedule would give 0.004, 0.002, 0.004, 0.002.
    expect(rates).toEqual([0.004, 0.002, 0.001, 0.0005]);
  });
});

describe('rateAt: the rate at a point of an epoch', () => {
  const c = { learningRate: 0.004, lrDecay: 0.5 };
  it('exponential: lr0 * decay^(epoch + fraction), also for a config saved before there was a choice', () => {
    for (const config of [{ ...c, schedule: 'exponential' as const }, c]) {
      expect(rateAt(config, 0, 0)).toBe(0.004);
      expect(rateAt(config, 1, 0.5)).toBeCloseTo(0.004 * 0.5 ** 1.5, 15);
      expect(rateAt(config, 3, 0)).toBe(0.0005);
    }
  });

  it('cosine restarts: each epoch starts at lr0 * decay^epoch, is at half of it midway and near 0 at its end', () => {
    const r = (e: number, f: number) => rateAt({ ...c, schedule: 'cosine-restarts' }, e, f);
    expect([r(0, 0), r(1, 0), r(2, 0)]).toEqual([0.004, 0.002, 0.001]);
    expect(r(0, 0.5)).toBeCloseTo(0.002, 15);
    expect(r(1, 0.5)).toBeCloseTo(0.001, 15);
    // The last batch of an epoch of 1,875 steps trains at 0.0000007 % of the peak, not at 0: fraction < 1.
    expect(r(0, 1874 / 1875)).toBeGreaterThan(0);
    expect(r(0, 1874 / 1875)).toBeLessThan(0.004 * 1e-5);
    // Falling within the epoch, then back up at the restart.
    const within = Array.from({ length: 11 }, (_, i) => r(1, i / 11));
    expect(within.every((v, i) => i === 0 || v < within[i - 1]!)).toBe(true);
    expect(r(2, 0)).toBeGreaterThan(r(1, 10 / 11));
  });
});

describe('the schedule reaches the optimizer', () => {
  it('mlp-50-20, 2 epochs of 2 batches: cosine restarts and exponential train different weights, same start rates', async () => {
    const run = async (schedule: 'exponential' | 'cosine-restarts') => {
      const config = { ...SMALL, schedule, augment: { shift: 0, rotate: 0 } };
      const r = await train(buildModel(config.preset, { seed: 1 }), mnist(), config, new RunControl());
      const w = r.built.model.getWeights()[0]!.dataSync().slice();
      r.built.model.dispose();
      return { rates: r.history.epochs.map((e) => e.learningRate), w };
    };
    const exp = await run('exponential');
    const cos = await run('cosine-restarts');
    expect(cos.rates).toEqual([0.004, 0.002]);
    expect(exp.rates).toEqual([0.004, 0.002]);
    // Batch 2 of epoch 1 trains at 0.004 · 0.5^0.5 ≈ 0.0028 (exponential) or at half the peak, 0.002 (cosine).
    expect(Array.from(cos.w)).not.toEqual(Array.from(exp.w));
  });
});
