/**
 * loadMnist on its own worker (data-worker.ts), for the training worker: its thread stays free to start TF.js while
 * the data downloads and inflates. Where a worker cannot start (no nested workers, or its script fails to load) the
 * data loads on the calling thread as before; errors keep their types, so the lab's messages do not change.
 */
import { DataFetchError, loadMnist, mnistFolder, type LoadOptions, type MnistData } from './data.ts';
import type { DataReply, DataRequest } from './data-worker.ts';
import { IdxError } from './idx.ts';

export async function loadMnistOffThread(opts: LoadOptions = {}): Promise<{ data: MnistData; fromCache: boolean }> {
  if (typeof Worker === 'undefined') return loadMnist(opts);
  let worker: Worker;
  try {
    worker = new Worker(new URL('./data-worker.ts', import.meta.url), { type: 'module', name: 'convnotebook-data' });
  } catch {
    return loadMnist(opts);
  }
  // Resolved here: the data worker's own location is its script's URL, not this worker's.
  const baseUrl = new URL(opts.baseUrl ?? mnistFolder(), self.location.href).href;
  return new Promise((resolve, reject) => {
    let replied = false;
    worker.addEventListener('message', (e: MessageEvent<DataReply>) => {
      const msg = e.data;
      if (msg.type === 'progress') return opts.onProgress?.(msg.loaded, msg.total);
      replied = true;
      if (msg.type === 'done') return resolve({ data: msg.data, fromCache: msg.fromCache });
      const Err = msg.kind === 'corrupt' ? IdxError : msg.kind === 'fetch' ? DataFetchError : Error;
      reject(new Err(msg.message));
    });
    // The script did not load or threw before answering: load here instead.
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      worker.terminate();
      if (!replied) loadMnist(opts).then(resolve, reject);
    });
    worker.postMessage({ baseUrl } satisfies DataRequest);
  });
}
