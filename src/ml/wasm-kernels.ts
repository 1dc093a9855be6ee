/**
 * The wasm backend of TF.js 4.22 has no `Conv2DBackpropFilter` kernel, so training any conv net on it throws
 * "Kernel 'Conv2DBackpropFilter' not registered". This registers one, and replaces the backend's kernels that made
 * a training step slow.
 *
 * The weight gradient is itself a convolution: dW[ky,kx,ci,co] = sum over b,oy,ox of
 * x[b, oy*s+ky-pt, ox*s+kx-pl, ci] * dy[b,oy,ox,co]. Treat x transposed to [Ci, H, W, B] as a batch of Ci images
 * with B channels, and dy transposed to [OH, OW, B, Co] as an OHxOW filter: a VALID-plus-padding Conv2D with
 * dilation equal to the forward stride gives [Ci, KH', KW', Co] (KH' >= KH when the forward conv dropped rows),
 * which is sliced and transposed back to [KH, KW, Ci, Co].
 *
 * For stride 1 (LeNet's layers) that convolution, the forward Conv2D, Conv2DBackpropInput (a convolution of the
 * padded dy with the flipped kernel) and BatchMatMul run through the site's SIMD product (gemm-kernel.ts), which
 * reads each window through strides (an implicit GEMM) and sums in XNNPACK's order, so the bits are XNNPACK's.
 * XNNPACK's own operators are fast once built, but TF.js builds and packs a new one whenever the weights or dy are a
 * tensor it has not seen, which in training is every call. Other strides keep the XNNPACK paths below.
 * Also registered: the kernels that work in the heap directly (heap-kernels.ts): MaxPoolGrad, the bias Add and Sum,
 * one Transpose, Identity and same-dtype Cast; and the ReLU gradient as one kernel (relu-grad-kernel.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { makeAdd, makeCast, makeIdentity, makeSum, makeTranspose, maxPoolGrad } from './heap-kernels.ts';
import { gemmBatchMatMul, gemmConv2D, gemmWeightGradient, runWasmKernel } from './gemm-ops.ts';
import { RELU_GRAD, reluGrad } from './relu-grad-kernel.ts';

type Info = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): Info {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const wasm = backend as tf.KernelBackend;
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports only NHWC.');
  const [kh, kw, ci, co] = a.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const simd = gemmWeightGradient(x, dy, info, wasm);
  if (simd) return simd;
  const free: Info[] = [];
  try {
    const xT = runWasmKernel('Transpose', wasm, { x }, { perm: [3, 1, 2, 0] });
    free.push(xT);
    const dyT = runWasmKernel('Transpose', wasm, { x: dy }, { perm: [1, 2, 0, 3] });
    free.push(dyT);
    const g = runWasmKernel(
      'Conv2D',
      wasm,
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dilations: [info.strideHeight, info.strideWidth],
        dataFormat: 'NHWC',
      },
    );
    free.push(g);
    let cut = g;
    if (g.shape[1] !== kh || g.shape[2] !== kw) {
      cut = runWasmKernel('Slice', wasm, { x: g }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
      free.push(cut);
    }
    return runWasmKernel('Transpose', wasm, { x: cut }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of free) wasm.disposeData(t.dataId);
  }
}

/**
 * The convolution's geometry when it has stride 1, dilation 1 and NHWC layout (the cases the site's SIMD paths and
 * its Conv2DBackpropInput handle), else null.
 */
function unitStrideInfo(
  xShape: number[],
  filterShape: number[],
  a: Pick<tf.Conv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'> & {
    dilations?: number | [number, number];
  },
): tf.backend_util.Conv2DInfo | null {
  const pair = (v: number | [number, number] | undefined) =>
    v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v;
  const unit = [...pair(a.strides), ...pair(a.dilations)].every((v) => v === 1);
  if (!unit || a.dataFormat === 'NCHW') return null;
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    1,
    1,
    a.pad,
    a.dimRoundingMode,
  );
}

