import { expect } from 'vitest';
import type { Tensor } from '../../src/lib/index.ts';

type Numeric = number | ArrayLike<number> | Tensor;

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;
}

function flat(v: Numeric): { values: ArrayLike<number>; shape: readonly number[] | null } {
  if (typeof v === 'number') return { values: [v], shape: null };
  if (isTensor(v)) return { values: v.data, shape: v.shape };
  return { values: v, shape: null };
}

/**
 * Asserts |actual - expected| <= tol * max(1, |expected|) entry by entry (absolute near 0, relative for large
 * values), and equal shapes when both are tensors. The failure message names the worst entry.
 */
export function expectClose(actual: Numeric, expected: Numeric, tol = 1e-9): void {
  const a = flat(actual);
  const e = flat(expected);
  if (a.shape && e.shape) expect(a.shape, 'shapes differ').toEqual(e.shape);
  expect(a.values.length, `lengths differ: actual ${a.values.length}, expected ${e.values.length}`).toBe(
    e.values.length,
  );
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  for (let i = 0; i < e.values.length; i++) {
    const av = a.values[i]!;
    const ev = e.values[i]!;
    const err = Math.abs(av - ev);
    const allowed = tol * Math.max(1, Math.abs(ev));
    // NaN fails here too: NaN <= x is false.
    if (!(err <= allowed)) {
      bad++;
      const excess = Number.isNaN(err) ? Infinity : err / allowed;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (bad > 0) {
    const av = a.values[worst]!;
    const ev = e.values[worst]!;
    const where = a.values.length === 1 ? '' : ` at flat index ${worst}`;
    expect.fail(
      `${bad} of ${e.values.length} entries differ by more than tol ${tol}${where}: actual ${av}, expected ${ev}, ` +
        `|diff| ${Math.abs(av - ev)}`,
    );
  }
}

/** ⟨a, b⟩: the sum of the products of two equally long tensors (a scalar loss whose gradient is the other tensor). */
export function dot(a: Tensor, b: Tensor): number {
  return a.data.reduce((s, v, i) => s + v * b.data[i]!, 0);
}

/** Asserts that `fn` throws an EngineError-like error (a `field`) with this field and a message matching `message`. */
export function expectEngineError(fn: () => unknown, field: string, message: RegExp): void {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'no error was thrown').not.toBeNull();
  expect((error as Error).name).toBe('EngineError');
  expect((error as { field?: string }).field).toBe(field);
  expect((error as Error).message).toMatch(message);
}

/** Whether two arrays hold the same values: NaN equal to NaN, +0 and -0 told apart (bit-level agreement, payloads aside). */
export function sameValues(actual: ArrayLike<number>, expected: ArrayLike<number>): boolean {
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) return false;
  return true;
}

/** The bits of each float32, so that -0 against 0 and NaN payloads count as differences too. */
export function float32Bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}
