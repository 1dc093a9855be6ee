/**
 * Seeded random sources handed to the reader's function (weight initialisation, dropout masks). The grader calls
 * the engine's reference, the reader's function and each known mistake on copies of a case's arguments; a copy of a
 * source (`clonePlain`) is a fresh source with the same seed, so all of them see the same draws, and the engine's
 * answer can be compared with the reader's to 1e-9.
 */
import { Rng } from '../../engine/rng.ts';

/** A function the reader calls for one draw, that knows how to start over. */
export interface SeededSource {
  (): number;
  readonly seed: number;
  /** 'uniform': in [0, 1), `Rng.next()`; 'normal': mean 0, variance 1, `Rng.normal()`. */
  readonly kind: 'uniform' | 'normal';
  /** The same sequence from its start. */
  fresh(): SeededSource;
}

/** A source drawing from `new Rng(seed)`: what the engine's reference gets as its generator. */
export function seededSource(seed: number, kind: SeededSource['kind']): SeededSource {
  const rng = new Rng(seed);
  const draw = kind === 'uniform' ? () => rng.next() : () => rng.normal();
  Object.defineProperties(draw, {
    seed: { value: seed },
    kind: { value: kind },
    fresh: { value: () => seededSource(seed, kind) },
  });
  return draw as SeededSource;
}

export function isSeededSource(v: unknown): v is SeededSource {
  return typeof v === 'function' && typeof (v as Partial<SeededSource>).fresh === 'function' && 'seed' in v;
}

/** The engine's generator at the start of the source's sequence. */
export const rngOf = (s: SeededSource): Rng => new Rng(s.seed);

/** How a report shows a source among the inputs. */
export function describeSource(s: SeededSource): string {
  return s.kind === 'uniform' ? `uniform draws in [0, 1), seed ${s.seed}` : `standard normal draws, seed ${s.seed}`;
}
