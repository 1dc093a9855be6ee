import { fmt } from './format.ts';

/**
 * A number that may be huge, tiny, infinite or undefined, as HTML: "1.97 × 10<sup>434</sup>", "∞", and
 * "undefined" for NaN (so NaN never reaches the screen). Within 0.001..10^6 it is `fmt(v, digits)`.
 * For quantities whose point is leaving the float range (a naive softmax, exp of a large number).
 */
export function sci(v: number, digits = 3): string {
  if (Number.isNaN(v)) return 'undefined';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) {
    const [m, e] = v.toExponential(2).split('e') as [string, string];
    return `${m.replace('-', '\u2212')} × 10<sup>${String(Number(e)).replace('-', '\u2212')}</sup>`;
  }
  return fmt(v, digits);
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** `sci` as plain text for status lines and labels: "4.54 × 10⁻⁵", "∞", "undefined". */
export function sciText(v: number, digits = 3): string {
  return sci(v, digits).replace(/<sup>(.*?)<\/sup>/, (_, e: string) =>
    e.replace('\u2212', '-').replace(/./g, (c) => SUPERSCRIPT[c] ?? c),
  );
}
