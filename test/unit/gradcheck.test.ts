import { describe, expect, test } from 'vitest';
import { activate, activateBackward, type ActivationName } from '../../src/lib/engine/activations.ts';
import {
  conv2d,
  conv2dBackward,
  conv2dBatch,
  conv2dBatchBackward,
  type Conv2dOptions,
} from '../../src/lib/engine/conv2d.ts';
import { dense, denseBackward } from '../../src/lib/engine/dense.ts';
import { NOISE_FACTOR, gradCheck } from '../../src/lib/engine/gradcheck.ts';
import { softmaxCrossEntropy, softmaxSquaredErrorGrad, squaredError } from '../../src/lib/engine/loss.ts';
import { Sequential } from '../../src/lib/engine/network.ts';
import { pool2dBatch, pool2dBatchBackward, type PoolKind } from '../../src/lib/engine/pool.ts';
import { Rng, randomTensor } from '../../src/lib/engine/rng.ts';
import { tensor, type Tensor } from '../../src/lib/engine/tensor.ts';
import { expectClose } from './helpers.ts';

/** <y, r>: a scalar whose gradient with respect to y is r, so any op's backward can be checked with dy = r. */
function dot(y: Tensor, r: Tensor): number {
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += y.data[i]! * r.data[i]!;
  return s;
}

const TOL = 1e-7;
const pad = (p: Conv2dOptions['padding']): string =>
  typeof p === 'object' ? `${p.top}${p.bottom}${p.left}${p.right}` : String(p);

describe('gradCheck on conv2d at seeded random shapes (float64, max rel error < 1e-7)', () => {
  const rng = new Rng(31);
  const paddings: Conv2dOptions['padding'][] = [0, 1, 'same', 'valid', { top: 0, bottom: 2, left: 1, right: 0 }];
  for (let n = 0; n < 10; n++) {
    const batched = n % 2 === 1;
    const [C, K, kh, kw] = [rng.int(1, 4), rng.int(1, 4), rng.int(1, 4), rng.int(1, 4)];
    const stride = rng.int(1, 3);
    const dilation = rng.int(1, 3);
    const padding = paddings[n % paddings.length]!;
    const kind = n % 3 === 2 ? 'convolution' : 'cross-correlation';
    const H = dilation * (kh - 1) + 1 + rng.int(0, 4);
    const W = dilation * (kw - 1) + 1 + rng.int(0, 4);
    const xShape = batched ? [2, C, H, W] : [C, H, W];
    const opts: Conv2dOptions = { stride, padding, dilation, kind };
    const seed = rng.int(0, 1e9);
    test(`conv2d${batched ? 'Batch' : ''} x=[${xShape}] k=[${K},${C},${kh},${kw}] s=${stride} p=${pad(padding)} d=${dilation} ${kind}`, () => {
      const r = new Rng(seed);
      const params = { x: randomTensor(xShape, r), w: randomTensor([K, C, kh, kw], r), b: randomTensor([K], r) };
      const fwd = (): Tensor => (batched ? conv2dBatch : conv2d)(params.x, params.w, params.b, opts);
      const R = randomTensor(fwd().shape, r);
      const g = (batched ? conv2dBatchBackward : conv2dBackward)(params.x, params.w, R, opts);
      const report = gradCheck(params, () => dot(fwd(), R), { x: g.dx, w: g.dw, b: g.db });
      expect(report.entries).toHaveLength(params.x.data.length + params.w.data.length + K);
      expect(report.kinks).toBe(0);
      expect(report.maxRelError).toBeLessThan(TOL);
      expect(report.belowNoise).toBeLessThan(report.entries.length / 10);
      expect(report.passed).toBe(true);
    });
  }
});

