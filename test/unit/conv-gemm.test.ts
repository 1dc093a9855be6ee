/**
 * im2col, col2im, matmul and the GEMM convolution: worked examples (CS231n's AlexNet sizes, D2L's 1x1 convolution),
 * agreement with the direct conv2d / conv2dBatch loops on every reference case (stride, padding, dilation,
 * channels, filters, batch, true convolution), the adjoint identity that makes col2im im2col's backward pass, and
 * gradient checks. TensorFlow.js cross-checks are in tfjs-new-ops.test.ts.
 */
import { describe, expect, test } from 'vitest';
import {
  Rng,
  col2im,
  conv2d,
  conv2dBackward,
  conv2dBatch,
  conv2dBatchBackward,
  conv2dGemm,
  conv2dGemmBackward,
  fromNested,
  gradCheck,
  im2col,
  matmul,
  randomTensor,
  tensor,
  toNested,
  type Conv2dOptions,
  type Padding2d,
  type Tensor,
} from '../../src/lib/index.ts';
import { dot, expectClose, expectEngineError } from './helpers.ts';

describe('im2col worked examples', () => {
  test('im2col x=[1,3,3] (0..8) k=2: each 2x2 window becomes a column, read row by row', () => {
    const x = fromNested([
      [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
      ],
    ]);
    // Columns are the windows at (0,0), (0,1), (1,0), (1,1); rows the kernel cells (0,0), (0,1), (1,0), (1,1).
    expect(toNested(im2col(x, 2))).toEqual([
      [0, 1, 3, 4],
      [1, 2, 4, 5],
      [3, 4, 6, 7],
      [4, 5, 7, 8],
    ]);
  });

  test('D2L §7.2: corr2d(arange(9), [[0,1],[2,3]]) = [[19,25],[37,43]] as the kernel row times im2col', () => {
    const x = tensor([1, 3, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const w = tensor([1, 4], [0, 1, 2, 3]);
    expect(Array.from(matmul(w, im2col(x, 2)).data)).toEqual([19, 25, 37, 43]);
  });

  test('CS231n: a [3, 227, 227] input with 11x11 filters at stride 4 gives X_col [363, 3025]; 96 filters make [96, 3025]', () => {
    const rng = new Rng(227);
    const x = randomTensor([3, 227, 227], rng);
    const cols = im2col(x, 11, { stride: 4 });
    expect(cols.shape).toEqual([363, 3025]);
    const w = randomTensor([96, 3, 11, 11], rng);
    const y = conv2dGemm(x, w, null, { stride: 4 });
    expect(y.shape).toEqual([96, 55, 55]);
    // Spot check one output of each of three filters against the direct loop.
    const direct = conv2d(x, w, null, { stride: 4 });
    for (const i of [0, 55 * 55 * 40 + 1234, 96 * 55 * 55 - 1]) expect(y.data[i]).toBeCloseTo(direct.data[i]!, 10);
  });

  test('padding cells are zeros in the patch matrix: x=[1,2,2] k=3 p=1 s=1', () => {
    const x = tensor([1, 2, 2], [1, 2, 3, 4]);
    const cols = im2col(x, 3, { padding: 1 });
    expect(cols.shape).toEqual([9, 4]);
    // The window of output (0,0) centred on x[0,0]: only its lower-right 2x2 is inside the input.
    expect(Array.from({ length: 9 }, (_, r) => cols.data[r * 4])).toEqual([0, 0, 0, 0, 1, 2, 0, 3, 4]);
  });

  test('D2L §7.4: a 1x1 convolution is a matrix product of W [K, C] with x reshaped to [C, H·W]', () => {
    const rng = new Rng(14);
    const x = randomTensor([3, 3, 3], rng);
    const w = randomTensor([2, 3, 1, 1], rng);
    const viaMatmul = matmul(tensor([2, 3], w.data), tensor([3, 9], x.data));
    expectClose(conv2d(x, w, null).data, viaMatmul.data, 1e-14);
    expect(toNested(im2col(x, 1))).toEqual(toNested(tensor([3, 9], x.data)));
  });
});

describe('col2im', () => {
  test('col2im of a patch matrix of ones counts how many windows read each cell: x=[1,4,4] k=3 s=1', () => {
    const ones = tensor([9, 4], new Array(36).fill(1));
    expect(toNested(col2im(ones, [1, 4, 4], 3))).toEqual([
      [
        [1, 2, 2, 1],
        [2, 4, 4, 2],
        [2, 4, 4, 2],
        [1, 2, 2, 1],
      ],
    ]);
  });

  test('col2im is the adjoint of im2col: <im2col(x), Y> = <x, col2im(Y)> (60 random cases, batch, stride, padding, dilation)', () => {
    const rng = new Rng(60);
    for (let n = 0; n < 60; n++) {
      const B = rng.int(1, 3),
        C = rng.int(1, 4),
        kh = rng.int(1, 4),
        kw = rng.int(1, 4);
      const opts = {
        stride: [rng.int(1, 4), rng.int(1, 4)] as [number, number],
        dilation: [rng.int(1, 3), rng.int(1, 3)] as [number, number],
        padding: { top: rng.int(0, 3), bottom: rng.int(0, 3), left: rng.int(0, 3), right: rng.int(0, 3) },
      };
      const H = rng.int(opts.dilation[0] * (kh - 1) + 1, 10),
        W = rng.int(opts.dilation[1] * (kw - 1) + 1, 10);
      const x = randomTensor(B === 1 && n % 2 === 0 ? [C, H, W] : [B, C, H, W], rng);
      const cols = im2col(x, [kh, kw], opts);
      const Y = randomTensor(cols.shape, rng);
      expect(dot(cols, Y)).toBeCloseTo(dot(x, col2im(Y, x.shape, [kh, kw], opts)), 10);
    }
  });

  test('a batch is the images side by side: im2col of [2, C, H, W] is the two single-image matrices joined', () => {
    const rng = new Rng(2);
    const x = randomTensor([2, 2, 5, 4], rng);
    const one = (i: number) => im2col(tensor([2, 5, 4], x.data.subarray(i * 40, (i + 1) * 40)), 3, { padding: 1 });
    const both = im2col(x, 3, { padding: 1 });
    const [rows, n] = one(0).shape as [number, number];
    expect(both.shape).toEqual([rows, 2 * n]);
    for (let r = 0; r < rows; r++) {
      expect(Array.from(both.data.subarray(r * 2 * n, r * 2 * n + n))).toEqual(
        Array.from(one(0).data.subarray(r * n, (r + 1) * n)),
      );
      expect(Array.from(both.data.subarray(r * 2 * n + n, (r + 1) * 2 * n))).toEqual(
        Array.from(one(1).data.subarray(r * n, (r + 1) * n)),
      );
    }
  });
});

/** The reference cases: every padding form, stride, dilation, channels, filters, batch, and true convolution. */
function referenceCases(
  n: number,
  seed: number,
): { name: string; x: Tensor; w: Tensor; b: Tensor; opts: Conv2dOptions }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const B = rng.int(1, 4),
      C = rng.int(1, 4),
      K = rng.int(1, 4),
      kh = rng.int(1, 5),
      kw = rng.int(1, 5);
    const stride: [number, number] = [rng.int(1, 4), rng.int(1, 4)];
    const dilation: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
    const kinds: Padding2d[] = [
      'same',
      'valid',
      rng.int(0, 3),
      { top: rng.int(0, 3), bottom: rng.int(0, 3), left: rng.int(0, 3), right: rng.int(0, 3) },
    ];
    const padding = kinds[i % 4]!;
    const kind = i % 3 === 0 ? 'convolution' : 'cross-correlation';
    const H = rng.int(dilation[0] * (kh - 1) + 1, 12),
      W = rng.int(dilation[1] * (kw - 1) + 1, 12);
    const opts: Conv2dOptions = { stride, dilation, padding, kind };
    return {
      name: `x=[${B},${C},${H},${W}] k=[${K},${C},${kh},${kw}] s=${stride} d=${dilation} p=${JSON.stringify(padding)} ${kind}`,
      x: randomTensor([B, C, H, W], rng),
      w: randomTensor([K, C, kh, kw], rng),
      b: randomTensor([K], rng),
      opts,
    };
  });
}

