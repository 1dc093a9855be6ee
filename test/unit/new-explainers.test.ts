/**
 * The explainers behind the GEMM and training chapters: im2col columns and copy counts, conv costs (LeNet's layers),
 * the initialisation variances (Glorot & Bengio 2010, He et al. 2015) and the optimiser race (D2L §12.6's numbers).
 */
import { describe, expect, test } from 'vitest';
import {
  EngineError,
  conv2dCost,
  im2col,
  im2colColumn,
  im2colCopies,
  layerVariances,
  raceOptimizers,
  tensor,
  toNested,
} from '../../src/lib/index.ts';

describe('im2col explainers', () => {
  test('im2colColumn x=[2,3,3] k=2 p=1 s=2: column 0 is the window at (−1,−1), padding cells marked, values from im2col', () => {
    const x = tensor(
      [2, 3, 3],
      Array.from({ length: 18 }, (_, i) => i + 1),
    );
    const col = im2colColumn(x, 2, { padding: 1, stride: 2 }, 0);
    expect([col.oy, col.ox, col.top, col.left]).toEqual([0, 0, -1, -1]);
    expect(col.entries.map((e) => e.value)).toEqual([0, 0, 0, 1, 0, 0, 0, 10]);
    expect(col.entries.filter((e) => e.inPadding).length).toBe(6);
    const cols = im2col(x, 2, { padding: 1, stride: 2 });
    const n = cols.shape[1]!;
    for (let j = 0; j < n; j++) {
      const c = im2colColumn(x, 2, { padding: 1, stride: 2 }, j);
      expect(c.entries.map((e) => e.value)).toEqual(c.entries.map((e) => cols.data[e.row * n + j]));
    }
    expect(() => im2colColumn(x, 2, { padding: 1, stride: 2 }, n)).toThrow(EngineError);
  });

  test('im2colCopies: a 5x5 input under a 3x3 kernel, stride 1, is copied 1, 2, 3, 2, 1 times along each axis', () => {
    const copies = toNested(im2colCopies([1, 5, 5], 3)) as number[][][];
    expect(copies[0]![0]).toEqual([1, 2, 3, 2, 1]);
    expect(copies[0]![2]).toEqual([3, 6, 9, 6, 3]);
    // Stride 3 with a 3x3 kernel tiles the input: every cell is copied exactly once.
    expect(new Set(im2colCopies([1, 6, 6], 3, { stride: 3 }).data)).toEqual(new Set([1]));
  });

  test("conv2dCost of LeNet's layers: C1 6@5x5 same on 1x28x28 and C3 16@5x5 on 6x14x14", () => {
    const c1 = conv2dCost([1, 28, 28], [6, 1, 5, 5], { padding: 'same' });
    expect(c1.patchValues).toBe(25 * 784);
    expect(c1.blowup).toBe(25);
    expect(c1.gemmMacs).toBe(6 * 25 * 784);
    // The direct loop skips the taps over the 2-pixel zero border: per axis, sum over outputs of taps inside.
    const perAxis = [3, 4, ...new Array(24).fill(5), 4, 3].reduce((a, b) => a + b, 0);
    expect(c1.directMacs).toBe(6 * perAxis * perAxis);
    const c3 = conv2dCost([6, 14, 14], [16, 6, 5, 5]);
    expect([c3.patchValues, c3.inputValues, c3.gemmMacs, c3.directMacs, c3.weights]).toEqual([
      150 * 100,
      1176,
      16 * 150 * 100,
      16 * 150 * 100,
      2416,
    ]);
  });
});

