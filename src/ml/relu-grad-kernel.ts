/**
 * The ReLU layer's gradient, dx = dy * step(x), as one WebAssembly SIMD loop in TF.js's own memory (wasm-asm.ts
 * heapKernel). tfjs-core computes it as mul(dy, cast(step(x), 'float32')): three kernels and two intermediate
 * tensors per ReLU layer per step. Here each lane's factor is 1 where x > 0, x itself where x is NaN (as Step gives
 * NaN there), else 0, and dy is multiplied by it: the same float32 multiplication, so the same values (NaN stays
 * NaN; test/unit/ml-relu-grad.test.ts). Four values at a time, the last block moved back to end at n (n >= 4), so
 * overlapping values are written twice, the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  I32,
  V128,
  assemble,
  channelBlocks,
  constLanes,
  get,
  heapKernel,
  load128,
  op,
  set,
  simd,
  store128,
  zero128,
} from './wasm-asm.ts';
import { heapMemory, type WasmHeap } from './heap.ts';

// Parameters: byte addresses of x, dy and out; n. Locals: the block counter and byte offset; x's four values.
const [X, DY, OUT, N] = [0, 1, 2, 3];
const [I, OFF, XV] = [4, 5, 6];

const at = (base: number) => [...get(base), ...get(OFF), ...op.i32Add];

const body = channelBlocks(I, N, OFF, [
  ...at(OUT),
  ...at(DY),
  ...load128,
  ...at(X),
  ...load128,
  ...set(XV),
  // factor = x > 0 ? 1 : 0, then x itself where x is NaN (x != x)
  ...constLanes(0x3f800000), // 1.0
  ...zero128,
  ...get(XV),
  ...zero128,
  ...op.f32x4Gt,
  ...op.v128Bitselect,
  ...set(XV + 1),
  ...get(XV),
  ...get(XV + 1),
  ...get(XV),
  ...get(XV),
  ...simd(0x42), // f32x4.ne
  ...op.v128Bitselect,
  ...op.f32x4Mul,
  ...store128,
]);

/** The module's bytes: imports env.memory (shared or not), exports `reluGrad`. */
export function reluGradModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const fn = { params: [I32, I32, I32, I32], locals: [2, I32, 2, V128], body };
  return assemble('reluGrad', fn, shared ? 'import-shared' : 'import');
}

type ReluGradFn = (x: number, dy: number, out: number, n: number) => void;
const reluGradSimd = heapKernel<ReluGradFn>(reluGradModuleBytes, 'reluGrad');

/** The kernel's name in TF.js's registry (wasm only). */
export const RELU_GRAD = 'ConvNotebookReluGrad';

/** dx = dy * step(x) for float32 dy and x of one shape, on the wasm heap. */
export function reluGrad({ inputs, backend }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput(x.shape, 'float32');
  // Views after the allocation: growing the heap detaches older views.
  const o = heap.typedArrayFromHeap(out);
  const xs = heap.typedArrayFromHeap(x);
  const g = heap.typedArrayFromHeap(dy);
  const simdFn = o.length >= 4 ? reluGradSimd(heapMemory(backend, o)) : null;
  if (simdFn) {
    simdFn(xs.byteOffset, g.byteOffset, o.byteOffset, o.length);
  } else {
    for (let i = 0; i < o.length; i++) {
      const v = xs[i]!;
      o[i] = g[i]! * (v > 0 ? 1 : Number.isNaN(v) ? v : 0);
    }
  }
  return out;
}
