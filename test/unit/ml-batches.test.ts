import { describe, expect, it } from 'vitest';
import { epochOrder, fillBatch, shiftInto, splitIndices, transformInto } from '../../src/ml/batches.ts';
import { Rng } from '../../src/lib/engine/rng.ts';

describe('seeded data order (shared by the TF.js and from-scratch runs)', () => {
  it('splitIndices total=100 subset=50 split=0.2: 40 train + 10 validation, disjoint, seeded', () => {
    const a = splitIndices(100, 50, 0.2, 7);
    expect([a.train.length, a.validation.length]).toEqual([40, 10]);
    const all = new Set([...a.train, ...a.validation]);
    expect(all.size).toBe(50);
    expect([...all].every((i) => i >= 0 && i < 100)).toBe(true);
    expect(Array.from(splitIndices(100, 50, 0.2, 7).train)).toEqual(Array.from(a.train));
    expect(Array.from(splitIndices(100, 50, 0.2, 8).train)).not.toEqual(Array.from(a.train));
  });

  it('epochOrder n=30: a permutation, new each epoch, the same for the same seed and epoch', () => {
    const idx = Int32Array.from({ length: 30 }, (_, i) => 100 + i);
    const e0 = Array.from(epochOrder(idx, 1, 0));
    expect([...e0].sort((p, q) => p - q)).toEqual(Array.from(idx));
    expect(Array.from(epochOrder(idx, 1, 0))).toEqual(e0);
    expect(Array.from(epochOrder(idx, 1, 1))).not.toEqual(e0);
  });
});

describe('batch filling', () => {
  const pixels = Uint8Array.from({ length: 3 * 784 }, (_, i) => (i % 784 === 0 ? 255 : Math.floor(i / 784) * 10));
  const labels = Uint8Array.from([4, 5, 6]);

  it('fillBatch x=[2,784] from order [2,0] starting at 0: scaled to [0,1], labels follow', () => {
    const x = new Float32Array(2 * 784);
    const y = new Int32Array(2);
    fillBatch(pixels, labels, Int32Array.from([2, 0]), 0, 2, x, y);
    expect(Array.from(y)).toEqual([6, 4]);
    expect(x[0]).toBe(1);
    expect(x[1]).toBeCloseTo(20 / 255, 6);
    expect(x[784 + 1]).toBe(0);
  });

  it('transformInto 28x28 with no shift or rotation returns the image', () => {
    const src = Uint8Array.from({ length: 784 }, (_, i) => (i * 7) % 256);
    const out = new Float32Array(784);
    transformInto(src, out, 0, 0, 0, 0);
    expect(Array.from(out).every((v, i) => Math.abs(v - src[i]! / 255) < 1e-6)).toBe(true);
  });

  it('transformInto shift dx=2 dy=1 moves the pixel at (5,5) to (6,7)', () => {
    const src = new Uint8Array(784);
    src[5 * 28 + 5] = 255;
    const out = new Float32Array(784);
    transformInto(src, out, 0, 2, 1, 0);
    expect(out[6 * 28 + 7]).toBeCloseTo(1, 6);
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });

  it('transformInto rotate 90 degrees keeps the centre and turns a bar', () => {
    const src = new Uint8Array(784);
    for (let x = 4; x < 24; x++) src[13 * 28 + x] = 255; // a horizontal bar through the centre row 13
    const out = new Float32Array(784);
    transformInto(src, out, 0, 0, 0, Math.PI / 2);
    // Rotated, the ink lies in a vertical band: column sums far exceed row sums outside the centre.
    const col = (c: number) => Array.from({ length: 28 }, (_, r) => out[r * 28 + c]!).reduce((a, b) => a + b, 0);
    expect(col(13) + col(14)).toBeGreaterThan(10);
    expect(col(3)).toBeCloseTo(0, 6);
  });

  it('shiftInto equals transformInto with no rotation, for fractional, whole and extreme shifts', () => {
    const src = Uint8Array.from({ length: 784 }, (_, i) => (i * 37 + ((i * i) >> 3)) % 256);
    const shifts: [number, number][] = [
      [0, 0],
      [0.3, -0.7],
      [-1, 1],
      [2.5, 0.25],
      [-4, 4],
      [4, -3.999],
      [-0.001, 0.999],
    ];
    for (const [dx, dy] of shifts) {
      const fast = new Float32Array(784 + 3);
      const slow = new Float32Array(784 + 3);
      // At an offset, as in a batch, and leaving the other values alone.
      shiftInto(src, fast, 3, dx, dy);
      transformInto(src, slow, 3, dx, dy, 0);
      const worst = Math.max(...Array.from(fast, (v, i) => Math.abs(v - slow[i]!)));
      expect(worst, `shift (${dx}, ${dy})`).toBeLessThan(1e-6);
      expect(fast.slice(0, 3)).toEqual(new Float32Array(3));
    }
  });

  it('a shift-only fillBatch draws the same numbers as one that also rotates: a seeded run keeps its shifts', () => {
    const x = new Float32Array(2 * 784);
    fillBatch(pixels, labels, Int32Array.from([1, 2]), 0, 2, x, new Int32Array(2), {
      spec: { shift: 1.5, rotate: 0 },
      rng: new Rng(9),
    });
    const rng = new Rng(9);
    const expected = new Float32Array(2 * 784);
    for (const [b, img] of [
      [0, 1],
      [1, 2],
    ] as const) {
      const [dx, dy] = [rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)];
      rng.uniform(-0, 0);
      transformInto(pixels.subarray(img * 784, (img + 1) * 784), expected, b * 784, dx, dy, 0);
    }
    expect(Math.max(...Array.from(x, (v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-6);
    expect(x.some((v, i) => v !== pixels[784 + (i % 784)]! / 255)).toBe(true);
  });

  it('augmented fillBatch is seeded: same Rng seed, same pixels', () => {
    const run = () => {
      const x = new Float32Array(784);
      fillBatch(pixels, labels, Int32Array.from([1]), 0, 1, x, new Int32Array(1), {
        spec: { shift: 2, rotate: 10 },
        rng: new Rng(3),
      });
      return Array.from(x);
    };
    expect(run()).toEqual(run());
  });
});
