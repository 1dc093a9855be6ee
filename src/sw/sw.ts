/**
 * The course's service worker (Workbox), bundled by scripts/build-sw.mjs after `astro build` and Pagefind, which
 * fills in the lists below from the built site. It makes the course work offline after one visit:
 *
 * - Precached at install: every page, the CSS, the scripts pages load (widgets, notebook cells and their editor and
 *   worker), the KaTeX fonts, icons, the sample digits and the search index. One version at a time: a new deployment
 *   installs beside the old one and waits until the reader accepts "A new version is available" (SKIP_WAITING).
 * - Not precached: what only the lab needs (TensorFlow.js, its wasm, the training workers; a few MB). The lab asks
 *   for it when the reader first opens it (CACHE_LAB), and it is then served from the cache. MNIST itself stays in
 *   the lab's own cache (src/ml/data.ts); the capstone's small MNIST subset is cached the first time it is fetched.
 */
import { cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';

/** Filled in by scripts/build-sw.mjs: the precache list (paths under the base, with revisions). */
declare const __PRECACHE__: PrecacheEntry[];
/** Filled in by scripts/build-sw.mjs: the lab-only files (paths under the base) and their total size in bytes. */
declare const __LAB_FILES__: string[];
declare const __LAB_BYTES__: number;

/** The parts of the service worker global this file uses (the DOM lib, not WebWorker's, types this project). */
interface SwGlobal {
  location: Location;
  skipWaiting(): Promise<void>;
  addEventListener(type: 'message', listener: (e: ExtendableMessageEvent) => void): void;
  addEventListener(type: 'activate', listener: (e: ExtendableEvent) => void): void;
}
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  data: unknown;
  ports: readonly MessagePort[];
}
declare const self: SwGlobal;

/** Cache of the lab's engine files; their names carry content hashes, so cache-first is always right. */
const LAB_CACHE = 'convnotebook-lab-v1';
const DATA_CACHE = 'convnotebook-data-v1';

// Query strings are widget state (`?lab.epochs=2`, `?q=`), never a different file.
precacheAndRoute(__PRECACHE__, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();

const labUrls = new Set(__LAB_FILES__.map((p) => new URL(p, self.location.href).href));
registerRoute(({ url }) => labUrls.has(url.href), new CacheFirst({ cacheName: LAB_CACHE }));
// The capstone's MNIST subset: the network when there is one (a redeploy may change it), else the last copy.
registerRoute(
  ({ url }) => /\/data\/mnist\/subset-[\w-]+\.gz$/.test(url.pathname),
  new NetworkFirst({ cacheName: DATA_CACHE }),
);

/** Reply to CACHE_LAB: how much of the lab's engine is saved now (components/lenet-lab/offline.ts reads it). */
interface LabCacheReply {
  type: 'LAB_CACHED';
  /** Total size of the lab's engine files in bytes. */
  bytes: number;
  /** Whether every file is in the cache. */
  complete: boolean;
}

/** Saves every lab file that is not cached yet; a failed download (offline) leaves the rest as they are. */
async function cacheLab(): Promise<LabCacheReply> {
  const cache = await caches.open(LAB_CACHE);
  const results = await Promise.all(
    [...labUrls].map(async (url) => {
      if (await cache.match(url)) return true;
      try {
        const res = await fetch(url);
        if (!res.ok) return false;
        await cache.put(url, res);
        return true;
      } catch {
        return false;
      }
    }),
  );
  return { type: 'LAB_CACHED', bytes: __LAB_BYTES__, complete: results.every(Boolean) };
}

/** Drops lab files of older deployments (other hashes), so the cache holds one version. */
async function pruneLab(): Promise<void> {
  const cache = await caches.open(LAB_CACHE);
  for (const req of await cache.keys()) if (!labUrls.has(req.url)) await cache.delete(req);
}

self.addEventListener('message', (e) => {
  const type = (e.data as { type?: string } | null)?.type;
  if (type === 'SKIP_WAITING') e.waitUntil(self.skipWaiting());
  if (type === 'CACHE_LAB') e.waitUntil(cacheLab().then((reply) => e.ports[0]?.postMessage(reply)));
});
self.addEventListener('activate', (e) => e.waitUntil(pruneLab()));
