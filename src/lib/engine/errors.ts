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

/**
 * Throws unless `v` is a list of numbers (an array or typed array; anything with a numeric length), so null or
 * a missing argument gets a sentence instead of a TypeError. The entries are checked by assertFiniteArray.
 */
export function assertNumberList(v: ArrayLike<number>, field: string, what: string): void {
  if (v === null || v === undefined || typeof (v as { length?: unknown }).length !== 'number') {
    throw new EngineError(field, `${what} must be a list of numbers, got ${String(v)}.`);
  }
}

/** Throws unless `n` is an integer within [min, max]. */
export function assertInt(n: number, field: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(n)) throw new EngineError(field, `${what} must be a whole number, got ${String(n)}.`);
  if (n < min) throw new EngineError(field, `${what} must be at least ${min}, got ${n}.`);
  if (n > max) throw new EngineError(field, `${what} must be at most ${max}, got ${n}.`);
}

/**
 * Throws when an op's output holds NaN or ±Infinity although its inputs were finite: the arithmetic overflowed
 * (a sum or product beyond ±1.8e308). One pass over the output, so it costs far less than the op itself.
 * The scalar kernels (the `activations` table, the conv loops) stay unchecked for speed; every public
 * array-level op calls this on what it returns.
 * @param name the public function, quoted in the message (e.g. "conv2d")
 * @param values the output values
 */
export function assertFiniteResult(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // v - v is 0 for every finite v and NaN for NaN and ±Infinity; cheaper than Number.isFinite in hot loops.
    if (v - v !== 0) {
      throw new EngineError(
        'input',
        `${name}: the result overflows (values beyond ±1.8e308); use smaller inputs or weights.`,
      );
    }
  }
}
