/**
 * The site's wasm kernels that work in the backend's heap directly (heap.ts), as plain loops or as the SIMD loops
 * of pool-kernel.ts, bias-kernels.ts and transpose-kernel.ts: MaxPoolGrad, the bias Add and Sum, one Transpose, and
 * an Identity that copies nothing. wasm-kernels.ts registers them; each gives the bits of the kernel it replaces
 * (or, for Sum, says how it differs).
 */
import * as tf from '@tensorflow/tfjs-core';
import { poolGradKernel } from './pool-kernel.ts';
import { addRowsKernel, addRowsModuleBytes, sumRowsKernel } from './bias-kernels.ts';
import { batchInwardKernel, isBatchInward } from './transpose-kernel.ts';
import { heapMemory, type WasmHeap } from './heap.ts';

type Info = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * MaxPoolGrad on the wasm heap. The backend's own kernel rescans each input cell's windows and took
 * 55 % of a LeNet training step; this one visits each output window once: find the first maximum of the window
 * (TF's tie rule) and route dy there. Same results as the cpu backend's kernel.
 */
export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): Info {
  const { dy, input } = inputs as { dy: Info; input: Info };
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput(input.shape, 'float32');
  // Views after the allocation: growing the heap detaches older views.
  const dx = heap.typedArrayFromHeap(out);
  const x = heap.typedArrayFromHeap(input);
  const g = heap.typedArrayFromHeap(dy);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && H === 2 * OH && W === 2 * OW) {
    // The SIMD loop works in TF.js's memory itself (pool-kernel.ts); the plain-JS one where that cannot be.
    const simd = C >= 4 ? poolGradKernel(heapMemory(backend, dx)) : null;
    if (simd) simd(x.byteOffset, g.byteOffset, dx.byteOffset, B * OH, OW, C);
    else maxPoolGrad2x2(x, g, dx, B, OH, OW, C);
    return out;
  }
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const y0 = Math.max(0, oy * sh - top);
      const y1 = Math.min(H, oy * sh - top + fh);
      for (let ox = 0; ox < OW; ox++) {
        const x0 = Math.max(0, ox * sw - left);
        const x1 = Math.min(W, ox * sw - left + fw);
        const gBase = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const k = ((b * H + iy) * W + ix) * C + c;
              const v = x[k]!;
              // `> best` keeps the first maximum; at === -1 also catches a window of NaNs.
              if (v > best || at === -1) {
                best = v;
                at = k;
              }
            }
          }
          if (at >= 0) dx[at] = dx[at]! + g[gBase + c]!;
        }
      }
    }
  }
  return out;
}

/**
 * MaxPoolGrad for LeNet's case, 2x2 windows with stride 2 tiling the input exactly: each input cell is in one
 * window, so every cell is written once (dy at the window's first maximum, 0 elsewhere) and nothing needs zeroing or
 * summing. Same choice of maximum as the general loop (row-major first maximum; a NaN first cell wins). At batch 32
 * (`npm run bench:kernels`) it took 0.72 ms per step, against 1.32-1.43 ms for the general loop and 3.28 ms for
 * the backend's own kernel. The SIMD version of this loop (pool-kernel.ts) takes 0.11 ms and gives the same bits;
 * this one runs where that cannot (C < 4, no WebAssembly SIMD) and is its reference.
 */
export function maxPoolGrad2x2(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  B: number,
  OH: number,
  OW: number,
  C: number,
): void {
  const row = 2 * OW * C;
  let gi = 0;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      let i00 = (b * 2 * OH + 2 * oy) * row;
      for (let ox = 0; ox < OW; ox++, i00 += C) {
        for (let c = 0; c < C; c++, i00++, gi++) {
          const i01 = i00 + C;
          const i10 = i00 + row;
          const i11 = i10 + C;
          let at = i00;
          let best = x[i00]!;
          if (x[i01]! > best) {
            at = i01;
            best = x[i01]!;
          }
          if (x[i10]! > best) {
            at = i10;
            best = x[i10]!;
          }
          if (x[i11]! > best) at = i11;
          const v = g[gi]!;
          dx[i00] = at === i00 ? v : 0;
          dx[i01] = at === i01 ? v : 0;
          dx[i10] = at === i10 ? v : 0;
          dx[i11] = at === i11 ? v : 0;
        }
      }
    }
  }
}