describe('conv2dGemm equals the direct loops', () => {
  test('golden: the 5x5 binary image with the X kernel gives [[4,3,4],[2,4,3],[2,3,4]]', () => {
    const x = fromNested([
      [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
      ],
    ]);
    const w = fromNested([
      [
        [
          [1, 0, 1],
          [0, 1, 0],
          [1, 0, 1],
        ],
      ],
    ]);
    expect(toNested(conv2dGemm(x, w, null))).toEqual([
      [
        [4, 3, 4],
        [2, 4, 3],
        [2, 3, 4],
      ],
    ]);
  });

  const cases = referenceCases(120, 2027);
  test(`${cases.length} reference cases, batched: forward and every gradient equal conv2dBatch / conv2dBatchBackward`, () => {
    const rng = new Rng(5);
    for (const c of cases) {
      try {
        const y = conv2dGemm(c.x, c.w, c.b, c.opts);
        expectClose(y, conv2dBatch(c.x, c.w, c.b, c.opts), 1e-12);
        const dy = randomTensor(y.shape, rng);
        const ours = conv2dGemmBackward(c.x, c.w, dy, c.opts);
        const ref = conv2dBatchBackward(c.x, c.w, dy, c.opts);
        expectClose(ours.dx, ref.dx, 1e-12);
        expectClose(ours.dw, ref.dw, 1e-12);
        expectClose(ours.db, ref.db, 1e-12);
      } catch (e) {
        throw new Error(`${c.name}: ${(e as Error).message}`, { cause: e });
      }
    }
  });

  test('single images [C, H, W]: forward and gradients equal conv2d / conv2dBackward (same reference cases)', () => {
    const rng = new Rng(6);
    for (const c of cases.slice(0, 60)) {
      const x = tensor(c.x.shape.slice(1), c.x.data.subarray(0, c.x.data.length / c.x.shape[0]!));
      const y = conv2dGemm(x, c.w, c.b, c.opts);
      expect(y.shape.length).toBe(3);
      expectClose(y, conv2d(x, c.w, c.b, c.opts), 1e-12);
      const dy = randomTensor(y.shape, rng);
      const ours = conv2dGemmBackward(x, c.w, dy, c.opts);
      const ref = conv2dBackward(x, c.w, dy, c.opts);
      expectClose(ours.dx, ref.dx, 1e-12);
      expectClose(ours.dw, ref.dw, 1e-12);
      expectClose(ours.db, ref.db, 1e-12);
    }
  });

  test('LeNet layers at batch 8: conv 6@5x5 same on [1,28,28] and conv 16@5x5 valid on [6,14,14]', () => {
    const rng = new Rng(1998);
    for (const [shape, wShape, padding] of [
      [[8, 1, 28, 28], [6, 1, 5, 5], 'same'],
      [[8, 6, 14, 14], [16, 6, 5, 5], 'valid'],
    ] as const) {
      const x = randomTensor(shape, rng);
      const w = randomTensor(wShape, rng);
      expectClose(conv2dGemm(x, w, null, { padding }), conv2dBatch(x, w, null, { padding }), 1e-12);
    }
  });
});

