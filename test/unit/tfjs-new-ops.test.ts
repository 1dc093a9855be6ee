/**
 * TensorFlow.js (cpu backend, float32) as the second engine for the ops of the GEMM, training and beyond-LeNet
 * chapters: conv2dGemm against tf.conv2d, matmul against tf.matMul, conv2dTranspose against tf.conv2dTranspose,
 * batchNorm against tf.moments + tf.batchNorm, kernel layouts against tf.transpose; gradients through tf.grads.
 * All cases are seeded. TF uses NHWC images and [kh, kw, in, out] filters; the engine [B, C, H, W], [K, C, kh, kw].
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import {
  Rng,
  batchNorm,
  batchNormBackward,
  conv2dGemm,
  conv2dGemmBackward,
  conv2dTranspose,
  conv2dTransposeBackward,
  kernelFromHwio,
  kernelToHwio,
  matmul,
  randomTensor,
  tfSamePadding,
  type Tensor,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

const F32 = 1e-4;

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}

type Shape4 = [number, number, number, number];
const nchwToTf = (t: Tensor) => tf.transpose(tf.tensor4d(Array.from(t.data), t.shape as Shape4), [0, 2, 3, 1]);
const tfToNchw = (t: tf.Tensor) => Float64Array.from(tf.transpose(t, [0, 3, 1, 2]).dataSync());
const filterToTf = (w: Tensor) => tf.transpose(tf.tensor4d(Array.from(w.data), w.shape as Shape4), [2, 3, 1, 0]);
const filterFromTf = (t: tf.Tensor) => Float64Array.from(tf.transpose(t, [3, 2, 0, 1]).dataSync());

describe('conv2dGemm vs tf.conv2d', () => {
  const rng = new Rng(4242);
  const cases = Array.from({ length: 40 }, (_, i) => {
    const B = rng.int(1, 4),
      C = rng.int(1, 4),
      K = rng.int(1, 5),
      k = rng.int(1, 5);
    const s = rng.int(1, 4);
    const padding = i % 2 === 0 ? ('same' as const) : ('valid' as const);
    const H = rng.int(k, 12),
      W = rng.int(k, 12);
    return {
      x: randomTensor([B, C, H, W], rng),
      w: randomTensor([K, C, k, k], rng),
      b: randomTensor([K], rng),
      s,
      padding,
    };
  });
  test(`${cases.length} seeded cases (batch, channels, filters, stride, same/valid): forward, dx, dw, db`, () => {
    for (const { x, w, b, s, padding } of cases) {
      const y = conv2dGemm(x, w, b, { stride: s, padding });
      const dy = randomTensor(y.shape, new Rng(y.data.length));
      const ours = conv2dGemmBackward(x, w, dy, { stride: s, padding });
      const ref = scoped(() => {
        const tb = tf.tensor1d(Array.from(b.data));
        const tdy = nchwToTf(dy);
        const f = (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
          tf.add(tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, s, padding), c);
        const [gx, gw, gb] = tf.grads((a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, k, c), tdy)))([
          nchwToTf(x),
          filterToTf(w),
          tb,
        ]);
        return {
          y: tfToNchw(f(nchwToTf(x), filterToTf(w), tb)),
          dx: tfToNchw(gx!),
          dw: filterFromTf(gw!),
          db: Float64Array.from(gb!.dataSync()),
        };
      });
      expectClose(y.data, ref.y, F32);
      expectClose(ours.dx.data, ref.dx, F32);
      expectClose(ours.dw.data, ref.dw, F32);
      expectClose(ours.db.data, ref.db, F32);
    }
  });
});

describe('matmul vs tf.matMul', () => {
  test('20 seeded shapes, plain and with either operand transposed', () => {
    const rng = new Rng(9);
    for (let i = 0; i < 20; i++) {
      const M = rng.int(1, 9),
        K = rng.int(1, 9),
        N = rng.int(1, 9);
      const ta = i % 3 === 1;
      const tb = i % 3 === 2;
      const a = randomTensor(ta ? [K, M] : [M, K], rng);
      const b = randomTensor(tb ? [N, K] : [K, N], rng);
      const ref = scoped(() =>
        Float64Array.from(
          tf
            .matMul(
              tf.tensor2d(Array.from(a.data), a.shape as [number, number]),
              tf.tensor2d(Array.from(b.data), b.shape as [number, number]),
              ta,
              tb,
            )
            .dataSync(),
        ),
      );
      const ours = matmul(a, b, { transposeA: ta, transposeB: tb });
      expect(ours.shape).toEqual([M, N]);
      expectClose(ours.data, ref, F32);
    }
  });
});

describe('conv2dTranspose vs tf.conv2dTranspose', () => {
  // TF.js takes the output shape explicitly and derives the padding from it ('valid': none; 'same': what a
  // 'same' conv2d of that output would add). The engine takes the padding and an output padding instead; both
  // describe the same op, the input gradient of conv2d.
  const rng = new Rng(1606);
  const cases = Array.from({ length: 40 }, (_, i) => {
    const B = rng.int(1, 3),
      K = rng.int(1, 4),
      C = rng.int(1, 4),
      k = rng.int(1, 5),
      s = rng.int(1, 4);
    const H = rng.int(1, 6),
      W = rng.int(1, 6);
    const pad = i % 2 === 0 ? ('valid' as const) : ('same' as const);
    // Any output size whose conv2d (with this padding) comes back to H x W.
    const out = (n: number) => (pad === 'valid' ? (n - 1) * s + k + rng.int(0, s) : (n - 1) * s + 1 + rng.int(0, s));
    const OH = out(H),
      OW = out(W);
    return { B, K, C, k, s, H, W, OH, OW, pad };
  });
  test(`${cases.length} seeded cases (batch, channels, stride, valid/same, every output size): forward, dx, dw, db`, () => {
    for (const c of cases) {
      const x = randomTensor([c.B, c.K, c.H, c.W], rng);
      const w = randomTensor([c.K, c.C, c.k, c.k], rng);
      const b = randomTensor([c.C], rng);
      const py = c.pad === 'valid' ? { before: 0, after: 0 } : tfSamePadding(c.OH, c.k, c.s);
      const px = c.pad === 'valid' ? { before: 0, after: 0 } : tfSamePadding(c.OW, c.k, c.s);
      const opy = c.OH - ((c.H - 1) * c.s - py.before - py.after + c.k);
      const opx = c.OW - ((c.W - 1) * c.s - px.before - px.after + c.k);
      const opts = {
        stride: c.s,
        padding: { top: py.before, bottom: py.after, left: px.before, right: px.after },
        outputPadding: [opy, opx] as [number, number],
      };
      const y = conv2dTranspose(x, w, b, opts);
      expect(y.shape).toEqual([c.B, c.C, c.OH, c.OW]);
      const dy = randomTensor(y.shape, rng);
      const ours = conv2dTransposeBackward(x, w, dy, opts);
      const ref = scoped(() => {
        const tb = tf.tensor1d(Array.from(b.data));
        // TF's filter for conv2dTranspose is [kh, kw, outDepth = C, inDepth = K]: the forward conv's [kh, kw, C, K].
        const f = (a: tf.Tensor, k: tf.Tensor, bias: tf.Tensor) =>
          tf.add(tf.conv2dTranspose(a as tf.Tensor4D, k as tf.Tensor4D, [c.B, c.OH, c.OW, c.C], c.s, c.pad), bias);
        const tdy = nchwToTf(dy);
        const [gx, gw, gb] = tf.grads((a: tf.Tensor, k: tf.Tensor, bias: tf.Tensor) =>
          tf.sum(tf.mul(f(a, k, bias), tdy)),
        )([nchwToTf(x), filterToTf(w), tb]);
        return {
          y: tfToNchw(f(nchwToTf(x), filterToTf(w), tb)),
          dx: tfToNchw(gx!),
          dw: filterFromTf(gw!),
          db: Float64Array.from(gb!.dataSync()),
        };
      });
      const name = JSON.stringify(c);
      try {
        expectClose(y.data, ref.y, F32);
        expectClose(ours.dx.data, ref.dx, F32);
        expectClose(ours.dw.data, ref.dw, F32);
        expectClose(ours.db.data, ref.db, F32);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
      }
    }
  });
});

describe('batchNorm vs tf.moments + tf.batchNorm', () => {
  const rng = new Rng(2015);
  const cases = Array.from({ length: 24 }, (_, i) => {
    const dense = i % 3 === 0;
    const B = rng.int(2, 6),
      C = rng.int(1, 5),
      H = rng.int(1, 5),
      W = rng.int(1, 5);
    // Inputs far from mean 0 and variance 1, which is what batch norm is for.
    const shift = rng.uniform(-5, 5),
      scale = rng.uniform(0.2, 4);
    const x = randomTensor(dense ? [B, C] : [B, C, H, W], rng);
    for (let j = 0; j < x.data.length; j++) x.data[j] = shift + scale * x.data[j]!;
    return { x, gamma: randomTensor([C], rng, 0.5, 2), beta: randomTensor([C], rng), eps: i % 2 ? 1e-3 : 1e-5 };
  });
  /** NHWC (or [B, F]) in TF: the channel axis is last, so moments reduce over every other axis. */
  const toTf = (x: Tensor) =>
    x.shape.length === 2 ? tf.tensor2d(Array.from(x.data), x.shape as [number, number]) : nchwToTf(x);
  const fromTf = (t: tf.Tensor, rank: number) => (rank === 2 ? Float64Array.from(t.dataSync()) : tfToNchw(t));

  test(`${cases.length} seeded cases, [B, C, H, W] and [B, F], training mode: y, mean, variance, dx, dγ, dβ`, () => {
    for (const { x, gamma, beta, eps } of cases) {
      const r = batchNorm(x, gamma, beta, { eps });
      const dy = randomTensor(x.shape, rng);
      const g = batchNormBackward(x, gamma, dy, { eps });
      const rank = x.shape.length;
      const axes = rank === 2 ? [0] : [0, 1, 2];
      const ref = scoped(() => {
        const f = (a: tf.Tensor, ga: tf.Tensor, be: tf.Tensor) => {
          const { mean, variance } = tf.moments(a, axes);
          return tf.batchNorm(a, mean, variance, be, ga, eps);
        };
        const tg = tf.tensor1d(Array.from(gamma.data));
        const tb = tf.tensor1d(Array.from(beta.data));
        const tx = toTf(x);
        const m = tf.moments(tx, axes);
        const [gx, gg, gb] = tf.grads((a: tf.Tensor, ga: tf.Tensor, be: tf.Tensor) =>
          tf.sum(tf.mul(f(a, ga, be), toTf(dy))),
        )([tx, tg, tb]);
        return {
          y: fromTf(f(tx, tg, tb), rank),
          mean: Float64Array.from(m.mean.dataSync()),
          variance: Float64Array.from(m.variance.dataSync()),
          dx: fromTf(gx!, rank),
          dgamma: Float64Array.from(gg!.dataSync()),
          dbeta: Float64Array.from(gb!.dataSync()),
        };
      });
      expectClose(r.y.data, ref.y, 1e-3);
      expectClose(r.mean.data, ref.mean, F32);
      expectClose(r.variance.data, ref.variance, 1e-3);
      expectClose(g.dx.data, ref.dx, 1e-3);
      expectClose(g.dgamma.data, ref.dgamma, 1e-3);
      expectClose(g.dbeta.data, ref.dbeta, F32);
    }
  });

  test('inference mode with running statistics equals tf.batchNorm with those statistics', () => {
    for (const { x, gamma, beta, eps } of cases.slice(0, 8)) {
      const C = gamma.shape[0]!;
      const running = { mean: randomTensor([C], rng), variance: randomTensor([C], rng, 0.5, 3) };
      const r = batchNorm(x, gamma, beta, { mode: 'inference', running, eps });
      const ref = scoped(() =>
        fromTf(
          tf.batchNorm(
            toTf(x),
            tf.tensor1d(Array.from(running.mean.data)),
            tf.tensor1d(Array.from(running.variance.data)),
            tf.tensor1d(Array.from(beta.data)),
            tf.tensor1d(Array.from(gamma.data)),
            eps,
          ),
          x.shape.length,
        ),
      );
      expectClose(r.y.data, ref, F32);
    }
  });
});

describe('kernel layouts vs tf.transpose', () => {
  test('kernelToHwio is tf.transpose(w, [2, 3, 1, 0]) and kernelFromHwio undoes it: w=[4,3,2,5]', () => {
    const w = randomTensor([4, 3, 2, 5], new Rng(3));
    const hwio = kernelToHwio(w);
    expect(hwio.shape).toEqual([2, 5, 3, 4]);
    expectClose(
      hwio.data,
      scoped(() => Float64Array.from(filterToTf(w).dataSync())),
      1e-7,
    );
    expectClose(kernelFromHwio(hwio), w, 0);
  });
});
