/**
 * MNIST's download, check and gunzip on a thread of their own. On a 2-core machine the 47 MB of training images (as
 * plain IDX, before they were boxed) took about 0.8 s of the training worker's thread to inflate, the same thread that was compiling TF.js and the wasm
 * backend, so the first batch waited for both in turn. Here they overlap. The decoded files are transferred, not
 * copied; the worker closes itself once the cache writes are done.
 *
 * Two ways in (data-thread.ts): the page starts this worker beside the training worker and hands each end of a
 * MessageChannel (the request then comes through the port), or the training worker starts it itself and sends the
 * request directly.
 */
import { DataFetchError, loadMnist, type MnistData } from './data.ts';
import { IdxError } from './idx.ts';

/** The one request: where the files are (an absolute URL). */
export interface DataRequest {
  baseUrl: string;
}

/**
 * From the page (client.ts), outside the request protocols: `data-port` carries, in `ports[0]`, one end of the channel
 * between this worker and the training worker (to each of them); `data-port-failed` tells the training worker that
 * this worker did not start.
 */
export type DataPortNote = { type: 'data-port' } | { type: 'data-port-failed' };

export type DataReply =
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'done'; data: MnistData; fromCache: boolean }
  | { type: 'failed'; kind: 'fetch' | 'corrupt' | 'other'; message: string };

/** Where replies go: this worker's own channel, or the port from the page. */
type Out = { postMessage(msg: DataReply, transfer: Transferable[]): void };

/** The buffers under the data's views (each file is one buffer, the views skip its header). */
function dataBuffers(data: MnistData): ArrayBuffer[] {
  const views = [data.train.pixels, data.train.labels, data.test.pixels, data.test.labels];
  return [...new Set(views.map((v) => v.buffer as ArrayBuffer))];
}

function serve(req: DataRequest, out: Out): void {
  loadMnist({
    baseUrl: req.baseUrl,
    onProgress: (loaded, total) => out.postMessage({ type: 'progress', loaded, total }, []),
  }).then(
    async ({ data, fromCache, stored }) => {
      out.postMessage({ type: 'done', data, fromCache }, dataBuffers(data));
      await stored;
      self.close();
    },
    (err: unknown) => {
      const kind = err instanceof IdxError ? 'corrupt' : err instanceof DataFetchError ? 'fetch' : 'other';
      out.postMessage({ type: 'failed', kind, message: err instanceof Error ? err.message : String(err) }, []);
      self.close();
    },
  );
}

self.addEventListener('message', (e: MessageEvent<DataRequest | DataPortNote>) => {
  const port = e.ports[0];
  if (port) {
    port.addEventListener('message', (m: MessageEvent<DataRequest>) => serve(m.data, port), { once: true });
    port.start();
  } else serve(e.data as DataRequest, { postMessage: (msg, transfer) => self.postMessage(msg, { transfer }) });
});
