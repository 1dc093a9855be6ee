import { EngineError, assertInt } from './errors.ts';
import { tensor, size, type Tensor } from './tensor.ts';

/** mulberry32: a tiny 32-bit PRNG; same seed, same sequence, in every JS engine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded random numbers for weights, shuffles and examples, so every run and every page load agree. */
export class Rng {
  private readonly gen: () => number;
  /** Second Box–Muller value, kept so normal() uses both. */
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new EngineError('seed', `The seed must be a finite number, got ${String(seed)}.`);
    this.gen = mulberry32(Math.floor(seed));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.gen();
  }

  /** Uniform whole number in [lo, hiExclusive). */
  int(lo: number, hiExclusive: number): number {
    assertInt(lo, 'range', 'The lower bound', Number.MIN_SAFE_INTEGER);
    assertInt(hiExclusive, 'range', 'The upper bound', lo + 1);
    return lo + Math.floor(this.gen() * (hiExclusive - lo));
  }

  /** Uniform in [lo, hi). Throws unless lo, hi and hi - lo are finite (NaN bounds would give NaN silently). */
  uniform(lo = 0, hi = 1): number {
    checkBounds(lo, hi);
    return lo + (hi - lo) * this.gen();
  }

  /** Standard normal (mean 0, variance 1) by Box–Muller. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    // 1 - next() lies in (0, 1], so the log never sees 0.
    const u = 1 - this.gen();
    const v = this.gen();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.gen() * (i + 1));
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}

function checkBounds(lo: number, hi: number): void {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(hi - lo)) {
    throw new EngineError(
      'range',
      `The bounds of a uniform draw must be finite numbers, got lo = ${String(lo)} and hi = ${String(hi)}.`,
    );
  }
}

/** A tensor of uniform values in [lo, hi). */
export function randomTensor(shape: readonly number[], rng: Rng, lo = -1, hi = 1): Tensor {
  checkBounds(lo, hi);
  if (typeof rng?.uniform !== 'function')
    throw new EngineError('rng', 'randomTensor needs a seeded Rng, e.g. new Rng(1).');
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniform(lo, hi);
  return t;
}

/** A tensor of whole numbers uniform in [lo, hi) (hi exclusive), handy for hand-checkable examples. */
export function randomInts(shape: readonly number[], rng: Rng, lo: number, hi: number): Tensor {
  const t = tensor(shape);
  const n = size(shape);
  for (let i = 0; i < n; i++) t.data[i] = rng.int(lo, hi);
  return t;
}
