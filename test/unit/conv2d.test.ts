import { describe, expect, test } from 'vitest';
import {
  EngineError,
  Rng,
  conv2d,
  conv2dBackward,
  conv2dBatch,
  conv2dBatchBackward,
  conv2dGeometry,
  conv2dInputGradTrace,
  conv2dParamCount,
  conv2dTrace,
  conv2dWeightGradTrace,
  denseParamCount,
  fromNested,
  maxPool2d,
  randomInts,
  randomTensor,
  rotate180,
  tensor,
  toNested,
  zeros,
  type Conv2dOptions,
  type Tensor,
} from '../../src/lib/index.ts';
import {
  backwardGeneral,
  backwardStride1,
  forwardGeneral,
  forwardStride1,
} from '../../src/lib/engine/conv2d-kernels.ts';
import { expectClose } from './helpers.ts';

/** Textbook definition with explicit bounds checks, written independently of the engine's loops. */
function naiveConv2d(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  o: Required<Omit<Conv2dOptions, 'padding' | 'kind'>> & { pad: [number, number, number, number] },
): number[][][] {
  const [C, H, W] = x.shape as [number, number, number];
  const [K, , kh, kw] = w.shape as [number, number, number, number];
  const [sy, sx] = typeof o.stride === 'number' ? [o.stride, o.stride] : o.stride;
  const [dy, dx] = typeof o.dilation === 'number' ? [o.dilation, o.dilation] : o.dilation;
  const [top, bottom, left, right] = o.pad;
  const OH = Math.floor((H + top + bottom - dy * (kh - 1) - 1) / sy) + 1;
  const OW = Math.floor((W + left + right - dx * (kw - 1) - 1) / sx) + 1;
  const at = (c: number, i: number, j: number) =>
    i < 0 || i >= H || j < 0 || j >= W ? 0 : x.data[(c * H + i) * W + j]!;
  const out: number[][][] = [];
  for (let k = 0; k < K; k++) {
    const plane: number[][] = [];
    for (let oy = 0; oy < OH; oy++) {
      const row: number[] = [];
      for (let ox = 0; ox < OW; ox++) {
        let s = b ? b.data[k]! : 0;
        for (let c = 0; c < C; c++)
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++)
              s += w.data[((k * C + c) * kh + i) * kw + j]! * at(c, oy * sy + i * dy - top, ox * sx + j * dx - left);
        row.push(s);
      }
      plane.push(row);
    }
    out.push(plane);
  }
  return out;
}

describe('conv2d golden examples', () => {
  test('conv2d x=[1,5,5] binary image k=[1,1,3,3] X-kernel gives [[4,3,4],[2,4,3],[2,3,4]]', () => {
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
    expect(toNested(conv2d(x, w, null))).toEqual([
      [
        [4, 3, 4],
        [2, 4, 3],
        [2, 3, 4],
      ],
    ]);
  });

  test('conv2d x=[3,5,5] k=[2,3,3,3] s=2 p=1 with bias gives [2,3,3], each value the window sum plus bias', () => {
    // CS231n demo style: inputs 0..2, weights -1..1, biases 1 and 0.
    const rng = new Rng(231);
    const x = randomInts([3, 5, 5], rng, 0, 3);
    const w = randomInts([2, 3, 3, 3], rng, -1, 2);
    const b = tensor([2], [1, 0]);
    const y = conv2d(x, w, b, { stride: 2, padding: 1 });
    expect(y.shape).toEqual([2, 3, 3]);
    expect(toNested(y)).toEqual(naiveConv2d(x, w, b, { stride: 2, dilation: 1, pad: [1, 1, 1, 1] }));
    // Output [0,0,0]: the window's top-left sits on padding at (-1,-1); only cells (0..1, 0..1) are real.
    let manual = 1;
    for (let c = 0; c < 3; c++)
      for (let i = 1; i < 3; i++)
        for (let j = 1; j < 3; j++) manual += w.data[(c * 3 + i) * 3 + j]! * x.data[(c * 5 + i - 1) * 5 + j - 1]!;
    expect(y.data[0]).toBe(manual);
  });

  test('LeNet on 28x28 with 3x3 kernels: parameter counts 60, 880, 48,120, 10,164, 850', () => {
    let a: Tensor = zeros([1, 1, 28, 28]);
    a = conv2dBatch(a, zeros([6, 1, 3, 3]), zeros([6]));
    a = maxPool2d(tensor(a.shape.slice(1), a.data), { size: 2 }).y;
    a = conv2d(a, zeros([16, 6, 3, 3]), zeros([16]));
    a = maxPool2d(a, { size: 2 }).y;
    expect(a.shape).toEqual([16, 5, 5]);
    const flat = a.data.length;
    expect([conv2dParamCount(1, 6, 3, 3), conv2dParamCount(6, 16, 3, 3)]).toEqual([60, 880]);
    expect([denseParamCount(flat, 120), denseParamCount(120, 84), denseParamCount(84, 10)]).toEqual([
      48120, 10164, 850,
    ]);
  });
});

