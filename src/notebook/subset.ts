/**
 * Loads the capstone's MNIST subset (the first 5,000 training and 1,000 test digits, written by
 * `npm run data` to data/mnist/subset-*.gz) inside the notebook's worker. Cached by the browser's HTTP cache;
 * a host that gunzips .gz files on the way is detected by the gzip magic bytes. Network access happens only
 * inside `loadSubset`, never at import.
 */
import { parseIdxPair, type LabelledImages } from '../ml/idx.ts';

export interface Subset {
  train: LabelledImages;
  test: LabelledImages;
}

const FILES = [
  'subset-train-images-idx3-ubyte',
  'subset-train-labels-idx1-ubyte',
  'subset-test-images-idx3-ubyte',
  'subset-test-labels-idx1-ubyte',
] as const;

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Fetches and parses the subset from `folder` (an absolute URL ending in "/"). Throws with a reader-facing message. */
export async function loadSubset(folder: string): Promise<Subset> {
  const parts = await Promise.all(
    FILES.map(async (name) => {
      const url = new URL(`${name}.gz`, folder);
      let res: Response;
      try {
        res = await fetch(url);
      } catch {
        throw new Error(`The MNIST subset could not be downloaded (${url.pathname}): are you offline?`);
      }
      if (!res.ok) throw new Error(`The MNIST subset is missing on this site (${url.pathname}: HTTP ${res.status}).`);
      return gunzip(new Uint8Array(await res.arrayBuffer()));
    }),
  );
  return {
    train: parseIdxPair(parts[0]!, parts[1]!, 'the training subset'),
    test: parseIdxPair(parts[2]!, parts[3]!, 'the test subset'),
  };
}
