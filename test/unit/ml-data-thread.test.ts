// The training worker's way to MNIST (data-thread.ts): through the port to the data worker the page started, once;
// on its own (here: on this thread, as Node has no Worker) when there is no port or the page says its worker failed.
// Errors keep their types either way.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptDataPort, dataPortFailed, loadMnistOffThread } from '../../src/ml/data-thread.ts';
import type { DataReply, DataRequest } from '../../src/ml/data-worker.ts';
import type { MnistData } from '../../src/ml/data.ts';
import { DataFetchError } from '../../src/ml/data.ts';
import { IdxError } from '../../src/ml/idx.ts';

const images = (count: number) => ({ count, rows: 28, cols: 28, pixels: new Uint8Array(count * 784) });
const DATA: MnistData = {
  train: { ...images(3), labels: new Uint8Array([1, 2, 3]) },
  test: { ...images(1), labels: new Uint8Array([7]) },
};

/** A stand-in for the page's data worker on the other end of a channel: answers the request with `replies`. */
function pageDataWorker(replies: DataReply[] | null) {
  const { port1, port2 } = new MessageChannel();
  const requests: DataRequest[] = [];
  port1.onmessage = (e: MessageEvent<DataRequest>) => {
    requests.push(e.data);
    for (const r of replies ?? []) port1.postMessage(r);
  };
  acceptDataPort(port2);
  return { requests, close: () => port1.close() };
}

describe('loadMnistOffThread', () => {
  let fetches: string[];
  beforeEach(() => {
    vi.stubGlobal('self', { location: { href: 'http://course.test/_astro/worker.js' } });
    fetches = [];
    // The load on this thread: a host with no data, so it fails with the manifest's URL.
    vi.stubGlobal('fetch', async (url: URL | string) => {
      fetches.push(String(url));
      return new Response('', { status: 404 });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("uses the page's data worker once: progress, then the data; the next load does not wait for it", async () => {
    const page = pageDataWorker([
      { type: 'progress', loaded: 5, total: 10 },
      { type: 'done', data: DATA, fromCache: true },
    ]);
    const progress: number[] = [];
    const r = await loadMnistOffThread({ onProgress: (n) => progress.push(n) });
    expect(r.fromCache).toBe(true);
    expect([...r.data.test.labels]).toEqual([7]);
    expect(progress).toEqual([5]);
    // Resolved against this worker's location: the data worker's own is its script's URL.
    expect(page.requests).toEqual([{ baseUrl: 'http://course.test/data/mnist/' }]);
    expect(fetches).toEqual([]);
    await expect(loadMnistOffThread()).rejects.toThrow(DataFetchError);
    expect(fetches).toEqual(['http://course.test/data/mnist/manifest.json']);
    page.close();
  });

  it('a corrupt file reported by the data worker stays an IdxError', async () => {
    const page = pageDataWorker([{ type: 'failed', kind: 'corrupt', message: 'train-images arrived corrupt' }]);
    const err = await loadMnistOffThread().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdxError);
    expect((err as Error).message).toBe('train-images arrived corrupt');
    page.close();
  });

  it("when the page's data worker fails to start, the load in flight starts over on its own", async () => {
    const page = pageDataWorker(null);
    const load = loadMnistOffThread();
    await new Promise((r) => setTimeout(r, 10));
    expect(page.requests.length).toBe(1);
    expect(fetches).toEqual([]);
    dataPortFailed();
    await expect(load).rejects.toThrow('The MNIST manifest could not be loaded from http://course.test/data/mnist/');
    page.close();
  });
});
