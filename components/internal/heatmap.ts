/**
 * Heatmaps: a 2D array of numbers (an image, a feature map, a gradient) drawn as a crisp pixel picture.
 *
 * The picture is an indexed-colour PNG in a data URL inside an <img>, so the same call works at build time (static
 * HTML that needs no JavaScript) and in the browser (a custom element re-renders by replacing innerHTML). Import
 * `./heatmap.css` in the .astro file that uses it. Typical use:
 *
 *   const { html, stats } = renderHeatmap(values, rows, cols, { scale: 'rescale', label: 'Feature map, Sobel x' });
 *   const legend = heatmapLegend(stats, 'rescale');   // colour bar with the numbers at both ends
 *   const words = describeHeatmapScale(stats, 'rescale'); // what black and white mean, for prose or aria-live
 *
 * Scales (say which one you use: the same numbers look very different):
 * - 'clip': values at or below `range[0]` (default 0) are black, at or above `range[1]` (default 255) white, as when
 *   a feature map is saved as an 8-bit image. Honest about overflow: `stats.below` / `stats.above` count clipped cells.
 * - 'rescale': the smallest value is black and the largest white (min..max stretched). A constant map is mid gray.
 * - 'diverging': 0 is white, negatives red, positives blue, both sides scaled by the largest |value|, so the sign
 *   shows. Use it for signed maps: edge responses, gradients, weights.
 *
 * At build time pass `deflate: (raw) => zlib.deflateSync(raw)` (from node:zlib) for smaller HTML; browsers use
 * uncompressed blocks, which cost nothing to make and are never downloaded.
 */
import { base64, encodeIndexedPng, type Deflate } from './png.ts';
import { esc, fmt } from './format.ts';

export type HeatmapScale = 'clip' | 'rescale' | 'diverging';

/** What the colours of one heatmap stand for. */
export interface HeatmapStats {
  /** Smallest and largest value in the data. */
  min: number;
  max: number;
  /** Values drawn at the two ends of the colour scale (black/white, or red/blue for 'diverging'). */
  lo: number;
  hi: number;
  /** Cells below `lo` / above `hi` (non-zero only for 'clip'): drawn as if they were lo / hi. */
  below: number;
  above: number;
  count: number;
}

/** A box drawn over the heatmap, in cells: a kernel window on an input, or the selected output cell. */
export interface HeatmapMarker {
  row: number;
  col: number;
  /** Size in cells (default 1 x 1). */
  height?: number;
  width?: number;
  /** Adds class hm-<kind>: 'cell' (solid outline) or 'window' (dashed, translucent fill). */
  kind?: 'cell' | 'window';
}

export interface HeatmapOptions {
  scale: HeatmapScale;
  /** Accessible name of the picture (its alt text), e.g. "Feature map of the Sobel x kernel, 62 by 62". */
  label: string;
  /** The 'clip' range (default [0, 255]). */
  range?: readonly [number, number];
  markers?: readonly HeatmapMarker[];
  /** Extra class on the outer element. */
  className?: string;
  deflate?: Deflate;
}

/** Range and clipping counts of `values` under a scale. Non-finite values are skipped (and never drawn as NaN). */
export function heatmapStats(
  values: ArrayLike<number>,
  scale: HeatmapScale,
  range: readonly [number, number] = [0, 255],
): HeatmapStats {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) [min, max] = [0, 0];
  let lo = min;
  let hi = max;
  let below = 0;
  let above = 0;
  if (scale === 'clip') {
    [lo, hi] = range;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) below++;
      else if (v > hi) above++;
    }
  } else if (scale === 'diverging') {
    const m = Math.max(Math.abs(min), Math.abs(max));
    [lo, hi] = [-m, m];
  }
  return { min, max, lo, hi, below, above, count };
}

/** Palette index 0..255 of one value (0 = the `lo` end); a degenerate range maps to the middle. */
export function heatmapIndex(v: number, stats: HeatmapStats): number {
  if (!Number.isFinite(v) || stats.hi <= stats.lo) return 128;
  const t = (v - stats.lo) / (stats.hi - stats.lo);
  return Math.max(0, Math.min(255, Math.round(t * 255)));
}

// Diverging ends: the site's --neg and --pos light-theme colours, meeting at near-white.
const NEG = [192, 57, 43];
const MID = [247, 247, 247];
const POS = [31, 111, 191];

function palette(scale: HeatmapScale): Uint8Array {
  const p = new Uint8Array(768);
  for (let i = 0; i < 256; i++) {
    if (scale === 'diverging') {
      const t = i < 128 ? i / 128 : (i - 128) / 127;
      const [a, b] = i < 128 ? [NEG, MID] : [MID, POS];
      for (let c = 0; c < 3; c++) p[i * 3 + c] = Math.round(a[c]! + (b[c]! - a[c]!) * t);
    } else {
      p.set([i, i, i], i * 3);
    }
  }
  return p;
}
const PALETTES = new Map<HeatmapScale, Uint8Array>();

