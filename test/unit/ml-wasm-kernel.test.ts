import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, replacedWasmKernels, useOwnWasmKernels } from '../../src/ml/wasm-kernels.ts';
import { buildModel } from '../../src/ml/model.ts';
import { Rng } from '../../src/lib/index.ts';

type Shape4 = [number, number, number, number];

/** dL/dW for L = sum(conv2d(x, W) * dy) on one backend; x and dy are the same seeded values on both. */
async function weightGrad(backend: string, xs: Shape4, fs: Shape4, stride: number, pad: 'same' | 'valid') {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(xs, 0, 1, 'float32', 1) as tf.Tensor4D;
    const outShape = tf.conv2d(x, tf.zeros(fs) as tf.Tensor4D, stride, pad).shape;
    const dy = tf.randomNormal(outShape, 0, 1, 'float32', 2);
    const f = (w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, stride, pad), dy));
    return Array.from(tf.grad(f)(tf.zeros(fs)).dataSync());
  });
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('cpu');
});

// bench:kernels measures the backend's own kernels by swapping back what the registration recorded: the record must
// name the kernels the site changes, each now replaced. (Unit files share a process, isolate: false; another
// file may have registered the kernels first.)
it('replacedWasmKernels names exactly the kernels registerWasmTrainingKernels swapped', () => {
  const own = replacedWasmKernels();
  expect([...own.keys()].sort()).toEqual([
    'Add',
    'BatchMatMul',
    'Cast',
    'Conv2D',
    'Conv2DBackpropInput',
    'Identity',
    'MaxPoolGrad',
    'Sum',
    'Transpose',
  ]);
  for (const [name, kernel] of own) expect(tf.getKernel(name, 'wasm')?.kernelFunc, name).not.toBe(kernel.kernelFunc);
});

it("useOwnWasmKernels swaps the backend's own kernels in, and its return swaps the site's back", () => {
  const own = replacedWasmKernels();
  const site = new Map([...own.keys()].map((n) => [n, tf.getKernel(n, 'wasm')!.kernelFunc]));
  const restore = useOwnWasmKernels();
  for (const [name, kernel] of own) expect(tf.getKernel(name, 'wasm')?.kernelFunc, name).toBe(kernel.kernelFunc);
  restore();
  for (const [name, f] of site) expect(tf.getKernel(name, 'wasm')?.kernelFunc, name).toBe(f);
  const one = useOwnWasmKernels(['Add']);
  expect(tf.getKernel('Sum', 'wasm')?.kernelFunc).toBe(site.get('Sum'));
  one();
  expect(() => useOwnWasmKernels(['Conv2DBackpropFilter'])).toThrow(/did not replace/);
});

describe('wasm Conv2DBackpropFilter (registered here) matches the cpu backend', () => {
  const cases: [Shape4, Shape4, number, 'same' | 'valid'][] = [
    [[4, 28, 28, 1], [5, 5, 1, 6], 1, 'same'],
    [[3, 14, 14, 6], [5, 5, 6, 16], 1, 'valid'],
    [[2, 9, 9, 2], [3, 3, 2, 3], 2, 'valid'],
    [[2, 9, 9, 2], [3, 3, 2, 3], 2, 'same'],
    [[2, 10, 10, 2], [3, 3, 2, 3], 2, 'same'],
  ];
  for (const [xs, fs, s, pad] of cases) {
    it(`conv2d x=[${xs}] w=[${fs}] s=${s} ${pad}`, async () => {
      const expected = await weightGrad('cpu', xs, fs, s, pad);
      const actual = await weightGrad('wasm', xs, fs, s, pad);
      expect(actual.length).toBe(fs.reduce((a, b) => a * b));
      const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]!)));
      expect(worst).toBeLessThan(1e-3);
    });
  }
});

/** dL/dx for L = sum(maxPool(x) * dy); x has repeated values so that windows contain ties. */
async function poolGrad(backend: string, xs: Shape4, size: number, stride: number, pad: 'same' | 'valid') {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.round(tf.randomUniform(xs, -3, 3, 'float32', 3)) as tf.Tensor4D;
    const outShape = tf.maxPool(x, size, stride, pad).shape;
    const dy = tf.randomNormal(outShape, 0, 1, 'float32', 4);
    const f = (v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, size, stride, pad), dy));
    return Array.from(tf.grad(f)(x).dataSync());
  });
}

describe('wasm MaxPoolGrad (replaced here) matches the cpu backend, ties included', () => {
  const cases: [Shape4, number, number, 'same' | 'valid'][] = [
    // LeNet's two pools take the 2x2 fast path; an odd size takes the general loop.
    [[3, 28, 28, 6], 2, 2, 'valid'],
    [[2, 10, 10, 16], 2, 2, 'valid'],
    [[2, 11, 11, 4], 2, 2, 'valid'],
    [[2, 9, 9, 3], 3, 2, 'same'],
    [[1, 7, 7, 2], 3, 1, 'valid'],
  ];
  for (const [xs, size, s, pad] of cases) {
    it(`maxPool x=[${xs}] size=${size} s=${s} ${pad}`, async () => {
      const expected = await poolGrad('cpu', xs, size, s, pad);
      const actual = await poolGrad('wasm', xs, size, s, pad);
      expect(actual.length).toBe(xs.reduce((a, b) => a * b));
      const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]!)));
      expect(worst).toBeLessThan(1e-5);
    });
  }
});

