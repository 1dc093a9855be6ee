/**
 * The wasm backend's memory, as the site's kernels and optimizer use it, in one place: they all reach into TF.js's
 * BackendWasm, and a TF.js update that moves something should break one file.
 *
 * Float32 tensors are read where they lie. dataSync would copy each into a fresh ArrayBuffer, and in Chromium a
 * fresh buffer per read costs far more than the copy: the lab's Adam update spent 1.5 ms of 2.4 ms per step on 20
 * such reads (fused-adam.ts). A view stays valid only until the backend next allocates, so read it at once (copy it
 * into a buffer of your own) and do not keep it.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The parts of the wasm backend (TF.js's BackendWasm) used to read and write tensors in place on its heap. */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * The WebAssembly.Memory behind the wasm backend's heap, for the SIMD kernels that import it (pool-kernel.ts,
 * bias-kernels.ts, transpose-kernel.ts, called from heap-kernels.ts), or null if `view` is not a view of it (an Emscripten that names
 * its exports differently).
 */
export function heapMemory(backend: unknown, view: Float32Array): WebAssembly.Memory | null {
  // Emscripten exports the memory of a single-threaded module; a threaded one creates it (shared) as wasmMemory.
  const wasm = (backend as { wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown } }).wasm;
  const memory = wasm?.asm?.memory ?? wasm?.wasmMemory;
  return memory instanceof WebAssembly.Memory && memory.buffer === view.buffer ? memory : null;
}

/** The active backend's heap when it is wasm, else null. */
export function wasmHeap(): WasmHeap | null {
  const b = tf.backend() as Partial<WasmHeap>;
  return tf.getBackend() === 'wasm' && b.typedArrayFromHeap && b.makeOutput ? (b as WasmHeap) : null;
}

/** A float32 tensor's values: a view of the wasm heap (use it before the next TF.js call), else dataSync. */
export function readFloats(t: tf.Tensor): Float32Array {
  return wasmHeap()?.typedArrayFromHeap(t) ?? (t.dataSync() as Float32Array);
}

/**
 * Sets a float32 variable to `values` (its size): on wasm straight into fresh backend memory, with no tensor made
 * from a JS buffer in between; elsewhere from a copy (the cpu backend keeps the array it is given, and `values` may
 * be a buffer the caller reuses).
 */
export function assignFloats(variable: tf.Variable, values: Float32Array): void {
  const heap = wasmHeap();
  let next: tf.Tensor;
  if (heap) {
    const out = heap.makeOutput(variable.shape, 'float32');
    // The view after the allocation, which can grow the backend's memory.
    heap.typedArrayFromHeap(out).set(values);
    next = tf.engine().makeTensorFromTensorInfo(out);
  } else {
    next = tf.tensor(values.slice(), variable.shape, 'float32');
  }
  variable.assign(next);
  next.dispose();
}
