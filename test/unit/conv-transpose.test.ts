/**
 * Transposed convolution: the output-size relationship of Dumoulin & Visin (2016), its identity with the input
 * gradient of conv2d (dilation included, which TF.js cannot check), a hand-checkable stamp example, gradient checks
 * and bad input. The TF.js cross-check is in tfjs-new-ops.test.ts.
 */
import { describe, expect, test } from 'vitest';
import {
  Rng,
  conv2d,
  conv2dBatchBackward,
  conv2dTranspose,
  conv2dTransposeBackward,
  fromNested,
  gradCheck,
  outputSize,
  randomTensor,
  tensor,
  toNested,
  transposedOutputSize,
  type ConvTransposeOptions,
} from '../../src/lib/index.ts';
import { dot, expectClose, expectEngineError } from './helpers.ts';

describe('transposedOutputSize (Dumoulin & Visin 2016, chapter 4)', () => {
  test.each([
    // [i', k, p, s, a, o'] of the guide's transposed examples: the transpose of the convolution of an i-wide input.
    ['i=4 k=3 s=1 p=0 (no padding, unit strides): 2 -> 4', 2, 3, 0, 1, 0, 4],
    ['i=5 k=4 s=1 p=2 (zero padding): 6 -> 5', 6, 4, 2, 1, 0, 5],
    ['i=5 k=3 s=2 p=0 (strides): 2 -> 5', 2, 3, 0, 2, 0, 5],
    ['i=5 k=3 s=2 p=1 (padding and strides): 3 -> 5', 3, 3, 1, 2, 0, 5],
    ['i=6 k=3 s=2 p=1 (a = (i + 2p - k) mod s = 1): 3 -> 6', 3, 3, 1, 2, 1, 6],
  ])('%s', (_name, i, k, p, s, a, o) => {
    expect(transposedOutputSize(i, k, p, s, 1, a)).toBe(o);
  });

  test('it inverts outputSize: the convolution of every input size 1..20 maps back, for s = 1..4, k = 1..5, p = 0..2', () => {
    for (let s = 1; s <= 4; s++)
      for (let k = 1; k <= 5; k++)
        for (let p = 0; p <= 2; p++)
          for (let n = 1; n <= 20; n++) {
            if (n + 2 * p < k) continue;
            const o = outputSize(n, k, p, s).size;
            const a = outputSize(n, k, p, s).remainder;
            expect(transposedOutputSize(o, k, p, s, 1, a)).toBe(n);
          }
  });

  test('bad settings: output padding not below the stride, padding that removes everything', () => {
    expect(() => transposedOutputSize(3, 3, 0, 2, 1, 2)).toThrow(/smaller than the stride/);
    expect(() => transposedOutputSize(1, 1, 1)).toThrow(/removes the whole output/);
  });
});

