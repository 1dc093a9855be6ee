import { fmt } from '../internal/format.ts';
import { parseNumber, type Parsed } from '../internal/parse.ts';
import { MAX_DIVISOR, MAX_ENTRY } from './state.ts';

/**
 * The editable kernel: one text input per entry, laid out as the kernel's own grid. Every input points at the
 * one shared message box `<id>-kernel-error` through aria-describedby.
 */
export function renderKernelGrid(id: string, size: number, entries: readonly number[]): string {
  let cells = '';
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = fmt(entries[r * size + c] ?? 0).replace('\u2212', '-');
      cells +=
        `<input type="text" inputmode="text" autocomplete="off" spellcheck="false" class="kp-entry" ` +
        `data-field="entry" data-index="${r * size + c}" value="${v}" ` +
        `aria-label="Kernel row ${r + 1}, column ${c + 1}" aria-describedby="${id}-kernel-error">`;
    }
  }
  return `<div class="kp-grid" style="grid-template-columns: repeat(${size}, minmax(2.6rem, 3.4rem))">${cells}</div>`;
}

/** Reads one kernel entry: a number within ±MAX_ENTRY, or a message naming the cell. */
export function parseEntry(text: string, index: number, size: number): Parsed<number> {
  const where = `row ${Math.floor(index / size) + 1}, column ${(index % size) + 1} of the kernel`;
  const t = text.trim();
  if (t === '') return { ok: false, message: `The entry at ${where} is empty: type a number (0 for no weight).` };
  const v = parseNumber(t);
  if (v === null) return { ok: false, message: `“${t}” at ${where} is not a number.` };
  if (!Number.isFinite(v)) return { ok: false, message: `“${t}” at ${where} is not a finite number.` };
  if (Math.abs(v) > MAX_ENTRY) {
    return {
      ok: false,
      message: `The entry at ${where} must be between −${MAX_ENTRY} and ${MAX_ENTRY}; you gave ${t}.`,
    };
  }
  return { ok: true, value: v };
}

/** Reads the divisor: a non-zero number within ±MAX_DIVISOR. */
export function parseDivisor(text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'Enter the number to divide every entry by (1 for none).' };
  const v = parseNumber(t);
  if (v === null || !Number.isFinite(v))
    return { ok: false, message: `“${t}” is not a number: type the number to divide every entry by (1 for none).` };
  if (v === 0) return { ok: false, message: 'The divisor cannot be 0: dividing by zero gives no weights at all.' };
  if (Math.abs(v) > MAX_DIVISOR) {
    return { ok: false, message: `The divisor must be between −${MAX_DIVISOR} and ${MAX_DIVISOR}; you gave ${t}.` };
  }
  return { ok: true, value: v };
}
