/**
 * Ceil mode (PyTorch's `ceil_mode=True` for pooling) and pooling's padding limit, checked three ways:
 * 1. against the floor form: ceil equals floor when the division is exact and is one more otherwise, unless that
 *    extra window would start in the right padding;
 * 2. against PyTorch's documentation, quoted below;
 * 3. against PyTorch itself: test/fixtures/pool-ceil-torch.json, written by make_pool_ceil_fixtures.py beside it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fromNested, outputSize, pool2d, poolOutputSize, toNested } from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

interface SizeCase {
  i: number;
  k: number;
  s: number;
  p: number;
  floor: number;
  ceil: number;
}
interface ValueCase {
  x: number[][];
  k: number;
  s: number;
  p: number;
  ceil: boolean;
  max: number[][];
  avg: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/pool-ceil-torch.json', import.meta.url), 'utf8')) as {
  torch: string;
  sizes: SizeCase[];
  values: ValueCase[];
};

describe('ceil mode against the floor form', () => {
  test('i=28 k=2 s=2 (exact): ceil and floor both give 14', () => {
    expect(poolOutputSize(28, 2, 2, 0, true).size).toBe(14);
    expect(poolOutputSize(28, 2, 2, 0, false).size).toBe(14);
  });
  test('i=11 k=2 s=2: floor 5 drops input 10; ceil 6 reads it with a window that hangs 1 past the end', () => {
    const floor = poolOutputSize(11, 2, 2);
    const ceil = poolOutputSize(11, 2, 2, 0, true);
    expect(floor).toMatchObject({ size: 5, unvisitedInputs: [10], overhang: 0 });
    expect(ceil).toMatchObject({ size: 6, unvisitedInputs: [], overhang: 1 });
    expect(ceil.windowStarts).toEqual([0, 2, 4, 6, 8, 10]);
  });
  test('for i 1..20, k 1..5, s 1..5, p 0..k/2: ceil = floor + (inexact ? 1 : 0), minus a window starting in the right padding', () => {
    let n = 0;
    let dropped = 0;
    for (let i = 1; i <= 20; i++)
      for (let k = 1; k <= 5; k++)
        for (let s = 1; s <= 5; s++)
          for (let p = 0; 2 * p <= k; p++) {
            if (k > i + 2 * p) continue;
            const floor = poolOutputSize(i, k, s, p);
            const ceil = poolOutputSize(i, k, s, p, true);
            let expected = floor.size + (floor.exact ? 0 : 1);
            // The extra window would start at floor.size * s (padded coordinates): PyTorch drops it there.
            if (!floor.exact && floor.size * s >= i + p) {
              expected--;
              dropped++;
            }
            expect(ceil.size, `i=${i} k=${k} s=${s} p=${p}`).toBe(expected);
            // Every ceil window starts inside the left padding or the input.
            expect(ceil.windowStarts.at(-1)!).toBeLessThan(i + p);
            n++;
          }
    expect(n).toBeGreaterThan(700);
    expect(dropped).toBeGreaterThan(0);
  });
  test('outputSize (convolution) keeps floor by default; ceil mode is the same rule with dilation', () => {
    expect(outputSize(7, 3, 0, 2).size).toBe(3);
    // i=8 k=3 d=2 (effective 5) s=2: (8 - 5)/2 = 1.5, floor 2, ceil 3.
    expect(outputSize(8, 3, 0, 2, 2).size).toBe(2);
    expect(outputSize(8, 3, 0, 2, 2, true)).toMatchObject({ size: 3, overhang: 1 });
  });
});

describe("PyTorch's documentation", () => {
  // https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html, Note: "When ceil_mode=True, sliding windows
  // are allowed to go off-bounds if they start within the left padding or the input. Sliding windows that would
  // start in the right padded region are ignored."
  test('i=5 k=2 s=2 p=1: padded 7 cells, ceil(5/2) + 1 = 4 windows would start at 6, in the right padding: 3', () => {
    const r = poolOutputSize(5, 2, 2, 1, true);
    expect(r.size).toBe(3);
    expect(r.windowStarts).toEqual([0, 2, 4]);
    expect(poolOutputSize(5, 2, 2, 1).size).toBe(3);
  });
  test('i=6 k=3 s=2 p=1: the fourth window starts at 6 (input cell 5) and goes off-bounds: kept', () => {
    const r = poolOutputSize(6, 3, 2, 1, true);
    expect(r).toMatchObject({ size: 4, overhang: 1 });
    expect(poolOutputSize(6, 3, 2, 1).size).toBe(3);
  });
  // torch.nn.functional.max_pool2d: "padding – Implicit negative infinity padding to be added on both sides, must be
  // >= 0 and <= kernel_size / 2."
  test('padding at most half the window: k=3 allows 1, k=4 allows 2, k=2 p=2 is refused', () => {
    expect(poolOutputSize(5, 3, 1, 1).size).toBe(5);
    expect(poolOutputSize(5, 4, 1, 2).size).toBe(6);
    expect(() => poolOutputSize(5, 3, 1, 2)).toThrow(/may be at most half the pooling window \(3\)/);
    expect(() => poolOutputSize(5, 2, 2, 2)).toThrow(/may be at most half the pooling window \(2\)/);
  });
  test('max pooling pads with -Infinity: an all-negative border window keeps its real maximum, not 0', () => {
    const x = fromNested([
      [
        [-5, -3],
        [-4, -2],
      ],
    ]);
    expect(toNested(pool2d(x, 'max', { size: 2, stride: 1, padding: 1 }).y)).toEqual([
      [
        [-5, -3, -3],
        [-4, -2, -2],
        [-4, -2, -2],
      ],
    ]);
  });
});

describe(`PyTorch ${fixture.torch} (test/fixtures/pool-ceil-torch.json)`, () => {
  test(`${fixture.sizes.length} output lengths of MaxPool1d, floor and ceil mode`, () => {
    expect(fixture.sizes.length).toBeGreaterThan(300);
    for (const c of fixture.sizes) {
      const what = `i=${c.i} k=${c.k} s=${c.s} p=${c.p}`;
      expect(poolOutputSize(c.i, c.k, c.s, c.p).size, `${what} floor`).toBe(c.floor);
      expect(poolOutputSize(c.i, c.k, c.s, c.p, true).size, `${what} ceil`).toBe(c.ceil);
    }
    expect(fixture.sizes.some((c) => c.ceil !== c.floor)).toBe(true);
  });
  for (const c of fixture.values) {
    const h = c.x.length;
    const w = c.x[0]!.length;
    test(`pool2d x=[1,${h},${w}] k=${c.k} s=${c.s} p=${c.p} ceil=${c.ceil}: max and avg (count_include_pad=False)`, () => {
      const x = fromNested([c.x]);
      const opts = { size: c.k, stride: c.s, padding: c.p, ceilMode: c.ceil };
      expect(toNested(pool2d(x, 'max', opts).y)).toEqual([c.max]);
      const avg = pool2d(x, 'avg', opts).y;
      expect(avg.shape).toEqual([1, c.avg.length, c.avg[0]!.length]);
      expectClose(Array.from(avg.data), c.avg.flat(), 1e-12);
    });
  }
});