/**
 * Add of a bias: a float32 tensor [..., C] plus a float32 vector [C] (either order), on the wasm heap: a SIMD loop
 * (bias-kernels.ts; 0.12 ms per LeNet step) or, where that cannot run, plain JS (0.32 ms).
 * Training a conv net goes through this case at every layer: tfjs-core fuses bias and activation into the
 * convolution only when no gradient is being recorded, so a training step runs Conv2D, then Add, then Relu. The
 * backend's broadcasting Add walks general indices and took 0.44 ms for conv1's [32,28,28,6] output at batch 32
 * (`npm run bench:kernels`). Each sum is one float32 addition, as in the backend, so the bits are the same.
 */
export function makeAdd(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const [big, bias] = a.shape.length >= b.shape.length ? [a, b] : [b, a];
    const c = big.shape[big.shape.length - 1];
    if (
      big.dtype !== 'float32' ||
      bias.dtype !== 'float32' ||
      big.shape.length < 2 ||
      bias.shape.length !== 1 ||
      bias.shape[0] !== c
    ) {
      return original(args);
    }
    const heap = args.backend as unknown as WasmHeap;
    const out = heap.makeOutput(big.shape, 'float32');
    const [x, v, o] = [heap.typedArrayFromHeap(big), heap.typedArrayFromHeap(bias), heap.typedArrayFromHeap(out)];
    const simd = v.length >= 4 ? addRowsKernel(heapMemory(args.backend, o)) : null;
    if (simd) simd(x.byteOffset, v.byteOffset, o.byteOffset, x.length / v.length, v.length);
    else addRows(x, v, o);
    return out;
  };
}

/** o = x + v, with v ([C]) added to every row of C values of x. */
export function addRows(x: Float32Array, v: Float32Array, o: Float32Array): void {
  const c = v.length;
  for (let i = 0; i < x.length; i += c) for (let k = 0; k < c; k++) o[i + k] = x[i + k]! + v[k]!;
}

/**
 * Sum over every axis but the last, of a float32 tensor: a bias's gradient (one per layer per step). The backend
 * first transposes the summed axes to the end, then reduces; this adds each row into C running sums. The sums run
 * in float64 and are rounded once, so they can differ from the backend's in the last bit (they are closer to exact).
 * A SIMD loop does the same sums in the same order (bias-kernels.ts; 0.09 ms per LeNet step against 0.23 ms).
 */
export function makeSum(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const r = x.shape.length;
    const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((d) => (d < 0 ? d + r : d)))].sort(
      (p, q) => p - q,
    );
    if (x.dtype !== 'float32' || r < 2 || axes.length !== r - 1 || axes.some((d, i) => d !== i)) {
      return original(args);
    }
    const c = x.shape[r - 1]!;
    const heap = args.backend as unknown as WasmHeap;
    const out = heap.makeOutput(keepDims ? [...Array<number>(r - 1).fill(1), c] : [c], 'float32');
    const [xs, o] = [heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(out)];
    const simd = c >= 4 ? sumRowsKernel(heapMemory(args.backend, o)) : null;
    if (simd) simd(xs.byteOffset, o.byteOffset, xs.length / c, c);
    else sumRows(xs, o);
    return out;
  };
}

/** o ([C]) = the sum of x's rows of C values, added in float64 and rounded once. */
export function sumRows(x: Float32Array, o: Float32Array): void {
  const c = o.length;
  const acc = new Float64Array(c);
  for (let i = 0; i < x.length; i += c) for (let k = 0; k < c; k++) acc[k] = acc[k]! + x[i + k]!;
  o.set(acc);
}

/**
 * Runs the plain-JS loops above on small arrays until the engine has optimised them, so that a run's first batch
 * does not run them cold: after a one-step warm-up run (train.ts warmUp, which calls this first), the first real
 * batch's bias Sum took 7.6-12.7 ms and MaxPoolGrad 4-5 ms (Node, tf.profile), against 0.2 and 0.5 ms warm. Pure
 * JavaScript on arrays of its own: no tensors, no backend. Where WebAssembly SIMD runs, the steps of the site's
 * presets (every layer 4 channels or more) take the SIMD loops and never these, so there is nothing to warm.
 */
