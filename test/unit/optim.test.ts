import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { EngineError } from '../../src/lib/engine/errors.ts';
import { Adam, SGD, type Optimizer, type ParamRef } from '../../src/lib/engine/optim.ts';
import { Rng, randomTensor } from '../../src/lib/engine/rng.ts';
import { tensor } from '../../src/lib/engine/tensor.ts';
import { expectClose } from './helpers.ts';

function param(values: number[], grad: number[], decay = true, name = 'w'): ParamRef {
  return { name, value: tensor([values.length], values), grad: tensor([grad.length], grad), decay };
}

describe('SGD, by hand', () => {
  test('plain step w=[1,2] g=[0.5,-1] lr=0.1 gives w - lr g = [0.95, 2.1]', () => {
    const p = param([1, 2], [0.5, -1]);
    new SGD(0.1).step([p]);
    expectClose(p.value, [0.95, 2.1], 1e-15);
  });

  test('momentum 0.9, same g twice: v = g then 1.9 g, so w = 1 - 0.1*0.5 - 0.1*0.95 = 0.855', () => {
    const p = param([1], [0.5]);
    const opt = new SGD(0.1, { momentum: 0.9 });
    opt.step([p]);
    expectClose(p.value, [0.95], 1e-15);
    opt.step([p]);
    expectClose(p.value, [0.855], 1e-15);
  });

  test('L2 weight decay 0.1 adds 0.1 w to the gradient of weights, not of biases', () => {
    const w = param([2], [0]);
    const b = param([2], [0], false, 'b');
    new SGD(0.5, { weightDecay: 0.1 }).step([w, b]);
    expectClose(w.value, [2 - 0.5 * 0.1 * 2], 1e-15);
    expectClose(b.value, [2], 0);
  });

  test('momentum state is kept per parameter name', () => {
    const a = param([0], [1], true, 'a');
    const b = param([0], [-1], true, 'b');
    const opt = new SGD(1, { momentum: 0.5 });
    opt.step([a, b]);
    opt.step([a, b]);
    expectClose(a.value, [-1 - 1.5], 1e-15);
    expectClose(b.value, [1 + 1.5], 1e-15);
  });
});

describe('Adam, by hand', () => {
  test('first step is lr * sign(g) when eps -> 0, whatever |g| (g = [1e-3, 5, -2])', () => {
    const p = param([0, 0, 0], [1e-3, 5, -2]);
    new Adam(0.01, { eps: 1e-15 }).step([p]);
    expectClose(p.value, [-0.01, -0.01, 0.01], 1e-10);
  });

  test('constant gradient: bias correction makes every step lr * sign(g), so 3 steps move 3 lr', () => {
    const p = param([1], [0.3]);
    const opt = new Adam(0.1, { eps: 1e-15 });
    for (let t = 0; t < 3; t++) opt.step([p]);
    expectClose(p.value, [1 - 0.3], 1e-12);
    expect(opt.t).toBe(3);
  });

  test('first step with eps: w -= lr g / (|g| + eps); g=2, eps=1 moves lr * 2/3', () => {
    const p = param([0], [2]);
    new Adam(0.3, { eps: 1 }).step([p]);
    expectClose(p.value, [-0.2], 1e-15);
  });
});

