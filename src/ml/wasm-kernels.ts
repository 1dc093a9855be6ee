/**
 * The wasm backend of TF.js 4.22 has no `Conv2DBackpropFilter` kernel, so training any conv net on it throws
 * "Kernel 'Conv2DBackpropFilter' not registered". This registers one built from the backend's own fast kernels.
 *
 * The weight gradient is itself a convolution: dW[ky,kx,ci,co] = sum over b,oy,ox of
 * x[b, oy*s+ky-pt, ox*s+kx-pl, ci] * dy[b,oy,ox,co]. Treat x transposed to [Ci, H, W, B] as a batch of Ci images
 * with B channels, and dy transposed to [OH, OW, B, Co] as an OHxOW filter: a VALID-plus-padding Conv2D with
 * dilation equal to the forward stride gives [Ci, KH', KW', Co] (KH' >= KH when the forward conv dropped rows),
 * which is sliced and transposed back to [KH, KW, Ci, Co]. XNNPACK then does all the arithmetic.
 * It also replaces the backend's slow MaxPoolGrad and (for stride 1) Conv2DBackpropInput; see below.
 */
import * as tf from '@tensorflow/tfjs-core';

type Info = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

function run(name: string, backend: tf.KernelBackend, inputs: Record<string, Info>, attrs: object): Info {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`The wasm backend has no ${name} kernel.`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as Info;
}

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
  const free: Info[] = [];
  try {
    const xT = run('Transpose', wasm, { x }, { perm: [3, 1, 2, 0] });
    free.push(xT);
    const dyT = run('Transpose', wasm, { x: dy }, { perm: [1, 2, 0, 3] });
    free.push(dyT);
    const g = run(
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
      cut = run('Slice', wasm, { x: g }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
      free.push(cut);
    }
    return run('Transpose', wasm, { x: cut }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of free) wasm.disposeData(t.dataId);
  }
}

/** The parts of the wasm backend used to read and write tensors in place on its heap. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(info: Info): Float32Array;
}

/**
 * MaxPoolGrad in plain JS on the wasm heap. The backend's own kernel rescans each input cell's windows and took
 * 55 % of a LeNet training step; this one visits each output window once: find the first maximum of the window
 * (TF's tie rule) and route dy there. Same results as the cpu backend's kernel.
 */
function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): Info {
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
  dx.fill(0);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
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
    const strides = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
    if (strides[0] !== 1 || strides[1] !== 1 || a.dataFormat === 'NCHW') return original(args);
    const inShape = a.inputShape;
    const info = tf.backend_util.computeConv2DInfo(
      inShape,
      filter.shape as [number, number, number, number],
      1,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const { top, left } = info.padInfo;
    const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow } = info;
    const [, h, w] = inShape;
    const wasm = backend as tf.KernelBackend;
    const free: Info[] = [];
    try {
      const flipped = run('Reverse', wasm, { x: filter }, { dims: [0, 1] });
      free.push(flipped);
      const swapped = run('Transpose', wasm, { x: flipped }, { perm: [0, 1, 3, 2] });
      free.push(swapped);
      const pad = [
        [0, 0],
        [kh - 1 - top, h - oh + top],
        [kw - 1 - left, w - ow + left],
        [0, 0],
      ];
      return run(
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

let registered = false;

/** Registers the kernels once (call after the wasm backend module is imported, before training). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
  }
  if (tf.getKernel('MaxPoolGrad', 'wasm')) tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad });
  const backpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (backpropInput) {
    // The original serves strides above 1, so its setupFunc (binding the wasm function) must still run.
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      kernelFunc: makeConv2dBackpropInput(backpropInput.kernelFunc),
      ...(backpropInput.setupFunc ? { setupFunc: backpropInput.setupFunc } : {}),
    });
  }
  registered = true;
}
