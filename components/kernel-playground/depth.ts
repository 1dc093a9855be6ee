import { conv2d, tensor } from '../../src/lib/index.ts';
import { esc } from '../internal/format.ts';
import { renderHeatmap, type HeatmapScale } from '../internal/heatmap.ts';
import type { Deflate } from '../internal/png.ts';
import type { GrayImage } from './images.ts';
import { PRESETS } from './presets.ts';

/**
 * A conv layer's filters all have the same size, so the "layer" shown as a stack is every 3x3 preset.
 * One conv2d call with K filters gives all K maps at once: the output's first axis is the depth.
 */
export const DEPTH_PRESETS = PRESETS.filter((p) => p.size === 3);

/** The whole layer on one image: output shape [K, H - 2, W - 2]. */
export function layerMaps(image: GrayImage): { depth: number; rows: number; cols: number; data: Float64Array } {
  const K = DEPTH_PRESETS.length;
  const w = tensor(
    [K, 1, 3, 3],
    DEPTH_PRESETS.flatMap((p) => p.entries.map((e) => e / p.divisor)),
  );
  const y = conv2d(tensor([1, image.rows, image.cols], image.pixels), w, null);
  return { depth: y.shape[0]!, rows: y.shape[1]!, cols: y.shape[2]!, data: y.data };
}

/**
 * The stack of feature maps as a row of small pictures; each is a button that loads its kernel when the
 * playground is interactive (`interactive`), or a plain figure in static prose.
 */
export function renderDepth(
  image: GrayImage,
  scale: HeatmapScale,
  opts: { selected?: string; interactive: boolean; deflate?: Deflate },
): string {
  const layer = layerMaps(image);
  const plane = layer.rows * layer.cols;
  const items = DEPTH_PRESETS.map((p, k) => {
    const { html } = renderHeatmap(layer.data.subarray(k * plane, (k + 1) * plane), layer.rows, layer.cols, {
      scale,
      label: opts.interactive ? '' : `Feature map of ${p.name}`,
      ...(opts.deflate ? { deflate: opts.deflate } : {}),
    });
    const name = `<span class="kp-depth-name">${k + 1}. ${esc(p.name)}</span>`;
    return opts.interactive
      ? `<li><button type="button" class="kp-depth-item" data-preset="${p.id}" aria-pressed="${p.id === opts.selected}">${html}${name}</button></li>`
      : `<li><figure class="kp-depth-item">${html}<figcaption>${name}</figcaption></figure></li>`;
  }).join('');
  return `<ol class="kp-depth-list">${items}</ol>
<p class="kp-depth-shape">${layer.depth} kernels of 3 × 3 on the ${image.rows} × ${image.cols} input give an output of shape <strong>${layer.depth} × ${layer.rows} × ${layer.cols}</strong>: depth ${layer.depth}, one feature map per kernel.</p>`;
}
