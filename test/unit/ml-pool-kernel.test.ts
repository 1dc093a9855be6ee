import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { poolGradKernel, poolModuleBytes } from '../../src/ml/pool-kernel.ts';
import { registerWasmTrainingKernels } from '../../src/ml/wasm-kernels.ts';
import { maxPoolGrad2x2 } from '../../src/ml/heap-kernels.ts';
import { Rng } from '../../src/lib/index.ts';
import { float32Bits as bits } from './helpers.ts';

/** Bits of a Float32Array, so -0 against +0 and NaN payloads count as differences. */

/**
 * x of [b, 2*oh, 2*ow, c] with values drawn from a few levels, so windows hold ties, plus NaNs, -0 and infinities
 * placed by the seed; dy with -0 among its values too.
 */
function inputs(b: number, oh: number, ow: number, c: number, seed: number) {
  const rng = new Rng(seed);
  const special = [NaN, -0, 0, Infinity, -Infinity];
  const x = Float32Array.from({ length: b * 4 * oh * ow * c }, () => {
    const u = rng.next();
    return u < 0.05 ? special[Math.floor(rng.next() * special.length)]! : Math.floor(rng.next() * 4) - 1.5;
  });
  const g = Float32Array.from({ length: b * oh * ow * c }, () => (rng.next() < 0.05 ? -0 : rng.next() * 2 - 1));
  return { x, g };
}

/** Runs the SIMD kernel on copies of x and g placed in a memory of its own, at unaligned offsets. */
function simd(x: Float32Array, g: Float32Array, b: number, oh: number, ow: number, c: number, shared = false) {
  const pages = 1 + Math.ceil(((2 * x.length + g.length + 64) * 4) / 65536);
  const memory = shared
    ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
    : new WebAssembly.Memory({ initial: pages });
  const f32 = new Float32Array(memory.buffer);
  const [xAt, gAt, dxAt] = [3, 3 + x.length + 5, 3 + x.length + 5 + g.length + 7];
  f32.set(x, xAt);
  f32.set(g, gAt);
  f32.fill(12345, dxAt, dxAt + x.length);
  poolGradKernel(memory)!(xAt * 4, gAt * 4, dxAt * 4, b * oh, ow, c);
  return f32.slice(dxAt, dxAt + x.length);
}

describe('the SIMD MaxPoolGrad 2x2 kernel', () => {
  it('is valid WebAssembly importing env.memory and exporting maxPoolGrad2x2', () => {
    const m = new WebAssembly.Module(poolModuleBytes());
    expect(WebAssembly.Module.imports(m).map((i) => `${i.kind}:${i.module}.${i.name}`)).toEqual(['memory:env.memory']);
    expect(WebAssembly.Module.exports(m).map((e) => `${e.kind}:${e.name}`)).toEqual(['function:maxPoolGrad2x2']);
  });

  for (const [b, oh, ow, c] of [
    [3, 14, 14, 6], // LeNet's first pool (C = 6: channels 0-3 and 2-5)
    [2, 5, 5, 16], // LeNet's second
    [2, 3, 4, 4],
    [1, 2, 3, 5],
    [2, 1, 1, 7],
  ] as const) {
    it(`[${b}, ${2 * oh}, ${2 * ow}, ${c}] with ties, NaN, ±0 and ±Infinity: the plain-JS loop's bits`, () => {
      const { x, g } = inputs(b, oh, ow, c, 11 + c);
      const expected = new Float32Array(x.length);
      maxPoolGrad2x2(x, g, expected, b, oh, ow, c);
      const actual = simd(x, g, b, oh, ow, c);
      expect(bits(actual)).toEqual(bits(expected));
      // Each window gets exactly one dy value: the case is not trivially all zeros.
      expect(actual.filter((v) => v !== 0).length).toBeGreaterThan(x.length / 8);
    });
  }

  it("in a shared memory (the threaded backend's) too: the same bits; not a memory: null", () => {
    const { x, g } = inputs(2, 14, 14, 6, 5);
    expect(bits(simd(x, g, 2, 14, 14, 6, true))).toEqual(bits(simd(x, g, 2, 14, 14, 6)));
    expect(poolGradKernel({})).toBeNull();
  });
});

describe('MaxPoolGrad on the wasm backend', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });

  it("binds to TF.js's own memory (so LeNet's pools run it), and the gradients stay right", () => {
    const wasm = (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory }; HEAPU8: Uint8Array } })
      .wasm;
    // The two conditions maxPoolGrad checks before it calls the kernel.
    expect(poolGradKernel(wasm.asm.memory)).toBeTypeOf('function');
    expect(wasm.HEAPU8.buffer).toBe(wasm.asm.memory.buffer);
    const d = tf.tidy((): Float32Array => {
      const x = tf.randomNormal([2, 28, 28, 6], 0, 1, 'float32', 3) as tf.Tensor4D;
      return tf
        .grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid')))(x)
        .dataSync() as Float32Array;
    });
    // One dy of 1 per window, 0 for the other three cells.
    expect(d.reduce((s, v) => s + v, 0)).toBe(2 * 14 * 14 * 6);
    expect(d.filter((v) => v !== 0 && v !== 1).length).toBe(0);
  });
});