describe('conv2dTranspose', () => {
  test('each input value stamps the kernel, scaled, stride cells apart; overlaps add: x=[1,2,2] w 2x2 s=1 and s=2', () => {
    const x = fromNested([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    const w = fromNested([
      [
        [
          [1, 1],
          [1, 1],
        ],
      ],
    ]);
    expect(toNested(conv2dTranspose(x, w, null))).toEqual([
      [
        [1, 3, 2],
        [4, 10, 6],
        [3, 7, 4],
      ],
    ]);
    // Stride 2: the stamps no longer overlap; each value fills its own 2x2 block.
    expect(toNested(conv2dTranspose(x, w, null, { stride: 2 }))).toEqual([
      [
        [1, 1, 2, 2],
        [1, 1, 2, 2],
        [3, 3, 4, 4],
        [3, 3, 4, 4],
      ],
    ]);
  });

  test('equals the input gradient of conv2d with the same settings (60 seeded cases with stride, padding, dilation)', () => {
    const rng = new Rng(88);
    for (let n = 0; n < 60; n++) {
      const B = rng.int(1, 3),
        K = rng.int(1, 4),
        C = rng.int(1, 4),
        kh = rng.int(1, 4),
        kw = rng.int(1, 4);
      const opts = {
        stride: [rng.int(1, 4), rng.int(1, 4)] as [number, number],
        dilation: [rng.int(1, 3), rng.int(1, 3)] as [number, number],
        padding: { top: rng.int(0, 2), bottom: rng.int(0, 2), left: rng.int(0, 2), right: rng.int(0, 2) },
      };
      // The forward convolution [C, H, W] -> [K, OH, OW], then its transpose from [K, OH, OW].
      const H = rng.int(opts.dilation[0] * (kh - 1) + 1, 10),
        W = rng.int(opts.dilation[1] * (kw - 1) + 1, 10);
      const w = randomTensor([K, C, kh, kw], rng);
      const oy = outputSize(H, kh, [opts.padding.top, opts.padding.bottom], opts.stride[0], opts.dilation[0]);
      const ox = outputSize(W, kw, [opts.padding.left, opts.padding.right], opts.stride[1], opts.dilation[1]);
      const x = randomTensor([B, K, oy.size, ox.size], rng);
      const t: ConvTransposeOptions = { ...opts, outputPadding: [oy.remainder, ox.remainder] };
      const y = conv2dTranspose(x, w, null, t);
      expect(y.shape).toEqual([B, C, H, W]);
      const ref = conv2dBatchBackward(randomTensor([B, C, H, W], rng), w, x, opts).dx;
      expectClose(y, ref, 1e-12);
    }
  });

  test('its backward pass: dx is conv2d(dy, w) with the same settings', () => {
    const rng = new Rng(3);
    const x = randomTensor([2, 3, 3], rng);
    const w = randomTensor([2, 3, 3, 3], rng);
    const opts = { stride: 2, padding: 1, outputPadding: 1 };
    const y = conv2dTranspose(x, w, null, opts);
    expect(y.shape).toEqual([3, 6, 6]);
    const dy = randomTensor(y.shape, rng);
    expectClose(conv2dTransposeBackward(x, w, dy, opts).dx, conv2d(dy, w, null, { stride: 2, padding: 1 }), 1e-12);
  });

  test.each([
    ['x=[2,3,4] w=[2,3,3,3] s=2 p=1 a=1', [2, 3, 4], [2, 3, 3, 3], { stride: 2, padding: 1, outputPadding: 1 }],
    ['x=[2,1,2,3] w=[1,2,2,3] s=[2,1] d=2', [2, 1, 2, 3], [1, 2, 2, 3], { stride: [2, 1], dilation: 2 }],
  ] as [string, number[], number[], ConvTransposeOptions][])('%s: gradients pass gradCheck', (_n, xs, ws, opts) => {
    const rng = new Rng(17);
    const x = randomTensor(xs, rng),
      w = randomTensor(ws, rng),
      b = randomTensor([ws[1]!], rng);
    const R = randomTensor(conv2dTranspose(x, w, b, opts).shape, rng);
    const g = conv2dTransposeBackward(x, w, R, opts);
    const report = gradCheck({ x, w, b }, () => dot(conv2dTranspose(x, w, b, opts), R), { x: g.dx, w: g.dw, b: g.db });
    expect(report.passed).toBe(true);
  });

  test.each([
    [
      'channel mismatch',
      () => conv2dTranspose(tensor([2, 2, 2]), tensor([3, 1, 2, 2]), null),
      'kernel',
      /expect 3 input channels/,
    ],
    [
      'bias length',
      () => conv2dTranspose(tensor([1, 2, 2]), tensor([1, 2, 2, 2]), tensor([3])),
      'bias',
      /one value per output channel/,
    ],
    [
      'output padding',
      () => conv2dTranspose(tensor([1, 2, 2]), tensor([1, 1, 2, 2]), null, { stride: 2, outputPadding: 2 }),
      'outputPadding',
      /smaller than the stride/,
    ],
    [
      'dy shape',
      () => conv2dTransposeBackward(tensor([1, 2, 2]), tensor([1, 1, 2, 2]), tensor([1, 2, 2])),
      'gradient',
      /\[1, 3, 3\]/,
    ],
    ['NaN', () => conv2dTranspose(tensor([1, 1, 1], [NaN]), tensor([1, 1, 1, 1]), null), 'input', /NaN/],
  ])('bad input: %s throws EngineError (field %s)', (_n, fn, field, message) => expectEngineError(fn, field, message));
});
