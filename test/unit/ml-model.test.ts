import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, summarize, activationModel } from '../../src/ml/model.ts';
import { PRESETS, type PresetName } from '../../src/ml/presets.ts';
import { conv2dParamCount, denseParamCount, summaryParams } from '../../src/lib/index.ts';

// Expected counts come from the engine's own formulas (src/lib/engine/params.ts), so TF.js and the engine must agree.
const conv = (k: number, cin: number, f: number) => conv2dParamCount(cin, f, k, k);
const dense = (i: number, o: number) => denseParamCount(i, o);

/** Expected [layer, outputShape, params] for each preset, derived from the architecture by hand. */
const lenetTail: [string, number[], number][] = [
  ['flatten', [400], 0],
  ['dense120', [120], dense(400, 120)],
  ['dense84', [84], dense(120, 84)],
  ['output', [10], dense(84, 10)],
  ['softmax', [10], 0],
];
const lenet5: [string, number[], number][] = [
  ['conv1', [28, 28, 6], conv(5, 1, 6)],
  ['pool1', [14, 14, 6], 0],
  ['conv2', [10, 10, 16], conv(5, 6, 16)],
  ['pool2', [5, 5, 16], 0],
  ...lenetTail,
];
const expected: Record<PresetName, [string, number[], number][]> = {
  lenet5,
  'lenet5-avgpool': lenet5,
  'lenet5-linear': lenet5,
  'lenet5-linear-avg': lenet5,
  'lenet5-3x3': [
    ['conv1', [26, 26, 6], conv(3, 1, 6)],
    ['pool1', [13, 13, 6], 0],
    ['conv2', [11, 11, 16], conv(3, 6, 16)],
    ['pool2', [5, 5, 16], 0],
    ...lenetTail,
  ],
  'lenet5-1998': [
    ['pad32', [32, 32, 1], 0],
    ['C1', [28, 28, 6], conv(5, 1, 6)],
    ['S2', [14, 14, 6], 0],
    ['C3', [10, 10, 16], conv(5, 6, 16)],
    ['S4', [5, 5, 16], 0],
    ['flatten', [400], 0],
    // C5 as dense equals a 5x5 conv of 120 filters on the 5x5x16 map.
    ['C5', [120], conv(5, 16, 120)],
    ['F6', [84], dense(120, 84)],
    ['output', [10], dense(84, 10)],
    ['softmax', [10], 0],
  ],
  'mlp-100': [
    ['flatten', [784], 0],
    ['dense100', [100], dense(784, 100)],
    ['output', [10], dense(100, 10)],
    ['softmax', [10], 0],
  ],
  'mlp-50-20': [
    ['flatten', [784], 0],
    ['dense50', [50], dense(784, 50)],
    ['dense20', [20], dense(50, 20)],
    ['output', [10], dense(20, 10)],
    ['softmax', [10], 0],
  ],
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('model presets', () => {
  for (const { name } of PRESETS) {
    it(`${name} x=[1,28,28,1]: summary rows, shapes and params`, () => {
      const built = buildModel(name, { seed: 1 });
      const rows = summarize(built.model);
      expect(rows.map((r) => [r.layer, r.outputShape, r.params])).toEqual(expected[name]);
      expect(summaryParams(rows)).toBe(built.model.countParams());
      const y = tf.tidy(() => built.model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor);
      expect(y.shape).toEqual([2, 10]);
      y.dispose();
    });
  }

  it('lenet5 total params = 61,706 (the modern LeNet-5)', () => {
    expect(buildModel('lenet5', { seed: 1 }).model.countParams()).toBe(61706);
  });

  it('dropout 0.5 adds one zero-param layer after each hidden dense layer', () => {
    const rows = summarize(buildModel('lenet5', { seed: 1, dropout: 0.5 }).model);
    expect(rows.filter((r) => r.kind === 'Dropout 0.5').map((r) => r.layer)).toEqual([
      'dense120_dropout',
      'dense84_dropout',
    ]);
  });

  it('same seed gives the same weights; another seed does not', () => {
    const w = (seed: number) =>
      Array.from(buildModel('lenet5', { seed }).model.getWeights()[0]!.dataSync().slice(0, 20));
    expect(w(7)).toEqual(w(7));
    expect(w(7)).not.toEqual(w(8));
  });

  it('logits head shares weights: softmax(logits) equals model output', () => {
    const built = buildModel('lenet5', { seed: 3 });
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 5);
    const p = built.model.predict(x) as tf.Tensor;
    const q = tf.softmax(built.logits.predict(x) as tf.Tensor);
    expect(tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]).toBeLessThan(1e-6);
  });

  // The "No nonlinearity" exercise rests on this: without activations, average pooling keeps the whole network affine
  // (logits(a + b) = logits(a) + logits(b) - logits(0)), while max pooling alone already breaks it.
  it('lenet5-linear-avg logits are affine in the pixels; lenet5-linear (max pooling) logits are not', () => {
    const gap = (preset: PresetName) => {
      const { logits } = buildModel(preset, { seed: 4 });
      const a = tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 11);
      const b = tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 12);
      const f = (x: tf.Tensor) => logits.predict(x) as tf.Tensor;
      const lhs = f(tf.add(a, b));
      const rhs = tf.sub(tf.add(f(a), f(b)), f(tf.zeros([1, 28, 28, 1])));
      return { gap: tf.max(tf.abs(tf.sub(lhs, rhs))).dataSync()[0]!, size: tf.max(tf.abs(lhs)).dataSync()[0]! };
    };
    const linear = gap('lenet5-linear-avg');
    const max = gap('lenet5-linear');
    expect(linear.gap).toBeLessThan(1e-5 * Math.max(1, linear.size));
    expect(max.gap).toBeGreaterThan(1e-2 * max.size);
  });

  it('activation model of lenet5 returns one tensor per layer', () => {
    const outs = activationModel(buildModel('lenet5', { seed: 1 }).model).predict(
      tf.zeros([1, 28, 28, 1]),
    ) as tf.Tensor[];
    expect(outs.map((t) => t.shape.slice(1))).toEqual(lenet5.map((r) => r[1]));
  });
});
