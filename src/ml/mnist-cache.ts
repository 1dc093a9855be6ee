/**
 * Where the lab keeps the downloaded MNIST files (Cache Storage), and a cheap look at whether they are there, for
 * the page to say so before TensorFlow.js or the worker loads.
 */

/** The Cache Storage cache holding the manifest and the four .gz files. */
export const CACHE_NAME = 'convnotebook-mnist-v1';

/** The four files, by how their cached URLs end. */
const FILES = ['train-images', 'train-labels', 't10k-images', 't10k-labels'];

/** Whether all four MNIST files are in the cache (false where Cache Storage is missing or blocked). */
export async function mnistIsCached(): Promise<boolean> {
  if (typeof caches === 'undefined') return false;
  try {
    if (!(await caches.has(CACHE_NAME))) return false;
    // Keys are the file URLs with the file's hash as a query (data.ts), so look at the path only.
    const paths = (await (await caches.open(CACHE_NAME)).keys()).map((r) => new URL(r.url).pathname);
    return FILES.every((f) => paths.some((p) => p.includes(f) && p.endsWith('.gz')));
  } catch {
    return false;
  }
}
