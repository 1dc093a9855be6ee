/**
 * The wasm kernels of a stride-1 training step that run through the site's SIMD product (gemm-kernel.ts): the
 * forward convolution, its two gradients and BatchMatMul, from TF.js's tensors on the wasm heap, or null where the
 * product does not fit (the callers in wasm-kernels.ts then take XNNPACK's paths). Each sums in XNNPACK's order, so
 * the results are XNNPACK's to the bit (test/unit/ml-gemm-kernel.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { padSpatial } from './heap-kernels.ts';
import { gemmFits, gemmKernel } from './gemm-kernel.ts';
import { heapMemory, type WasmHeap } from './heap.ts';

type Info = tf.TensorInfo;

/** Runs the wasm backend's kernel `name`, whatever is registered under it now (the site's included). */
export function runWasmKernel(
  name: string,
  backend: tf.KernelBackend,
  inputs: Record<string, Info>,
  attrs: object,
): Info {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`The wasm backend has no ${name} kernel.`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as Info;
}

/** The site's product for `n` columns (blocks of `rows` rows) on the heap `t` lives in, or null without SIMD. */
function productOn(wasm: tf.KernelBackend, t: Info, n: number, rows?: number) {
  return gemmKernel(heapMemory(wasm, (wasm as unknown as WasmHeap).typedArrayFromHeap(t)), n, rows);
}

/**
 * The tensors' byte addresses on the heap. Read them after the last allocation: it can grow the memory, which makes
 * typed-array views stale but moves no data, so the offsets stay good.
 */
function addresses(heap: WasmHeap, ...ts: Info[]): number[] {
  return ts.map((t) => heap.typedArrayFromHeap(t).byteOffset);
}

/**
 * The weight gradient of a stride-1 convolution with the site's SIMD product (gemm-kernel.ts), or null where it
 * does not fit (strides or dilations above 1, fewer than 6 output channels or 7, no SIMD). The same sums as the
 * XNNPACK convolution wasm-kernels.ts falls back to, in the same order, with the same zeros for the padding: the same
 * bits.
 * x is transposed to [Ci, H, W, B] and padded, dy to [OH, OW, B, Co]; then for each input channel ci and kernel
 * row ky, dW[ky, kx, ci, :] = sum over oy, then over (ox, b), of xT[ci, ky + oy, kx + ox, b] * dyT[oy, ox, b, :].
 */
export function gemmWeightGradient(
  x: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
  wasm: tf.KernelBackend,
): Info | null {
  const { batchSize: b, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w } = info;
  const { top, bottom, left, right } = info.padInfo;
  const rows = kw <= 5 ? kw : 4;
  const unit =
    info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
  if (!unit || x.dtype !== 'float32' || dy.dtype !== 'float32' || !gemmFits(kw, co, rows)) return null;
  const heap = wasm as unknown as WasmHeap;
  const gemm = productOn(wasm, x, co, rows);
  if (!gemm) return null;
  const free: Info[] = [];
  try {
    let xT = runWasmKernel('Transpose', wasm, { x }, { perm: [3, 1, 2, 0] });
    free.push(xT);
    if (top || bottom || left || right) {
      xT = padSpatial(
        xT,
        [
          [top, bottom],
          [left, right],
        ],
        heap,
      );
      free.push(xT);
    }
    const dyT = runWasmKernel('Transpose', wasm, { x: dy }, { perm: [1, 2, 0, 3] });
    free.push(dyT);
    const [hp, wp] = [h + top + bottom, w + left + right];
    const out = heap.makeOutput([kh, kw, ci, co], 'float32');
    const [pa, pb, pc] = addresses(heap, xT, dyT, out) as [number, number, number];
    gemm({
      a: pa,
      b: pb,
      c: pc,
      lines: [ci, kh],
      m: kw,
      n: co,
      k: [oh, ow * b],
      sA: [hp * wp * b * 4, wp * b * 4, b * 4, wp * b * 4, 4],
      sC: [co * 4, kw * ci * co * 4, ci * co * 4],
    });
    return out;
  } finally {
    for (const t of free) wasm.disposeData(t.dataId);
  }
}

