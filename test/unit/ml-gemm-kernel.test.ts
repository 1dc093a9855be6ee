import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { gemmFits, gemmModuleBytes } from '../../src/ml/gemm-kernel.ts';
import { registerWasmTrainingKernels, useOwnWasmKernels } from '../../src/ml/wasm-kernels.ts';
import { padSpatial } from '../../src/ml/heap-kernels.ts';
import type { WasmHeap } from '../../src/ml/heap.ts';
import { Rng } from '../../src/lib/index.ts';
import { sameValues } from './helpers.ts';

/** Seeded values with a few zeros of both signs, infinities and NaNs among them. */
function values(n: number, seed: number, special = true): Float32Array {
  const rng = new Rng(seed);
  const odd = [-0, 0, Infinity, -Infinity, NaN];
  return Float32Array.from({ length: n }, () =>
    special && rng.next() < 0.02 ? odd[Math.floor(rng.next() * 5)]! : (rng.next() - 0.5) * 8,
  );
}

/** C = op(A)·op(B) in float32, each product and each sum rounded, summed in order of k from +0. */
function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean) {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) {
        const av = ta ? a[p * m + i]! : a[i * k + p]!;
        const bv = tb ? b[j * k + p]! : b[p * n + j]!;
        acc = Math.fround(acc + Math.fround(av * bv));
      }
      c[i * n + j] = acc;
    }
  return c;
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('the SIMD matrix product', () => {
  it('is valid WebAssembly importing env.memory', () => {
    const m = new WebAssembly.Module(gemmModuleBytes(4, false));
    expect(WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`)).toEqual(['env.memory']);
    expect(WebAssembly.Module.exports(m).map((e) => e.name)).toEqual(['gemm']);
    expect(WebAssembly.validate(gemmModuleBytes(4, false, true))).toBe(true);
  });

  it('fits products of at least 4 rows and 8 columns', () => {
    expect(gemmFits(4, 8)).toBe(true);
    expect(gemmFits(3, 120)).toBe(false);
    expect(gemmFits(32, 7)).toBe(false);
  });

  // LeNet's dense layers forward and backward, then ragged sizes whose last blocks move back, K = 0 and 1, and
  // sizes too small for the blocks (the backend's kernels do those).
  const cases: [number, number, number][] = [
    [32, 400, 120],
    [32, 120, 84],
    [32, 84, 10],
    [400, 32, 120],
    [5, 3, 9],
    [7, 1, 13],
    [33, 17, 31],
    [4, 0, 8],
    [3, 6, 8],
    [8, 6, 7],
    [5, 7, 6],
    [32, 150, 6],
  ];
  for (const [m, k, n] of cases) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`matMul of ${m}x${k} by ${k}x${n}, transposeA=${ta} transposeB=${tb}: each sum in order of k, to the bit`, () => {
        const av = values(m * k, m * 1000 + k);
        const bv = values(k * n, n * 1000 + k + 1);
        const a = tf.tensor2d(av, ta ? [k, m] : [m, k]);
        const b = tf.tensor2d(bv, tb ? [n, k] : [k, n]);
        const site = tf.matMul(a, b, ta, tb);
        const restore = useOwnWasmKernels(['BatchMatMul']);
        const own = tf.matMul(a, b, ta, tb);
        restore();
        expect(site.shape).toEqual([m, n]);
        const expected = reference(av, bv, m, n, k, ta, tb);
        expect(sameValues(site.dataSync(), expected)).toBe(true);
        // XNNPACK's product, the backend's own for untransposed operands and what the site used before (with a
        // Transpose in front for transposed ones), sums in the same order: the same bits, so seeded runs are unchanged.
        // (The backend's loop for transposed operands sums in another order.)
        if (!ta && !tb && k > 0) expect(sameValues(own.dataSync(), expected), 'XNNPACK').toBe(true);
        tf.dispose([a, b, site, own]);
      });
    }
  }

  it('batched and broadcast products: each batch its own, a batch of 1 shared', () => {
    const [m, k, n] = [6, 5, 9];
    const av = values(3 * m * k, 1, false);
    const bv = values(k * n, 2, false);
    const a = tf.tensor3d(av, [3, m, k]);
    const b = tf.tensor3d(bv, [1, k, n]);
    const c = tf.matMul(a, b);
    expect(c.shape).toEqual([3, m, n]);
    const got = c.dataSync();
    for (let i = 0; i < 3; i++) {
      const expected = reference(av.subarray(i * m * k, (i + 1) * m * k), bv, m, n, k, false, false);
      expect(sameValues(got.subarray(i * m * n, (i + 1) * m * n), expected)).toBe(true);
    }
    const b3 = tf.tensor3d(values(3 * n * k, 3, false), [3, n, k]);
    const d = tf.matMul(a, b3, false, true);
    const bt = b3.dataSync() as Float32Array;
    for (let i = 0; i < 3; i++) {
      const expected = reference(
        av.subarray(i * m * k, (i + 1) * m * k),
        bt.subarray(i * n * k, (i + 1) * n * k),
        m,
        n,
        k,
        false,
        true,
      );
      expect(sameValues(d.dataSync().subarray(i * m * n, (i + 1) * m * n), expected)).toBe(true);
    }
    tf.dispose([a, b, c, b3, d]);
  });

  it('leaves no tensors or bytes behind, transposes included', () => {
    const before = tf.memory();
    tf.tidy(() => tf.matMul(tf.ones([32, 10]), tf.ones([84, 10]), false, true).dataSync());
    tf.tidy(() => tf.matMul(tf.ones([32, 84]), tf.ones([32, 10]), true, false).dataSync());
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});

/** dW of a stride-1 conv2d by the site's kernel, and by XNNPACK as the site ran it before (Transpose, Conv2D). */
function weightGradients(xs: number[], fs: number[], pad: 'same' | 'valid', special: boolean) {
  // Specials only in small cases: in LeNet's, every sum would meet a NaN, and any two results would agree.
  const x = tf.tensor4d(
    values(
      xs.reduce((p, v) => p * v),
      21,
      special,
    ),
    xs as [number, number, number, number],
  );
  const info = tf.backend_util.computeConv2DInfo(x.shape, fs as [number, number, number, number], 1, 1, pad);
  const { top, bottom, left, right } = info.padInfo;
  const dy = tf.tensor4d(
    values(
      info.outShape.reduce((p, v) => p * v),
      22,
      special,
    ),
    info.outShape,
  );
  const site = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
    filterShape: fs,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const xnnpack = tf.tidy(() => {
    const g = tf.conv2d(
      tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D,
      tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D,
      1,
      [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
    );
    return tf.transpose(g, [1, 2, 0, 3]);
  });
  const r = { site: site.dataSync().slice(), xnnpack: xnnpack.dataSync().slice(), shape: site.shape };
  tf.dispose([x, dy, site, xnnpack]);
  return r;
}

/**
 * One test per case: `compute` gives the site's result and XNNPACK's (as the site ran it before), which must agree to
 * the bit and hold finite values (a NaN in every sum would make any two results agree).
 */
function againstXnnpack(
  cases: [number[], number[], 'same' | 'valid'][],
  compute: (xs: number[], fs: number[], pad: 'same' | 'valid') => ReturnType<typeof weightGradients>,
  shapeOf: (xs: number[], fs: number[]) => number[],
): void {
  for (const [xs, fs, pad] of cases) {
    it(`x=[${xs}] w=[${fs}] ${pad}: XNNPACK's sums in XNNPACK's order, to the bit`, () => {
      const r = compute(xs, fs, pad);
      expect(r.shape).toEqual(shapeOf(xs, fs));
      expect(r.site.some(Number.isFinite)).toBe(true);
      expect(sameValues(r.site, r.xnnpack)).toBe(true);
    });
  }
}

describe('the weight gradient of a stride-1 convolution through the SIMD product', () => {
  // LeNet's two layers (6 output channels: the 6-column block; 16: two 8-column blocks), then a 3x3 kernel (blocks
  // of 3 rows), a 6-wide one (blocks of 4 rows, the last moved back) and a 1x1 (blocks of one row).
  againstXnnpack(
    [
      [[32, 28, 28, 1], [5, 5, 1, 6], 'same'],
      [[32, 14, 14, 6], [5, 5, 6, 16], 'valid'],
      [[3, 7, 6, 2], [3, 3, 2, 8], 'same'],
      [[2, 9, 9, 3], [6, 6, 3, 6], 'valid'],
      [[2, 9, 9, 3], [6, 6, 3, 9], 'same'],
      [[2, 6, 7, 4], [1, 1, 4, 8], 'valid'],
    ],
    (xs, fs, pad) => weightGradients(xs, fs, pad, xs[0]! < 32),
    (_, fs) => fs,
  );

  it('leaves no tensors or bytes behind', () => {
    weightGradients([2, 8, 8, 1], [5, 5, 1, 6], 'same', false);
    const before = tf.memory();
    weightGradients([2, 8, 8, 1], [5, 5, 1, 6], 'same', false);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});

/** dx of a stride-1 conv2d by the site's kernel, and by XNNPACK as the site ran it before (Reverse, Transpose, Conv2D). */
function inputGradients(xs: number[], fs: number[], pad: 'same' | 'valid') {
  const filter = tf.tensor4d(
    values(
      fs.reduce((p, v) => p * v),
      31,
      false,
    ),
    fs as [number, number, number, number],
  );
  const info = tf.backend_util.computeConv2DInfo(xs as [number, number, number, number], filter.shape, 1, 1, pad);
  const { top, left } = info.padInfo;
  const dy = tf.tensor4d(
    values(
      info.outShape.reduce((p, v) => p * v),
      32,
      xs[0]! < 32,
    ),
    info.outShape,
  );
  const site = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
    inputShape: xs,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const [, h, w] = xs as [number, number, number, number];
  const xnnpack = tf.tidy(() =>
    tf.conv2d(dy, tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, [
      [0, 0],
      [info.filterHeight - 1 - top, h - info.outHeight + top],
      [info.filterWidth - 1 - left, w - info.outWidth + left],
      [0, 0],
    ]),
  );
  const r = { site: site.dataSync().slice(), xnnpack: xnnpack.dataSync().slice(), shape: site.shape };
  tf.dispose([filter, dy, site, xnnpack]);
  return r;
}

describe('the input gradient of a stride-1 convolution through the SIMD product', () => {
  // LeNet's second layer (its first needs none), a 3x3 kernel with padding, and a 6-wide one (rows moved back).
  // dy holds infinities and NaNs in the small cases; the filter is finite (the padding's rows are skipped, not
  // multiplied by it).
  againstXnnpack(
    [
      [[32, 14, 14, 6], [5, 5, 6, 16], 'valid'],
      [[3, 7, 6, 8], [3, 3, 8, 6], 'same'],
      [[2, 11, 9, 3], [6, 6, 3, 9], 'valid'],
      [[2, 9, 9, 12], [4, 5, 12, 8], 'same'],
    ],
    inputGradients,
    (xs) => xs,
  );
});

describe('a stride-1 convolution through the SIMD product', () => {
  // LeNet's two layers (one input channel and 6 outputs; 6 and 16), then odd sizes: rows moved back, a 6-wide
  // kernel, explicit uneven padding.
  const cases: [number[], number[], 'same' | 'valid' | [[number, number], [number, number]]][] = [
    [[32, 28, 28, 1], [5, 5, 1, 6], 'same'],
    [[32, 14, 14, 6], [5, 5, 6, 16], 'valid'],
    [[2, 7, 9, 3], [3, 3, 3, 8], 'same'],
    [[2, 11, 10, 2], [6, 6, 2, 6], 'valid'],
    [[2, 6, 7, 4], [1, 1, 4, 8], 'valid'],
    [
      [3, 6, 5, 4],
      [2, 3, 4, 9],
      [
        [1, 0],
        [2, 1],
      ],
    ],
  ];
  for (const [xs, fs, pad] of cases) {
    it(`x=[${xs}] w=[${fs}] pad ${JSON.stringify(pad)}: XNNPACK's bits`, () => {
      const special = xs[0]! < 32;
      const x = tf.tensor4d(
        values(
          xs.reduce((p, v) => p * v),
          41,
          special,
        ),
        xs as [number, number, number, number],
      );
      const w = tf.tensor4d(
        values(
          fs.reduce((p, v) => p * v),
          42,
          special,
        ),
        fs as [number, number, number, number],
      );
      const explicit = typeof pad === 'string' ? pad : ([[0, 0], ...pad, [0, 0]] as tf.backend_util.ExplicitPadding);
      const site = tf.conv2d(x, w, 1, explicit);
      const restore = useOwnWasmKernels(['Conv2D']);
      const own = tf.conv2d(x, w, 1, explicit);
      restore();
      expect(site.shape).toEqual(own.shape);
      expect(site.dataSync().some(Number.isFinite)).toBe(true);
      expect(sameValues(site.dataSync(), own.dataSync())).toBe(true);
      tf.dispose([x, w, site, own]);
    });
  }

  it('pads by whole rows, as PadV2 does', () => {
    const x = tf.tensor4d(values(2 * 3 * 4 * 5, 43), [2, 3, 4, 5]);
    const paddings: [number, number][] = [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ];
    const heap = tf.backend() as unknown as WasmHeap;
    const info = padSpatial(x, [paddings[1]!, paddings[2]!], heap);
    const ours = tf.engine().makeTensorFromTensorInfo(info);
    const theirs = tf.pad(x, paddings);
    expect(ours.shape).toEqual(theirs.shape);
    expect(sameValues(ours.dataSync(), theirs.dataSync())).toBe(true);
    tf.dispose([x, ours, theirs]);
  });
});