/**
 * Conv2DBackpropInput for stride 1 as one XNNPACK convolution: dx is dy, padded by kh-1-top above (and so that
 * the output has the input's height), cross-correlated with the kernel flipped in both spatial axes and with its
 * channel axes swapped ([kh, kw, Co, Ci]). The backend's own kernel is a naive loop: at batch 16 it took more
 * time than every other kernel of a LeNet step together. Strides above 1 still use the original kernel.
 */
function makeConv2dBackpropInput(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const inShape = a.inputShape;
    const info = unitStrideInfo(inShape, filter.shape, a);
    if (!info) return original(args);
    const { top, left } = info.padInfo;
    const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow } = info;
    const [, h, w] = inShape;
    const wasm = backend as tf.KernelBackend;
    const free: Info[] = [];
    try {
      const flipped = runWasmKernel('Reverse', wasm, { x: filter }, { dims: [0, 1] });
      free.push(flipped);
      const swapped = runWasmKernel('Transpose', wasm, { x: flipped }, { perm: [0, 1, 3, 2] });
      free.push(swapped);
      const pad = [
        [0, 0],
        [kh - 1 - top, h - oh + top],
        [kw - 1 - left, w - ow + left],
        [0, 0],
      ];
      const simd = gemmConv2D(dy, swapped, [pad[1], pad[2]] as [[number, number], [number, number]], wasm, true);
      if (simd) return simd;
      return runWasmKernel(
        'Conv2D',
        wasm,
        { x: dy, filter: swapped },
        { strides: [1, 1], pad, dilations: [1, 1], dataFormat: 'NHWC' },
      );
    } finally {
      for (const t of free) wasm.disposeData(t.dataId);
    }
  };
}

/**
 * BatchMatMul with transposeA or transposeB, as an explicit Transpose and then the plain product. The backend hands
 * every transposed case to a naive loop, and a dense layer's backward pass is nothing but transposed cases (dx =
 * dy·Wᵀ, dW = xᵀ·dy). Measured in Node at batch 32: dW of LeNet's 400→120 layer took 1.17 ms that way and 0.12 ms
 * as Transpose + XNNPACK's product; `npm run bench:kernels` shows the whole step's BatchMatMul time both ways.
 * The sums are the same products in a different order, so results agree to float32 rounding (unit test).
 */
function makeBatchMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: Info; b: Info };
    const at = attrs as unknown as tf.BatchMatMulAttrs;
    const wasm = backend as tf.KernelBackend;
    const simd = gemmBatchMatMul(a, b, at, wasm);
    if (simd) return simd;
    if (!at.transposeA && !at.transposeB) return original(args);
    const free: Info[] = [];
    const plain = (t: Info, transpose: boolean): Info => {
      if (!transpose) return t;
      const r = t.shape.length;
      const perm = [...Array(r).keys()];
      [perm[r - 2], perm[r - 1]] = [r - 1, r - 2];
      const out = runWasmKernel('Transpose', wasm, { x: t }, { perm });
      free.push(out);
      return out;
    };
    try {
      return original({
        inputs: { a: plain(a, at.transposeA), b: plain(b, at.transposeB) },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as Info;
    } finally {
      for (const t of free) wasm.disposeData(t.dataId);
    }
  };
}

/**
 * Conv2D (stride 1, NHWC) through the site's SIMD product (gemmConv2D): the same bits as XNNPACK's, without its
 * per-call setup, and faster on LeNet's narrow layers (conv1 forward 0.85 -> 0.44 ms at batch 32, conv2 0.57 ->
 * 0.53 ms). Other strides, dilations and layouts keep the backend's kernel.
 */
function makeConv2D(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, backend, attrs } = args;
    const { x, filter } = inputs as { x: Info; filter: Info };
    const info = unitStrideInfo(x.shape, filter.shape, attrs as unknown as tf.Conv2DAttrs);
    if (!info) return original(args);
    const { top, bottom, left, right } = info.padInfo;
    const pads: [[number, number], [number, number]] = [
      [top, bottom],
      [left, right],
    ];
    return gemmConv2D(x, filter, pads, backend as tf.KernelBackend, false) ?? original(args);
  };
}

