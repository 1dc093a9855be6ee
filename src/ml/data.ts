/**
 * Getting MNIST into a worker or page: fetch the gzip files `npm run data` put under public/data/mnist/, report
 * progress, keep them in Cache Storage so a reload does not download again, gunzip with DecompressionStream, rebuild
 * the boxed image files (boxed.ts) and parse with the pure IDX parser. Nothing here runs at import time; every network
 * or cache access is inside a call.
 * Batching, shuffling and augmentation live in batches.ts (pure, also used in Node).
 */
import { IdxError, parseIdxPair, type LabelledImages } from './idx.ts';
import { CACHE_NAME } from './mnist-cache.ts';
import { Unboxer, unboxImages } from './boxed.ts';

/** Both halves of MNIST, decoded. */
export interface MnistData {
  train: LabelledImages;
  test: LabelledImages;
}

/** One entry of public/data/mnist/manifest.json (written by scripts/build-data.mjs). */
export interface ManifestFile {
  name: string;
  file: string;
  /** 'boxed': the file is an IDX image file in the site's boxed form (boxed.ts); absent: a plain IDX file. */
  encoding?: 'boxed';
  /** Images or labels in the file. */
  count: number;
  /** Size of the file's contents once inflated (boxed ones are smaller than the IDX file they stand for). */
  bytes: number;
  gzipBytes: number;
  /** Hash of the .gz file as stored. */
  sha256: string;
  /** Hash of the inflated bytes, for hosts that gunzip on the way (Content-Encoding: gzip). */
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

/** What loadMnist resolves with. */
export interface LoadedMnist {
  data: MnistData;
  /** Whether every file came from the cache. */
  fromCache: boolean;
  /** Settles once the downloaded files are written to the cache (a worker that closes earlier would lose them). */
  stored: Promise<void>;
}

/** Loads all four MNIST files. Resolves with the parsed data and whether everything came from the cache. */
export async function loadMnist(opts: LoadOptions = {}): Promise<LoadedMnist> {
  const base = new URL(opts.baseUrl ?? mnistFolder(), self.location.href);
  const writes: Promise<unknown>[] = [];
  const manifest = await fetchManifest(base, writes);
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
      const file = await fetchFile(new URL(entry.file, base), entry, cache, writes, (n) => {
        received.set(name, n);
        report();
      });
      fromCache &&= file.cached;
      return file.raw;
    }),
  );
  // Files of an earlier build (other hashes, or the plain .gz images before they were boxed) are 11 MB nobody reads.
  if (cache && !fromCache) {
    const keep = new Set(order.map((name) => byName.get(name)!).map((e) => cacheKey(new URL(e.file, base), e)));
    writes.push(pruneCache(cache, base, keep));
  }
  const [trI, trL, teI, teL] = raw as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return {
    data: { train: parseIdxPair(trI, trL, 'training'), test: parseIdxPair(teI, teL, 'test') },
    fromCache,
    stored: Promise.allSettled(writes).then(() => undefined),
  };
}

/** Deletes the cached MNIST files (for a "reset" button or after corruption). */
export async function clearMnistCache(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(CACHE_NAME);
}

async function fetchManifest(base: URL, writes: Promise<unknown>[]): Promise<ManifestFile[]> {
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
  writes.push(openCache().then((c) => c?.put(url, res).catch(() => undefined)));
  return json.files;
}

async function openCache(): Promise<Cache | null> {
  // Cache Storage is missing in some contexts (http on a LAN address, old browsers): fall back to plain fetches.
  if (typeof caches === 'undefined') return null;
  return caches.open(CACHE_NAME).catch(() => null);
}

/** Deletes the cached files under `base` other than `keep` (the manifest stays). Failures only leave them there. */
async function pruneCache(cache: Cache, base: URL, keep: ReadonlySet<string>): Promise<void> {
  const manifest = new URL('manifest.json', base).href;
  try {
    for (const req of await cache.keys()) {
      if (req.url.startsWith(base.href) && req.url !== manifest && !keep.has(req.url)) await cache.delete(req);
    }
  } catch {
    // A cache that cannot be listed or written is no worse off than before.
  }
}

/** The cache key carries the hash, so a rebuilt file with new contents is fetched again. */
function cacheKey(url: URL, entry: ManifestFile): string {
  return `${url.href}?sha256=${entry.sha256}`;
}

