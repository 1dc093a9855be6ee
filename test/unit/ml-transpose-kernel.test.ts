import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchInwardKernel, batchInwardModuleBytes, isBatchInward } from '../../src/ml/transpose-kernel.ts';
import { registerWasmTrainingKernels, useOwnWasmKernels } from '../../src/ml/wasm-kernels.ts';
import { Rng } from '../../src/lib/index.ts';
import { float32Bits as bits } from './helpers.ts';

/** Bits of a Float32Array, so -0 against +0 and NaN payloads count. */

function values(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const special = [-0, 0, Infinity, -Infinity, NaN];
  return Float32Array.from({ length: n }, () =>
    rng.next() < 0.03 ? special[Math.floor(rng.next() * 5)]! : (rng.next() - 0.5) * 100,
  );
}

/** x [b, p, c] with its first axis moved in front of its last: [p, b, c], as a plain loop. */
function reference(x: Float32Array, b: number, p: number, c: number): Float32Array {
  const o = new Float32Array(x.length);
  for (let i = 0; i < b; i++)
    for (let j = 0; j < p; j++) for (let k = 0; k < c; k++) o[(j * b + i) * c + k] = x[(i * p + j) * c + k]!;
  return o;
}

describe('the SIMD batch-inward transpose', () => {
  it('is valid WebAssembly importing env.memory', () => {
    const m = new WebAssembly.Module(batchInwardModuleBytes());
    expect(WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`)).toEqual(['env.memory']);
    expect(WebAssembly.Module.exports(m).map((e) => e.name)).toEqual(['batchInward']);
  });

  it('knows its permutation', () => {
    expect(isBatchInward([1, 2, 0, 3])).toBe(true);
    expect(isBatchInward([1, 0, 2])).toBe(true);
    expect(isBatchInward([1, 2, 3, 0, 4])).toBe(true);
    for (const perm of [
      [1, 0],
      [0, 1, 2, 3],
      [3, 1, 2, 0],
      [2, 1, 0, 3],
      [1, 2, 3, 0],
      [0, 2, 1, 3],
    ]) {
      expect(isBatchInward(perm), `${perm}`).toBe(false);
    }
  });

  // LeNet's dy for conv1 and conv2 and its weight gradient's last step, and widths that are not multiples of 4.
  for (const [b, p, c] of [
    [32, 28 * 28, 6],
    [32, 10 * 10, 16],
    [6, 25, 16],
    [3, 7, 4],
    [5, 1, 5],
    [1, 9, 7],
    [4, 3, 10],
  ] as const) {
    for (const shared of [false, true]) {
      it(`[${b}, ${p}, ${c}] → [${p}, ${b}, ${c}]${shared ? ' in a shared memory' : ''}: every value moved, bits kept`, () => {
        const x = values(b * p * c, b + p + c);
        const n = x.length;
        const pages = Math.ceil((2 * n * 4 + 64) / 65536);
        const memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared } : { initial: pages });
        const f32 = new Float32Array(memory.buffer);
        // Odd offsets: the loads and stores need no alignment; sentinels around the output must survive.
        const xAt = 1;
        const oAt = n + 3;
        f32.set(x, xAt);
        f32.fill(7, oAt - 1, oAt + n + 1);
        batchInwardKernel(memory)!(xAt * 4, oAt * 4, b, p, c);
        expect(bits(f32.slice(oAt, oAt + n))).toEqual(bits(reference(x, b, p, c)));
        expect([f32[oAt - 1], f32[oAt + n]]).toEqual([7, 7]);
      });
    }
  }

  it('binds to nothing that is not a memory', () => {
    expect(batchInwardKernel(null)).toBeNull();
  });
});

describe('wasm Transpose (the batch-inward case replaced here)', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
  });

  /** tf.transpose on wasm, with the site's kernel or the backend's own; values as bits. */
  const transposed = (shape: number[], perm: number[], own: boolean) => {
    const restore = own ? useOwnWasmKernels(['Transpose']) : null;
    try {
      return tf.tidy(() => {
        const x = tf.tensor(
          values(
            shape.reduce((a, d) => a * d, 1),
            11,
          ),
          shape,
        );
        const t = tf.transpose(x, perm);
        return { shape: t.shape, bits: bits(t.dataSync() as Float32Array) };
      });
    } finally {
      restore?.();
    }
  };

  for (const [shape, perm] of [
    [
      [32, 28, 28, 6],
      [1, 2, 0, 3],
    ],
    [
      [6, 5, 5, 16],
      [1, 2, 0, 3],
    ],
    [
      [3, 4, 5],
      [1, 0, 2],
    ],
    [
      [32, 28, 28, 1],
      [3, 1, 2, 0],
    ],
    [
      [2, 3, 4, 3],
      [1, 2, 0, 3],
    ],
    [
      [4, 7],
      [1, 0],
    ],
  ] as const) {
    it(`x=[${shape}] perm=[${perm}]: the backend's own result`, () => {
      const mine = transposed([...shape], [...perm], false);
      const own = transposed([...shape], [...perm], true);
      expect(mine.shape).toEqual(own.shape);
      expect(mine.bits).toEqual(own.bits);
    });
  }

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    tf.tidy(() => tf.transpose(tf.ones([8, 3, 3, 6]), [1, 2, 0, 3]).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
});
