import { readFileSync } from 'node:fs';
import photo from './photo/astronaut-32.json';
import type { ViewerImage } from './state.ts';

/** The file `npm run data` writes from the MNIST test set (see scripts/build-data.mjs). */
interface SampleDigits {
  rows: number;
  cols: number;
  digits: { index: number; label: number; pixels: number[] }[];
}

let cache: ViewerImage[] | null = null;

/**
 * Every picture the viewer offers: the MNIST sample digits (decoded from the IDX files by the data build step)
 * and the public-domain photo beside this file. Build time only: it reads the disk.
 */
export function viewerImages(): ViewerImage[] {
  if (cache) return cache;
  const path = `${process.cwd()}/public/data/mnist/sample-digits.json`;
  let sample: SampleDigits;
  try {
    sample = JSON.parse(readFileSync(path, 'utf8')) as SampleDigits;
  } catch {
    throw new Error(`Cannot read ${path}: run \`npm run data\` first (npm run build does it).`);
  }
  const digits: ViewerImage[] = sample.digits.map((d) => ({
    key: `digit-${d.index}`,
    name: `Digit ${d.label} (MNIST test image ${d.index})`,
    short: `the digit ${d.label}`,
    rows: sample.rows,
    cols: sample.cols,
    channels: 1,
    pixels: d.pixels,
  }));
  const colour: ViewerImage = {
    key: 'photo',
    name: `Photo: astronaut (${photo.rows} × ${photo.cols}, colour)`,
    short: 'the photo',
    rows: photo.rows,
    cols: photo.cols,
    channels: 3,
    pixels: photo.pixels,
  };
  cache = [...digits, colour];
  return cache;
}

/** Looks a picture up by key ("digit-0", "photo"); a typo in a chapter fails the build with the valid keys. */
export function viewerImage(key: string): ViewerImage {
  const img = viewerImages().find((i) => i.key === key);
  if (!img)
    throw new Error(
      `No picture "${key}"; use one of ${viewerImages()
        .map((i) => i.key)
        .join(', ')}.`,
    );
  return img;
}
