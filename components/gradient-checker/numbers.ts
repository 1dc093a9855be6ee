/**
 * Number formats for the gradient checker, where agreement is read in the digits: significant digits rather
 * than decimals, and powers of ten for the tiny relative errors. Never NaN: non-finite values show as "—".
 */

function parts(v: number, digits: number): { mantissa: string; exp: number | null } | null {
  if (!Number.isFinite(v)) return null;
  if (v === 0) return { mantissa: '0', exp: null };
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) {
    // toPrecision keeps the significant digits; Number() drops trailing zeros.
    return { mantissa: String(Number(v.toPrecision(digits))), exp: null };
  }
  const [m, e] = v.toExponential(digits - 1).split('e') as [string, string];
  return { mantissa: String(Number(m)), exp: Number(e) };
}

const minus = (s: string): string => s.replace('-', '\u2212');

/** HTML: "0.12345678", "−3.1 × 10<sup>−10</sup>". */
export function sig(v: number, digits = 8): string {
  const p = parts(v, digits);
  if (p === null) return '—';
  return p.exp === null ? minus(p.mantissa) : `${minus(p.mantissa)} × 10<sup>${minus(String(p.exp))}</sup>`;
}

/** Plain text for announcements: "3.1e-10". */
export function sigText(v: number, digits = 3): string {
  const p = parts(v, digits);
  if (p === null) return '—';
  return minus(p.exp === null ? p.mantissa : `${p.mantissa}e${p.exp}`);
}

/** TeX: "3.1 \times 10^{-10}". */
export function sigTex(v: number, digits = 8): string {
  const p = parts(v, digits);
  if (p === null) return '\\text{—}';
  return p.exp === null ? p.mantissa : `${p.mantissa} \\times 10^{${p.exp}}`;
}

/** ε as typed in the field and the URL: "1e-5", "0.001". */
export function epsText(eps: number): string {
  const e = Math.log10(eps);
  return Number.isInteger(e) && e < -2 ? `1e${e}` : String(eps);
}
