/**
 * Small images drawn into <canvas> elements: MNIST digits, the 28x28 input the model sees, feature maps and kernels.
 * Every canvas gets role="img" and a label, so screen readers hear what it shows. DOM is touched only inside calls.
 */

export interface ImageOptions {
  /** Accessible description. */
  label: string;
  /** CSS pixels per image pixel. */
  zoom: number;
  /**
   * 'ink': 0 = paper (white), `max` = ink (black), like a digit on paper.
   * 'diverging': negative red, zero white, positive blue, scaled by the largest magnitude `max`.
   */
  mode?: 'ink' | 'diverging';
  /** Value drawn at full strength; defaults to the largest (absolute) value. */
  max?: number;
}

/** Reads a channel of an HWC array: value at (y, x) of channel c. */
export function channelOf(data: ArrayLike<number>, h: number, w: number, channels: number, c: number): Float32Array {
  const out = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) out[i] = data[i * channels + c]!;
  return out;
}

function largest(values: ArrayLike<number>, abs: boolean): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) m = Math.max(m, abs ? Math.abs(v) : v);
  }
  return m;
}

/** Paints `values` (row-major [h, w]) into a canvas; non-finite values paint as paper. */
export function paint(canvas: HTMLCanvasElement, values: ArrayLike<number>, w: number, h: number, opts: ImageOptions) {
  canvas.width = w;
  canvas.height = h;
  canvas.style.width = `${w * opts.zoom}px`;
  canvas.style.height = `${h * opts.zoom}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', opts.label);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(w, h);
  const diverging = opts.mode === 'diverging';
  const max = opts.max ?? largest(values, diverging);
  for (let i = 0; i < w * h; i++) {
    const raw = values[i]!;
    const v = Number.isFinite(raw) && max > 0 ? raw / max : 0;
    let r: number;
    let g: number;
    let b: number;
    if (diverging) {
      // White at 0, towards blue (positive) or red (negative).
      const t = Math.min(1, Math.abs(v));
      [r, g, b] = v >= 0 ? [255 - 224 * t, 255 - 144 * t, 255 - 64 * t] : [255 - 63 * t, 255 - 198 * t, 255 - 212 * t];
    } else {
      const t = Math.max(0, Math.min(1, v));
      r = g = b = 255 - 255 * t;
    }
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = b;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** A new canvas with `values` painted in. */
export function imageCanvas(values: ArrayLike<number>, w: number, h: number, opts: ImageOptions): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = 'px';
  paint(canvas, values, w, h, opts);
  return canvas;
}

/** An MNIST digit (784 grey levels 0..255) as a canvas. */
export function digitCanvas(pixels: Uint8Array, label: string, zoom = 2): HTMLCanvasElement {
  return imageCanvas(pixels, 28, 28, { label, zoom, max: 255 });
}