/** Reads one file from the cache or the network; `raw` is its IDX contents, inflated (and unboxed). */
async function fetchFile(
  url: URL,
  entry: ManifestFile,
  cache: Cache | null,
  writes: Promise<unknown>[],
  onBytes: (n: number) => void,
): Promise<{ raw: Uint8Array; cached: boolean }> {
  const key = cacheKey(url, entry);
  const hit = await cache?.match(key);
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    if (await intact(bytes, entry)) {
      onBytes(entry.gzipBytes);
      return { raw: await gunzip(bytes, entry), cached: true };
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
  const { bytes, inflated } = await readInflating(res.body, entry, (n) =>
    onBytes(Math.min(entry.gzipBytes, Math.round(n * scale))),
  );
  // The hash (WebCrypto, off this thread in Chromium: 110-180 ms for the training images) runs while the last
  // pieces are inflated and rebuilt; a checksum mismatch is reported first, as the likelier cause of both failing.
  const [hashed, raw] = await Promise.allSettled([
    intact(bytes, entry),
    inflated ? decompressed(inflated, entry) : decodeRaw(bytes, entry),
  ]);
  if (hashed.status === 'rejected' || !hashed.value) {
    throw new IdxError(`${entry.file} arrived corrupt (checksum mismatch). Reload the page to download it again.`);
  }
  if (raw.status === 'rejected') throw raw.reason;
  // Not awaited, as for the manifest: writing 11 MB to disk would delay the first batch for nothing. The Response
  // copies the bytes now, so the caller may transfer them.
  if (cache) writes.push(cache.put(key, new Response(bytes as Uint8Array<ArrayBuffer>)).catch(() => undefined));
  return { raw: raw.value, cached: false };
}

/**
 * Reads a body to the end while a gzip body is inflated as it arrives: the 47 MB of training images then take
 * little longer than their download, where inflating after it took about 0.5 s more.
 * @returns the bytes as received, and the inflated contents when they are gzip (null when the host gunzipped them).
 */
async function readInflating(
  body: ReadableStream<Uint8Array>,
  entry: ManifestFile,
  onBytes: (n: number) => void,
): Promise<{ bytes: Uint8Array; inflated: Promise<Uint8Array> | null }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  // undefined until two bytes have come: the gzip magic number decides.
  let inflater: WritableStreamDefaultWriter<Uint8Array> | null | undefined;
  let inflated: Promise<Uint8Array> | null = null;
  const feed = (chunk: Uint8Array) => inflater?.write(chunk).catch(() => undefined);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    n += value.length;
    onBytes(n);
    if (inflater === undefined && n >= 2) {
      const head = chunks[0]!.length >= 2 ? chunks[0]! : concat(chunks);
      if (isGzip(head)) {
        const stream = new DecompressionStream('gzip');
        inflater = stream.writable.getWriter() as WritableStreamDefaultWriter<Uint8Array>;
        inflated = readInto(stream.readable, entry);
        // Handled here so a corrupt file's rejection is not "unhandled" while the hash is computed; awaited later.
        inflated.catch(() => undefined);
        chunks.forEach(feed);
      } else inflater = null;
    } else feed(value);
  }
  // A corrupt stream rejects `inflated`; closing must not throw on its own.
  inflater?.close().catch(() => undefined);
  return { bytes: concat(chunks), inflated };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
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
  if (!isGzip(bytes)) return decodeRaw(bytes, entry);
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return decompressed(readInto(stream, entry), entry);
}

/** A file's inflated contents (as a host that gunzips sends them) as IDX. */
async function decodeRaw(bytes: Uint8Array, entry: ManifestFile): Promise<Uint8Array> {
  return entry.encoding === 'boxed' ? unboxImages(bytes, entry.file) : bytes;
}

/** Where inflated pieces go: for a boxed file the Unboxer, else one buffer of the manifest's size. */
interface Sink {
  push(piece: Uint8Array): void;
  finish(): Uint8Array;
}

function sinkFor(entry: ManifestFile): Sink {
  if (entry.encoding === 'boxed') return new Unboxer(entry.file, entry.bytes);
  const out = new Uint8Array(entry.bytes);
  let at = 0;
  return {
    push(piece) {
      out.set(piece, at);
      at += piece.length;
    },
    finish: () => out.subarray(0, at),
  };
}

/**
 * Reads an inflating stream piece by piece into the file's sink: one buffer of the manifest's size, or the Unboxer,
 * which rebuilds the images as they come. Filling one buffer took 0.60-0.86 s for the 47 MB of plain training images
 * in a Chromium worker, against 0.77-1.14 s for `new Response(stream).arrayBuffer()`, which gathers the 720 pieces
 * first (six runs each).
 * @throws when the stream holds more bytes than the manifest says (the short case is caught by the parsers).
 */
async function readInto(stream: ReadableStream<Uint8Array>, entry: ManifestFile): Promise<Uint8Array> {
  const sink = sinkFor(entry);
  const reader = stream.getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return sink.finish();
    if (at + value.length > entry.bytes) {
      await reader.cancel();
      throw new RangeError('longer than the manifest says');
    }
    at += value.length;
    try {
      sink.push(value);
    } catch (err) {
      await reader.cancel();
      throw err;
    }
  }
}

async function decompressed(inflated: Promise<Uint8Array>, entry: ManifestFile): Promise<Uint8Array> {
  try {
    return await inflated;
  } catch (err) {
    // A boxed file that inflates but does not rebuild says what is wrong with it.
    if (err instanceof IdxError) throw err;
    throw new IdxError(`${entry.file} is corrupt: it could not be decompressed. Reload the page to download it again.`);
  }
}
