/**
 * Getting MNIST into a worker or page: fetch the gzip files `npm run data` put under public/data/mnist/, report
 * progress, keep them in Cache Storage so a reload does not download again, gunzip with DecompressionStream and
 * parse with the pure IDX parser. Nothing here runs at import time; every network or cache access is inside a call.
 * Batching, shuffling and augmentation live in batches.ts (pure, also used in Node).
 */
import { IdxError, parseIdxPair, type LabelledImages } from './idx.ts';
import { CACHE_NAME } from './mnist-cache.ts';

/** Both halves of MNIST, decoded. */
export interface MnistData {
  train: LabelledImages;
  test: LabelledImages;
}

/** One entry of public/data/mnist/manifest.json (written by scripts/build-data.mjs). */
export interface ManifestFile {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Hash of the .gz file as stored. */
  sha256: string;
  /** Hash of the decompressed IDX bytes, for hosts that gunzip on the way (Content-Encoding: gzip). */
  rawSha256: string;
}

/** Thrown when the data cannot be fetched (network, HTTP status); IdxError covers corrupt contents. */
export class DataFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFetchError';
  }
}

/** Cache Storage key; bump the version when the file format changes. The files' sha256 keeps entries honest. */
export { CACHE_NAME };

export interface LoadOptions {
  /** Folder URL holding manifest.json and the .gz files. Default `mnistFolder()`. */
  baseUrl?: string;
  /** Called with bytes received so far (cached files count at once) out of the total gzip size. */
  onProgress?: (loaded: number, total: number) => void;
}

/**
 * The MNIST folder under the site's base path (`BASE_PATH` at build time, Vite's `import.meta.env.BASE_URL`):
 * `/data/mnist/` at the root, `/course/data/mnist/` under `/course/`. A root-absolute `/data/` would miss the
 * files of a course hosted under a sub-path.
 */
export function mnistFolder(): string {
  return `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/mnist/`;
}

/** Loads all four MNIST files. Resolves with the parsed data and whether everything came from the cache. */
export async function loadMnist(opts: LoadOptions = {}): Promise<{ data: MnistData; fromCache: boolean }> {
  const base = new URL(opts.baseUrl ?? mnistFolder(), self.location.href);
  const manifest = await fetchManifest(base);
  const byName = new Map(manifest.map((f) => [f.name, f]));
  const order = [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ];
  const total = manifest.reduce((s, f) => s + f.gzipBytes, 0);
  const cache = await openCache();
  const received = new Map<string, number>();
  const report = () =>
    opts.onProgress?.(
      [...received.values()].reduce((a, b) => a + b, 0),
      total,
    );
  let fromCache = true;
  const raw = await Promise.all(
    order.map(async (name) => {
      const entry = byName.get(name);
      if (!entry) throw new DataFetchError(`The data manifest does not list ${name}; rebuild the site (npm run data).`);
      const { bytes, cached } = await fetchFile(new URL(entry.file, base), entry, cache, (n) => {
        received.set(name, n);
        report();
      });
      fromCache &&= cached;
      return gunzip(bytes, entry);
    }),
  );
  const [trI, trL, teI, teL] = raw as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return { data: { train: parseIdxPair(trI, trL, 'training'), test: parseIdxPair(teI, teL, 'test') }, fromCache };
}

/** Deletes the cached MNIST files (for a "reset" button or after corruption). */
export async function clearMnistCache(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(CACHE_NAME);
}

async function fetchManifest(base: URL): Promise<ManifestFile[]> {
  const url = new URL('manifest.json', base);
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-cache' });
  } catch {
    // Offline: a cached manifest still lets cached files load.
    const cached = await (await openCache())?.match(url);
    if (!cached)
      throw new DataFetchError('Could not reach the server to download MNIST. Check the connection and retry.');
    res = cached;
  }
  // Name the URL: a 404 usually means the site is served under another path than it was built for (BASE_PATH), or
  // was deployed without its data folder; the reader (or instructor) can only tell which from the address.
  if (!res.ok) {
    const hint =
      res.status === 404 ? ' Is the site served at the path it was built for (BASE_PATH), with its data folder?' : '';
    throw new DataFetchError(`The MNIST manifest could not be loaded from ${url.href} (HTTP ${res.status}).${hint}`);
  }
  const json = (await res.clone().json()) as { files?: ManifestFile[] };
  if (!Array.isArray(json.files)) throw new IdxError('The MNIST manifest is corrupt: it has no file list.');
  // Not awaited: storing is for the next visit, and this one should not wait for the disk.
  void openCache().then((c) => c?.put(url, res).catch(() => undefined));
  return json.files;
}

async function openCache(): Promise<Cache | null> {
  // Cache Storage is missing in some contexts (http on a LAN address, old browsers): fall back to plain fetches.
  if (typeof caches === 'undefined') return null;
  return caches.open(CACHE_NAME).catch(() => null);
}

/** The cache key carries the hash, so a rebuilt file with new contents is fetched again. */
function cacheKey(url: URL, entry: ManifestFile): string {
  return `${url.href}?sha256=${entry.sha256}`;
}

async function fetchFile(
  url: URL,
  entry: ManifestFile,
  cache: Cache | null,
  onBytes: (n: number) => void,
): Promise<{ bytes: Uint8Array; cached: boolean }> {
  const key = cacheKey(url, entry);
  const hit = await cache?.match(key);
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    if (await intact(bytes, entry)) {
      onBytes(entry.gzipBytes);
      return { bytes, cached: true };
    }
    await cache?.delete(key);
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new DataFetchError(`Could not download ${entry.file}. Check the connection and retry.`);
  }
  if (!res.ok || !res.body) throw new DataFetchError(`Downloading ${entry.file} failed: HTTP ${res.status}.`);
  // A host that sends the .gz with Content-Encoding: gzip makes the browser gunzip it on the way, so the body is
  // the raw IDX file: scale its progress to the gzip total the bar shows.
  const scale = res.headers.get('Content-Encoding') ? entry.gzipBytes / entry.bytes : 1;
  const bytes = await readWithProgress(res.body, (n) => onBytes(Math.min(entry.gzipBytes, Math.round(n * scale))));
  if (!(await intact(bytes, entry))) {
    throw new IdxError(`${entry.file} arrived corrupt (checksum mismatch). Reload the page to download it again.`);
  }
  // Not awaited, as for the manifest: writing 11 MB to disk would delay the first batch for nothing.
  void cache?.put(key, new Response(bytes as Uint8Array<ArrayBuffer>)).catch(() => undefined);
  return { bytes, cached: false };
}

async function readWithProgress(body: ReadableStream<Uint8Array>, onBytes: (n: number) => void) {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    n += value.length;
    onBytes(n);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Checks either form a file can arrive in: the .gz as stored, or its raw contents when the host gunzipped it. */
async function intact(bytes: Uint8Array, entry: ManifestFile): Promise<boolean> {
  if (isGzip(bytes)) return sha256Matches(bytes, entry.sha256);
  return bytes.length === entry.bytes && sha256Matches(bytes, entry.rawSha256);
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

async function sha256Matches(bytes: Uint8Array, hex: string): Promise<boolean> {
  // crypto.subtle needs a secure context; without it skip the check rather than fail (the IDX parser still validates).
  if (typeof crypto === 'undefined' || !crypto.subtle) return true;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') === hex;
}

async function gunzip(bytes: Uint8Array, entry: ManifestFile): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new IdxError(`${entry.file} is corrupt: it could not be decompressed. Reload the page to download it again.`);
  }
}