describe('gradCheck on pooling', () => {
  const rng = new Rng(7);
  const cases: { kind: PoolKind; size: number; stride: number; padding: number }[] = [
    { kind: 'max', size: 2, stride: 2, padding: 0 },
    { kind: 'max', size: 3, stride: 2, padding: 1 },
    { kind: 'avg', size: 2, stride: 2, padding: 0 },
    { kind: 'avg', size: 3, stride: 1, padding: 1 },
    { kind: 'max', size: 2, stride: 1, padding: 0 },
  ];
  for (const c of cases) {
    const shape = [2, rng.int(1, 3), rng.int(4, 8), rng.int(4, 8)];
    const seed = rng.int(0, 1e9);
    test(`${c.kind}Pool x=[${shape}] size=${c.size} s=${c.stride} p=${c.padding}`, () => {
      const r = new Rng(seed);
      const opts = { size: c.size, stride: c.stride, padding: c.padding };
      const params = { x: randomTensor(shape, r) };
      let argmax: Int32Array | null = null;
      const fwd = (): Tensor => {
        const out = pool2dBatch(params.x, c.kind, opts);
        argmax = out.argmax;
        return out.y;
      };
      const R = randomTensor(fwd().shape, r);
      const dx = pool2dBatchBackward(params.x, c.kind, opts, R);
      const report = gradCheck(params, () => dot(fwd(), R), { x: dx }, { signature: () => String(argmax?.join(',')) });
      expect(report.kinks).toBe(0); // continuous random values: no ties within eps
      expect(report.maxRelError).toBeLessThan(TOL);
      expect(report.belowNoise).toBeLessThan(report.entries.length / 10);
    });
  }

  test('maxPool ties x=[1,1,2,2] all equal: all 4 cells reported near a kink, none silently passed or failed', () => {
    const params = { x: tensor([1, 1, 2, 2], [0.5, 0.5, 0.5, 0.5]) };
    let argmax: Int32Array | null = null;
    const f = (): number => {
      const out = pool2dBatch(params.x, 'max', { size: 2 });
      argmax = out.argmax;
      return out.y.data[0]!;
    };
    const dx = pool2dBatchBackward(params.x, 'max', { size: 2 }, tensor([1, 1, 1, 1], [1]));
    const report = gradCheck(params, f, { x: dx }, { signature: () => String(argmax?.join(',')) });
    expect(report.kinks).toBe(4);
    expect(report.entries.every((e) => e.nearKink)).toBe(true);
    // The one-sided slopes differ (1 vs 0), so the central difference is 1/2 everywhere: a real mismatch.
    report.entries.forEach((e) => expectClose(e.numerical, 0.5, 1e-9));
    expect(report.entries.every((e) => e.relError >= 0.5)).toBe(true);
    expect(report.maxRelError).toBe(0);
  });
});

describe('gradCheck on activations', () => {
  const names: ActivationName[] = ['relu', 'leakyRelu', 'sigmoid', 'tanh', 'identity'];
  const rng = new Rng(11);
  for (const name of names) {
    const shape = [rng.int(1, 4), rng.int(2, 6), rng.int(2, 6)];
    const seed = rng.int(0, 1e9);
    test(`${name} x=[${shape}]`, () => {
      const r = new Rng(seed);
      const params = { x: randomTensor(shape, r, -3, 3) };
      const R = randomTensor(shape, r);
      const dx = activateBackward(params.x, name, R);
      const report = gradCheck(
        params,
        () => dot(activate(params.x, name), R),
        { x: dx },
        {
          isNearKink: (_p, i, eps) => (name === 'relu' || name === 'leakyRelu') && Math.abs(params.x.data[i]!) < eps,
        },
      );
      expect(report.kinks).toBe(0);
      expect(report.maxRelError).toBeLessThan(TOL);
      expect(report.belowNoise).toBeLessThan(report.entries.length / 10);
    });
  }

  test('relu x=[6] with two entries exactly 0: both reported near a kink, the rest pass', () => {
    const params = { x: tensor([6], [-1.5, 0, 0.7, 0, 2, -0.2]) };
    const R = tensor([6], [1, 2, 3, 4, 5, 6]);
    const dx = activateBackward(params.x, 'relu', R);
    const report = gradCheck(
      params,
      () => dot(activate(params.x, 'relu'), R),
      { x: dx },
      {
        isNearKink: (_p, i, eps) => Math.abs(params.x.data[i]!) < eps,
      },
    );
    expect(report.kinks).toBe(2);
    expect(report.entries.filter((e) => e.nearKink).map((e) => e.index)).toEqual([1, 3]);
    // At 0 the analytic derivative is the left one (0) while the central difference sees half the slope.
    expectClose(report.entries[1]!.numerical, 1, 1e-9);
    expect(report.entries[1]!.analytic).toBe(0);
    expect(report.maxRelError).toBeLessThan(TOL);
    expect(report.belowNoise).toBe(0);
    expect(report.passed).toBe(true);
  });
});

