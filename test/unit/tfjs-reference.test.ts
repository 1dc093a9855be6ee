/**
 * TensorFlow.js (cpu backend, float32) as a second engine nobody here wrote: seeded random cases of conv2d,
 * pooling, dense and softmax cross-entropy, forward and gradients (tf.grads), compared within float32 tolerance.
 * TF uses NHWC images and [kh, kw, in, out] filters; the engine uses [B, C, H, W] and [K, C, kh, kw].
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import {
  Rng,
  conv2dBatch,
  conv2dBatchBackward,
  dense,
  denseBackward,
  pool2dBatch,
  pool2dBatchBackward,
  randomInts,
  randomTensor,
  resolvePadding,
  softmaxCrossEntropy,
  tensor,
  type Conv2dOptions,
  type Padding2d,
  type PoolKind,
  type Tensor,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

const F32 = 1e-4; // float32 keeps ~7 digits; sums of up to a few hundred products lose a few more

beforeAll(async () => {
  tf.enableProdMode(); // silences the "install tfjs-node" banner (IS_TEST would also turn on leak checks)
  await tf.setBackend('cpu');
});

/** Runs fn and frees every TF tensor it made (tf.tidy's typing only allows tensors as results). */
function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}

const nchwToTf = (t: Tensor) =>
  tf.transpose(tf.tensor4d(Array.from(t.data), t.shape as [number, number, number, number]), [0, 2, 3, 1]);
const tfToNchw = (t: tf.Tensor) => Float64Array.from(tf.transpose(t, [0, 3, 1, 2]).dataSync());
const filterToTf = (w: Tensor) =>
  tf.transpose(tf.tensor4d(Array.from(w.data), w.shape as [number, number, number, number]), [2, 3, 1, 0]);
const filterFromTf = (t: tf.Tensor) => Float64Array.from(tf.transpose(t, [3, 2, 0, 1]).dataSync());

type TfPad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
/** Numbers go to TF as explicit padding: TF.js sizes a numeric pad from the filter height alone (wrong for kh != kw). */
function tfPad(p: Padding2d): TfPad {
  if (typeof p === 'number')
    return [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ];
  if (typeof p === 'object')
    return [
      [0, 0],
      [p.top, p.bottom],
      [p.left, p.right],
      [0, 0],
    ];
  return p;
}

/** The kernel with dilation-1 zeros inserted, so a plain conv with it equals the dilated conv (TF has no dilated conv gradient). */
function dilateKernel(w: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  const [kh, kw, c, k] = w.shape;
  const buf = tf.buffer([dy * (kh - 1) + 1, dx * (kw - 1) + 1, c, k]);
  const v = w.bufferSync();
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let a = 0; a < c; a++) for (let b = 0; b < k; b++) buf.set(v.get(i, j, a, b), i * dy, j * dx, a, b);
  return buf.toTensor() as tf.Tensor4D;
}

interface ConvCase {
  name: string;
  x: Tensor;
  w: Tensor;
  b: Tensor;
  opts: Conv2dOptions;
}

function checkConv({ x, w, b, opts }: ConvCase): void {
  const y = conv2dBatch(x, w, b, opts);
  const dyT = randomTensor(y.shape, new Rng(y.data.length));
  const ours = conv2dBatchBackward(x, w, dyT, opts);
  const [sy, sx] = typeof opts.stride === 'number' ? [opts.stride, opts.stride] : (opts.stride ?? [1, 1]);
  const [dly, dlx] = typeof opts.dilation === 'number' ? [opts.dilation, opts.dilation] : (opts.dilation ?? [1, 1]);
  const pad = tfPad(opts.padding ?? 0);
  const ref = scoped(() => {
    const tx = nchwToTf(x) as tf.Tensor4D;
    const tw = filterToTf(w) as tf.Tensor4D;
    const tb = tf.tensor1d(Array.from(b.data));
    const tdy = nchwToTf(dyT);
    const yRef = tf.add(tf.conv2d(tx, tw, [sy, sx], pad, 'NHWC', [dly, dlx]), tb);
    const dilated = dly > 1 || dlx > 1;
    const f = (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(tf.add(tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, [sy, sx], pad), c), tdy));
    const twForGrad = dilated ? dilateKernel(tw, dly, dlx) : tw;
    const [gx, gwFull, gb] = tf.grads(f)([tx, twForGrad, tb]) as [tf.Tensor, tf.Tensor4D, tf.Tensor];
    // For a dilated kernel, the gradient of each real tap sits at its dilated position.
    const gw = dilated ? tf.stridedSlice(gwFull, [0, 0, 0, 0], gwFull.shape, [dly, dlx, 1, 1]) : gwFull;
    return { y: tfToNchw(yRef), dx: tfToNchw(gx), dw: filterFromTf(gw), db: Float64Array.from(gb.dataSync()) };
  });
  expectClose(y.data, ref.y, F32);
  expectClose(ours.dx.data, ref.dx, F32);
  expectClose(ours.dw.data, ref.dw, F32);
  expectClose(ours.db.data, ref.db, F32);
}

