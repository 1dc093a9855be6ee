import { describe, expect, test } from 'vitest';
import { EngineError } from '../../src/lib/engine/errors.ts';
import {
  DEFAULT_EPSILONS,
  errorVsEpsilon,
  gradCheck,
  relativeError,
  type EpsilonErrorPoint,
} from '../../src/lib/engine/gradcheck.ts';
import { tensor } from '../../src/lib/engine/tensor.ts';
import { expectClose } from './helpers.ts';

const TOL = 1e-7;

describe('gradCheck itself', () => {
  const setup = () => {
    const params = { w: tensor([3], [0.5, -1, 2]) };
    // f(w) = sum w_i^3, f' = 3 w_i^2
    const f = (): number => params.w.data.reduce((s, v) => s + v ** 3, 0);
    const grad = tensor(
      [3],
      params.w.data.map((v) => 3 * v * v),
    );
    return { params, f, grad };
  };

  test('passes a correct gradient of f(w) = sum w^3 and restores w exactly', () => {
    const { params, f, grad } = setup();
    const report = gradCheck(params, f, { w: grad });
    expect(report.passed).toBe(true);
    expect(Array.from(params.w.data)).toEqual([0.5, -1, 2]);
    report.entries.forEach((e, i) => expectClose(e.numerical, grad.data[i]!, 1e-9));
  });

  test('fails a gradient that is off by a factor 2 with relative error 1/2', () => {
    const { params, f, grad } = setup();
    const wrong = tensor(
      [3],
      grad.data.map((v) => 2 * v),
    );
    const report = gradCheck(params, f, { w: wrong });
    expect(report.passed).toBe(false);
    expectClose(report.maxRelError, 0.5, 1e-8);
  });

  test('a tiny gradient that is wrong is still caught: below the noise it is judged by its absolute error', () => {
    const params = { w: tensor([2], [1, 1]) };
    // f(w) = 1 + 1e-6 w0 + w1: dL/dw0 = 1e-6 is below noise / tol (about 2e-4), dL/dw1 = 1 is not.
    const f = (): number => 1 + 1e-6 * params.w.data[0]! + params.w.data[1]!;
    const good = gradCheck(params, f, { w: tensor([2], [1e-6, 1]) });
    expect(good.entries.map((e) => e.belowNoise)).toEqual([true, false]);
    expect(good.belowNoise).toBe(1);
    expect(good.passed).toBe(true);
    const bad = gradCheck(params, f, { w: tensor([2], [2e-6, 1]) });
    expect(bad.maxRelError).toBeLessThan(TOL);
    expect(bad.maxNoiseRatio).toBeGreaterThan(1000);
    expect(bad.passed).toBe(false);
  });

  test('maxEntries=2 checks two evenly spaced elements of each parameter', () => {
    const { params, f, grad } = setup();
    expect(gradCheck(params, f, { w: grad }, { maxEntries: 2 }).entries.map((e) => e.index)).toEqual([0, 1]);
  });

  test('relativeError is |a-b| / max(|a|,|b|), symmetric, and 0 for two zeros', () => {
    expect(relativeError(0, 0)).toBe(0);
    expectClose(relativeError(1, 1.1), 0.1 / 1.1, 1e-12);
    expect(relativeError(-2, 3)).toBe(relativeError(3, -2));
    expectClose(relativeError(-2, 3), 5 / 3, 1e-12);
  });

  test('bad input throws EngineError: missing gradient, wrong shape, NaN loss, eps <= 0', () => {
    const { params, f, grad } = setup();
    expect(() => gradCheck(params, f, {})).toThrow(EngineError);
    expect(() => gradCheck(params, f, { w: tensor([2]) })).toThrow(/shape \[2\]/);
    expect(() => gradCheck(params, () => NaN, { w: grad })).toThrow(/finite/);
    expect(() => gradCheck(params, f, { w: grad }, { eps: 0 })).toThrow(EngineError);
  });
});

describe('errorVsEpsilon (central-difference error against the step)', () => {
  const points = errorVsEpsilon();
  const at = (eps: number): EpsilonErrorPoint => points.find((p) => p.eps === eps)!;
  const argmin = (key: 'float64' | 'float32'): number =>
    points.reduce((best: EpsilonErrorPoint, p) => (p[key] < best[key] ? p : best)).eps;

  test('steps are 1e-1 ... 1e-12', () => {
    expect(points.map((p) => p.eps)).toEqual([...DEFAULT_EPSILONS]);
    expect(DEFAULT_EPSILONS[11]).toBe(1e-12);
  });

  test('float64: truncation error falls like eps^2 for large eps', () => {
    const ratio = at(1e-1).float64 / at(1e-2).float64;
    expect(ratio).toBeGreaterThan(50);
    expect(ratio).toBeLessThan(200);
    expect(at(1e-3).float64).toBeLessThan(at(1e-2).float64);
  });

  test('float64: round-off error rises for small eps, the best step lies in 1e-6..1e-4', () => {
    const best = argmin('float64');
    expect(best).toBeGreaterThanOrEqual(1e-6);
    expect(best).toBeLessThanOrEqual(1e-4);
    expect(at(1e-12).float64).toBeGreaterThan(1000 * at(best).float64);
    expect(at(1e-12).float64).toBeGreaterThan(at(1e-9).float64);
  });

  test('float32: falls, then turns around at a larger eps (1e-3..1e-2) with a far larger best error; nothing left at 1e-12', () => {
    const best = argmin('float32');
    expect(best).toBeGreaterThanOrEqual(1e-3);
    expect(best).toBeLessThanOrEqual(1e-2);
    expect(at(best).float32).toBeLessThan(at(1e-1).float32 / 5);
    expect(at(best).float32).toBeGreaterThan(100 * at(argmin('float64')).float64);
    expect(at(1e-12).float32).toBe(1);
    expect(at(1e-5).float32).toBeGreaterThan(at(best).float32);
  });

  test('at eps=1e-1 truncation dominates, so float32 and float64 agree to 10 %', () => {
    expectClose(at(1e-1).float32 / at(1e-1).float64, 1, 0.1);
  });

  test('bad options throw EngineError', () => {
    expect(() => errorVsEpsilon({ epsilons: [0] })).toThrow(EngineError);
    expect(() => errorVsEpsilon({ classes: 1 })).toThrow(EngineError);
  });
});
