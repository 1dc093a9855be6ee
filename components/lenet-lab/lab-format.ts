/** Small display helpers for the lab: percentages, durations, counts. Never NaN on screen. */

/** 0.98765 -> "98.77 %"; non-finite -> "—". */
export function pct(fraction: number, digits = 2): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : '—';
}

/** Seconds as "42 s", "3 min 05 s" or "1 h 02 min". */
export function seconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** 12345 -> "12,345". */
export function count(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

/** Bytes as "3.2 MB". */
export function megabytes(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(1)} MB` : '—';
}

/** A loss value with 3 significant decimals. */
export function lossText(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '—';
}