function randomConvCases(n: number, seed: number): ConvCase[] {
  const rng = new Rng(seed);
  const cases: ConvCase[] = [];
  for (let i = 0; i < n; i++) {
    const B = rng.int(1, 3),
      C = rng.int(1, 4),
      K = rng.int(1, 4),
      kh = rng.int(1, 5),
      kw = rng.int(1, 5);
    // TF allows dilation only with stride 1.
    const dilated = i % 4 === 3;
    const stride: [number, number] = dilated ? [1, 1] : [rng.int(1, 4), rng.int(1, 4)];
    const dilation: [number, number] = dilated ? [rng.int(1, 4), rng.int(1, 4)] : [1, 1];
    const kind = i % 5;
    const padding: Padding2d =
      kind === 0
        ? 'same'
        : kind === 1
          ? 'valid'
          : kind === 2
            ? rng.int(0, 3)
            : { top: rng.int(0, 3), bottom: rng.int(0, 3), left: rng.int(0, 3), right: rng.int(0, 3) };
    const H = rng.int(dilation[0] * (kh - 1) + 1, 11),
      W = rng.int(dilation[1] * (kw - 1) + 1, 11);
    const opts: Conv2dOptions = { stride, dilation, padding };
    const name = `conv2d x=[${B},${C},${H},${W}] k=[${K},${C},${kh},${kw}] s=${stride} d=${dilation} p=${JSON.stringify(padding)}`;
    cases.push({
      name,
      x: randomTensor([B, C, H, W], rng),
      w: randomTensor([K, C, kh, kw], rng),
      b: randomTensor([K], rng),
      opts,
    });
  }
  return cases;
}

describe('conv2d vs TensorFlow.js', () => {
  test('conv2d x=[1,3,5,5] k=[2,3,3,3] s=2 p=1 with bias (CS231n demo style) matches TF.js exactly on integers', () => {
    const rng = new Rng(231);
    const x = randomInts([1, 3, 5, 5], rng, 0, 3);
    const w = randomInts([2, 3, 3, 3], rng, -1, 2);
    const b = tensor([2], [1, 0]);
    const y = conv2dBatch(x, w, b, { stride: 2, padding: 1 });
    expect(y.shape).toEqual([1, 2, 3, 3]);
    const ref = scoped(() =>
      tfToNchw(tf.add(tf.conv2d(nchwToTf(x) as tf.Tensor4D, filterToTf(w) as tf.Tensor4D, 2, 1), tf.tensor1d([1, 0]))),
    );
    expect(Array.from(y.data)).toEqual(Array.from(ref));
    checkConv({ name: 'cs231n', x, w, b, opts: { stride: 2, padding: 1 } });
  });

  const cases = randomConvCases(110, 2026);
  test(`${cases.length} random conv2d cases (stride, same/valid/explicit/asymmetric padding, dilation): forward, dx, dw, db`, () => {
    for (const c of cases) {
      try {
        checkConv(c);
      } catch (e) {
        throw new Error(`${c.name}: ${(e as Error).message}`, { cause: e });
      }
    }
  });
});

