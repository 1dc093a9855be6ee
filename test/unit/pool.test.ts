import { describe, expect, test } from 'vitest';
import {
  EngineError,
  Rng,
  avgPool2d,
  fromNested,
  maxPool2d,
  pool2d,
  pool2dBackward,
  pool2dBatch,
  pool2dBatchBackward,
  poolTrace,
  randomTensor,
  sumPool2d,
  tensor,
  toNested,
  type PoolKind,
  type PoolOptions,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

const img = fromNested([
  [
    [1, 1, 2, 4],
    [5, 6, 7, 8],
    [3, 2, 1, 0],
    [1, 2, 3, 4],
  ],
]);

describe('pooling forward', () => {
  test('maxPool2d x=[1,4,4] size 2 (CS231n example) gives [[6,8],[3,4]] and argmax into x', () => {
    const { y, argmax } = maxPool2d(img, { size: 2 });
    expect(toNested(y)).toEqual([
      [
        [6, 8],
        [3, 4],
      ],
    ]);
    expect(Array.from(argmax!)).toEqual([5, 7, 8, 15]);
  });
  test('avgPool2d and sumPool2d x=[1,4,4] size 2', () => {
    expect(toNested(avgPool2d(img, { size: 2 }).y)).toEqual([
      [
        [13 / 4, 21 / 4],
        [2, 2],
      ],
    ]);
    expect(toNested(sumPool2d(img, { size: 2 }).y)).toEqual([
      [
        [13, 21],
        [8, 8],
      ],
    ]);
    expect(avgPool2d(img, { size: 2 }).argmax).toBeNull();
  });
  test('x=[1,4,4] size 3 s=2 p=1: max ignores padding even when all values are negative; avg counts only real cells', () => {
    const neg = tensor(
      [1, 4, 4],
      img.data.map((v) => -v - 1),
    );
    const m = maxPool2d(neg, { size: 3, stride: 2, padding: 1 }).y;
    // top-left window covers real cells (0..1, 0..1) = -2,-2,-6,-7
    expect(m.data[0]).toBe(-2);
    const a = avgPool2d(img, { size: 3, stride: 2, padding: 1 }).y;
    expect(a.shape).toEqual([1, 2, 2]);
    expect(a.data[0]).toBe((1 + 1 + 5 + 6) / 4);
    expect(a.data[3]).toBe((6 + 7 + 8 + 2 + 1 + 0 + 2 + 3 + 4) / 9);
  });
  test("x=[2,5,5] size 2 padding 'same' adds one row and column after (TF rule)", () => {
    const x = randomTensor([2, 5, 5], new Rng(1));
    const { y } = pool2d(x, 'max', { size: 2, padding: 'same' });
    expect(y.shape).toEqual([2, 3, 3]);
    expect(y.data[8]).toBe(x.data[24]); // bottom-right window holds only x[0,4,4]
  });
  test('non-square window [2,3] with stride [1,3] on x=[1,4,6]', () => {
    const x = tensor(
      [1, 4, 6],
      Array.from({ length: 24 }, (_, i) => i),
    );
    const { y } = pool2d(x, 'max', { size: [2, 3], stride: [1, 3] });
    expect(toNested(y)).toEqual([
      [
        [8, 11],
        [14, 17],
        [20, 23],
      ],
    ]);
  });
  test('pool2dBatch x=[2,3,6,6] equals pool2d on each image', () => {
    const x = randomTensor([2, 3, 6, 6], new Rng(2));
    for (const kind of ['max', 'avg', 'sum'] as const) {
      const yb = pool2dBatch(x, kind, { size: 3, stride: 2, padding: 1 }).y;
      for (let b = 0; b < 2; b++) {
        const yi = pool2d(tensor([3, 6, 6], x.data.subarray(b * 108, (b + 1) * 108)), kind, {
          size: 3,
          stride: 2,
          padding: 1,
        }).y;
        expectClose(yb.data.subarray(b * yi.data.length, (b + 1) * yi.data.length), yi.data, 0);
      }
    }
  });
});

describe('pooling backward', () => {
  test('max routes each gradient to its argmax; ties go to the first maximum (row-major)', () => {
    const x = fromNested([
      [
        [3, 3],
        [1, 3],
      ],
    ]);
    const dx = pool2dBackward(x, 'max', { size: 2 }, fromNested([[[5]]]));
    expect(toNested(dx)).toEqual([
      [
        [5, 0],
        [0, 0],
      ],
    ]);
    const d2 = pool2dBackward(
      img,
      'max',
      { size: 2 },
      fromNested([
        [
          [1, 2],
          [3, 4],
        ],
      ]),
    );
    expect(toNested(d2)).toEqual([
      [
        [0, 0, 0, 0],
        [0, 1, 0, 2],
        [3, 0, 0, 0],
        [0, 0, 0, 4],
      ],
    ]);
  });
  test('overlapping max windows (size 3 s=1) add up gradients on a shared argmax', () => {
    const x = fromNested([
      [
        [0, 0, 0, 0],
        [0, 9, 0, 0],
        [0, 0, 0, 0],
      ],
    ]);
    const dx = pool2dBackward(x, 'max', { size: 3, stride: 1 }, fromNested([[[1, 10]]]));
    expect(dx.data[5]).toBe(11);
  });
  test('avg spreads dy evenly over the real cells of each window (x=[1,3,3] size 2 s=2 p=same)', () => {
    const x = tensor([1, 3, 3]);
    const dx = pool2dBackward(
      x,
      'avg',
      { size: 2, padding: 'same' },
      fromNested([
        [
          [4, 2],
          [6, 1],
        ],
      ]),
    );
    expect(toNested(dx)).toEqual([
      [
        [1, 1, 1],
        [1, 1, 1],
        [3, 3, 1],
      ],
    ]);
  });
  test.each(['max', 'avg', 'sum'] as const)(
    '%s pool2dBackward x=[2,5,6] size 3 s=2 p=1 matches finite differences',
    (kind: PoolKind) => {
      const rng = new Rng(4);
      const x = randomTensor([2, 5, 6], rng);
      const opts: PoolOptions = { size: 3, stride: 2, padding: 1 };
      const y = pool2d(x, kind, opts).y;
      const dy = randomTensor(y.shape, rng);
      const f = (t: Float64Array) =>
        pool2d(tensor(x.shape, t), kind, opts).y.data.reduce((s, v, i) => s + v * dy.data[i]!, 0);
      const eps = 1e-6;
      const numeric = Array.from(x.data, (_, i) => {
        const p = Float64Array.from(x.data),
          m = Float64Array.from(x.data);
        p[i] = p[i]! + eps;
        m[i] = m[i]! - eps;
        return (f(p) - f(m)) / (2 * eps);
      });
      expectClose(pool2dBackward(x, kind, opts, dy), tensor(x.shape, numeric), 1e-7);
      const batched = pool2dBatchBackward(
        tensor([1, ...x.shape], x.data),
        kind,
        opts,
        tensor([1, ...dy.shape], dy.data),
      );
      expectClose(batched.data, numeric, 1e-7);
    },
  );
});

describe('poolTrace', () => {
  test('x=[1,4,4] max size 3 s=2 p=1, output (0,0): 9 cells, 5 in padding, argmax (1,1)', () => {
    const t = poolTrace(img, 'max', { size: 3, stride: 2, padding: 1 }, 0, 0, 0);
    expect([t.top, t.left]).toEqual([-1, -1]);
    expect(t.cells).toHaveLength(9);
    expect(t.cells.filter((c) => c.inPadding)).toHaveLength(5);
    expect(t.result).toBe(6);
    expect(t.argmax).toEqual({ iy: 1, ix: 1 });
    expect(t.ties).toBe(false);
  });
  test('ties flagged; avg result matches pool2d for every output', () => {
    expect(
      poolTrace(
        fromNested([
          [
            [3, 3],
            [1, 3],
          ],
        ]),
        'max',
        { size: 2 },
        0,
        0,
        0,
      ),
    ).toMatchObject({ ties: true, argmax: { iy: 0, ix: 0 } });
    const y = avgPool2d(img, { size: 3, stride: 1, padding: 1 }).y;
    for (let oy = 0; oy < 4; oy++)
      for (let ox = 0; ox < 4; ox++)
        expect(poolTrace(img, 'avg', { size: 3, stride: 1, padding: 1 }, 0, oy, ox).result).toBe(y.data[oy * 4 + ox]);
  });
});

describe('pooling bad input', () => {
  test('helpful EngineErrors', () => {
    expect(() => maxPool2d(img, { size: 0 })).toThrow(
      'pooling window size must be a whole number of at least 1, got 0',
    );
    expect(() => maxPool2d(img, { size: 5 })).toThrow('pooling window 5 is wider than the padded input 4');
    expect(() => maxPool2d(img, { size: 2, stride: 1.5 })).toThrow(/stride must be a whole number, got 1.5/);
    expect(() => maxPool2d(img, { size: 2, padding: 2 })).toThrow(/may be at most half the pooling window/);
    expect(() => pool2d(img, 'median' as PoolKind, { size: 2 })).toThrow(/'max', 'avg' or 'sum'/);
    expect(() => maxPool2d(tensor([4, 4]), { size: 2 })).toThrow(/3 dimensions \[channels, height, width\]/);
    expect(() => maxPool2d(tensor([1, 2, 2], [1, NaN, 2, 3]), { size: 2 })).toThrow(/NaN at flat index 1/);
    expect(() => pool2dBackward(img, 'max', { size: 2 }, tensor([1, 3, 3]))).toThrow(EngineError);
    expect(() => poolTrace(img, 'max', { size: 2 }, 0, 2, 0)).toThrow(
      'The output row must be a whole number from 0 to 1, got 2.',
    );
  });
});
