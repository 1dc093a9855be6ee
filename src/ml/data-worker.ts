/**
 * MNIST's download, check and gunzip on a thread of their own (data-thread.ts starts it from the training worker).
 * On a 2-core machine the 47 MB of training images took about 0.8 s of the training worker's thread to inflate, the
 * same thread that was compiling TF.js and the wasm backend, so the first batch waited for both in turn. Here they
 * overlap. The decoded files are transferred, not copied; the worker closes itself once the cache writes are done.
 */
import { DataFetchError, loadMnist, type MnistData } from './data.ts';
import { IdxError } from './idx.ts';

/** The one request: where the files are (an absolute URL). */
export interface DataRequest {
  baseUrl: string;
}

export type DataReply =
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'done'; data: MnistData; fromCache: boolean }
  | { type: 'failed'; kind: 'fetch' | 'corrupt' | 'other'; message: string };

function post(msg: DataReply, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

/** The buffers under the data's views (each file is one buffer, the views skip its header). */
function dataBuffers(data: MnistData): ArrayBuffer[] {
  const views = [data.train.pixels, data.train.labels, data.test.pixels, data.test.labels];
  return [...new Set(views.map((v) => v.buffer as ArrayBuffer))];
}

self.addEventListener('message', (e: MessageEvent<DataRequest>) => {
  loadMnist({
    baseUrl: e.data.baseUrl,
    onProgress: (loaded, total) => post({ type: 'progress', loaded, total }),
  }).then(
    async ({ data, fromCache, stored }) => {
      post({ type: 'done', data, fromCache }, dataBuffers(data));
      await stored;
      self.close();
    },
    (err: unknown) => {
      const kind = err instanceof IdxError ? 'corrupt' : err instanceof DataFetchError ? 'fetch' : 'other';
      post({ type: 'failed', kind, message: err instanceof Error ? err.message : String(err) });
      self.close();
    },
  );
});
