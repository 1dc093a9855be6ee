/**
 * exp and log that give the same bits in every JavaScript engine. `Math.exp` and `Math.log` are only required to
 * be close: Node 22 and Chromium 156 disagree in the last bit for about one input in ten. Where a figure shows
 * round-off itself (the gradient checker's error-versus-ε plot), that last bit changes the printed digits, and a
 * page rendered at build time would then disagree with the same page recomputed in the browser. These are ports of
 * fdlibm's e_exp.c and e_log.c (Sun Microsystems, 1993; the algorithms V8 itself once used), written with + − × ÷
 * only, which IEEE 754 rounds identically everywhere; their error is below one unit in the last place.
 */

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const OVERFLOW = 7.09782712893383973096e2;
const UNDERFLOW = -7.4513321910194110842e2;

const view = new DataView(new ArrayBuffer(8));

/** 2^k exactly, for k in [-1022, 1023] (built from the exponent bits). */
function pow2(k: number): number {
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** y · 2^k without overflowing the intermediate power (k may reach ±1100 in exp's reduction). */
function scale(y: number, k: number): number {
  let r = y;
  let e = k;
  while (e > 1023) {
    r *= pow2(1023);
    e -= 1023;
  }
  while (e < -1022) {
    r *= pow2(-1022);
    e += 1022;
  }
  return r * pow2(e);
}

/** e^x, the same bits on every engine. */
export function expDet(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > OVERFLOW) return Infinity;
  if (x < UNDERFLOW) return 0;
  const ax = Math.abs(x);
  if (ax < 3.725290298461914e-9) return 1 + x; // |x| < 2^-28
  let hi = x;
  let lo = 0;
  let k = 0;
  if (ax > 0.5 * 0.6931471805599453) {
    // x = k·ln 2 + r with |r| <= ln 2 / 2; ln 2 in two parts keeps k·ln2_hi exact.
    k = Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
  }
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((r * c) / (c - 2) - r);
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return scale(y, k);
}

const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const TWO54 = 1.8014398509481984e16;

/** Natural logarithm, the same bits on every engine. */
export function logDet(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let k = 0;
  let v = x;
  if (v < 2.2250738585072014e-308) {
    // Subnormal: scale into the normal range first.
    v *= TWO54;
    k -= 54;
  }
  view.setFloat64(0, v);
  let hx = view.getUint32(0);
  const lx = view.getUint32(4);
  k += (hx >>> 20) - 1023;
  hx &= 0x000fffff;
  // Normalise the mantissa m into [sqrt(2)/2, sqrt(2)): i is 0x100000 when m >= sqrt(2).
  const i = (hx + 0x95f64) & 0x100000;
  view.setUint32(0, hx | (i ^ 0x3ff00000));
  view.setUint32(4, lx);
  k += i >>> 20;
  const f = view.getFloat64(0) - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  const hfsq = 0.5 * f * f;
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}
