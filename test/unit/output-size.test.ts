import { describe, expect, test } from 'vitest';
import { EngineError, outputSize, poolOutputSize, resolvePadding, tfSamePadding } from '../../src/lib/index.ts';

describe('outputSize', () => {
  test('i=5 k=3 p=1 s=2: 3 positions, exact, every input visited', () => {
    const r = outputSize(5, 3, 1, 2);
    expect(r).toMatchObject({
      size: 3,
      exact: true,
      remainder: 0,
      effectiveKernel: 3,
      paddedInput: 7,
      unvisitedInputs: [],
    });
    expect(r.windowStarts).toEqual([0, 2, 4]);
  });
  test('i=28 k=5 p=0 s=1 (LeNet conv) gives 24; i=7 k=3 s=3 leaves input 6 unvisited', () => {
    expect(outputSize(28, 5).size).toBe(24);
    const r = outputSize(7, 3, 0, 3);
    expect(r).toMatchObject({ size: 2, exact: false, remainder: 1, unvisitedInputs: [6] });
  });
  test('i=6 k=2 s=3: the stride skips input 2 and the floor drops input 5', () => {
    // windows cover [0,1] and [3,4]: the stride jumps over index 2, the floor drops index 5
    const r = outputSize(6, 2, 0, 3);
    expect(r).toMatchObject({ size: 2, exact: false, remainder: 1, unvisitedInputs: [2, 5] });
  });
  test('i=7 k=2 d=3 (effective kernel 4): at s=1 later windows fill the dilation gaps; at s=4 inputs 1,2,4,5,6 are never read', () => {
    const r = outputSize(7, 2, 0, 1, 3);
    expect(r.effectiveKernel).toBe(4);
    expect(r.size).toBe(4);
    expect(r.unvisitedInputs).toEqual([]);
    const sparse = outputSize(7, 2, 0, 4, 3); // one window reading 0 and 3; a second would start at 4 and end past 6
    expect(sparse.size).toBe(1);
    expect(sparse.unvisitedInputs).toEqual([1, 2, 4, 5, 6]);
  });
  test('asymmetric padding [0, 2] and the formula floor((i + pb + pa - d(k-1) - 1)/s) + 1 for 500 combinations', () => {
    expect(outputSize(4, 3, [0, 2], 1).size).toBe(4);
    let n = 0;
    for (let i = 1; i <= 9; i++)
      for (let k = 1; k <= 4; k++)
        for (let s = 1; s <= 3; s++)
          for (let d = 1; d <= 2; d++)
            for (let p = 0; p <= 2; p++) {
              const eff = d * (k - 1) + 1;
              if (eff > i + 2 * p) continue;
              const r = outputSize(i, k, p, s, d);
              expect(r.size).toBe(Math.floor((i + 2 * p - eff) / s) + 1);
              expect(r.windowStarts.at(-1)! + eff).toBeLessThanOrEqual(r.paddedInput);
              n++;
            }
    expect(n).toBeGreaterThan(500);
  });
  test('explains bad input in words', () => {
    expect(() => outputSize(5, 7)).toThrow('kernel 7 (7 with dilation 1) is wider than the padded input 5');
    expect(() => outputSize(5, 3, 0, 1, 3)).toThrow('kernel 3 (7 with dilation 3) is wider than the padded input 5');
    expect(() => outputSize(5, 3, 0, 0)).toThrow('stride must be a whole number of at least 1, got 0');
    expect(() => outputSize(5, 2.5)).toThrow('kernel size must be a whole number, got 2.5');
    expect(() => outputSize(-1, 2)).toThrow(/input size must be a whole number of at least 1, got -1/);
    expect(() => outputSize(5, 3, -1)).toThrow(/padding must be a whole number of at least 0, got -1/);
    expect(() => outputSize(NaN, 3)).toThrow(EngineError);
    expect(() => outputSize(5, 3, 0, 1, 0)).toThrow(/dilation must be a whole number of at least 1/);
    expect(() => outputSize(5, 3, 0, Infinity)).toThrow(EngineError);
  });
});

describe('tfSamePadding', () => {
  test('i=28 k=5 s=1: 2 + 2 (symmetric); i=5 k=2 s=1: 0 + 1 (odd total goes after)', () => {
    expect(tfSamePadding(28, 5)).toEqual({ before: 2, after: 2, total: 4 });
    expect(tfSamePadding(5, 2)).toEqual({ before: 0, after: 1, total: 1 });
  });
  test('i=7 k=3 s=2: ceil(7/2)=4 outputs need total 2; i=6 k=1 s=2 needs none', () => {
    expect(tfSamePadding(7, 3, 2)).toEqual({ before: 1, after: 1, total: 2 });
    expect(tfSamePadding(6, 1, 2)).toEqual({ before: 0, after: 0, total: 0 });
    expect(tfSamePadding(8, 4, 2)).toEqual({ before: 1, after: 1, total: 2 });
    expect(tfSamePadding(10, 3, 1, 2)).toEqual({ before: 2, after: 2, total: 4 });
  });
  test("'same' gives ceil(i/s) outputs for i in 1..12, k in 1..5, s in 1..3", () => {
    for (let i = 1; i <= 12; i++)
      for (let k = 1; k <= 5; k++)
        for (let s = 1; s <= 3; s++) {
          const p = tfSamePadding(i, k, s);
          expect(outputSize(i, k, [p.before, p.after], s).size).toBe(Math.ceil(i / s));
          expect(p.after - p.before === 0 || p.after - p.before === 1).toBe(true);
        }
  });
});

describe('resolvePadding and poolOutputSize', () => {
  test("resolvePadding x=5x6 k=2x3: 'same', 'valid', number and sides", () => {
    expect(resolvePadding('same', 5, 6, 2, 3)).toEqual({ top: 0, bottom: 1, left: 1, right: 1 });
    expect(resolvePadding('valid', 5, 6, 2, 3)).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
    expect(resolvePadding(2, 5, 6, 2, 3)).toEqual({ top: 2, bottom: 2, left: 2, right: 2 });
    expect(resolvePadding({ top: 1, bottom: 0, left: 0, right: 3 }, 5, 6, 2, 3)).toEqual({
      top: 1,
      bottom: 0,
      left: 0,
      right: 3,
    });
    expect(() => resolvePadding({ top: 1, bottom: -1, left: 0, right: 0 }, 5, 6, 2, 3)).toThrow(/bottom padding/);
    expect(() => resolvePadding('full' as 'same', 5, 6, 2, 3)).toThrow(/padding must be a number, 'same', 'valid'/);
  });
  test('poolOutputSize i=28 size 2: 14; i=5 size 2: 2 with the last row unvisited; i=5 size 3 s=2 p=1: 3', () => {
    expect(poolOutputSize(28, 2).size).toBe(14);
    expect(poolOutputSize(5, 2)).toMatchObject({ size: 2, exact: false, unvisitedInputs: [4] });
    expect(poolOutputSize(5, 3, 2, 1).size).toBe(3);
    expect(() => poolOutputSize(5, 2, 2, 2)).toThrow(/padding \(2\) may be at most half the pooling window \(2\)/);
  });
});
