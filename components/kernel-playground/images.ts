/**
 * The pictures the kernel playground filters: grayscale photos and the first MNIST test digits.
 * load-images.ts reads them at build time and embeds them in the page as compact JSON (base64 bytes);
 * the browser decodes that JSON with `decodeImageSet`.
 */

/** One grayscale picture, values 0-255 row by row. */
export interface GrayImage {
  id: string;
  /** Short name for the picker, e.g. "Photo: camera on a tripod (64 × 64)". */
  label: string;
  rows: number;
  cols: number;
  pixels: number[];
}

/** Everything the playground can show: photos by id, and digits by index. */
export interface ImageSet {
  photos: GrayImage[];
  /** MNIST test digits 0.. in file order; `label` is the digit drawn. */
  digits: { label: number; pixels: number[] }[];
  /** Source and licence lines shown under the widget. */
  credits: string[];
}

export const DIGIT_SIZE = 28;

function fromBase64(s: string): number[] {
  const bin = atob(s);
  const out: number[] = [];
  for (let i = 0; i < bin.length; i++) out.push(bin.charCodeAt(i));
  return out;
}

export function decodeImageSet(json: string): ImageSet {
  const raw = JSON.parse(json) as {
    photos: (Omit<GrayImage, 'pixels'> & { pixels: string })[];
    digits: { label: number; pixels: string }[];
    credits: string[];
  };
  return {
    photos: raw.photos.map((p) => ({ ...p, pixels: fromBase64(p.pixels) })),
    digits: raw.digits.map((d) => ({ label: d.label, pixels: fromBase64(d.pixels) })),
    credits: raw.credits,
  };
}
