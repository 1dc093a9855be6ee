import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  EngineError,
  conv1d,
  conv1dBackward,
  conv1dLength,
  type Conv1dKind,
  type Conv1dMode,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

interface NumpyCase {
  x: number[];
  w: number[];
  kind: Conv1dKind;
  mode: Conv1dMode;
  y: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/conv1d-numpy.json', import.meta.url), 'utf8')) as {
  cases: NumpyCase[];
};

describe('conv1d golden examples', () => {
  test('x=(0,1,2,3,4) * w=(1,-1,2) full convolution is (0,1,1,3,5,2,8)', () => {
    expect(conv1d([0, 1, 2, 3, 4], [1, -1, 2], { mode: 'full', kind: 'convolution' }).y).toEqual([0, 1, 1, 3, 5, 2, 8]);
  });
  test('x=(0,1,2,3,4) * w=(1,-1,2) valid convolution is (1,3,5)', () => {
    expect(conv1d([0, 1, 2, 3, 4], [1, -1, 2], { mode: 'valid', kind: 'convolution' }).y).toEqual([1, 3, 5]);
  });
  test('trace of y[3] for x=[5] w=[3] lists each product and sums them', () => {
    const step = conv1d([0, 1, 2, 3, 4], [1, -1, 2], { mode: 'full' }).steps[3]!;
    // y[3] = x[1]*w[2] + x[2]*w[1] + x[3]*w[0] = 2 - 2 + 3
    expect(step.terms.map((t) => [t.inputIndex, t.kernelIndex, t.product])).toEqual([
      [1, 2, 2],
      [2, 1, -2],
      [3, 0, 3],
    ]);
    expect(step.sum).toBe(3);
  });
});

describe('conv1d against NumPy (test/fixtures/conv1d-numpy.json)', () => {
  test(`${fixture.cases.length} cases of np.convolve / np.correlate, odd and even kernels`, () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(100);
    expect(fixture.cases.some((c) => c.mode === 'same' && c.w.length % 2 === 0)).toBe(true);
    for (const c of fixture.cases) {
      const got = conv1d(c.x, c.w, { mode: c.mode, kind: c.kind }).y;
      expect(got, `${c.kind} ${c.mode} x=[${c.x}] w=[${c.w}]`).toEqual(c.y);
    }
  });
});

describe('conv1dBackward', () => {
  test.each(['full', 'same', 'valid'] as const)('x=[6] w=[4] %s matches finite differences of sum(dy*y)', (mode) => {
    const x = [0.5, -1, 2, 0.25, 3, -2];
    const w = [1, -0.5, 2, 0.75];
    for (const kind of ['convolution', 'cross-correlation'] as const) {
      const n = conv1dLength(x.length, w.length, mode);
      const dy = Array.from({ length: n }, (_, i) => Math.sin(i + 1));
      const loss = (xx: number[], ww: number[]) =>
        conv1d(xx, ww, { mode, kind }).y.reduce((s, v, i) => s + v * dy[i]!, 0);
      const { dx, dw } = conv1dBackward(x, w, dy, { mode, kind });
      // The loss is linear in x (and in w), so a central difference with step 1 is exact up to rounding.
      const numDx = x.map(
        (_, i) =>
          (loss(
            x.map((v, j) => v + (i === j ? 1 : 0)),
            w,
          ) -
            loss(
              x.map((v, j) => v - (i === j ? 1 : 0)),
              w,
            )) /
          2,
      );
      const numDw = w.map(
        (_, i) =>
          (loss(
            x,
            w.map((v, j) => v + (i === j ? 1 : 0)),
          ) -
            loss(
              x,
              w.map((v, j) => v - (i === j ? 1 : 0)),
            )) /
          2,
      );
      expectClose(dx, numDx, 1e-12);
      expectClose(dw, numDw, 1e-12);
    }
  });
  test('dy of the wrong length throws EngineError', () => {
    expect(() => conv1dBackward([1, 2, 3], [1, 1], [1, 2])).toThrow(/one value per output \(4\)/);
    expect(() => conv1dBackward([1, 2, 3], [1, 1], [1, 2], { mode: 'valid' })).not.toThrow();
    expect(() => conv1dBackward([1, 2, 3], [1, 1], [1, NaN], { mode: 'valid' })).toThrow(EngineError);
  });
});

describe('conv1d bad input', () => {
  test('empty x or w: a sentence naming which one', () => {
    expect(() => conv1d([], [1, 2])).toThrow(new EngineError('input', 'The input is empty; give at least one number.'));
    expect(() => conv1d([1, 2], [])).toThrow('The kernel is empty; give at least one number.');
    expect(() => conv1dBackward([], [1], [])).toThrow(EngineError);
  });
  test('non-finite entries of x, w or dy name the index', () => {
    expect(() => conv1d([1, NaN, 3], [1])).toThrow('x[1] is NaN; every entry must be a finite number.');
    expect(() => conv1d([1, 2], [Infinity])).toThrow('w[0] is Infinity; every entry must be a finite number.');
    expect(() => conv1d([1, 2], [1, -Infinity], { kind: 'cross-correlation' })).toThrow(/w\[1\] is -Infinity/);
    expect(() => conv1dBackward([1, 2], [1], [1, NaN])).toThrow(/dy\[1\] is NaN/);
  });
  test.each(['convolution', 'cross-correlation'] as const)(
    'x=[3] w=[5] valid %s: the kernel is longer than the input',
    (kind) => {
      const message =
        'In valid mode the kernel (length 5) must not be longer than the input (length 3); use full or same, or shorten the kernel.';
      expect(() => conv1d([1, 2, 3], [1, 1, 1, 1, 1], { mode: 'valid', kind })).toThrow(message);
      expect(() => conv1dLength(3, 5, 'valid')).toThrow(message);
      // full and same still work when the kernel is longer.
      expect(conv1d([1, 2, 3], [1, 1, 1, 1, 1], { mode: 'full', kind }).y).toHaveLength(7);
      expect(conv1d([1, 2, 3], [1, 1, 1, 1, 1], { mode: 'same', kind }).y).toHaveLength(3);
    },
  );
  test('every error carries the field a widget places it by', () => {
    const field = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as EngineError).field;
      }
      return 'none';
    };
    expect(field(() => conv1d([], [1]))).toBe('input');
    expect(field(() => conv1d([1], []))).toBe('kernel');
    expect(field(() => conv1d([1], [1], { mode: 'circular' as Conv1dMode }))).toBe('mode');
    expect(field(() => conv1d([1], [1], { kind: 'flip' as Conv1dKind }))).toBe('kind');
    expect(field(() => conv1dBackward([1], [1], [1, 2]))).toBe('gradient');
  });
});
