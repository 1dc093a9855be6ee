// Small statistics the benchmark scripts share.

/** The median of some numbers: the middle one, or the mean of the middle two for an even count. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
