/**
 * The training chapter's ops: batch normalisation (hand example, gradient checks in both modes, running statistics,
 * bad input), inverted dropout and learning-rate schedules. TF.js cross-checks of batch norm are in
 * tfjs-new-ops.test.ts.
 */
import { describe, expect, test } from 'vitest';
import {
  Rng,
  batchNorm,
  batchNormBackward,
  dropout,
  dropoutBackward,
  gradCheck,
  learningRateAt,
  randomTensor,
  scheduleCurve,
  tensor,
  updateRunningStats,
  type BatchNormOptions,
} from '../../src/lib/index.ts';
import { dot, expectClose, expectEngineError } from './helpers.ts';

describe('batchNorm', () => {
  test('hand example [B=4, F=1]: x = 1, 2, 3, 6 has mean 3 and variance 3.5, so x̂ = (x − 3)/sqrt(3.5 + eps)', () => {
    const x = tensor([4, 1], [1, 2, 3, 6]);
    const r = batchNorm(x, tensor([1], [2]), tensor([1], [0.5]), { eps: 1e-5 });
    expect(r.mean.data[0]).toBe(3);
    expect(r.variance.data[0]).toBe(3.5);
    const s = Math.sqrt(3.5 + 1e-5);
    expectClose(
      r.y.data,
      [-2, -1, 0, 3].map((d) => 2 * (d / s) + 0.5),
      1e-14,
    );
    expect(r.count).toBe(4);
  });

  test('per channel over batch, height and width: every channel of the output has mean β and variance ≈ γ²', () => {
    const rng = new Rng(1);
    const x = randomTensor([5, 3, 4, 4], rng, 10, 30); // far from mean 0, variance 1
    const gamma = tensor([3], [1, 2, 0.5]);
    const beta = tensor([3], [0, -1, 4]);
    const y = batchNorm(x, gamma, beta).y;
    for (let c = 0; c < 3; c++) {
      const vals: number[] = [];
      for (let b = 0; b < 5; b++) vals.push(...y.data.subarray((b * 3 + c) * 16, (b * 3 + c + 1) * 16));
      const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
      const variance = vals.reduce((a, v) => a + (v - mean) ** 2, 0) / vals.length;
      expect(mean).toBeCloseTo(beta.data[c]!, 12);
      expect(variance).toBeCloseTo(gamma.data[c]! ** 2, 3);
    }
  });

  test.each([
    ['train [4,2,3,3]', [4, 2, 3, 3], { mode: 'train' }],
    ['train [6,5]', [6, 5], { mode: 'train', eps: 1e-3 }],
    ['inference [3,2,2,2]', [3, 2, 2, 2], { mode: 'inference' }],
  ] as [string, number[], BatchNormOptions][])('%s: x, γ and β gradients pass gradCheck', (_n, shape, opts) => {
    const rng = new Rng(7);
    const x = randomTensor(shape, rng, -2, 3);
    const C = shape[1]!;
    const gamma = randomTensor([C], rng, 0.5, 2);
    const beta = randomTensor([C], rng);
    const o: BatchNormOptions =
      opts.mode === 'inference'
        ? { ...opts, running: { mean: randomTensor([C], rng), variance: randomTensor([C], rng, 0.5, 2) } }
        : opts;
    const R = randomTensor(shape, rng);
    const g = batchNormBackward(x, gamma, R, o);
    // Batch norm is curved in x (x̂ divides by the batch's own spread) and f sums 72 products: at eps 1e-5 the
    // truncation error eps²·f'''/6 and the round-off of that sum each reach ~1e-10 on gradients of ~1e-3, so
    // 1e-6 is the honest tolerance here (a wrong backward pass gives 1e-2 to 1).
    const report = gradCheck(
      { x, gamma, beta },
      () => dot(batchNorm(x, gamma, beta, o).y, R),
      {
        x: g.dx,
        gamma: g.dgamma,
        beta: g.dbeta,
      },
      { tol: 1e-6 },
    );
    expect(report.passed).toBe(true);
    expect(report.entries.length).toBe(x.data.length + 2 * C);
  });

  test('training-mode dx sums to 0 per channel (shifting every input of a channel changes nothing)', () => {
    const rng = new Rng(2);
    const x = randomTensor([4, 2, 3, 3], rng);
    const dx = batchNormBackward(x, tensor([2], [1.5, -0.7]), randomTensor(x.shape, rng)).dx;
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let b = 0; b < 4; b++) for (let i = 0; i < 9; i++) s += dx.data[(b * 2 + c) * 9 + i]!;
      expect(Math.abs(s)).toBeLessThan(1e-12);
    }
  });

  test('running statistics: momentum 0.9 blend, unbiased variance m/(m−1), and inference then uses them', () => {
    const x = tensor([4, 1], [1, 2, 3, 6]);
    const r = batchNorm(x, tensor([1], [1]), tensor([1], [0]));
    const running = updateRunningStats({ mean: tensor([1], [0]), variance: tensor([1], [1]) }, r, 0.9);
    expect(running.mean.data[0]).toBeCloseTo(0.3, 15);
    expect(running.variance.data[0]).toBeCloseTo(0.9 + 0.1 * 3.5 * (4 / 3), 15);
    // At test time one image alone gets the same output as with any batch around it.
    const single = batchNorm(tensor([1, 1], [6]), tensor([1], [1]), tensor([1], [0]), { mode: 'inference', running });
    expect(single.y.data[0]).toBeCloseTo((6 - 0.3) / Math.sqrt(running.variance.data[0]! + 1e-5), 12);
  });

  test.each([
    [
      'a batch of one in training',
      () => batchNorm(tensor([1, 3]), tensor([3]), tensor([3])),
      'batch',
      /at least 2 values per channel/,
    ],
    [
      'γ of the wrong length',
      () => batchNorm(tensor([2, 3]), tensor([2]), tensor([3])),
      'gamma',
      /one value per channel: shape \[3\]/,
    ],
    [
      'inference without running statistics',
      () => batchNorm(tensor([2, 1]), tensor([1]), tensor([1]), { mode: 'inference' }),
      'running',
      /running statistics/,
    ],
    ['eps 0', () => batchNorm(tensor([2, 1]), tensor([1]), tensor([1]), { eps: 0 }), 'eps', /positive/],
    [
      'an unknown mode',
      () => batchNorm(tensor([2, 1]), tensor([1]), tensor([1]), { mode: 'test' as 'train' }),
      'mode',
      /'train' or 'inference'/,
    ],
    [
      'rank 3',
      () => batchNorm(tensor([2, 2, 2]), tensor([2]), tensor([2])),
      'input',
      /\[batch, channels, height, width\]/,
    ],
    [
      'dy of another shape',
      () => batchNormBackward(tensor([2, 1]), tensor([1]), tensor([1, 2])),
      'gradient',
      /\[2, 1\]/,
    ],
    [
      'momentum 1',
      () =>
        updateRunningStats(
          { mean: tensor([1]), variance: tensor([1]) },
          batchNorm(tensor([2, 1], [0, 1]), tensor([1]), tensor([1])),
          1,
        ),
      'momentum',
      /below 1/,
    ],
  ])('bad input: %s throws EngineError (field %s)', (_n, fn, field, message) => expectEngineError(fn, field, message));
});