/**
 * A stride-1 NHWC convolution of float32 x [B, H, W, Ci] with filter [KH, KW, Ci, Co], padded by pads ([top, bottom],
 * [left, right]), through the site's SIMD product, or null where it does not fit (fewer than 4 output columns, fewer
 * than 6 output channels or 7, no SIMD). Lines are output rows (b, oy), rows output columns, k1 the kernel row and
 * k2 (kernel column, input channel), a contiguous run of the padded row: the taps in XNNPACK's order, channels
 * innermost, so the same bits. With `clipRows`, the padding's rows are skipped instead of multiplied (their
 * products are zeros, which change no sum unless the filter holds an infinity or NaN).
 */
export function gemmConv2D(
  x: Info,
  filter: Info,
  pads: [[number, number], [number, number]],
  wasm: tf.KernelBackend,
  clipRows: boolean,
): Info | null {
  const [b, h, w, ci] = x.shape as [number, number, number, number];
  const [kh, kw, , co] = filter.shape as [number, number, number, number];
  const [[top, bottom], [left, right]] = pads;
  const [hp, wp] = [h + top + bottom, w + left + right];
  const [oh, ow] = [hp - kh + 1, wp - kw + 1];
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || oh < 1 || !gemmFits(ow, co)) return null;
  const heap = wasm as unknown as WasmHeap;
  const gemm = productOn(wasm, x, co);
  if (!gemm) return null;
  const padded = top || bottom || left || right;
  const xp = padded ? padSpatial(x, pads, heap) : x;
  try {
    const out = heap.makeOutput([b, oh, ow, co], 'float32');
    const [pa, pb, pc] = addresses(heap, xp, filter, out) as [number, number, number];
    gemm({
      a: pa,
      b: pb,
      c: pc,
      lines: [b, oh],
      m: ow,
      n: co,
      k: [kh, kw * ci],
      ...(clipRows ? { clip: [top, top + h] as [number, number] } : {}),
      sA: [hp * wp * ci * 4, wp * ci * 4, ci * 4, wp * ci * 4, 4],
      sC: [oh * ow * co * 4, ow * co * 4, co * 4],
    });
    return out;
  } finally {
    if (xp !== x) wasm.disposeData(xp.dataId);
  }
}

/**
 * BatchMatMul of float32 [batch, rows, cols] operands with the site's SIMD product (gemm-kernel.ts), or null where
 * that does not fit (fewer than 4 rows or 8 columns in C, other dtypes, batches that do not broadcast, no SIMD).
 * Aᵀ is read through strides; Bᵀ is transposed first (a weight matrix: at most LeNet's 400x120).
 */
export function gemmBatchMatMul(a: Info, b: Info, at: tf.BatchMatMulAttrs, wasm: tf.KernelBackend): Info | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  // tfjs-core's matMul hands over [batch, rows, cols]; a dense layer's gradients call the kernel with [rows, cols].
  const as3 = (s: number[]) => (s.length === 2 ? [1, ...s] : s.length === 3 ? s : null);
  const sa = as3(a.shape);
  const sb = as3(b.shape);
  if (!sa || !sb) return null;
  const [batchA, rowsA, colsA] = sa as [number, number, number];
  const [batchB, rowsB, colsB] = sb as [number, number, number];
  const [m, k] = at.transposeA ? [colsA, rowsA] : [rowsA, colsA];
  const n = at.transposeB ? rowsB : colsB;
  const batch = Math.max(batchA, batchB);
  if (!gemmFits(m, n) || (batchA !== batchB && Math.min(batchA, batchB) !== 1)) return null;
  const heap = wasm as unknown as WasmHeap;
  const gemm = productOn(wasm, a, n);
  if (!gemm) return null;
  const bPlain = at.transposeB
    ? runWasmKernel('Transpose', wasm, { x: b }, { perm: b.shape.length === 2 ? [1, 0] : [0, 2, 1] })
    : b;
  try {
    const out = heap.makeOutput(a.shape.length === 2 && b.shape.length === 2 ? [m, n] : [batch, m, n], 'float32');
    const [pa, pb, pc] = addresses(heap, a, bPlain, out) as [number, number, number];
    const [sai, sak] = at.transposeA ? [4, m * 4] : [k * 4, 4];
    for (let i = 0; i < batch; i++) {
      gemm({
        a: pa + (batchA === 1 ? 0 : i * m * k * 4),
        b: pb + (batchB === 1 ? 0 : i * k * n * 4),
        c: pc + i * m * n * 4,
        lines: [1, 1],
        m,
        n,
        k: [1, k],
        sA: [0, 0, sai, 0, sak],
        sC: [0, 0, n * 4],
      });
    }
    return out;
  } finally {
    if (bPlain !== b) wasm.disposeData(bPlain.dataId);
  }
}
