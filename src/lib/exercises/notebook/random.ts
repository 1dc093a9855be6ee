/**
 * Seeded inputs for the checkers' random cases: small integers (easy to verify by hand when a case fails) mixed
 * with real numbers (which catch rounding and integer-only shortcuts). Every checker draws from its own seed.
 */
import { Rng } from '../../engine/rng.ts';

export { Rng };

/** A vector of n entries: integers in [-5, 5] when `ints`, else reals in [-2, 2] rounded to 3 decimals. */
export function vector(rng: Rng, n: number, ints = false): number[] {
  return Array.from({ length: n }, () => (ints ? rng.int(-5, 6) : Math.round(rng.uniform(-2, 2) * 1000) / 1000));
}

/** A rows × cols matrix of such entries. */
export function matrix(rng: Rng, rows: number, cols: number, ints = false): number[][] {
  return Array.from({ length: rows }, () => vector(rng, cols, ints));
}

/** A [channels][rows][cols] stack. */
export function stack(rng: Rng, channels: number, rows: number, cols: number, ints = false): number[][][] {
  return Array.from({ length: channels }, () => matrix(rng, rows, cols, ints));
}

/** Whole number in [lo, hi] inclusive. */
export function between(rng: Rng, lo: number, hi: number): number {
  return rng.int(lo, hi + 1);
}
