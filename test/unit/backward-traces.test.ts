/**
 * Backward step traces of conv1d and pooling: the terms they list must add up, bit for bit, to the gradients
 * conv1dBackward and pool2dBackward compute, for every element, mode, kind and window setting.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  EngineError,
  Rng,
  conv1d,
  conv1dBackward,
  conv1dInputGradTrace,
  conv1dWeightGradTrace,
  fromNested,
  pool2d,
  pool2dBackward,
  poolInputGradTrace,
  randomTensor,
  tensor,
  type Conv1dKind,
  type Conv1dMode,
  type PoolKind,
} from '../../src/lib/index.ts';

const MODES: Conv1dMode[] = ['full', 'same', 'valid'];
const KINDS: Conv1dKind[] = ['convolution', 'cross-correlation'];

describe('conv1d backward traces', () => {
  test('x=(0,1,2,3,4) w=(1,-1,2) full convolution, dy=1..7: dx[2] and dw[0] term by term', () => {
    const x = [0, 1, 2, 3, 4];
    const w = [1, -1, 2];
    const dy = [1, 2, 3, 4, 5, 6, 7];
    // y[n] = sum_k x[k] w[n-k], so x[2] meets w[0] in y[2], w[1] in y[3], w[2] in y[4].
    const dx2 = conv1dInputGradTrace(x, w, dy, {}, 2);
    expect(dx2.terms.map((t) => [t.n, t.kernelIndex, t.dy, t.w, t.product])).toEqual([
      [2, 0, 3, 1, 3],
      [3, 1, 4, -1, -4],
      [4, 2, 5, 2, 10],
    ]);
    expect(dx2.sum).toBe(9);
    // w[0] meets x[n] in y[n]: dw[0] = sum_n dy[n] x[n] = 1*0 + 2*1 + 3*2 + 4*3 + 5*4.
    const dw0 = conv1dWeightGradTrace(x, w, dy, {}, 0);
    expect(dw0.terms.map((t) => [t.n, t.inputIndex])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(dw0.sum).toBe(40);
    const { dx, dw } = conv1dBackward(x, w, dy);
    expect([dx[2], dw[0]]).toEqual([9, 40]);
  });

  test('every dx[i] and dw[k] equals conv1dBackward exactly, all modes and both kinds (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 9 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...MODES),
        fc.constantFrom(...KINDS),
        fc.nat(),
        (x, w, mode, kind, seed) => {
          if (mode === 'valid' && w.length > x.length) return;
          const options = { mode, kind };
          const rng = new Rng(seed);
          const dy = conv1d(x, w, options).y.map(() => rng.uniform(-2, 2));
          const { dx, dw } = conv1dBackward(x, w, dy, options);
          x.forEach((_, i) => {
            const t = conv1dInputGradTrace(x, w, dy, options, i);
            expect(t.sum, `dx[${i}] ${mode} ${kind}`).toBe(dx[i]);
            expect(t.terms.every((term) => term.product === term.dy * term.w)).toBe(true);
          });
          w.forEach((_, k) => {
            const t = conv1dWeightGradTrace(x, w, dy, options, k);
            expect(t.sum, `dw[${k}] ${mode} ${kind}`).toBe(dw[k]);
            expect(t.terms.every((term) => term.x === x[term.inputIndex])).toBe(true);
          });
        },
      ),
      { seed: 7, numRuns: 150 },
    );
  });

  test('indices out of range and a dy of the wrong length throw EngineError', () => {
    expect(() => conv1dInputGradTrace([1, 2, 3], [1, 1], [1, 1, 1, 1], {}, 3)).toThrow(
      'The input index must be a whole number from 0 to 2, got 3.',
    );
    expect(() => conv1dWeightGradTrace([1, 2, 3], [1, 1], [1, 1, 1, 1], {}, 0.5)).toThrow(EngineError);
    expect(() => conv1dWeightGradTrace([1, 2, 3], [1, 1], [1, 1], {}, 0)).toThrow(/one value per output \(4\)/);
  });
});

describe('pooling backward traces', () => {
  test('x=[1,4,4] max size 2: dX cell with the max gets its dy; the others list the window that passed them over', () => {
    const x = fromNested([
      [
        [1, 3, 2, 4],
        [5, 6, 7, 8],
        [3, 2, 1, 0],
        [1, 2, 3, 4],
      ],
    ]);
    const dy = fromNested([
      [
        [10, 20],
        [30, 40],
      ],
    ]);
    const winner = poolInputGradTrace(x, 'max', { size: 2 }, dy, 0, 1, 1);
    expect(winner.terms).toEqual([{ oy: 0, ox: 0, dy: 10, factor: 1, area: 4, product: 10 }]);
    expect(winner.sum).toBe(10);
    const loser = poolInputGradTrace(x, 'max', { size: 2 }, dy, 0, 0, 0);
    expect(loser.terms).toEqual([]);
    expect(loser.passedOver).toEqual([{ oy: 0, ox: 0, argmax: { iy: 1, ix: 1 } }]);
    expect(loser.sum).toBe(0);
  });

  test('avg x=[1,3,3] size 2 stride 1: the centre cell gets a quarter of each of the 4 windows', () => {
    const x = randomTensor([1, 3, 3], new Rng(3));
    const dy = tensor([1, 2, 2], [4, 8, 12, 16]);
    const t = poolInputGradTrace(x, 'avg', { size: 2, stride: 1 }, dy, 0, 1, 1);
    expect(t.terms.map((term) => [term.oy, term.ox, term.factor, term.product])).toEqual([
      [0, 0, 0.25, 1],
      [0, 1, 0.25, 2],
      [1, 0, 0.25, 3],
      [1, 1, 0.25, 4],
    ]);
    expect(t.sum).toBe(10);
  });

  const setup = fc.record({
    C: fc.integer({ min: 1, max: 2 }),
    size: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.nat(2),
    extraH: fc.nat(4),
    extraW: fc.nat(4),
    kind: fc.constantFrom<PoolKind>('max', 'avg', 'sum'),
    ties: fc.boolean(),
    ceilMode: fc.boolean(),
    seed: fc.nat(),
  });

  test('every dX element equals pool2dBackward exactly: max, avg, sum, strides, padding, ceil mode, ties (fast-check)', () => {
    fc.assert(
      fc.property(setup, (s) => {
        const padding = Math.min(s.pad, Math.floor(s.size / 2));
        const H = s.size + s.extraH;
        const W = s.size + s.extraW;
        const rng = new Rng(s.seed);
        // Whole numbers 0..2 make ties common, so "first maximum" routing is exercised.
        const x = s.ties
          ? tensor(
              [s.C, H, W],
              Array.from({ length: s.C * H * W }, () => rng.int(0, 3)),
            )
          : randomTensor([s.C, H, W], rng);
        const opts = { size: s.size, stride: s.stride, padding, ceilMode: s.ceilMode };
        const dy = randomTensor(pool2d(x, s.kind, opts).y.shape, rng);
        const dx = pool2dBackward(x, s.kind, opts, dy);
        for (let c = 0; c < s.C; c++) {
          for (let iy = 0; iy < H; iy++) {
            for (let ix = 0; ix < W; ix++) {
              const t = poolInputGradTrace(x, s.kind, opts, dy, c, iy, ix);
              expect(t.sum, `${s.kind} size ${s.size} s=${s.stride} p=${padding} at (${c},${iy},${ix})`).toBe(
                dx.data[(c * H + iy) * W + ix],
              );
            }
          }
        }
      }),
      { seed: 11, numRuns: 120 },
    );
  });

  test('a dy of the wrong shape or an index outside the input throws EngineError', () => {
    const x = tensor([1, 4, 4]);
    expect(() => poolInputGradTrace(x, 'max', { size: 2 }, tensor([1, 3, 3]), 0, 0, 0)).toThrow(
      /output gradient dy must have the output's shape \[1, 2, 2\]/,
    );
    expect(() => poolInputGradTrace(x, 'avg', { size: 2 }, tensor([1, 2, 2]), 0, 4, 0)).toThrow(
      'The input row must be a whole number from 0 to 3, got 4.',
    );
  });
});
