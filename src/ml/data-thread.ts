/**
 * loadMnist on its own worker (data-worker.ts), for the training worker: its thread stays free to start TF.js while
 * the data downloads and inflates. The page usually starts that worker beside this one and hands over a port to it
 * (client.ts; its start-up then overlaps this worker's instead of following it: 60-85 ms on 2 cores). Otherwise, or
 * when the page reports that the worker failed to start, this worker starts one itself; where no worker can start,
 * the data loads on this thread. Errors keep their types, so the lab's messages do not change.
 */
import { DataFetchError, loadMnist, mnistFolder, type LoadOptions, type MnistData } from './data.ts';
import type { DataReply, DataRequest } from './data-worker.ts';
import { IdxError } from './idx.ts';

type Loaded = { data: MnistData; fromCache: boolean };

/** The port to the page's data worker, until its one load starts. */
let pagePort: MessagePort | null = null;
/** Called when the page's data worker failed (its script did not load): the load in flight starts over here. */
let onPagePortFailed: (() => void) | null = null;

/** Takes the port the page sent (worker.ts, on its `data-port` message). */
export function acceptDataPort(port: MessagePort): void {
  pagePort = port;
}

/** The page's data worker failed to start (worker.ts, on `data-port-failed`): do not wait for it. */
export function dataPortFailed(): void {
  pagePort = null;
  onPagePortFailed?.();
}

export async function loadMnistOffThread(opts: LoadOptions = {}): Promise<Loaded> {
  // Resolved here: a data worker's own location is its script's URL, not this worker's.
  const baseUrl = new URL(opts.baseUrl ?? mnistFolder(), self.location.href).href;
  const port = pagePort;
  // One load per data worker: it closes itself after answering, so a retry starts a worker of its own.
  pagePort = null;
  if (port) return viaPort(port, baseUrl, opts);
  return viaOwnWorker(baseUrl, opts);
}

/** Handles one reply; true when it was the final one. */
function settle(msg: DataReply, opts: LoadOptions, resolve: (r: Loaded) => void, reject: (e: Error) => void): boolean {
  if (msg.type === 'progress') {
    opts.onProgress?.(msg.loaded, msg.total);
    return false;
  }
  if (msg.type === 'done') resolve({ data: msg.data, fromCache: msg.fromCache });
  else reject(new (msg.kind === 'corrupt' ? IdxError : msg.kind === 'fetch' ? DataFetchError : Error)(msg.message));
  return true;
}

function viaPort(port: MessagePort, baseUrl: string, opts: LoadOptions): Promise<Loaded> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = () => {
      done = true;
      onPagePortFailed = null;
      port.close();
    };
    port.addEventListener('message', (e: MessageEvent<DataReply>) => {
      if (!done && settle(e.data, opts, resolve, reject)) finish();
    });
    onPagePortFailed = () => {
      if (done) return;
      finish();
      viaOwnWorker(baseUrl, opts).then(resolve, reject);
    };
    port.start();
    port.postMessage({ baseUrl } satisfies DataRequest);
  });
}

function viaOwnWorker(baseUrl: string, opts: LoadOptions): Promise<Loaded> {
  if (typeof Worker === 'undefined') return loadMnist(opts);
  let worker: Worker;
  try {
    worker = new Worker(new URL('./data-worker.ts', import.meta.url), { type: 'module', name: 'convnotebook-data' });
  } catch {
    return loadMnist(opts);
  }
  return new Promise((resolve, reject) => {
    let done = false;
    worker.addEventListener('message', (e: MessageEvent<DataReply>) => {
      if (!done) done = settle(e.data, opts, resolve, reject);
    });
    // The script did not load or threw before answering: load here instead.
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      worker.terminate();
      if (!done) {
        done = true;
        loadMnist(opts).then(resolve, reject);
      }
    });
    worker.postMessage({ baseUrl } satisfies DataRequest);
  });
}
