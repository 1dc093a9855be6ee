import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWasmTrainingKernels } from '../../src/ml/wasm-kernels.ts';
import { buildModel } from '../../src/ml/model.ts';
import { applyFlat, flatWeights, shardGradients } from '../../src/ml/gradients.ts';
import { AdamKernel, adamModuleBytes } from '../../src/ml/adam-kernel.ts';
import { FusedAdam, isFusedAdam, makeAdam } from '../../src/ml/fused-adam.ts';
import { Rng } from '../../src/lib/index.ts';
import { float32Bits as bits } from './helpers.ts';

function batch(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  return {
    x: Float32Array.from({ length: n * 784 }, () => rng.next()),
    y: Int32Array.from({ length: n }, () => Math.floor(rng.next() * 10)),
  };
}

/** Sets the learning rate the way train.ts does: a plain field on both optimizers. */
function setLr(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('the Adam kernel module', () => {
  it('is valid WebAssembly with SIMD, exports adam and memory, and is small', () => {
    const bytes = adamModuleBytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => `${e.kind}:${e.name}`);
    expect(names.sort()).toEqual(['function:adam', 'memory:memory']);
    expect(bytes.length).toBeLessThan(1024);
  });

  it('one step on 5 weights by hand: m, v and w as tfjs-core computes them in float32', () => {
    const k = AdamKernel.create()!;
    const s = k.slot('w', 5);
    // As float32 values: the regions hold float32, so 2e-3 is stored rounded.
    const g0 = [0.5, -1, 0, 2e-3, 7].map(Math.fround);
    const w0 = [1, 2, 3, -4, 0.25];
    const [g, m, v, w] = k.regions();
    g.set(g0, s.at);
    w.set(w0, s.at);
    const f = Math.fround;
    const c = {
      beta1: f(0.9),
      beta2: f(0.999),
      oneMinusBeta1: f(0.1),
      oneMinusBeta2: f(0.001),
      correction1: f(1 - f(0.9)),
      correction2: f(1 - f(0.999)),
      epsilon: f(1e-7),
      minusLr: f(-0.01),
    };
    k.step(c);
    const m1 = g0.map((gi) => f(f(0 * c.beta1) + f(gi * c.oneMinusBeta1)));
    const v1 = g0.map((gi) => f(f(0 * c.beta2) + f(f(gi * gi) * c.oneMinusBeta2)));
    const w1 = w0.map((wi, i) => {
      const mh = f(m1[i]! / c.correction1);
      const vh = f(v1[i]! / c.correction2);
      return f(f(f(mh / f(f(Math.sqrt(vh)) + c.epsilon)) * c.minusLr) + wi);
    });
    expect(Array.from(m.subarray(0, 5))).toEqual(m1);
    expect(Array.from(v.subarray(0, 5))).toEqual(v1);
    expect(Array.from(w.subarray(0, 5))).toEqual(w1);
    // Adam's first step moves every weight with a gradient by about the learning rate, against the gradient's sign.
    expect(w1[0]! - w0[0]!).toBeCloseTo(-0.01, 6);
    expect(w1[1]! - w0[1]!).toBeCloseTo(0.01, 6);
    expect(w1[2]).toBe(w0[2]);
  });
});

