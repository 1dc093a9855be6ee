// loadMnist against a fake host that serves what the data step writes (image files boxed, scripts/mnist-boxes.mjs):
// the files are downloaded once, then come from Cache Storage, whether the host sends the .gz as is or gunzips it on
// the way (Content-Encoding: gzip, as `astro preview` does). Corrupt bytes give a clear error, not a wrong data set.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdxError } from '../../src/ml/idx.ts';
import { CACHE_NAME, loadMnist, mnistFolder, type ManifestFile } from '../../src/ml/data.ts';
import { boxImages } from '../../scripts/mnist-boxes.mjs';

const NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/**
 * A tiny IDX pair: n images of 28x28, and labels k mod 10. Image k is 0 but for a k x (k + 1) block of value k at
 * row k, column 2k (so image 0 is blank and every box differs).
 */
function idx(n: number): [Uint8Array, Uint8Array] {
  const images = new Uint8Array(16 + n * 784);
  const view = new DataView(images.buffer);
  view.setUint32(0, 2051);
  view.setUint32(4, n);
  view.setUint32(8, 28);
  view.setUint32(12, 28);
  for (let k = 0; k < n; k++) {
    for (let y = k; y < 2 * k; y++) images.fill(k, 16 + k * 784 + y * 28 + 2 * k, 16 + k * 784 + y * 28 + 3 * k + 1);
  }
  const labels = new Uint8Array(8 + n);
  const lv = new DataView(labels.buffer);
  lv.setUint32(0, 2049);
  lv.setUint32(4, n);
  for (let k = 0; k < n; k++) labels[8 + k] = k % 10;
  return [images, labels];
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A body that arrives in pieces of the given sizes (the last repeated), as a slow network delivers it. */
function chunked(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const n = sizes[Math.min(i++, sizes.length - 1)]!;
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

/**
 * Serves manifest.json and the .gz files; `gunzipOnTheWay` mimics a host that sets Content-Encoding: gzip, and
 * `pieces` sends each body in pieces of those sizes.
 */
function fakeHost(gunzipOnTheWay: boolean, pieces?: number[]) {
  const [trI, trL] = idx(5);
  const [teI, teL] = idx(3);
  const raw = new Map([
    [NAMES[0]!, trI],
    [NAMES[1]!, trL],
    [NAMES[2]!, teI],
    [NAMES[3]!, teL],
  ]);
  const files: ManifestFile[] = [];
  const gz = new Map<string, Uint8Array>();
  const served = new Map<string, Uint8Array>();
  for (const [name, idxBytes] of raw) {
    const images = name.includes('images');
    const bytes = images ? boxImages(idxBytes) : idxBytes;
    const z = new Uint8Array(gzipSync(bytes));
    const file = `${name}${images ? '.boxed' : ''}.gz`;
    gz.set(file, z);
    served.set(file, bytes);
    files.push({
      name,
      file,
      ...(images ? { encoding: 'boxed' as const } : {}),
      count: new DataView(idxBytes.buffer).getUint32(4),
      bytes: bytes.length,
      gzipBytes: z.length,
      sha256: sha(z),
      rawSha256: sha(bytes),
    });
  }
  const requests: string[] = [];
  let corrupt = false;
  const fetch = vi.fn(async (input: URL | string) => {
    const url = new URL(String(input));
    const file = url.pathname.split('/').pop()!;
    requests.push(file);
    if (file === 'manifest.json') return new Response(JSON.stringify({ format: 2, files }));
    const z = gz.get(file);
    if (!z) return new Response('missing', { status: 404 });
    const body = gunzipOnTheWay ? served.get(file)!.slice() : z.slice();
    if (corrupt) body[body.length - 1]! ^= 0xff;
    return new Response(pieces ? chunked(body, pieces) : body, {
      headers: gunzipOnTheWay ? { 'Content-Encoding': 'gzip' } : {},
    });
  });
  return {
    fetch,
    requests,
    files,
    /** The image files as IDX, before boxing. */
    idx: { train: trI, test: teI },
    corruptNext: () => {
      corrupt = true;
    },
  };
}

/** An in-memory Cache Storage with the calls data.ts makes. */
function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const open = async (name: string) => {
    const store = stores.get(name) ?? new Map<string, Response>();
    stores.set(name, store);
    return {
      match: async (key: URL | string) => store.get(String(key))?.clone(),
      put: async (key: URL | string, res: Response) => {
        store.set(String(key), new Response(await res.arrayBuffer(), { headers: res.headers }));
      },
      delete: async (key: URL | string | Request) => store.delete(key instanceof Request ? key.url : String(key)),
      keys: async () => [...store.keys()].map((k) => new Request(k)),
    };
  };
  return { open, delete: async (name: string) => stores.delete(name), stores };
}

describe('loadMnist downloads once, then reads Cache Storage', () => {
  beforeEach(() => {
    vi.stubGlobal('self', { location: { href: 'http://course.test/chapters/lenet-5/' } });
    vi.stubGlobal('caches', fakeCaches());
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  for (const [gunzipOnTheWay, pieces] of [
    [false, undefined],
    [true, undefined],
    // The gzip check needs two bytes, and the first piece has one; then inflating runs as the pieces come.
    [false, [1, 7, 100]],
    [true, [1, 7, 100]],
  ] as const) {
    const how = `${gunzipOnTheWay ? 'gunzips on the way' : 'sends the .gz as is'}${pieces ? ', in small pieces' : ''}`;
    it(`host ${how}: second load fetches only the manifest`, async () => {
      const host = fakeHost(gunzipOnTheWay, pieces ? [...pieces] : undefined);
      vi.stubGlobal('fetch', host.fetch);
      const progress: [number, number][] = [];
      const first = await loadMnist({ onProgress: (a, b) => progress.push([a, b]) });
      expect(first.fromCache).toBe(false);
      expect(first.data.train.count).toBe(5);
      expect(first.data.test.count).toBe(3);
      expect([...first.data.train.labels]).toEqual([0, 1, 2, 3, 4]);
      // Rebuilt from their boxes, byte for byte; image 0 is blank.
      expect(first.data.train.pixels).toEqual(host.idx.train.subarray(16));
      expect(first.data.test.pixels).toEqual(host.idx.test.subarray(16));
      expect(first.data.train.pixels[4 * 784 + 5 * 28 + 9]).toBe(4);
      const total = host.files.reduce((s, f) => s + f.gzipBytes, 0);
      // The bar ends at the gzip total and never passes it, whichever form the bytes came in.
      expect(progress.at(-1)).toEqual([total, total]);
      expect(Math.max(...progress.map(([a]) => a))).toBe(total);

      await first.stored;
      host.requests.length = 0;
      const second = await loadMnist();
      expect(second.fromCache).toBe(true);
      expect(host.requests).toEqual(['manifest.json']);
      expect([...second.data.test.labels]).toEqual([0, 1, 2]);
    });
  }

  it('a fresh download drops the files of an earlier build from the cache, and nothing else', async () => {
    const caches = fakeCaches();
    vi.stubGlobal('caches', caches);
    const store = await caches.open(CACHE_NAME);
    const stale = 'http://course.test/data/mnist/train-images-idx3-ubyte.gz?sha256=0ld';
    await store.put(stale, new Response('old plain images'));
    await store.put('http://course.test/elsewhere.txt', new Response('not ours'));
    const host = fakeHost(false);
    vi.stubGlobal('fetch', host.fetch);
    await (
      await loadMnist()
    ).stored;
    const keys = [...caches.stores.get(CACHE_NAME)!.keys()];
    expect(keys).not.toContain(stale);
    expect(keys).toContain('http://course.test/elsewhere.txt');
    expect(keys).toContain('http://course.test/data/mnist/manifest.json');
    for (const f of host.files) expect(keys).toContain(`http://course.test/data/mnist/${f.file}?sha256=${f.sha256}`);
    expect(keys).toHaveLength(host.files.length + 2);
  });

  it('a file that arrives corrupt gives a clear error, not a data set', async () => {
    const host = fakeHost(false);
    host.corruptNext();
    vi.stubGlobal('fetch', host.fetch);
    await expect(loadMnist()).rejects.toThrow(IdxError);
    await expect(loadMnist()).rejects.toThrow(/checksum mismatch/);
  });

  it('a file whose hash matches but which does not inflate gives a clear error', async () => {
    const host = fakeHost(false);
    const entry = host.files.find((f) => f.name === 't10k-images-idx3-ubyte')!;
    const truncated = new Uint8Array(gzipSync(idx(3)[0])).slice(0, 40);
    Object.assign(entry, { gzipBytes: truncated.length, sha256: sha(truncated) });
    vi.stubGlobal('fetch', async (input: URL | string) =>
      String(input).endsWith(entry.file) ? new Response(truncated.slice()) : host.fetch(input),
    );
    await expect(loadMnist()).rejects.toThrow(`${entry.file} is corrupt: it could not be decompressed.`);
  });

  it('a boxed file that inflates but whose boxes are damaged says so', async () => {
    const host = fakeHost(false);
    const entry = host.files.find((f) => f.name === 'train-images-idx3-ubyte')!;
    const boxed = boxImages(host.idx.train);
    boxed[16 + 4] = 28; // image 1's top row (image 0 is blank, a 4-byte box): row 28 is outside the image
    const z = new Uint8Array(gzipSync(boxed));
    Object.assign(entry, { gzipBytes: z.length, sha256: sha(z) });
    vi.stubGlobal('fetch', async (input: URL | string) =>
      String(input).endsWith(entry.file) ? new Response(z.slice()) : host.fetch(input),
    );
    await expect(loadMnist()).rejects.toThrow(IdxError);
    await expect(loadMnist()).rejects.toThrow(
      "train-images-idx3-ubyte.boxed.gz is corrupt: image 2's box does not fit a 28x28 image.",
    );
  });

  it('a missing file is reported with its HTTP status', async () => {
    const host = fakeHost(false);
    vi.stubGlobal('fetch', async (input: URL | string) =>
      String(input).endsWith('t10k-labels-idx1-ubyte.gz') ? new Response('', { status: 404 }) : host.fetch(input),
    );
    await expect(loadMnist()).rejects.toThrow(/t10k-labels-idx1-ubyte\.gz failed: HTTP 404/);
  });

  it('under a sub-path (BASE_PATH=/course/) the data is fetched from under it, and a 404 names the full URL', async () => {
    vi.stubEnv('BASE_URL', '/course/');
    try {
      expect(mnistFolder()).toBe('/course/data/mnist/');
      const urls: string[] = [];
      vi.stubGlobal('fetch', async (input: URL | string) => {
        urls.push(String(input));
        return new Response('Not found', { status: 404 });
      });
      await expect(loadMnist()).rejects.toThrow(
        'The MNIST manifest could not be loaded from http://course.test/course/data/mnist/manifest.json (HTTP 404).',
      );
      expect(urls).toEqual(['http://course.test/course/data/mnist/manifest.json']);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