describe('conv2d against a naive reference', () => {
  test('random x=[C,H,W] k=[K,C,kh,kw] with stride, explicit asymmetric padding and dilation (60 cases)', () => {
    const rng = new Rng(7);
    for (let n = 0; n < 60; n++) {
      const C = rng.int(1, 4),
        K = rng.int(1, 4),
        kh = rng.int(1, 4),
        kw = rng.int(1, 4);
      const sy = rng.int(1, 4),
        sx = rng.int(1, 4),
        dy = rng.int(1, 3),
        dx = rng.int(1, 3);
      const pad = { top: rng.int(0, 3), bottom: rng.int(0, 3), left: rng.int(0, 3), right: rng.int(0, 3) };
      const H = rng.int(dy * (kh - 1) + 1, 10),
        W = rng.int(dx * (kw - 1) + 1, 10);
      const x = randomTensor([C, H, W], rng),
        w = randomTensor([K, C, kh, kw], rng),
        b = randomTensor([K], rng);
      const opts: Conv2dOptions = { stride: [sy, sx], dilation: [dy, dx], padding: pad };
      const expected = naiveConv2d(x, w, b, {
        stride: [sy, sx],
        dilation: [dy, dx],
        pad: [pad.top, pad.bottom, pad.left, pad.right],
      });
      expectClose(conv2d(x, w, b, opts).data, expected.flat(2), 1e-12);
      // True convolution is cross-correlation with the kernel rotated 180 degrees.
      expectClose(conv2d(x, w, b, { ...opts, kind: 'convolution' }), conv2d(x, rotate180(w), b, opts), 1e-12);
    }
  });

  test('stride-1 fast kernels equal the general kernels: x=[2,3,9,8] k=[4,3,3,2], padding and dilation', () => {
    const rng = new Rng(11);
    for (const opts of [
      { padding: 0 },
      { padding: 'same' as const },
      { padding: { top: 2, bottom: 0, left: 1, right: 3 }, dilation: [2, 3] as [number, number] },
    ]) {
      const x = randomTensor([2, 3, 9, 8], rng),
        w = randomTensor([4, 3, 3, 2], rng),
        b = randomTensor([4], rng);
      const g = conv2dGeometry(x.shape, w.shape, opts);
      const fast = forwardStride1(x.data, w.data, b.data, g);
      expectClose(fast, forwardGeneral(x.data, w.data, b.data, g), 1e-12);
      const dy = randomTensor([2, 4, g.OH, g.OW], rng).data;
      const f = backwardStride1(x.data, w.data, dy, g);
      const s = backwardGeneral(x.data, w.data, dy, g);
      expectClose(f.dx, s.dx, 1e-12);
      expectClose(f.dw, s.dw, 1e-12);
      expectClose(f.db, s.db, 1e-12);
    }
  });

  test('conv2dBatch x=[3,2,6,6] equals conv2d on each image', () => {
    const rng = new Rng(3);
    const x = randomTensor([3, 2, 6, 6], rng),
      w = randomTensor([2, 2, 3, 3], rng),
      b = randomTensor([2], rng);
    const y = conv2dBatch(x, w, b, { stride: 2, padding: 'same' });
    const per = 2 * 6 * 6;
    for (let i = 0; i < 3; i++) {
      const yi = conv2d(tensor([2, 6, 6], x.data.subarray(i * per, (i + 1) * per)), w, b, {
        stride: 2,
        padding: 'same',
      });
      expectClose(y.data.subarray(i * yi.data.length, (i + 1) * yi.data.length), yi.data, 1e-12);
    }
  });
});

