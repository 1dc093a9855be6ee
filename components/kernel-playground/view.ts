import { conv2d, conv2dTrace, tensor, type Conv2dTrace, type Tensor } from '../../src/lib/index.ts';
import { esc, fmt } from '../internal/format.ts';
import {
  describeHeatmapScale,
  heatmapIndex,
  heatmapLegend,
  renderHeatmap,
  type HeatmapScale,
  type HeatmapStats,
} from '../internal/heatmap.ts';
import { renderMatrix } from '../internal/matrix.ts';
import type { Deflate } from '../internal/png.ts';
import type { GrayImage } from './images.ts';
import { matchPreset } from './presets.ts';
import { weightsOf, type PlaygroundState } from './state.ts';

/** One filtered picture: the engine's input and kernel tensors and the feature map they give. */
export interface FeatureMap {
  x: Tensor;
  w: Tensor;
  rows: number;
  cols: number;
  values: Float64Array;
}

/**
 * Valid cross-correlation of a grayscale image with one kernel (what a conv layer computes).
 * @param weights row-major, shape [size, size]
 * @returns the map, shape [H - size + 1, W - size + 1]
 */
export function featureMap(image: GrayImage, weights: readonly number[], size: number): FeatureMap {
  const x = tensor([1, image.rows, image.cols], image.pixels);
  const w = tensor([1, 1, size, size], weights);
  const y = conv2d(x, w, null);
  return { x, w, rows: y.shape[1]!, cols: y.shape[2]!, values: y.data };
}

/** The products and sum behind the selected cell. */
export function traceOf(state: PlaygroundState, map: FeatureMap): Conv2dTrace {
  return conv2dTrace(map.x, map.w, null, {}, 0, state.row, state.col);
}

export function kernelName(state: PlaygroundState): string {
  return matchPreset(state.size, state.entries, state.divisor)?.name ?? 'Your kernel';
}

/** The input with the window over it, and the feature map with the selected cell, side by side. */
export function renderPictures(
  state: PlaygroundState,
  image: GrayImage,
  map: FeatureMap,
  deflate?: Deflate,
): { html: string; stats: HeatmapStats } {
  const k = state.size;
  const input = renderHeatmap(image.pixels, image.rows, image.cols, {
    scale: 'clip',
    label: `${image.label}, ${image.rows} by ${image.cols} pixels, with the ${k} by ${k} window at row ${state.row}, column ${state.col}`,
    markers: [{ row: state.row, col: state.col, height: k, width: k, kind: 'window' }],
    ...(deflate ? { deflate } : {}),
  });
  const out = renderHeatmap(map.values, map.rows, map.cols, {
    scale: state.scale,
    label: `Feature map of ${kernelName(state)}, ${map.rows} by ${map.cols}, selected cell at row ${state.row}, column ${state.col}`,
    markers: [{ row: state.row, col: state.col, kind: 'cell' }],
    className: 'kp-map',
    ...(deflate ? { deflate } : {}),
  });
  const html = `
<figure class="kp-pic">${input.html}<figcaption>Input ${image.rows} × ${image.cols}</figcaption></figure>
<figure class="kp-pic">${out.html}<figcaption>Feature map ${map.rows} × ${map.cols}</figcaption>${heatmapLegend(out.stats, state.scale)}</figure>
<p class="kp-scale">${esc(describeHeatmapScale(out.stats, state.scale))}</p>`;
  return { html, stats: out.stats };
}

/** How the selected value is drawn under the chosen scale, in words. */
export function shownAs(v: number, stats: HeatmapStats, scale: HeatmapScale): string {
  if (scale === 'clip') {
    if (v < stats.lo) return `shown black: clipped up to ${fmt(stats.lo)}`;
    if (v > stats.hi) return `shown white: clipped down to ${fmt(stats.hi)}`;
    return `shown as gray level ${heatmapIndex(v, stats)} of 255`;
  }
  if (scale === 'rescale') return `shown as gray level ${heatmapIndex(v, stats)} of 255`;
  const strength = Math.round((Math.abs(v) / Math.max(Math.abs(stats.lo), Math.abs(stats.hi), 1e-300)) * 100);
  if (v === 0 || strength === 0) return 'shown white (zero)';
  return `shown ${v < 0 ? 'red' : 'blue'} at ${strength}% strength`;
}

/** The window, the kernel, their products and the sum for the selected cell. */
export function renderArithmetic(state: PlaygroundState, trace: Conv2dTrace, stats: HeatmapStats): string {
  const k = state.size;
  const win = trace.terms.map((t) => t.x);
  const ws = trace.terms.map((t) => t.w);
  const prods = trace.terms.map((t) => t.product);
  const table = (values: number[], label: string) =>
    renderMatrix(values, k, k, { label, digits: 3, cellClass: (r, c) => (r === (k - 1) / 2 && c === r ? 'on' : '') });
  return `
<div class="kp-mats">
  <figure><figcaption>Input window (rows ${trace.top}–${trace.top + k - 1}, columns ${trace.left}–${trace.left + k - 1})</figcaption>${table(win, 'input window')}</figure>
  <figure><figcaption><span class="kp-op" aria-hidden="true">×</span> Kernel weights</figcaption>${table(ws, 'kernel weights')}</figure>
  <figure><figcaption><span class="kp-op" aria-hidden="true">=</span> Products, cell by cell</figcaption>${table(prods, 'products')}</figure>
</div>
<p class="kp-sum">Sum of the ${k * k} products: <strong>y[${trace.oy}, ${trace.ox}] = ${fmt(trace.sum)}</strong>, ${shownAs(trace.sum, stats, state.scale)}.</p>`;
}

/** What the kernel's numbers do: the preset's explanation (if it is one) and its response to a flat patch. */
export function renderAbout(state: PlaygroundState): string {
  const preset = matchPreset(state.size, state.entries, state.divisor);
  const flat = flatResponse(state);
  const what = preset ? esc(preset.what) : 'Your own numbers: watch which patterns make the map bright or dark.';
  return `<p><strong>${esc(kernelName(state))}.</strong> ${what} On a flat patch where every pixel is 100 it gives <strong>${fmt(flat)}</strong>.</p>`;
}

/** The kernel applied to a patch of 100s, by the engine: shows at a glance whether the weights sum to 0 or 1. */
export function flatResponse(state: Pick<PlaygroundState, 'size' | 'entries' | 'divisor'>): number {
  const k = state.size;
  const patch = tensor([1, k, k], new Array<number>(k * k).fill(100));
  return conv2d(patch, tensor([1, 1, k, k], weightsOf(state)), null).data[0]!;
}

/** "the camera photo" or "MNIST digit #3 (a 0)", for sentences. */
export function imageNoun(image: GrayImage): string {
  return image.id.startsWith('digit') ? image.label : `the ${image.label.replace(/\s*\(.*\)$/, '').toLowerCase()}`;
}

/** Announcement after every change: the kernel, the map's size and range, the selected cell. */
export function describe(
  state: PlaygroundState,
  image: GrayImage,
  map: FeatureMap,
  trace: Conv2dTrace,
  stats: HeatmapStats,
): string {
  return (
    `${kernelName(state)} on ${imageNoun(image)}: a ${map.rows} × ${map.cols} map, ` +
    `values ${fmt(stats.min)} to ${fmt(stats.max)}. Cell row ${state.row}, column ${state.col}: ` +
    `${state.size * state.size} products sum to ${fmt(trace.sum)}, ${shownAs(trace.sum, stats, state.scale)}.`
  );
}
