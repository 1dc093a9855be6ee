/** gradCheck at random shapes (fast-check, seeded, few runs) for conv1d in every mode and kind, and for flatten. */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  Rng,
  Sequential,
  conv1d,
  conv1dBackward,
  flatten,
  gradCheck,
  randomTensor,
  reshape,
  tensor,
  type Conv1dKind,
  type Conv1dMode,
} from '../../src/lib/index.ts';

const RUNS = { seed: 2026, numRuns: 30 };

describe('gradCheck on conv1d at random shapes (float64, max rel error < 1e-7)', () => {
  test('loss = sum 1/2 tanh(y)^2 of conv1d(x, w): dx and dw from conv1dBackward, all modes, both kinds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<Conv1dMode>('full', 'same', 'valid'),
        fc.constantFrom<Conv1dKind>('convolution', 'cross-correlation'),
        fc.nat(),
        (N, K, mode, kind, seed) => {
          if (mode === 'valid' && K > N) return;
          const rng = new Rng(seed);
          const x = randomTensor([N], rng);
          const w = randomTensor([K], rng);
          const options = { mode, kind };
          const forward = () => conv1d(Array.from(x.data), Array.from(w.data), options).y;
          // tanh makes the loss non-quadratic, so the check sees more than a linear map's adjoint.
          const loss = () => forward().reduce((s, v) => s + 0.5 * Math.tanh(v) ** 2, 0);
          const dy = forward().map((v) => Math.tanh(v) * (1 - Math.tanh(v) ** 2));
          const g = conv1dBackward(Array.from(x.data), Array.from(w.data), dy, options);
          const report = gradCheck({ x, w }, loss, { x: tensor([N], g.dx), w: tensor([K], g.dw) });
          expect(report.passed, `x=[${N}] w=[${K}] ${mode} ${kind} maxRelError ${report.maxRelError}`).toBe(true);
          expect(report.entries).toHaveLength(N + K);
        },
      ),
      RUNS,
    );
  });
});

describe('gradCheck on flatten', () => {
  test("loss = <sin(flatten(x)), R> for x=[B,C,H,W]: the flatten layer's backward passes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        (B, C, H, W, seed) => {
          const rng = new Rng(seed);
          const x = randomTensor([B, C, H, W], rng);
          const R = randomTensor([B, C * H * W], rng);
          const loss = () => flatten(x).data.reduce((s, v, i) => s + Math.sin(v) * R.data[i]!, 0);
          // dLoss/dflat = R cos(flat); the layer's backward must put each value back where flatten took it.
          const dflat = tensor(
            [B, C * H * W],
            flatten(x).data.map((v, i) => Math.cos(v) * R.data[i]!),
          );
          const layer = new Sequential([C, H, W], [{ type: 'flatten' }], { seed: 1 });
          layer.forward(x);
          const dx = layer.backward(dflat);
          expect(dx.shape).toEqual([B, C, H, W]);
          expect(dx.data).toEqual(reshape(dflat, [B, C, H, W]).data);
          const report = gradCheck({ x }, loss, { x: dx });
          expect(report.passed, `x=[${B},${C},${H},${W}] maxRelError ${report.maxRelError}`).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