describe('initialisation variances', () => {
  const base = { depth: 10, width: 128, batch: 128, seed: 1 } as const;
  const ratio = (r: ReturnType<typeof layerVariances>, key: 'activation' | 'gradient') =>
    r.layers[r.layers.length - 1]![key] / r.layers[0]![key];

  test('He with ReLU keeps the activation variance near constant over 10 layers (He et al. 2015)', () => {
    const r = layerVariances({ ...base, activation: 'relu', init: 'he' });
    expect(ratio(r, 'activation')).toBeGreaterThan(0.4);
    expect(ratio(r, 'activation')).toBeLessThan(2.5);
    expect(r.weightVariance).toBe(2 / 128);
  });

  test('Glorot with ReLU halves it at every layer: about 2^-9 after 10 layers', () => {
    const r = layerVariances({ ...base, activation: 'relu', init: 'glorot' });
    const k = ratio(r, 'activation');
    expect(k).toBeGreaterThan(2 ** -9 / 3);
    expect(k).toBeLessThan(2 ** -9 * 3);
  });

  test('a fixed std of 1 explodes with ReLU (×64 per layer at width 128) and the gradients explode on the way down', () => {
    const r = layerVariances({ ...base, activation: 'relu', init: 'fixed', std: 1 });
    expect(Math.log2(ratio(r, 'activation')) / 9).toBeGreaterThan(5.5);
    expect(r.layers[0]!.gradient / r.layers[9]!.gradient).toBeGreaterThan(1e12);
  });

  test('a fixed std of 0.01 with tanh vanishes: the activations shrink by ~100·0.01² per layer (Glorot & Bengio 2010)', () => {
    const r = layerVariances({ ...base, activation: 'tanh', init: 'fixed', std: 0.01 });
    expect(ratio(r, 'activation')).toBeLessThan(1e-8);
  });

  test('the same seed gives the same numbers; bad sizes throw', () => {
    const a = layerVariances({ ...base, activation: 'tanh', init: 'glorot' });
    const b = layerVariances({ ...base, activation: 'tanh', init: 'glorot' });
    expect(a).toEqual(b);
    expect(() => layerVariances({ ...base, depth: 0, activation: 'relu', init: 'he' })).toThrow(/at least 1/);
    expect(() => layerVariances({ ...base, activation: 'relu', init: 'fixed', std: 0 })).toThrow(/above 0/);
  });
});

describe('optimiser race', () => {
  test('D2L §12.6: SGD at 0.4 on 0.1x² + 2y² from (−5, −2) ends at x −0.943467, y −0.000073 after 20 steps', () => {
    const [sgd] = raceOptimizers('ravine', 0.4, 20);
    const [x, y] = sgd!.points[20]!;
    expect(x).toBeCloseTo(-0.943467, 6);
    expect(y).toBeCloseTo(-0.000073, 6);
  });

  test('D2L §12.6: momentum β = 0.5 at 0.6 ends at x 0.007188, y 0.002553; plain SGD at 0.6 diverges in y', () => {
    const [sgd, momentum] = raceOptimizers('ravine', 0.6, 20, { momentum: 0.5 });
    const [x, y] = momentum!.points[20]!;
    expect(x).toBeCloseTo(0.007188, 6);
    expect(y).toBeCloseTo(0.002553, 6);
    // |1 − 0.6·4| = 1.4 > 1: each step multiplies y by −1.4 until y is 100 times beyond the drawn region (550).
    expect(sgd!.divergedAt).toBe(Math.ceil(Math.log(550 / 2) / Math.log(1.4)));
    expect(sgd!.points.length).toBe(sgd!.divergedAt!);
    sgd!.points.forEach(([, yt], t) => expect(yt).toBeCloseTo(-2 * (-1.4) ** t, 9));
  });

  test('on the saddle, Adam escapes the flat direction long before SGD does', () => {
    const [sgd, , adam] = raceOptimizers('saddle', 0.05, 60);
    expect(Math.abs(adam!.points[60]![1])).toBeGreaterThan(0.9);
    expect(Math.abs(sgd!.points[60]![1])).toBeLessThan(0.5);
  });

  test('bad input: an unknown surface, a rate of 0, 0 steps', () => {
    expect(() => raceOptimizers('bowl' as 'ravine', 0.1, 10)).toThrow(EngineError);
    expect(() => raceOptimizers('ravine', 0, 10)).toThrow(/above 0/);
    expect(() => raceOptimizers('ravine', 0.1, 0)).toThrow(/at least 1/);
  });

  test('Rosenbrock at 0.001: every optimiser lowers the loss, none diverges', () => {
    for (const p of raceOptimizers('rosenbrock', 0.001, 200)) {
      expect(p.divergedAt).toBe(null);
      expect(p.final).toBeLessThan(p.points[0]![2]);
    }
  });
});