describe('FusedAdam against tf.train.adam', () => {
  it('lenet5 on wasm, 25 steps of batch 16 with a decaying learning rate and L2, from flat gradients as a data-parallel step applies them: the same weights, bit for bit', () => {
    const ours = buildModel('lenet5', { seed: 3 });
    const theirs = buildModel('lenet5', { seed: 3 });
    const start = flatWeights(ours);
    const a = makeAdam(0.003, 0.9, 0.999, 1e-7);
    const b = tf.train.adam(0.003, 0.9, 0.999, 1e-7);
    expect(isFusedAdam(a)).toBe(true);
    expect(isFusedAdam(b)).toBe(false);
    for (let s = 0; s < 25; s++) {
      const lr = 0.003 * 0.15 ** (s / 10);
      setLr(a, lr);
      setLr(b, lr);
      const { x, y } = batch(16, 100 + s);
      applyFlat(ours, a, shardGradients(ours, x, y, 16, 1e-4).grads);
      applyFlat(theirs, b, shardGradients(theirs, x, y, 16, 1e-4).grads);
    }
    expect(bits(flatWeights(ours))).toEqual(bits(flatWeights(theirs)));
    // It trained: a no-op optimizer would also agree with itself, not with Adam.
    expect(bits(flatWeights(ours))).not.toEqual(bits(start));
    a.dispose();
    b.dispose();
  });

  it('a gradient that stops: m keeps no subnormals (they are slow on x86) and the weights stay tf.train.adam’s to the bit', async () => {
    const start = [0.5, -0.25, 1e-3, -3, 2, 0.75, -1e-2, 4, 1e-20];
    const ours = tf.variable(tf.tensor1d(start));
    const theirs = tf.variable(tf.tensor1d(start));
    const a = makeAdam(0.003, 0.9, 0.999, 1e-7);
    const b = tf.train.adam(0.003, 0.9, 0.999, 1e-7);
    const kick = tf.tensor1d([1e-3, -2e-3, 5, 0.1, -7, 1e-6, 3e-4, -0.5, 1e-3]);
    const none = tf.zerosLike(kick);
    // Five steps with a gradient, then 1,200 with none (a dead unit): m shrinks by 0.9 a step into the subnormals.
    for (let step = 0; step < 1205; step++) {
      const g = step < 5 ? kick : none;
      a.applyGradients([{ name: ours.name, tensor: g }]);
      b.applyGradients([{ name: theirs.name, tensor: g }]);
    }
    expect(bits(ours.dataSync() as Float32Array)).toEqual(bits(theirs.dataSync() as Float32Array));
    expect(bits(ours.dataSync() as Float32Array)).not.toEqual(bits(Float32Array.from(start)));
    const subnormal = (x: ArrayLike<number>) => Array.from(x).filter((v) => v !== 0 && Math.abs(v) < 2 ** -126).length;
    // TF.js's first moments are stuck at the smallest subnormal; ours are zeros.
    const moments = await b.getWeights();
    const theirM = moments.find((w) => w.name.endsWith('/m'))!.tensor.dataSync();
    expect(subnormal(theirM)).toBeGreaterThan(0);
    const [, m, v] = (a as unknown as { kernel: AdamKernel }).kernel.regions();
    expect(subnormal(m)).toBe(0);
    expect(subnormal(v)).toBe(0);
    expect(Array.from(m.subarray(0, 9)).map((x) => Object.is(x, -0) || Object.is(x, 0))).toEqual(Array(9).fill(true));
    tf.dispose([ours, theirs, kick, none]);
    a.dispose();
    b.dispose();
  });

  it('on wasm it reads and writes the weights in the backend memory: no dataSync (a fresh buffer per read in Chromium)', () => {
    const m = buildModel('lenet5', { seed: 4 });
    const vars = m.logits.trainableWeights.map((w) => w.read() as tf.Variable);
    const grads: tf.NamedTensorMap = {};
    for (const v of vars) grads[v.name] = tf.mul(tf.onesLike(v), 1e-3);
    const opt = makeAdam(0.003, 0.9, 0.999, 1e-7);
    const before = flatWeights(m);
    const reads = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    try {
      opt.applyGradients(grads);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
    // Every weight moved by the learning rate (Adam's first step with a gradient of one sign everywhere).
    const after = flatWeights(m);
    expect(after.every((w, i) => Math.abs(before[i]! - w - 0.003) < 1e-6)).toBe(true);
    tf.dispose(Object.values(grads));
    opt.dispose();
  });

  it('through minimize(), as train.ts calls it, and with a variable that gets no gradient', () => {
    const make = (seed: number) => {
      const rng = new Rng(seed);
      // 7 and 1,030 values: neither a multiple of 4, and together past one 64 KiB page of four regions.
      return {
        a: tf.variable(tf.tensor(Array.from({ length: 7 }, () => rng.next() - 0.5))),
        b: tf.variable(
          tf.tensor(
            Array.from({ length: 1030 }, () => rng.next() - 0.5),
            [10, 103],
          ),
        ),
        idle: tf.variable(tf.tensor([1, 2, 3])),
      };
    };
    const loss = (p: ReturnType<typeof make>, t: number) => () =>
      tf.add(tf.sum(tf.square(tf.sub(p.a, t))), tf.sum(tf.mul(tf.sin(p.b), t))) as tf.Scalar;
    const ours = make(5);
    const theirs = make(5);
    const a = new FusedAdam(0.05, 0.8, 0.99, 1e-3, AdamKernel.create()!);
    const b = tf.train.adam(0.05, 0.8, 0.99, 1e-3);
    for (let s = 0; s < 12; s++) {
      a.minimize(loss(ours, s / 3), false, [ours.a, ours.b]);
      b.minimize(loss(theirs, s / 3), false, [theirs.a, theirs.b]);
    }
    for (const k of ['a', 'b', 'idle'] as const) {
      expect(bits(ours[k].dataSync() as Float32Array), k).toEqual(bits(theirs[k].dataSync() as Float32Array));
    }
    expect(Array.from(ours.idle.dataSync())).toEqual([1, 2, 3]);
    expect(a.iterations).toBe(12);
    tf.dispose([ours.a, ours.b, ours.idle, theirs.a, theirs.b, theirs.idle]);
  });

  it('a variable first seen mid-run grows the memory and keeps the others’ moments: still the same bits', () => {
    const rng = new Rng(9);
    const init = (n: number) => Array.from({ length: n }, () => rng.next() - 0.5);
    const [p0, q0] = [init(6), init(20_000)];
    const run = (opt: tf.Optimizer) => {
      const p = tf.variable(tf.tensor(p0));
      const q = tf.variable(tf.tensor(q0));
      for (let s = 0; s < 6; s++) {
        // q joins at step 3: a new slot after p's moments exist.
        const vars = s < 3 ? [p] : [p, q];
        opt.minimize(() => tf.add(tf.sum(tf.square(p)), tf.sum(tf.cos(q))) as tf.Scalar, false, vars);
      }
      const out = [p.dataSync().slice() as Float32Array, q.dataSync().slice() as Float32Array];
      tf.dispose([p, q]);
      return out;
    };
    const [ours, theirs] = [run(makeAdam(0.01, 0.9, 0.999, 1e-7)), run(tf.train.adam(0.01, 0.9, 0.999, 1e-7))];
    expect(bits(ours[0]!)).toEqual(bits(theirs[0]!));
    expect(bits(ours[1]!)).toEqual(bits(theirs[1]!));
  });

  it('on the cpu backend too, and the weights it writes are not views of its memory', async () => {
    await tf.setBackend('cpu');
    try {
      const m = makeAdam(0.01, 0.9, 0.999, 1e-7);
      expect(isFusedAdam(m)).toBe(true);
      const p = tf.variable(tf.tensor([0.3, -0.7, 1.5]));
      const q = tf.variable(tf.tensor([0.3, -0.7, 1.5]));
      const t = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
      for (let s = 0; s < 5; s++) {
        m.minimize(() => tf.sum(tf.mul(tf.square(p), p)) as tf.Scalar, false, [p]);
        t.minimize(() => tf.sum(tf.mul(tf.square(q), q)) as tf.Scalar, false, [q]);
      }
      expect(bits(p.dataSync() as Float32Array)).toEqual(bits(q.dataSync() as Float32Array));
      // The cpu backend hands out its own array: a value read after one step must not change with the next.
      const held = p.dataSync();
      const copy = Array.from(held);
      m.minimize(() => tf.sum(tf.mul(tf.square(p), p)) as tf.Scalar, false, [p]);
      expect(Array.from(held)).toEqual(copy);
      expect(Array.from(p.dataSync())).not.toEqual(copy);
      tf.dispose([p, q]);
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