describe('dropout (inverted)', () => {
  test('training: about rate of the values are 0, the rest are divided by 1 − rate, so the mean is kept', () => {
    const x = tensor([10000], new Array(10000).fill(1));
    const r = dropout(x, 0.5, 'train', new Rng(3));
    const zeros = r.y.data.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(4800);
    expect(zeros).toBeLessThan(5200);
    expect(new Set(r.y.data)).toEqual(new Set([0, 2]));
    expect(r.y.data.reduce((a, v) => a + v, 0) / 10000).toBeCloseTo(1, 1);
  });

  test('test time is the identity; backward uses the same mask; the same seed drops the same values', () => {
    const x = randomTensor([3, 4], new Rng(1));
    expect(Array.from(dropout(x, 0.3, 'test').y.data)).toEqual(Array.from(x.data));
    const a = dropout(x, 0.3, 'train', new Rng(9));
    const b = dropout(x, 0.3, 'train', new Rng(9));
    expect(Array.from(a.y.data)).toEqual(Array.from(b.y.data));
    const dy = randomTensor([3, 4], new Rng(2));
    expectClose(
      dropoutBackward(a.mask, dy).data,
      Array.from(dy.data, (v, i) => v * a.mask.data[i]!),
      0,
    );
  });

  test('bad input: a rate of 1, training without a generator', () => {
    expect(() => dropout(tensor([2]), 1, 'train', new Rng(1))).toThrow(/below 1/);
    expect(() => dropout(tensor([2]), 0.5, 'train')).toThrow(/seeded Rng/);
  });
});

describe('learning-rate schedules', () => {
  test('step: ×0.1 every 30 steps; exponential: ×0.9 per step; constant', () => {
    const step = { kind: 'step' as const, lr: 0.1 };
    expectClose(
      [0, 29, 30, 59, 60].map((t) => learningRateAt(step, t)),
      [0.1, 0.1, 0.01, 0.01, 0.001],
      1e-15,
    );
    expect(learningRateAt({ kind: 'exponential', lr: 2, gamma: 0.5 }, 3)).toBe(0.25);
    expect(learningRateAt({ kind: 'constant', lr: 0.3 }, 1000)).toBe(0.3);
  });

  test('cosine: lr at 0, the midpoint (lr + min)/2 at total/2, min at total and after (Loshchilov & Hutter 2017)', () => {
    const s = { kind: 'cosine' as const, lr: 1, total: 100, minLr: 0.1 };
    expect(learningRateAt(s, 0)).toBe(1);
    expect(learningRateAt(s, 50)).toBeCloseTo(0.55, 15);
    expect(learningRateAt(s, 100)).toBeCloseTo(0.1, 15);
    expect(learningRateAt(s, 150)).toBeCloseTo(0.1, 15);
  });

  test('linear warm-up: lr/5, 2lr/5, …, lr over 5 steps, then the schedule starts from its own step 0', () => {
    const curve = scheduleCurve({ kind: 'cosine', lr: 0.5, warmup: 5, total: 10 }, 16);
    expectClose(curve.slice(0, 5), [0.1, 0.2, 0.3, 0.4, 0.5], 1e-15);
    expect(curve[5]).toBe(0.5);
    expect(curve[15]).toBeCloseTo(0, 15);
  });

  test('bad input', () => {
    expect(() => learningRateAt({ kind: 'step', lr: 0 }, 1)).toThrow(/positive/);
    expect(() => learningRateAt({ kind: 'step', lr: 1, gamma: 2 }, 1)).toThrow(/at most 1/);
    expect(() => learningRateAt({ kind: 'cosine', lr: 1, minLr: 2 }, 1)).toThrow(/between 0 and the peak/);
    expect(() => learningRateAt({ kind: 'linear' as 'step', lr: 1 }, 1)).toThrow(/Unknown schedule/);
    expect(() => learningRateAt({ kind: 'constant', lr: 1 }, -1)).toThrow(/at least 0/);
  });
});
