import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, useOwnWasmKernels } from '../../src/ml/wasm-kernels.ts';
import { RELU_GRAD, reluGradModuleBytes } from '../../src/ml/relu-grad-kernel.ts';
import { Rng } from '../../src/lib/index.ts';
import { sameValues } from './helpers.ts';

/** Seeded values with every kind of special among them. */
function values(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const odd = [-0, 0, Infinity, -Infinity, NaN, 1e-45, -1e-45];
  return Float32Array.from({ length: n }, () =>
    rng.next() < 0.2 ? odd[Math.floor(rng.next() * odd.length)]! : (rng.next() - 0.5) * 8,
  );
}

/** dL/dx for L = sum(relu(x) * dy): through the site's kernel, or (own) through tfjs-core's three. */
function gradient(x: tf.Tensor, dy: tf.Tensor, own: boolean): Float32Array {
  const restore = own ? useOwnWasmKernels() : () => {};
  try {
    return tf.tidy(
      () =>
        tf
          .grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), dy)))(x)
          .dataSync() as Float32Array,
    );
  } finally {
    restore();
  }
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('the ReLU gradient as one SIMD kernel', () => {
  it('is valid WebAssembly importing env.memory, for ordinary and shared memories', () => {
    const m = new WebAssembly.Module(reluGradModuleBytes());
    expect(WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`)).toEqual(['env.memory']);
    expect(WebAssembly.validate(reluGradModuleBytes(true))).toBe(true);
  });

  // 3: the plain-JS loop; 4, 7 and 1,001: the SIMD loop, its last block moved back; LeNet's conv1 at batch 32.
  for (const n of [3, 4, 7, 1001, 32 * 28 * 28 * 6]) {
    it(`${n} values, specials included: tfjs-core's dy * cast(step(x)) to the bit`, () => {
      const x = tf.tensor1d(values(n, n));
      const dy = tf.tensor1d(values(n, n + 1));
      const ours = gradient(x, dy, false);
      const theirs = gradient(x, dy, true);
      expect(sameValues(ours, theirs)).toBe(true);
      // It is a real gradient: dy where x > 0, zeros elsewhere.
      const xv = x.dataSync();
      const i = Array.from(xv).findIndex((v) => v > 0 && Number.isFinite(v));
      expect(ours[i]).toBe(dy.dataSync()[i]);
      tf.dispose([x, dy]);
    });
  }

  it('fewer than 4 values (the plain-JS loop): a NaN input gives NaN, zeros keep dy’s sign', () => {
    const x = tf.tensor1d([NaN, -0, 2]);
    const dy = tf.tensor1d([1, -3, -4]);
    const ours = gradient(x, dy, false);
    expect(sameValues(ours, gradient(x, dy, true))).toBe(true);
    expect(Array.from(ours)).toEqual([NaN, -0, -4]);
    tf.dispose([x, dy]);
  });

  it('runs as one kernel in place of Step, Cast and Multiply, and leaves nothing behind', async () => {
    const x = tf.tensor2d(values(64, 1), [8, 8]);
    const dy = tf.tensor2d(values(64, 2), [8, 8]);
    gradient(x, dy, false);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      gradient(x, dy, false);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain(RELU_GRAD);
    expect(names).not.toContain('Step');
    expect(tf.memory().numTensors).toBe(before);
    const own = await tf.profile(() => {
      gradient(x, dy, true);
    });
    expect(own.kernels.map((k) => k.name)).toContain('Step');
    tf.dispose([x, dy]);
  });
});