describe('pooling vs TensorFlow.js', () => {
  const rng = new Rng(77);
  const cases = Array.from({ length: 60 }, (_, i) => {
    const kind: PoolKind = i % 2 === 0 ? 'max' : 'avg';
    const size: [number, number] = [rng.int(1, 4), rng.int(1, 4)];
    const stride: [number, number] = [rng.int(1, 4), rng.int(1, 4)];
    const padding: 'same' | 'valid' | number =
      i % 3 === 0 ? 'same' : i % 3 === 1 ? 'valid' : rng.int(0, Math.min(...size));
    const B = rng.int(1, 3),
      C = rng.int(1, 3),
      H = rng.int(size[0], 10),
      W = rng.int(size[1], 10);
    return { kind, size, stride, padding, x: randomTensor([B, C, H, W], rng) };
  });
  test(`${cases.length} random max/avg pooling cases (size, stride, same/valid/number padding): forward and dx`, () => {
    let gradChecked = 0;
    for (const { kind, size, stride, padding, x } of cases) {
      const name = `${kind}Pool x=[${x.shape}] size=${size} s=${stride} p=${padding}`;
      const opts = { size, stride, padding };
      const { y } = pool2dBatch(x, kind, opts);
      const dy = randomTensor(y.shape, rng);
      const ref = scoped(() => {
        const tx = nchwToTf(x) as tf.Tensor4D;
        const pool = (a: tf.Tensor) =>
          (kind === 'max' ? tf.maxPool : tf.avgPool)(a as tf.Tensor4D, size, stride, tfPad(padding));
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), nchwToTf(dy))))(tx);
        return { y: tfToNchw(pool(tx)), dx: tfToNchw(g) };
      });
      try {
        expectClose(y.data, ref.y, F32);
        // TF.js's avgPool gradient divides by the full window even where it hangs over padding (its forward
        // divides by the real cells), so avg gradients are compared only where no window touches padding.
        const p = resolvePadding(padding, x.shape[2]!, x.shape[3]!, size[0], size[1], stride);
        if (kind === 'max' || p.top + p.bottom + p.left + p.right === 0) {
          expectClose(pool2dBatchBackward(x, kind, opts, dy).data, ref.dx, F32);
          gradChecked++;
        }
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
      }
    }
    expect(gradChecked).toBeGreaterThanOrEqual(35);
  });
});

describe('dense and softmax cross-entropy vs TensorFlow.js', () => {
  test('30 random dense layers x=[B,in] W=[out,in]: forward, dx, dW, db', () => {
    const rng = new Rng(31);
    for (let i = 0; i < 30; i++) {
      const B = rng.int(1, 5),
        n = rng.int(1, 30),
        m = rng.int(1, 12);
      const x = randomTensor([B, n], rng),
        w = randomTensor([m, n], rng),
        b = randomTensor([m], rng),
        dy = randomTensor([B, m], rng);
      const ref = scoped(() => {
        const f = (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
          tf.add(tf.matMul(a as tf.Tensor2D, k as tf.Tensor2D, false, true), c);
        const args = [
          tf.tensor2d(Array.from(x.data), [B, n]),
          tf.tensor2d(Array.from(w.data), [m, n]),
          tf.tensor1d(Array.from(b.data)),
        ] as const;
        const grads = tf.grads((a, k, c) => tf.sum(tf.mul(f(a!, k!, c!), tf.tensor2d(Array.from(dy.data), [B, m]))))([
          ...args,
        ]);
        return [f(...args), ...grads].map((t) => Float64Array.from(t.dataSync()));
      });
      const g = denseBackward(x, w, dy);
      expectClose(dense(x, w, b).data, ref[0]!, F32);
      expectClose(g.dx.data, ref[1]!, F32);
      expectClose(g.dw.data, ref[2]!, F32);
      expectClose(g.db.data, ref[3]!, F32);
    }
  });
  test('30 random softmax cross-entropy batches logits=[B,n]: loss (tf.losses.softmaxCrossEntropy) and dlogits', () => {
    const rng = new Rng(32);
    for (let i = 0; i < 30; i++) {
      const B = rng.int(1, 9),
        n = rng.int(2, 11);
      const z = randomTensor([B, n], rng, -5, 5);
      const labels = Array.from({ length: B }, () => rng.int(0, n));
      const ref = scoped(() => {
        const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), n);
        const loss = (a: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, a);
        const zt = tf.tensor2d(Array.from(z.data), [B, n]);
        return { loss: loss(zt).dataSync()[0]!, grad: Float64Array.from(tf.grad(loss)(zt).dataSync()) };
      });
      const ours = softmaxCrossEntropy(z, labels);
      expectClose(ours.loss, ref.loss, F32);
      expectClose(ours.dlogits.data, ref.grad, F32);
    }
  });
});
