import { describe, expect, test } from 'vitest';
import {
  EngineError,
  Rng,
  fromNested,
  mulberry32,
  randomInts,
  randomTensor,
  reshape,
  size,
  tensor,
  toNested,
  zeros,
} from '../../src/lib/index.ts';

describe('tensor', () => {
  test('fromNested [[[1,2],[3,4]],[[5,6],[7,8]]] has shape [2,2,2], row-major data, and toNested inverts it', () => {
    const nested = [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ];
    const t = fromNested(nested);
    expect(t.shape).toEqual([2, 2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(toNested(t)).toEqual(nested);
  });
  test('tensor copies its data; size, zeros and reshape', () => {
    const src = [1, 2, 3, 4, 5, 6];
    const t = tensor([2, 3], src);
    src[0] = 99;
    expect(t.data[0]).toBe(1);
    expect(size([2, 3, 4])).toBe(24);
    expect(size([])).toBe(1);
    expect(zeros([3]).data).toEqual(new Float64Array(3));
    expect(reshape(t, [3, 2]).shape).toEqual([3, 2]);
  });
  test('bad shapes and ragged lists throw EngineError in words', () => {
    expect(() => tensor([2, 3], [1, 2])).toThrow('Shape [2, 3] needs 6 values, but 2 were given.');
    expect(() => tensor([2, -1])).toThrow(/dimension 1 is -1/);
    expect(() => tensor([1.5])).toThrow(EngineError);
    expect(() => fromNested([[1, 2], [3]])).toThrow(/ragged: entry \[1\] should have 2 items/);
    expect(() => reshape(tensor([2, 3]), [4, 2])).toThrow(
      /Cannot reshape \[2, 3\] \(6 values\) to \[4, 2\] \(8 values\)/,
    );
  });
});

describe('Rng', () => {
  test('same seed, same sequence; different seeds differ', () => {
    const a = new Rng(42),
      b = new Rng(42),
      c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    expect(mulberry32(42)()).toBe(sa[0]);
  });
  test('next in [0,1), int in [lo,hi), normal has mean ~0 and variance ~1 over 20,000 draws', () => {
    const r = new Rng(1);
    let sum = 0,
      sq = 0;
    for (let i = 0; i < 20000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.int(-2, 3);
      expect(Number.isInteger(k) && k >= -2 && k < 3).toBe(true);
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / 20000)).toBeLessThan(0.03);
    expect(Math.abs(sq / 20000 - 1)).toBeLessThan(0.05);
  });
  test('shuffle is a seeded permutation; randomTensor and randomInts respect their ranges', () => {
    const p = new Rng(5).shuffle([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...p].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Rng(5).shuffle([0, 1, 2, 3, 4, 5, 6, 7])).toEqual(p);
    const t = randomTensor([100], new Rng(2), 3, 4);
    expect(t.data.every((v) => v >= 3 && v < 4)).toBe(true);
    const i = randomInts([100], new Rng(2), 0, 3);
    expect(new Set(i.data)).toEqual(new Set([0, 1, 2]));
  });
  test('bad seeds and ranges throw EngineError', () => {
    expect(() => new Rng(NaN)).toThrow(/seed must be a finite number/);
    expect(() => new Rng(1).int(3, 3)).toThrow(/upper bound must be at least 4/);
  });
});