describe('conv2d backward', () => {
  // L = sum(dy * conv(x, w) + b) is linear in each argument, so central differences with step 1 are exact.
  test.each([
    ['s=1 p=0', { stride: 1, padding: 0 }],
    ['s=2 p=same', { stride: 2, padding: 'same' }],
    [
      's=[1,2] d=2 p=asym convolution',
      { stride: [1, 2], dilation: 2, padding: { top: 0, bottom: 2, left: 1, right: 0 }, kind: 'convolution' },
    ],
  ] as [string, Conv2dOptions][])(
    'conv2dBackward x=[2,6,7] k=[3,2,3,2] %s matches finite differences',
    (_name, opts) => {
      const rng = new Rng(5);
      const x = randomTensor([2, 6, 7], rng),
        w = randomTensor([3, 2, 3, 2], rng),
        b = randomTensor([3], rng);
      const y = conv2d(x, w, b, opts);
      const dy = randomTensor(y.shape, rng);
      const loss = (xx: Tensor, ww: Tensor, bb: Tensor) =>
        conv2d(xx, ww, bb, opts).data.reduce((s, v, i) => s + v * dy.data[i]!, 0);
      const numeric = (t: Tensor, f: (t2: Tensor) => number) =>
        Array.from(t.data, (_, i) => {
          const p = tensor(t.shape, t.data),
            m = tensor(t.shape, t.data);
          p.data[i] = p.data[i]! + 1;
          m.data[i] = m.data[i]! - 1;
          return (f(p) - f(m)) / 2;
        });
      const g = conv2dBackward(x, w, dy, opts);
      expectClose(
        g.dx.data,
        numeric(x, (t) => loss(t, w, b)),
        1e-10,
      );
      expectClose(
        g.dw.data,
        numeric(w, (t) => loss(x, t, b)),
        1e-10,
      );
      expectClose(
        g.db.data,
        numeric(b, (t) => loss(x, w, t)),
        1e-10,
      );
      const batched = conv2dBatchBackward(tensor([1, ...x.shape], x.data), w, tensor([1, ...dy.shape], dy.data), opts);
      expectClose(batched.dw, g.dw, 1e-12);
    },
  );
});

describe('conv2d traces', () => {
  const rng = new Rng(9);
  const x = randomInts([2, 5, 6], rng, -3, 4),
    w = randomInts([2, 2, 3, 3], rng, -2, 3),
    b = tensor([2], [1, -1]);
  const cases: [string, Conv2dOptions][] = [
    ['s=2 p=1', { stride: 2, padding: 1 }],
    ['s=1 p=same d=2', { padding: 'same', dilation: 2 }],
    ['s=1 p=0 convolution', { kind: 'convolution' }],
  ];
  test.each(cases)('conv2dTrace x=[2,5,6] k=[2,2,3,3] %s sums to every output', (_n, opts) => {
    const y = conv2d(x, w, b, opts);
    const [K, OH, OW] = y.shape as [number, number, number];
    for (let k = 0; k < K; k++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const t = conv2dTrace(x, w, b, opts, k, oy, ox);
          expect(t.terms).toHaveLength(2 * 9);
          expect(t.sum).toBe(y.data[(k * OH + oy) * OW + ox]);
          expect(t.partialSums.reduce((s, v) => s + v, 0) + t.bias).toBe(t.sum);
          for (const term of t.terms) {
            expect(term.inPadding).toBe(term.iy < 0 || term.iy >= 5 || term.ix < 0 || term.ix >= 6);
            if (term.inPadding) expect(term.x).toBe(0);
            expect(term.w).toBe(w.data[((k * 2 + term.c) * 3 + term.wy) * 3 + term.wx]);
          }
        }
  });
  test('conv2dTrace x=[2,5,6] k=[2,2,3,3] s=2 p=1: output (0,1,1) window starts at (1,1)', () => {
    const t = conv2dTrace(x, w, b, { stride: 2, padding: 1 }, 0, 1, 1);
    expect([t.top, t.left]).toEqual([1, 1]);
    const corner = conv2dTrace(x, w, b, { stride: 2, padding: 1 }, 1, 0, 0);
    expect([corner.top, corner.left]).toEqual([-1, -1]);
    expect(corner.terms.filter((term) => term.inPadding)).toHaveLength(2 * 5);
  });
  test.each(cases)('input- and weight-gradient traces x=[2,5,6] k=[2,2,3,3] %s sum to dx and dw', (_n, opts) => {
    const dy = randomInts(conv2d(x, w, b, opts).shape, rng, -2, 3);
    const g = conv2dBackward(x, w, dy, opts);
    for (let c = 0; c < 2; c++)
      for (let iy = 0; iy < 5; iy++)
        for (let ix = 0; ix < 6; ix++) {
          const t = conv2dInputGradTrace(x, w, dy, opts, c, iy, ix);
          expect(t.sum).toBe(g.dx.data[(c * 5 + iy) * 6 + ix]);
          for (const term of t.terms) expect(term.product).toBe(term.dy * term.w);
        }
    for (let k = 0; k < 2; k++)
      for (let c = 0; c < 2; c++)
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const t = conv2dWeightGradTrace(x, w, dy, opts, k, c, ky, kx);
            expect(t.terms).toHaveLength(dy.data.length / 2);
            expect(t.sum).toBe(g.dw.data[((k * 2 + c) * 3 + ky) * 3 + kx]);
          }
  });
  test('trace indices out of range throw EngineError', () => {
    expect(() => conv2dTrace(x, w, b, {}, 2, 0, 0)).toThrow(/filter index must be a whole number from 0 to 1, got 2/);
    expect(() => conv2dInputGradTrace(x, w, zeros([2, 3, 4]), {}, 0, 5, 0)).toThrow(/input row/);
    expect(() => conv2dWeightGradTrace(x, w, zeros([2, 3, 3]), {}, 0, 0, 0, 0)).toThrow(/output's shape \[2, 3, 4\]/);
  });
});