describe('gradCheck on dense and the losses', () => {
  const rng = new Rng(5);
  for (let n = 0; n < 4; n++) {
    const [B, inputs, units] = [rng.int(1, 5), rng.int(1, 9), rng.int(1, 7)];
    const seed = rng.int(0, 1e9);
    test(`dense x=[${B},${inputs}] W=[${units},${inputs}] b=[${units}]`, () => {
      const r = new Rng(seed);
      const params = {
        x: randomTensor([B, inputs], r),
        w: randomTensor([units, inputs], r),
        b: randomTensor([units], r),
      };
      const R = randomTensor([B, units], r);
      const g = denseBackward(params.x, params.w, R);
      const report = gradCheck(params, () => dot(dense(params.x, params.w, params.b), R), {
        x: g.dx,
        w: g.dw,
        b: g.db,
      });
      expect(report.maxRelError).toBeLessThan(TOL);
      expect(report.belowNoise).toBeLessThan(report.entries.length / 10);
    });
  }
  for (let n = 0; n < 4; n++) {
    const [B, classes] = [rng.int(1, 6), rng.int(2, 8)];
    const seed = rng.int(0, 1e9);
    test(`softmaxCrossEntropy logits=[${B},${classes}]`, () => {
      const r = new Rng(seed);
      const params = { z: randomTensor([B, classes], r, -3, 3) };
      const labels = Array.from({ length: B }, () => r.int(0, classes));
      const { dlogits } = softmaxCrossEntropy(params.z, labels);
      const report = gradCheck(params, () => softmaxCrossEntropy(params.z, labels).loss, { z: dlogits });
      expect(report.maxRelError).toBeLessThan(TOL);
      expect(report.belowNoise).toBeLessThan(report.entries.length / 10);
    });
    test(`softmax + squared error logits=[${B},${classes}]`, () => {
      const r = new Rng(seed + 1);
      const params = { z: randomTensor([B, classes], r, -3, 3) };
      const labels = Array.from({ length: B }, () => r.int(0, classes));
      const { dlogits } = softmaxSquaredErrorGrad(params.z, labels);
      const report = gradCheck(params, () => softmaxSquaredErrorGrad(params.z, labels).loss, { z: dlogits });
      expect(report.maxRelError).toBeLessThan(TOL);
      expect(report.belowNoise).toBeLessThan(report.entries.length / 10);
    });
    test(`squaredError output=[${B},${classes}]`, () => {
      const r = new Rng(seed + 2);
      const params = { o: randomTensor([B, classes], r) };
      const target = randomTensor([B, classes], r);
      const report = gradCheck(params, () => squaredError(params.o, target).loss, {
        o: squaredError(params.o, target).doutput,
      });
      expect(report.maxRelError).toBeLessThan(TOL);
      expect(report.belowNoise).toBeLessThan(report.entries.length / 10);
    });
  }
});

describe('gradCheck on a whole small network', () => {
  for (const seed of [1, 2, 3]) {
    test(`Sequential x=[3,2,8,8] conv 3@3x3 relu, maxPool 2, conv 4@2x2 tanh, avgPool 2, dense 5 sigmoid, dense 3 (seed ${seed})`, () => {
      const model = new Sequential(
        [2, 8, 8],
        [
          { type: 'conv2d', filters: 3, kernel: 3, padding: 'same', activation: 'relu' },
          { type: 'maxPool', size: 2 },
          { type: 'conv2d', filters: 4, kernel: 2, stride: 1, padding: 'valid', activation: 'tanh' },
          { type: 'avgPool', size: 2, stride: 1 },
          { type: 'flatten' },
          { type: 'dense', units: 5, activation: 'sigmoid' },
          { type: 'dense', units: 3 },
        ],
        { seed, init: 'glorot' },
      );
      const r = new Rng(seed + 100);
      const x = randomTensor([3, 2, 8, 8], r);
      const labels = [0, 2, 1];
      const loss = (): number => softmaxCrossEntropy(model.forward(x), labels).loss;
      const { dlogits } = softmaxCrossEntropy(model.forward(x), labels);
      const dx = model.backward(dlogits);
      const params: Record<string, Tensor> = { x };
      const analytic: Record<string, Tensor> = { x: dx };
      for (const p of model.params()) {
        params[p.name] = p.value;
        analytic[p.name] = tensor(p.grad.shape, p.grad.data); // a copy: gradCheck's forward calls must not change it
      }
      const report = gradCheck(params, loss, analytic, { signature: () => model.signature() });
      expect(report.entries).toHaveLength(x.data.length + model.paramCount());
      expect(report.maxRelError).toBeLessThan(TOL);
      expect(report.passed).toBe(true);
      expect(report.entries.filter((e) => e.nearKink)).toHaveLength(report.kinks);
      // A few tiny gradients (inputs behind saturating units) are judged absolutely; the rest relatively.
      expect(report.belowNoise).toBeLessThan(report.entries.length / 10);
      expect(report.maxNoiseRatio).toBeLessThanOrEqual(NOISE_FACTOR);
    });
  }

  test('Sequential with zero conv weights: every ReLU sits on its kink, so each conv weight is reported nearKink', () => {
    const model = new Sequential(
      [1, 4, 4],
      [{ type: 'conv2d', filters: 2, kernel: 2, activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 2 }],
      { seed: 4 },
    );
    const conv = model.params().find((p) => p.name === 'conv2d_1.w')!;
    conv.value.data.fill(0);
    const x = randomTensor([2, 1, 4, 4], new Rng(9), 0.1, 1);
    const labels = [0, 1];
    const { dlogits } = softmaxCrossEntropy(model.forward(x), labels);
    model.backward(dlogits);
    const report = gradCheck(
      { w: conv.value },
      () => softmaxCrossEntropy(model.forward(x), labels).loss,
      { w: tensor(conv.grad.shape, conv.grad.data) },
      { signature: () => model.signature() },
    );
    expect(report.kinks).toBe(conv.value.data.length);
    expect(report.entries.every((e) => e.nearKink)).toBe(true);
  });
});