export function warmKernelLoops(): void {
  if (typeof WebAssembly !== 'undefined' && WebAssembly.validate(addRowsModuleBytes())) return;
  const [b, oh, ow, c] = [2, 8, 8, 6];
  const x = Float32Array.from({ length: b * 4 * oh * ow * c }, (_, i) => ((i * 7919) % 97) / 97 - 0.5);
  const g = x.subarray(0, b * oh * ow * c);
  const dx = new Float32Array(x.length);
  const bias = new Float32Array(c).fill(0.1);
  const sums = new Float32Array(c);
  for (let i = 0; i < 60; i++) {
    addRows(x, bias, dx);
    sumRows(x, sums);
    maxPoolGrad2x2(x, g, dx, b, oh, ow, c);
  }
}

/**
 * Transpose of a float32 tensor that moves axis 0 just before the last ([1, 2, 0, 3] at rank 4), with at least 4
 * values in the last axis, as a SIMD copy of whole rows (transpose-kernel.ts). The weight gradient does this to dy:
 * for LeNet's conv1 at batch 32 the backend's Transpose took 0.18 ms in Node. Other cases keep the backend's kernel.
 */
export function makeTranspose(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    const { perm } = args.attrs as unknown as tf.TransposeAttrs;
    const c = x.shape[x.shape.length - 1] ?? 0;
    if (x.dtype !== 'float32' || c < 4 || perm.length !== x.shape.length || !isBatchInward(perm)) {
      return original(args);
    }
    const heap = args.backend as unknown as WasmHeap;
    // No SIMD here (or not the memory the kernel knows): the backend's kernel, before anything is allocated.
    const simd = batchInwardKernel(heapMemory(args.backend, heap.typedArrayFromHeap(x)));
    if (!simd) return original(args);
    const out = heap.makeOutput(
      perm.map((d) => x.shape[d]!),
      'float32',
    );
    // Views after the allocation: growing the heap detaches older views.
    const [xs, o] = [heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(out)];
    const b = x.shape[0]!;
    simd(xs.byteOffset, o.byteOffset, b, xs.length / (b * c), c);
    return out;
  };
}

/**
 * Identity that shares its input's memory (one more reference to it), as the cpu and WebGL backends' Identity does,
 * instead of copying it. tfjs-core clones every tensor it saves for the backward pass through Identity, so on wasm
 * each training step copied every activation a gradient needs (about 0.13 ms per LeNet step in Node, plus the
 * allocations). Nothing in the backend or this site writes into a tensor's memory after creating it, so the copy
 * protected nothing; the values, and so the run's bits, are the same.
 */
export function makeIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype === 'string') return original(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/**
 * Cast to the dtype a tensor already has, sharing its memory as Identity does (makeIdentity) instead of copying it.
 * tfjs-core's ReLU gradient is dy * cast(step(x), 'float32'), and Step already gives float32: every training step
 * copied each ReLU layer's input size that way (0.07 ms per LeNet step of 32 in Node). Other casts are the backend's.
 */
export function makeCast(original: tf.KernelFunc): tf.KernelFunc {
  const identity = makeIdentity(original);
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    return dtype === x.dtype ? identity(args) : original(args);
  };
}

/**
 * A float32 x [B, H, W, C] with rows of zeros above and below and columns left and right (pads: [top, bottom],
 * [left, right]), on the wasm heap, each row copied whole: what the site's SIMD convolutions (wasm-kernels.ts) read.
 * The backend's PadV2 moves the values one at a time: 0.4 ms for LeNet's input at batch 32 (32x28x28x1 to 32x32x32x1).
 */
export function padSpatial(x: Info, pads: [[number, number], [number, number]], heap: WasmHeap): Info {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const [[top, bottom], [left, right]] = pads;
  const [hp, wp] = [h + top + bottom, w + left + right];
  const out = heap.makeOutput([b, hp, wp, c], 'float32');
  // Views after the allocation: growing the heap detaches older views.
  const o = heap.typedArrayFromHeap(out);
  const src = heap.typedArrayFromHeap(x);
  o.fill(0);
  const row = w * c;
  for (let i = 0; i < b; i++) {
    for (let y = 0; y < h; y++) {
      const from = (i * h + y) * row;
      o.set(src.subarray(from, from + row), ((i * hp + y + top) * wp + left) * c);
    }
  }
  return out;
}
