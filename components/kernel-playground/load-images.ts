/**
 * Build time only: reads the playground's pictures from disk and packs them for the page.
 * Kept apart from images.ts so the browser bundle never sees node:fs.
 */
import { readFile } from 'node:fs/promises';
import { hwcToChw, rgbToGray } from '../../src/lib/index.ts';
import { DIGIT_SIZE, type ImageSet } from './images.ts';

interface PhotoJson {
  source: string;
  licence: string;
  rows: number;
  cols: number;
  pixels: number[];
}

/** Reads the photos and public/data/mnist/sample-digits.json (written by `npm run data`). Build time only. */
export async function loadImageSet(): Promise<ImageSet> {
  const root = process.cwd();
  const read = async <T>(path: string): Promise<T> => JSON.parse(await readFile(`${root}/${path}`, 'utf8')) as T;
  const camera = await read<PhotoJson>('components/kernel-playground/photo/camera-64.json');
  // Chapter 2's colour photo, turned to grayscale with the engine's luma weights.
  const astro = await read<PhotoJson>('components/pixel-viewer/photo/astronaut-32.json');
  const astroGray = rgbToGray(hwcToChw(astro.pixels, astro.rows, astro.cols, 3), { round: true });
  const mnist = await read<{ rows: number; cols: number; digits: { label: number; pixels: number[] }[] }>(
    'public/data/mnist/sample-digits.json',
  );
  if (mnist.rows !== DIGIT_SIZE || mnist.cols !== DIGIT_SIZE) {
    throw new Error(`sample-digits.json holds ${mnist.rows}x${mnist.cols} digits; the playground expects 28x28.`);
  }
  return {
    photos: [
      { id: 'camera', label: 'Camera photo', rows: camera.rows, cols: camera.cols, pixels: camera.pixels },
      {
        id: 'astronaut',
        label: 'Astronaut photo (chapter 2)',
        rows: astro.rows,
        cols: astro.cols,
        pixels: Array.from(astroGray.data),
      },
    ],
    digits: mnist.digits.map((d) => ({ label: d.label, pixels: d.pixels })),
    credits: [
      `Camera photo: ${camera.source}. Licence: ${camera.licence}.`,
      `Astronaut photo: ${astro.source}. Licence: ${astro.licence}.`,
      'Digits: the first MNIST test images (Yann LeCun, Corinna Cortes and Christopher Burges).',
    ],
  };
}

function toBase64(bytes: number[]): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The set as JSON with pixels as base64 bytes (a quarter of the size of a number list). */
export function encodeImageSet(set: ImageSet): string {
  return JSON.stringify({
    photos: set.photos.map((p) => ({ ...p, pixels: toBase64(p.pixels) })),
    digits: set.digits.map((d) => ({ label: d.label, pixels: toBase64(d.pixels) })),
    credits: set.credits,
  });
}