describe('conv2dGemm gradient check', () => {
  test.each([
    ['x=[2,2,5,6] k=[3,2,3,2] s=2 p=1', [2, 2, 5, 6], [3, 2, 3, 2], { stride: 2, padding: 1 }],
    [
      'x=[1,3,7,7] k=[2,3,3,3] d=2 p=same convolution',
      [1, 3, 7, 7],
      [2, 3, 3, 3],
      { dilation: 2, padding: 'same', kind: 'convolution' },
    ],
  ] as [string, number[], number[], Conv2dOptions][])('%s: analytic gradients pass gradCheck', (_n, xs, ws, opts) => {
    const rng = new Rng(31);
    const x = randomTensor(xs, rng),
      w = randomTensor(ws, rng),
      b = randomTensor([ws[0]!], rng);
    const R = randomTensor(conv2dGemm(x, w, b, opts).shape, rng);
    const f = () => dot(conv2dGemm(x, w, b, opts), R);
    const g = conv2dGemmBackward(x, w, R, opts);
    const report = gradCheck({ x, w, b }, f, { x: g.dx, w: g.dw, b: g.db });
    expect(report.passed).toBe(true);
    expect(report.entries.length).toBe(x.data.length + w.data.length + b.data.length);
  });
});

describe('matmul', () => {
  test('[[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]], and the transposed forms', () => {
    const a = fromNested([
      [1, 2],
      [3, 4],
    ]);
    const b = fromNested([
      [5, 6],
      [7, 8],
    ]);
    expect(toNested(matmul(a, b))).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(toNested(matmul(a, b, { transposeA: true }))).toEqual([
      [26, 30],
      [38, 44],
    ]);
    expect(toNested(matmul(a, b, { transposeB: true }))).toEqual([
      [17, 23],
      [39, 53],
    ]);
  });
});

describe('bad input', () => {
  const x = tensor([1, 4, 4]);
  test.each([
    ['kernel larger than the padded input', () => im2col(x, 5), 'kernel', /wider than the padded input/],
    ['stride 0', () => im2col(x, 2, { stride: 0 }), 'stride', /at least 1/],
    ['a rank-2 input', () => im2col(tensor([4, 4]), 2), 'input', /\[channels, height, width\]/],
    ['NaN in the input', () => im2col(tensor([1, 2, 2], [1, NaN, 0, 0]), 1), 'input', /NaN/],
    ['col2im with the wrong patch matrix', () => col2im(tensor([4, 5]), [1, 3, 3], 2), 'cols', /must be \[4, 4\]/],
    ['col2im with a bad input shape', () => col2im(tensor([4, 4]), [3, 3], 2), 'shape', /\[C, H, W\]/],
    ['matmul inner sizes', () => matmul(tensor([2, 3]), tensor([2, 3])), 'b', /inner sizes must agree/],
    [
      'gemm conv channel mismatch',
      () => conv2dGemm(tensor([2, 4, 4]), tensor([1, 3, 2, 2]), null),
      'kernel',
      /input channels/,
    ],
    [
      'gemm conv bias length',
      () => conv2dGemm(x, tensor([2, 1, 2, 2]), tensor([3]), {}),
      'bias',
      /one value per filter/,
    ],
    [
      'gemm backward dy shape',
      () => conv2dGemmBackward(x, tensor([1, 1, 2, 2]), tensor([1, 2, 2])),
      'gradient',
      /output's shape \[1, 3, 3\]/,
    ],
    [
      'overflow',
      () => conv2dGemm(tensor([1, 1, 2], [1e308, 1e308]), tensor([1, 1, 1, 2], [1e308, 1e308]), null),
      'input',
      /overflows/,
    ],
  ])('%s throws EngineError (field %s)', (_n, fn, field, message) => expectEngineError(fn, field, message));
});
