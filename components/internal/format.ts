/** Smaller magnitudes are rounding noise of float64 arithmetic on the values widgets accept. */
const NOISE = 1e-12;

/**
 * Formats a number for display: integers as they are, others with up to `digits` decimals, trailing
 * zeros dropped, a typographic minus, and never "-0". A value too small for `digits` decimals keeps two
 * significant digits ("0.00042", "1.5e−9") rather than showing a 0 the engine did not compute, down to
 * 1e-12: below that it is floating-point noise (0.1 + 0.2 − 0.3 is 5.6e-17) at the magnitudes widgets
 * accept, and shows as 0. Non-finite values (which the engine should never produce) show as an em dash
 * rather than "NaN".
 */
export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return '—';
  let s = Number.isInteger(n) ? String(n) : n.toFixed(digits).replace(/\.?0+$/, '');
  if ((s === '0' || s === '-0') && Math.abs(n) >= NOISE) s = smallNumber(n);
  if (s === '-0') s = '0';
  return s.replace(/-/g, '\u2212');
}

/** Two significant digits: plain decimals down to 1e-6, then exponent notation ("1.5e-9"). */
function smallNumber(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e-6)
    return n
      .toPrecision(2)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
  return n.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');
}

/** The same number for TeX: ASCII minus, and negative numbers in parentheses when they follow an operator. */
export function tex(n: number, digits = 3, parenthesiseNegative = false): string {
  const s = fmt(n, digits).replace(/\u2212/g, '-');
  return parenthesiseNegative && s.startsWith('-') ? `(${s})` : s;
}

/** Same numbers as `fmt` joined for an announcement or a URL. */
export function fmtList(values: readonly number[], sep = ', '): string {
  return values.map((v) => fmt(v)).join(sep);
}

/** Escapes text for HTML built as strings (view functions render on the server and in the browser). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
