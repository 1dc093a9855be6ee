/**
 * Formats a number for display: integers as they are, others with up to `digits` decimals, trailing
 * zeros dropped, a typographic minus, and never "-0". Non-finite values (which the engine should never
 * produce) show as an em dash rather than "NaN".
 */
export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return '—';
  let s = Number.isInteger(n) ? String(n) : n.toFixed(digits).replace(/\.?0+$/, '');
  if (s === '-0') s = '0';
  return s.replace('-', '\u2212');
}

/** The same number for TeX: ASCII minus, and negative numbers in parentheses when they follow an operator. */
export function tex(n: number, digits = 3, parenthesiseNegative = false): string {
  const s = fmt(n, digits).replace('\u2212', '-');
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
