/**
 * The one error class the engine throws. Its message is written for a learner
 * ("kernel 7x7 is wider than the padded input 5x5"), so widgets can show it as is.
 */
export class EngineError extends Error {
  /** Which argument or setting was wrong (e.g. "kernel", "stride"); widgets use it to place the message. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'EngineError';
    this.field = field;
  }
}

/** Throws unless every entry is a finite number; `what` names the array in the message. */
export function assertFiniteArray(values: ArrayLike<number>, field: string, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new EngineError(field, `${what}[${i}] is ${String(v)}; every entry must be a finite number.`);
    }
  }
}

/** Throws unless `n` is an integer within [min, max]. */
export function assertInt(n: number, field: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(n)) throw new EngineError(field, `${what} must be a whole number, got ${String(n)}.`);
  if (n < min) throw new EngineError(field, `${what} must be at least ${min}, got ${n}.`);
  if (n > max) throw new EngineError(field, `${what} must be at most ${max}, got ${n}.`);
}