/** Replaces a wasm kernel by a wrapper of it, keeping its setupFunc (which binds the wasm function it calls). */
function wrapKernel(name: string, wrap: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) return;
  replaced.set(name, kernel);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: wrap(kernel.kernelFunc),
    ...(kernel.setupFunc ? { setupFunc: kernel.setupFunc } : {}),
  });
}

let registered = false;
/** The backend's own kernels, as they were before registerWasmTrainingKernels replaced them. */
const replaced = new Map<string, tf.KernelConfig>();

/**
 * The backend kernels registerWasmTrainingKernels replaced or wrapped, as they were, by name (empty before it runs;
 * Conv2DBackpropFilter is not among them: the site adds it, wasm has none). The swap itself records them, so the
 * list cannot drift from what was swapped.
 */
export function replacedWasmKernels(): ReadonlyMap<string, tf.KernelConfig> {
  return replaced;
}

/**
 * Puts the backend's own kernels `names` (by default every one the site replaced) back in place of the site's, and
 * returns a function that restores the site's: how bench:kernels and the unit tests measure a replacement against
 * what it replaced. By default the ReLU gradient also goes back to tfjs-core's three kernels (reluGradient).
 */
export function useOwnWasmKernels(names?: readonly string[]): () => void {
  if (!names) {
    const all = useOwnWasmKernels([...replaced.keys()]);
    const fused = tf.getKernel(RELU_GRAD, 'wasm');
    if (fused) tf.unregisterKernel(RELU_GRAD, 'wasm');
    return () => {
      all();
      if (fused) tf.registerKernel(fused);
    };
  }
  const own = names.map((n) => {
    const k = replaced.get(n);
    if (!k) throw new Error(`The site did not replace the wasm kernel ${n}.`);
    return k;
  });
  const site = names.map((n) => tf.getKernel(n, 'wasm')!);
  const register = (kernels: tf.KernelConfig[]) => {
    for (const k of kernels) {
      tf.unregisterKernel(k.kernelName, 'wasm');
      tf.registerKernel(k);
    }
  };
  register(own);
  return () => register(site);
}

/** Registers the kernels once (call after the wasm backend module is imported, before training). */
export function registerWasmTrainingKernels(): void {
  // Every call: importing tfjs-core's gradients again (a second bundle, a test runner) puts its own back.
  reluGradient();
  if (registered) return;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
  }
  const ownMaxPoolGrad = tf.getKernel('MaxPoolGrad', 'wasm');
  if (ownMaxPoolGrad) {
    replaced.set('MaxPoolGrad', ownMaxPoolGrad);
    tf.unregisterKernel('MaxPoolGrad', 'wasm');
  }
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad });
  // The originals still serve some cases (strides above 1, untransposed products), so their setup must still run.
  wrapKernel('Conv2D', makeConv2D);
  wrapKernel('Conv2DBackpropInput', makeConv2dBackpropInput);
  wrapKernel('BatchMatMul', makeBatchMatMul);
  wrapKernel('Add', makeAdd);
  wrapKernel('Sum', makeSum);
  wrapKernel('Identity', makeIdentity);
  wrapKernel('Cast', makeCast);
  wrapKernel('Transpose', makeTranspose);
  tf.registerKernel({ kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad });
  registered = true;
}

/**
 * tfjs-core's ReLU gradient, dy * cast(step(x), 'float32'), as the one kernel RELU_GRAD (relu-grad-kernel.ts) where
 * that is registered for the active backend (wasm) and both are float32; tfjs-core's own function everywhere else.
 * A gradient is registered for every backend at once, hence the check at each call.
 */
const ours = new WeakSet<tf.GradConfig['gradFunc']>();
function reluGradient(): void {
  const original = tf.getGradient('Relu');
  if (!original || ours.has(original.gradFunc)) return;
  const gradFunc: tf.GradConfig['gradFunc'] = (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const g = dy as tf.Tensor;
    const fused = g.dtype === 'float32' && x.dtype === 'float32' && tf.getKernel(RELU_GRAD, tf.getBackend());
    if (!fused) return original.gradFunc(dy, saved, attrs);
    return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as tf.Tensor };
  };
  ours.add(gradFunc);
  tf.registerGradient({ ...original, gradFunc });
}
