import { describe, expect, test } from 'vitest';
import {
  EngineError,
  compareSoftmaxLosses,
  expOverflowThreshold,
  gradCheck,
  naiveSoftmax,
  softmax,
  stableSoftmax,
  sweepTrueLogit,
  tensor,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

describe('softmax, stable and naive', () => {
  test('stableSoftmax z=[3] (2, 1, 0.1) gives the textbook (0.659, 0.242, 0.099)', () => {
    const s = stableSoftmax([2, 1, 0.1]);
    expectClose(s.probs, [0.659, 0.242, 0.099], 2e-3);
    expect(s.max).toBe(2);
    expect(s.exps[0]).toBe(1);
    expectClose(s.probs, softmax(tensor([3], [2, 1, 0.1])).data, 1e-15);
  });
  test('stableSoftmax z=[3] at T=2 equals softmax of z/2; low T sharpens', () => {
    expectClose(stableSoftmax([2, 1, 0.1], 2).probs, softmax(tensor([3], [1, 0.5, 0.05])).data, 1e-15);
    expect(stableSoftmax([2, 1, 0.1], 0.1).probs[0]).toBeGreaterThan(0.9999);
  });
  test('naiveSoftmax z=[3] small logits agrees with the stable version in float64', () => {
    const n = naiveSoftmax([2, 1, 0.1]);
    expect(n.ok).toBe(true);
    expectClose(n.probs, stableSoftmax([2, 1, 0.1]).probs, 1e-15);
  });
  test('naiveSoftmax z=[3] (1000, 999, 998) overflows in float64 while the stable one is finite', () => {
    const n = naiveSoftmax([1000, 999, 998]);
    expect(n.overflow).toBe(true);
    expect(n.ok).toBe(false);
    expect(n.exps[0]).toBe(Infinity);
    expect(Number.isNaN(n.probs[0])).toBe(true);
    expectClose(stableSoftmax([1000, 999, 998]).probs, stableSoftmax([2, 1, 0]).probs, 1e-15);
  });
  test('naiveSoftmax z=[2] (-1000, -1001) underflows: 0/0', () => {
    const n = naiveSoftmax([-1000, -1001]);
    expect(n.underflow).toBe(true);
    expect(n.ok).toBe(false);
  });
  test('naiveSoftmax z=[2] (100, 0): fine in float64, overflows in float32', () => {
    expect(naiveSoftmax([100, 0], 1, 'float64').ok).toBe(true);
    const f = naiveSoftmax([100, 0], 1, 'float32');
    expect(f.overflow).toBe(true);
    expect(f.ok).toBe(false);
    // A higher temperature shrinks z/T back under the float32 limit.
    expect(naiveSoftmax([100, 0], 2, 'float32').ok).toBe(true);
  });
  test('expOverflowThreshold: 709.78 for float64 and 88.72 for float32', () => {
    expectClose(expOverflowThreshold('float64'), 709.782712893384, 1e-12);
    expectClose(expOverflowThreshold('float32'), 88.72283905206835, 1e-12);
    expect(Math.exp(expOverflowThreshold('float64') + 0.01)).toBe(Infinity);
    expect(Math.fround(Math.exp(expOverflowThreshold('float32') + 0.01))).toBe(Infinity);
  });
  test('bad logits, temperature or label throw EngineError with readable messages', () => {
    expect(() => stableSoftmax([1])).toThrow(/at least two logits/);
    expect(() => stableSoftmax([1, NaN])).toThrow(/z\[1\] is NaN/);
    expect(() => stableSoftmax([1, 2], 0)).toThrow(/temperature must be a positive number/);
    expect(() => naiveSoftmax([1, 2], -1)).toThrow(EngineError);
    expect(() => compareSoftmaxLosses([1, 2], 2)).toThrow(/from 0 to 1, got 2/);
    expect(() => compareSoftmaxLosses([1, 2], 0.5)).toThrow(/true class/);
  });
});

describe('cross-entropy vs squared error on softmax', () => {
  const cases: [number[], number, number][] = [
    [[2, 1, 0.1], 0, 1],
    [[2, 1, 0.1], 2, 1],
    [[0.5, -1.5, 3, 0], 1, 0.5],
    [[4, -2, 1], 1, 3],
  ];
  for (const [z, label, T] of cases) {
    test(`compareSoftmaxLosses z=[${z.length}] label ${label} T=${T}: both gradients match central differences`, () => {
      const logits = tensor([z.length], z);
      const r = compareSoftmaxLosses(z, label, T);
      const ce = gradCheck(
        { z: logits },
        () => compareSoftmaxLosses(Array.from(logits.data), label, T).crossEntropy.loss,
        { z: tensor([z.length], r.crossEntropy.grad) },
      );
      const se = gradCheck(
        { z: logits },
        () => compareSoftmaxLosses(Array.from(logits.data), label, T).squaredError.loss,
        { z: tensor([z.length], r.squaredError.grad) },
      );
      expect(ce.passed, `CE max rel error ${ce.maxRelError}`).toBe(true);
      expect(se.passed, `SE max rel error ${se.maxRelError}`).toBe(true);
    });
  }
  test('compareSoftmaxLosses z=[3] T=1: cross-entropy gradient is p - y and its loss is -log p_y', () => {
    const r = compareSoftmaxLosses([2, 1, 0.1], 1);
    const p = r.probs;
    expectClose(r.crossEntropy.grad, [p[0]!, p[1]! - 1, p[2]!], 1e-15);
    expectClose(r.crossEntropy.loss, -Math.log(p[1]!), 1e-14);
    expectClose(r.squaredError.loss, 0.5 * (p[0]! ** 2 + (p[1]! - 1) ** 2 + p[2]! ** 2), 1e-14);
    // Both gradients sum to zero: adding a constant to every logit changes no probability.
    expectClose(
      r.squaredError.grad.reduce((a, b) => a + b, 0),
      0,
      1e-15,
    );
  });
  test('confidently wrong z=[3] (10, 0, 0), true class 1: CE gradient near -1, squared-error gradient near 0', () => {
    const r = compareSoftmaxLosses([10, 0, 0], 1);
    expect(r.crossEntropy.grad[1]).toBeLessThan(-0.999);
    expect(Math.abs(r.squaredError.grad[1]!)).toBeLessThan(1e-4);
  });
  test('sweepTrueLogit z=[3] label 0 from -12 to 12: CE gradient tends to -1/T, SE gradient vanishes at both ends', () => {
    const s = sweepTrueLogit([2, 1, 0.1], 0, 2, -12, 12, 25);
    expect(s.z).toHaveLength(25);
    expect(s.z[0]).toBe(-12);
    expect(s.z[24]).toBe(12);
    expectClose(s.crossEntropy[0]!, -0.5, 1e-2);
    expect(Math.abs(s.squaredError[0]!)).toBeLessThan(0.05);
    expect(Math.abs(s.squaredError[24]!)).toBeLessThan(0.01);
    // The CE gradient on the true logit only grows toward 0 as that logit rises.
    for (let k = 1; k < 25; k++) expect(s.crossEntropy[k]!).toBeGreaterThan(s.crossEntropy[k - 1]!);
    expect(() => sweepTrueLogit([1, 2], 0, 1, 3, 3)).toThrow(/from < to/);
  });
});

test('stableSoftmax and compareSoftmaxLosses z=[2] (1e300, 0) at T=1e-10: z/T overflows, EngineError names the temperature', () => {
  expect(() => stableSoftmax([1e300, 0], 1e-10)).toThrow(/too large to represent; use a larger temperature/);
  expect(() => compareSoftmaxLosses([1e300, 0], 0, 1e-10)).toThrow(EngineError);
});