/** dL/dx for L = sum(conv2d(x, W) * dy): the Conv2DBackpropInput kernel. */
async function inputGrad(backend: string, xs: Shape4, fs: Shape4, stride: number, pad: 'same' | 'valid') {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(xs, 0, 1, 'float32', 5) as tf.Tensor4D;
    const w = tf.randomNormal(fs, 0, 1, 'float32', 6) as tf.Tensor4D;
    const dy = tf.randomNormal(tf.conv2d(x, w, stride, pad).shape, 0, 1, 'float32', 7);
    const f = (v: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(v as tf.Tensor4D, w, stride, pad), dy));
    return Array.from(tf.grad(f)(x).dataSync());
  });
}

describe('wasm Conv2DBackpropInput (stride 1 replaced here) matches the cpu backend', () => {
  const cases: [Shape4, Shape4, number, 'same' | 'valid'][] = [
    [[4, 14, 14, 6], [5, 5, 6, 16], 1, 'valid'],
    [[2, 28, 28, 1], [5, 5, 1, 6], 1, 'same'],
    [[2, 8, 9, 3], [3, 2, 3, 4], 1, 'same'],
    [[2, 9, 9, 2], [3, 3, 2, 3], 2, 'same'],
  ];
  for (const [xs, fs, s, pad] of cases) {
    it(`conv2d dx x=[${xs}] w=[${fs}] s=${s} ${pad}`, async () => {
      const expected = await inputGrad('cpu', xs, fs, s, pad);
      const actual = await inputGrad('wasm', xs, fs, s, pad);
      expect(actual.length).toBe(xs.reduce((a, b) => a * b));
      const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]!)));
      expect(worst).toBeLessThan(1e-3);
    });
  }
});

/** matMul(a, b, ta, tb) on one backend, with seeded operands of the shapes given. */
async function product(backend: string, as: number[], bs: number[], ta: boolean, tb: boolean) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const a = tf.randomNormal(as, 0, 1, 'float32', 8);
    const b = tf.randomNormal(bs, 0, 1, 'float32', 9);
    const out = tf.matMul(a, b, ta, tb);
    return { shape: out.shape, values: Array.from(out.dataSync()) };
  });
}

describe('wasm BatchMatMul (transposed cases replaced here) matches the cpu backend', () => {
  // A dense layer's backward pass (dx = dy·Wᵀ, dW = xᵀ·dy) and batched products with each transpose.
  const cases: [number[], number[], boolean, boolean][] = [
    [[32, 120], [400, 120], false, true],
    [[32, 400], [32, 120], true, false],
    [[7, 5], [3, 7], true, true],
    [[2, 4, 3], [2, 4, 5], true, false],
    [[3, 2, 6], [3, 5, 6], false, true],
    [[2, 6, 3], [2, 4, 6], true, true],
    [[9, 4], [4, 3], false, false],
  ];
  for (const [as, bs, ta, tb] of cases) {
    it(`matMul a=[${as}] b=[${bs}] transposeA=${ta} transposeB=${tb}`, async () => {
      const expected = await product('cpu', as, bs, ta, tb);
      const actual = await product('wasm', as, bs, ta, tb);
      expect(actual.shape).toEqual(expected.shape);
      const worst = Math.max(...actual.values.map((a, i) => Math.abs(a - expected.values[i]!)));
      expect(worst).toBeLessThan(1e-4);
    });
  }
  it('still leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    tf.tidy(() => tf.matMul(tf.ones([4, 3]), tf.ones([4, 5]), true, false).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytes);
  });
});

/** add(a, b) and sum(a, axes, keepDims) on one backend, with seeded operands. */
async function addAndSum(backend: string, as: number[], bs: number[], axes: number[], keepDims: boolean) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const a = tf.randomNormal(as, 0, 1, 'float32', 10);
    const b = tf.randomNormal(bs, 0, 1, 'float32', 11);
    const sum = tf.add(a, b);
    const s = tf.sum(a, axes, keepDims);
    return { add: Array.from(sum.dataSync()), addShape: sum.shape, sum: Array.from(s.dataSync()), sumShape: s.shape };
  });
}