describe('conv2d bad input', () => {
  const x = tensor([3, 5, 5]);
  const w = tensor([2, 3, 3, 3]);
  test('wrong ranks and mismatched channels', () => {
    expect(() => conv2d(tensor([5, 5]), w, null)).toThrow(
      'The input x must have 3 dimensions [channels, height, width], but its shape is [5, 5].',
    );
    expect(() => conv2d(x, tensor([2, 3, 3]), null)).toThrow(
      /kernels w must have 4 dimensions \[filters, channels, kernel height, kernel width\]/,
    );
    expect(() => conv2d(tensor([1, 5, 5]), w, null)).toThrow(
      'The kernels expect 3 input channels (w shape [2, 3, 3, 3]) but the input has 1 (x shape [1, 5, 5]).',
    );
    expect(() => conv2d(x, w, tensor([3]))).toThrow('The bias needs one value per filter: shape [2], got [3].');
    expect(() => conv2dBatch(x, w, null)).toThrow(/4 dimensions \[batch, channels, height, width\]/);
  });
  test('kernel larger than the padded input', () => {
    expect(() => conv2d(x, tensor([1, 3, 7, 7]), null)).toThrow('The kernel 7x7 is wider than the padded input 5x5');
    expect(() => conv2d(x, tensor([1, 3, 7, 7]), null, { padding: 1 })).not.toThrow();
    expect(() => conv2d(x, w, null, { dilation: 3 })).toThrow(
      'The kernel 3x3 (7x7 with dilation) is wider than the padded input 5x5',
    );
  });
  test('stride 0, non-integers, negative padding, unknown kind', () => {
    expect(() => conv2d(x, w, null, { stride: 0 })).toThrow('stride must be a whole number of at least 1, got 0');
    expect(() => conv2d(x, w, null, { stride: [1, 1.5] })).toThrow('The stride must be a whole number, got 1.5.');
    expect(() => conv2d(x, w, null, { padding: -1 })).toThrow(/padding must be a whole number of at least 0, got -1/);
    expect(() => conv2d(x, w, null, { dilation: 0 })).toThrow(/dilation must be a whole number of at least 1, got 0/);
    expect(() => conv2d(x, w, null, { kind: 'conv' as 'convolution' })).toThrow(
      /kind must be 'cross-correlation' or 'convolution'/,
    );
  });
  test('NaN and Infinity anywhere are refused, never propagated', () => {
    const bad = tensor([3, 5, 5]);
    bad.data[7] = NaN;
    expect(() => conv2d(bad, w, null)).toThrow(
      'The input x contains NaN at flat index 7; every entry must be a finite number.',
    );
    const badW = tensor([2, 3, 3, 3]);
    badW.data[0] = Infinity;
    expect(() => conv2d(x, badW, null)).toThrow(/kernels w contains Infinity/);
    expect(() => conv2d(x, w, tensor([2], [0, NaN]))).toThrow(/bias b contains NaN/);
    const dy = tensor([2, 3, 3]);
    dy.data[2] = NaN;
    expect(() => conv2dBackward(x, w, dy)).toThrow(/output gradient dy contains NaN/);
    expect(() => conv2dBackward(x, w, tensor([2, 4, 4]))).toThrow(
      "The output gradient dy must have the output's shape [2, 3, 3], got [2, 4, 4].",
    );
  });
  test('every failure is an EngineError with a field for the widget', () => {
    try {
      conv2d(x, w, null, { stride: 0 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).field).toBe('stride');
    }
  });
});
