/** Result of reading a text field: either good values or a message to show beside the field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface NumberListRules {
  /** What the field holds, for messages ("the input x"). */
  name: string;
  /** Most entries allowed (widgets stay readable and fast). */
  max?: number;
  /** Fewest entries allowed. */
  min?: number;
  /**
   * Largest magnitude allowed (default 1,000,000). A bound on every entry keeps every product and sum a
   * widget computes finite and readable: 64 entries of 1e6 sum products to under 1e14, while 1e308 overflows.
   */
  maxAbs?: number;
}

const DEFAULT_MAX_ABS = 1e6;

/**
 * Reads "0, 1, 2" (commas, spaces or semicolons) into numbers, or explains what is wrong in words.
 * Rejects NaN and Infinity even when typed literally, so nothing downstream ever shows NaN.
 */
export function parseNumberList(text: string, rules: NumberListRules): Parsed<number[]> {
  const max = rules.max ?? 64;
  const min = rules.min ?? 1;
  // Commas and semicolons end an entry, so two in a row leave an empty one between them: say so rather than
  // drop it, since "1,,2" usually means a number was deleted by mistake. A trailing separator (typing "1, 2,"
  // before the next number) is fine.
  const pieces = text.trim().split(/[,;]/);
  const tokens: string[] = [];
  for (const [i, piece] of pieces.entries()) {
    const words = piece.split(/\s+/).filter((t) => t.length > 0);
    if (words.length === 0 && i < pieces.length - 1 && pieces.length > 1) {
      return { ok: false, message: emptyEntryMessage(rules.name, tokens.length) };
    }
    tokens.push(...words);
  }
  if (tokens.length === 0) {
    return { ok: false, message: `Enter ${rules.name} as numbers separated by commas, e.g. 1, -1, 2.` };
  }
  const values: number[] = [];
  for (const [i, token] of tokens.entries()) {
    const v = parseNumber(token);
    if (v === null) {
      return { ok: false, message: `“${token}” (entry ${i + 1} of ${rules.name}) is not a number.` };
    }
    if (!Number.isFinite(v)) {
      return { ok: false, message: `“${token}” (entry ${i + 1} of ${rules.name}) is not a finite number.` };
    }
    const maxAbs = rules.maxAbs ?? DEFAULT_MAX_ABS;
    if (Math.abs(v) > maxAbs) {
      const bound = maxAbs.toLocaleString('en-US');
      return {
        ok: false,
        message: `“${token}” (entry ${i + 1} of ${rules.name}) is too large: keep entries between −${bound} and ${bound}.`,
      };
    }
    values.push(v);
  }
  if (values.length < min) {
    return {
      ok: false,
      message: `${capitalise(rules.name)} needs at least ${min} numbers; you gave ${values.length}.`,
    };
  }
  if (values.length > max) {
    return {
      ok: false,
      message: `${capitalise(rules.name)} can have at most ${max} numbers; you gave ${values.length}.`,
    };
  }
  return { ok: true, value: values };
}

export interface IntegerRules {
  name: string;
  min: number;
  max: number;
}

/** Reads a whole number within [min, max], or explains what is wrong. */
export function parseInteger(text: string, rules: IntegerRules): Parsed<number> {
  const t = text.trim();
  if (t === '')
    return { ok: false, message: `Enter ${rules.name} (a whole number from ${rules.min} to ${rules.max}).` };
  const v = parseNumber(t);
  if (v === null || !Number.isFinite(v))
    return { ok: false, message: `“${t}” is not a number; ${rules.name} must be a whole number.` };
  if (!Number.isInteger(v))
    return { ok: false, message: `${capitalise(rules.name)} must be a whole number, not ${t}.` };
  if (v < rules.min || v > rules.max) {
    return {
      ok: false,
      message: `${capitalise(rules.name)} must be from ${rules.min} to ${rules.max}; you gave ${v}.`,
    };
  }
  return { ok: true, value: v };
}

/** Reads one decimal number ("-1.5", "2e-3", "−3" with a typographic minus); null when it is not one. */
export function parseNumber(token: string): number | null {
  const t = token.trim().replace(/\u2212/g, '-');
  if (/^[-+]?(nan|infinity|inf)$/i.test(t))
    return t.toLowerCase().includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  return Number(t);
}

function emptyEntryMessage(name: string, before: number): string {
  return before === 0
    ? `${capitalise(name)} starts with an empty entry: remove the first comma or type a number before it.`
    : `${capitalise(name)} has an empty entry after entry ${before} (two commas with nothing between them): type a number there or remove a comma.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface MatrixRules {
  name: string;
  maxRows: number;
  maxCols: number;
}

/**
 * Reads a matrix typed as rows separated by new lines or semicolons, entries by commas or spaces
 * ("1 0 1; 0 1 0"). Every row must have the same number of entries.
 */
export function parseMatrix(
  text: string,
  rules: MatrixRules,
): Parsed<{ rows: number; cols: number; values: number[] }> {
  const lines = text
    .split(/[;\n]+/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0)
    return { ok: false, message: `Enter ${rules.name}: one row per line (or rows separated by ;).` };
  if (lines.length > rules.maxRows) {
    return {
      ok: false,
      message: `${capitalise(rules.name)} can have at most ${rules.maxRows} rows; you gave ${lines.length}.`,
    };
  }
  const values: number[] = [];
  let cols = -1;
  for (const [r, line] of lines.entries()) {
    const row = parseNumberList(line, { name: `row ${r + 1} of ${rules.name}`, max: rules.maxCols });
    if (!row.ok) return row;
    if (cols === -1) cols = row.value.length;
    else if (row.value.length !== cols) {
      return {
        ok: false,
        message: `Row ${r + 1} of ${rules.name} has ${row.value.length} entries but row 1 has ${cols}; every row needs the same number.`,
      };
    }
    values.push(...row.value);
  }
  return { ok: true, value: { rows: lines.length, cols, values } };
}