describe('wasm Add of a bias and Sum over all axes but the last (replaced here) match the cpu backend', () => {
  // A conv layer's bias and its gradient, a dense layer's, the bias first, and cases the original kernels keep.
  const cases: [number[], number[], number[], boolean][] = [
    [[4, 28, 28, 6], [6], [0, 1, 2], false],
    [[3, 10, 10, 16], [16], [0, 1, 2], true],
    [[32, 120], [120], [0], false],
    [[7], [3, 7], [0], false],
    [[2, 3, 4], [3, 4], [-3, -2], false],
    [[2, 3, 4], [2, 3, 4], [0, 2], false],
    [[5, 4], [1], [1], false],
  ];
  for (const [as, bs, axes, keepDims] of cases) {
    it(`add a=[${as}] b=[${bs}], sum over [${axes}]${keepDims ? ' keeping dims' : ''}`, async () => {
      const expected = await addAndSum('cpu', as, bs, axes, keepDims);
      const actual = await addAndSum('wasm', as, bs, axes, keepDims);
      expect(actual.addShape).toEqual(expected.addShape);
      expect(actual.sumShape).toEqual(expected.sumShape);
      // One float32 addition per value, as on cpu: the same bits.
      expect(actual.add).toEqual(expected.add);
      const worst = Math.max(...actual.sum.map((v, i) => Math.abs(v - expected.sum[i]!)));
      expect(worst).toBeLessThan(1e-3);
    });
  }
  it("int32 tensors keep the backend's own kernels", async () => {
    await tf.setBackend('wasm');
    const r = tf.tidy(() => {
      const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
      return { add: tf.add(a, tf.tensor1d([10, 20, 30], 'int32')), sum: tf.sum(a, 0) };
    });
    expect(r.add.dtype).toBe('int32');
    expect(Array.from(r.add.dataSync())).toEqual([11, 22, 33, 14, 25, 36]);
    expect(Array.from(r.sum.dataSync())).toEqual([5, 7, 9]);
    tf.dispose([r.add, r.sum]);
  });
});

/** Runs `f` with the wasm backend's own kernel `name` (as it was before the site replaced it) registered instead. */
async function withOwnKernel<T>(name: string, f: () => Promise<T>): Promise<T> {
  const restore = useOwnWasmKernels([name]);
  try {
    return await f();
  } finally {
    restore();
  }
}

/** LeNet-5's weights, as bit patterns, after `steps` Adam steps on seeded random images (wasm). */
async function lenetBitsAfter(steps: number): Promise<number[][]> {
  await tf.setBackend('wasm');
  const built = buildModel('lenet5', { seed: 5, dropout: 0 });
  const opt = tf.train.adam(0.003);
  const rng = new Rng(9);
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      const xs = tf.tensor4d(
        Float32Array.from({ length: 8 * 784 }, () => rng.next()),
        [8, 28, 28, 1],
      );
      const labels = tf.tensor1d(
        Int32Array.from({ length: 8 }, () => Math.floor(rng.next() * 10)),
        'int32',
      );
      opt.minimize(() => {
        const logits = built.logits.apply(xs, { training: true }) as tf.Tensor2D;
        return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), logits) as tf.Scalar;
      });
    });
  }
  const bits = built.model.trainableWeights.map((w) => Array.from(new Uint32Array(w.read().dataSync().slice().buffer)));
  opt.dispose();
  built.model.dispose();
  return bits;
}

describe('wasm Identity (replaced here) shares memory instead of copying it', () => {
  it('a clone holds the same values in no new memory, and outlives its source', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, -2, 3.5, 0], [2, 2]);
    const buffers = () => tf.engine().backend.numDataIds();
    const before = buffers();
    const tensors = tf.memory().numTensors;
    const y = tf.clone(x);
    expect(tf.memory().numTensors).toBe(tensors + 1);
    // The backend's own Identity made a second buffer.
    expect(buffers()).toBe(before);
    x.dispose();
    expect(buffers()).toBe(before);
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3.5, 0]);
    y.dispose();
    expect(buffers()).toBe(before - 1);
  });

  it('a cast to the same dtype shares memory too; other casts convert', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1.5, -0, NaN, 3]);
    const buffers = () => tf.engine().backend.numDataIds();
    const before = buffers();
    const same = tf.cast(x, 'float32');
    expect(buffers()).toBe(before);
    const ints = tf.cast(x, 'int32');
    expect(buffers()).toBe(before + 1);
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -0, NaN, 3]);
    expect(Array.from(ints.dataSync())).toEqual([1, 0, 0, 3]);
    tf.dispose([same, ints]);
  });

  it("strings keep the backend's own Identity", async () => {
    await tf.setBackend('wasm');
    const s = tf.tensor1d(['a', 'b'], 'string');
    const c = tf.clone(s);
    expect(c.arraySync()).toEqual(['a', 'b']);
    tf.dispose([s, c]);
  });
  // tfjs-core clones every tensor it saves for a gradient: training must not tell the two apart.
  it('LeNet-5 trains to the same bits either way, leaving no tensors behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const shared = await lenetBitsAfter(4);
    expect(tf.memory().numTensors).toBe(before);
    const copied = await withOwnKernel('Identity', () => lenetBitsAfter(4));
    expect(shared.length).toBe(10);
    expect(shared).toEqual(copied);
  });
});