describe('optimizers against TensorFlow.js (cpu backend, float32) over 4 steps', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  /** Runs 4 steps of both on the same seeded start and gradients (float32-representable). */
  function compare(ours: Optimizer, theirs: tf.Optimizer): void {
    const rng = new Rng(17);
    const f32 = (n: number) => Array.from(Float32Array.from(randomTensor([n], rng).data));
    const start = f32(6);
    const p = param(start, new Array(6).fill(0));
    const v = tf.variable(tf.tensor1d(start));
    for (let step = 0; step < 4; step++) {
      const g = f32(6);
      p.grad.data.set(g);
      ours.step([p]);
      tf.tidy(() => theirs.applyGradients({ [v.name]: tf.tensor1d(g) }));
    }
    expectClose(p.value, Array.from(v.dataSync()), 1e-6);
    v.dispose();
    theirs.dispose();
  }

  test('SGD lr=0.1 vs tf.train.sgd', () => compare(new SGD(0.1), tf.train.sgd(0.1)));
  test('SGD lr=0.1 momentum=0.9 vs tf.train.momentum', () =>
    compare(new SGD(0.1, { momentum: 0.9 }), tf.train.momentum(0.1, 0.9)));
  test('Adam lr=0.05 b1=0.8 b2=0.99 eps=1e-3 vs tf.train.adam', () =>
    compare(new Adam(0.05, { beta1: 0.8, beta2: 0.99, eps: 1e-3 }), tf.train.adam(0.05, 0.8, 0.99, 1e-3)));
  test('Adam defaults (lr=1e-3, 0.9, 0.999, eps=1e-8) vs tf.train.adam(1e-3, 0.9, 0.999, 1e-8)', () =>
    compare(new Adam(), tf.train.adam(1e-3, 0.9, 0.999, 1e-8)));

  // TF.js's optimizers have no weight decay; L2 decay is the gradient of loss + wd/2 |w|^2, so feeding
  // tf.train.adam the gradient g + wd * w (with w read before each step) is the same update.
  test('Adam weightDecay=0.2 vs tf.train.adam given g + 0.2 w (L2 in the gradient, not AdamW)', () => {
    const wd = 0.2;
    const rng = new Rng(23);
    const f32 = (n: number) => Array.from(Float32Array.from(randomTensor([n], rng).data));
    const start = f32(6);
    const p = param(start, new Array(6).fill(0));
    const ours = new Adam(0.05, { weightDecay: wd });
    const theirs = tf.train.adam(0.05, 0.9, 0.999, 1e-8);
    const v = tf.variable(tf.tensor1d(start));
    for (let step = 0; step < 4; step++) {
      const g = f32(6);
      p.grad.data.set(g);
      ours.step([p]);
      tf.tidy(() => theirs.applyGradients({ [v.name]: tf.add(tf.tensor1d(g), tf.mul(v, wd)) }));
    }
    // TF.js forms g + wd * w in float32 (ours in float64), which moves the result by about 2e-6; the decay itself
    // moves it by over 1e-3 (checked below), so 1e-5 still tells the two apart.
    expectClose(p.value, Array.from(v.dataSync()), 1e-5);
    // And the decay changed the result: without it the weights end elsewhere.
    const plain = param(start, new Array(6).fill(0));
    const noDecay = new Adam(0.05);
    const rng2 = new Rng(23);
    randomTensor([6], rng2);
    for (let step = 0; step < 4; step++) {
      plain.grad.data.set(Array.from(Float32Array.from(randomTensor([6], rng2).data)));
      noDecay.step([plain]);
    }
    expect(Math.max(...Array.from(p.value.data, (x, i) => Math.abs(x - plain.value.data[i]!)))).toBeGreaterThan(1e-3);
    v.dispose();
    theirs.dispose();
  });
});

describe('optimizer errors', () => {
  test('bad settings throw EngineError naming the setting', () => {
    expect(() => new SGD(0)).toThrow(/learning rate/);
    expect(() => new SGD(0.1, { momentum: 1 })).toThrow(/Momentum/);
    expect(() => new SGD(0.1, { weightDecay: -1 })).toThrow(/Weight decay/);
    expect(() => new Adam(0.1, { beta2: 1.5 })).toThrow(EngineError);
    expect(() => new Adam(0.1, { eps: 0 })).toThrow(/eps/);
  });

  test('a NaN gradient stops training with a readable message instead of spreading NaN', () => {
    const p = param([1, 2], [0.1, NaN], true, 'dense_1.w');
    expect(() => new Adam().step([p])).toThrow(/gradient of dense_1.w became NaN/);
    expectClose(p.value, [1, 2], 0);
  });

  test('a gradient of the wrong size throws', () => {
    const p: ParamRef = { name: 'w', value: tensor([2]), grad: tensor([3]) };
    expect(() => new SGD(0.1).step([p])).toThrow(EngineError);
  });
});