/**
 * The picture alone, as a PNG data URL.
 * @param values row-major, shape [rows, cols]
 */
export function heatmapDataUrl(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  scale: HeatmapScale,
  opts: { range?: readonly [number, number]; deflate?: Deflate } = {},
): { url: string; stats: HeatmapStats } {
  const stats = heatmapStats(values, scale, opts.range);
  const idx = new Uint8Array(rows * cols);
  for (let i = 0; i < idx.length; i++) idx[i] = heatmapIndex(values[i] ?? 0, stats);
  if (!PALETTES.has(scale)) PALETTES.set(scale, palette(scale));
  const png = encodeIndexedPng(idx, cols, rows, PALETTES.get(scale)!, opts.deflate);
  return { url: `data:image/png;base64,${base64(png)}`, stats };
}

/**
 * The picture with its markers as an HTML string: a box with the grid's aspect ratio holding the <img>.
 * Its width is up to the caller's CSS (e.g. `.my-widget .heatmap { width: 12rem }`).
 * @param values row-major, shape [rows, cols]
 */
export function renderHeatmap(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  opts: HeatmapOptions,
): { html: string; stats: HeatmapStats } {
  const { url, stats } = heatmapDataUrl(values, rows, cols, opts.scale, {
    ...(opts.range ? { range: opts.range } : {}),
    ...(opts.deflate ? { deflate: opts.deflate } : {}),
  });
  const marks = (opts.markers ?? []).map((m) => markerHtml(m, rows, cols)).join('');
  const cls = ['heatmap', opts.className].filter(Boolean).join(' ');
  const html =
    `<div class="${esc(cls)}" data-rows="${rows}" data-cols="${cols}">` +
    `<div class="hm-frame" style="aspect-ratio: ${cols} / ${rows}">` +
    `<img class="hm-img" src="${url}" alt="${esc(opts.label)}" width="${cols}" height="${rows}" draggable="false">` +
    `${marks}</div></div>`;
  return { html, stats };
}

function markerHtml(m: HeatmapMarker, rows: number, cols: number): string {
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(4)}%`;
  const style =
    `left:${pct(m.col, cols)};top:${pct(m.row, rows)};` +
    `width:${pct(m.width ?? 1, cols)};height:${pct(m.height ?? 1, rows)}`;
  return `<span class="hm-mark hm-${m.kind ?? 'cell'}" style="${style}" aria-hidden="true"></span>`;
}

/** A colour bar with the values at its two ends (and 0 in the middle for 'diverging'). */
export function heatmapLegend(stats: HeatmapStats, scale: HeatmapScale): string {
  const ends =
    scale === 'clip' ? [`${fmt(stats.lo)} or less`, `${fmt(stats.hi)} or more`] : [fmt(stats.lo), fmt(stats.hi)];
  const mid = scale === 'diverging' ? '<span class="hm-mid">0</span>' : '';
  return (
    `<div class="hm-legend" aria-hidden="true"><span class="hm-bar hm-bar-${scale === 'diverging' ? 'div' : 'gray'}"></span>` +
    `<span class="hm-ends"><span>${ends[0]}</span>${mid}<span>${ends[1]}</span></span></div>`
  );
}

/** One or two sentences saying what the colours mean, with the actual numbers (for captions and aria-live). */
export function describeHeatmapScale(stats: HeatmapStats, scale: HeatmapScale): string {
  const range = `Values run from ${fmt(stats.min)} to ${fmt(stats.max)}.`;
  if (scale === 'clip') {
    const clipped =
      stats.below + stats.above === 0
        ? 'Nothing is clipped.'
        : `Clipped: ${stats.below} cell${stats.below === 1 ? '' : 's'} below ${fmt(stats.lo)} show black, ` +
          `${stats.above} above ${fmt(stats.hi)} show white.`;
    return `${range} Shown clipped to ${fmt(stats.lo)}–${fmt(stats.hi)}. ${clipped}`;
  }
  if (scale === 'rescale') {
    return stats.max === stats.min
      ? `${range} Every value is the same, so the map is a flat mid gray.`
      : `${range} Rescaled: ${fmt(stats.min)} shows black and ${fmt(stats.max)} white.`;
  }
  return `${range} Signed colours: 0 is white, ${fmt(stats.lo)} full red, ${fmt(stats.hi)} full blue.`;
}

/**
 * The cell under a pointer event on a heatmap (for click-to-select), or null outside the picture.
 * @param frame the element with class hm-frame (or anything covering the picture exactly)
 */
export function cellFromPointer(
  e: { clientX: number; clientY: number },
  frame: Element,
  rows: number,
  cols: number,
): [number, number] | null {
  const r = frame.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return null;
  const col = Math.floor(((e.clientX - r.left) / r.width) * cols);
  const row = Math.floor(((e.clientY - r.top) / r.height) * rows);
  if (row < 0 || row >= rows || col < 0 || col >= cols) return null;
  return [row, col];
}
