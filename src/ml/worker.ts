/**
 * The training worker's entry: routes protocol.ts requests. TF.js (session.ts and everything under it) is imported
 * on the first request that needs it; MNIST downloads and inflates on a worker of its own (data-thread.ts), so this
 * thread can start TF.js meanwhile, then compile a first training step while the data is still on its way.
 * Only one training run at a time; pause/resume/stop and read-only requests are answered while it runs.
 */
import type { DistributiveOmit, WorkerRequest, WorkerResponse } from './protocol.ts';
import { clearMnistCache, DataFetchError, type MnistData } from './data.ts';
import { acceptDataPort, dataPortFailed, loadMnistOffThread } from './data-thread.ts';
import type { DataPortNote } from './data-worker.ts';
import { IdxError } from './idx.ts';
import { ConfigError } from './config.ts';
import { MlError } from './errors.ts';
import type { Session } from './session.ts';

type Reply = DistributiveOmit<WorkerResponse, 'replyTo'>;

let session: Promise<Session> | null = null;
let data: MnistData | null = null;
let dataLoading: Promise<{ data: MnistData; fromCache: boolean }> | null = null;
/** Requests waiting for the load in progress: each sees its progress (the lab may warm it up before Train asks). */
const dataWaiters = new Set<number>();
let training = false;

function getSession(): Promise<Session> {
  session ??= import('./session.ts').then((m) => new m.Session());
  return session;
}

function post(replyTo: number, msg: Reply, transfer: Transferable[] = []): void {
  self.postMessage({ ...msg, replyTo } as WorkerResponse, { transfer });
}

function requireData(): MnistData {
  if (!data) throw new MlError('no-data', 'Load the MNIST data first.');
  return data;
}

/** Maps any failure to a protocol error with a readable message. */
function toError(err: unknown): Extract<Reply, { type: 'error' }> {
  if (err instanceof ConfigError) return { type: 'error', code: 'bad-config', message: err.message, field: err.field };
  if (err instanceof DataFetchError) return { type: 'error', code: 'data-fetch', message: err.message };
  if (err instanceof IdxError) return { type: 'error', code: 'data-corrupt', message: err.message };
  if (err instanceof RangeError) return { type: 'error', code: 'bad-config', message: err.message };
  if (err instanceof MlError) return { type: 'error', code: err.code, message: err.message };
  return { type: 'error', code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

async function loadData(id: number, baseUrl?: string): Promise<void> {
  const t0 = performance.now();
  dataWaiters.add(id);
  dataLoading ??= loadMnistOffThread({
    ...(baseUrl === undefined ? {} : { baseUrl }),
    onProgress: (loaded, total) => {
      for (const w of dataWaiters) post(w, { type: 'data-progress', loaded, total });
    },
  });
  let fromCache: boolean;
  try {
    ({ data, fromCache } = await dataLoading);
  } catch (err) {
    dataLoading = null;
    // Bad bytes may be in the cache: drop them so a retry downloads afresh.
    if (err instanceof IdxError) await clearMnistCache().catch(() => undefined);
    throw err;
  } finally {
    dataWaiters.delete(id);
  }
  // Training is near: start the helper workers now (see Session.startHelpers).
  void session?.then((s) => s.startHelpersWhenReady());
  post(id, {
    type: 'data-ready',
    train: data.train.count,
    test: data.test.count,
    fromCache,
    seconds: (performance.now() - t0) / 1000,
  });
}

async function handle(req: WorkerRequest): Promise<void> {
  const { id } = req;
  const idle = () => {
    if (training) throw new MlError('busy', 'A training run is in progress: stop it first.');
  };
  switch (req.type) {
    case 'init': {
      const s = await getSession();
      if (req.workers !== undefined) s.workersWanted = req.workers;
      if (req.threads !== undefined) s.setThreads(req.threads);
      await s.init(req.backend);
      post(id, { type: 'ready', ...s.backendInfo() });
      // The data is still on its way (it loads on its own thread): use the idle moment to compile the first step.
      if (dataLoading && !data)
        setTimeout(() => {
          if (!training) s.warmUp();
        }, 0);
      return;
    }
    case 'set-backend':
      idle();
      return post(id, { type: 'backend', ...(await (await getSession()).setBackend(req.backend)) });
    case 'load-data':
      return loadData(id, req.baseUrl);
    case 'build':
      idle();
      return post(id, { type: 'model', ...(await (await getSession()).build(req.preset, req.seed, req.dropout ?? 0)) });
    case 'train': {
      idle();
      const d = requireData();
      training = true;
      try {
        const s = await getSession();
        const end = await s.train(req.config, d, (event) => post(id, event), req.resume === true);
        return post(id, { type: 'train-end', ...end });
      } finally {
        training = false;
      }
    }
    case 'pause':
    case 'resume':
    case 'stop': {
      const run = session ? (await session).run : null;
      if (run) run[req.type]();
      return post(id, { type: 'ok' });
    }
    case 'evaluate':
      return post(id, {
        type: 'evaluation',
        evaluation: await (await getSession()).evaluate(requireData(), req.maxMisclassified),
      });
    case 'predict':
      return post(id, { type: 'prediction', probs: await (await getSession()).predict(req.source, data) });
    case 'inspect': {
      const r = await (await getSession()).inspect(req.source, data);
      return post(id, { type: 'activations', ...r });
    }
    case 'kernels':
      return post(id, { type: 'kernels', ...(await (await getSession()).kernels()) });
    case 'test-images': {
      const d = requireData();
      const bad = req.indices.find((i) => !Number.isInteger(i) || i < 0 || i >= d.test.count);
      if (bad !== undefined) throw new RangeError(`Test digit ${bad} does not exist; choose 0 to ${d.test.count - 1}.`);
      const images = req.indices.map((i) => d.test.pixels.slice(i * 784, (i + 1) * 784));
      const labels = req.indices.map((i) => d.test.labels[i]!);
      return post(
        id,
        { type: 'test-images', images, labels },
        images.map((im) => im.buffer),
      );
    }
    case 'save':
      idle();
      return post(id, { type: 'saved', ...(await (await getSession()).save()) });
    case 'load':
      idle();
      return post(id, { type: 'loaded', ...(await (await getSession()).load('browser')) });
    case 'import':
      idle();
      return post(id, { type: 'loaded', ...(await (await getSession()).load(req.files)) });
    case 'reset-storage':
      await (await getSession()).reset();
      return post(id, { type: 'ok' });
    case 'export': {
      const files = await (await getSession()).exportFiles();
      return post(
        id,
        { type: 'exported', files },
        files.map((f) => f.data),
      );
    }
  }
}

self.addEventListener('message', (e: MessageEvent<WorkerRequest | DataPortNote>) => {
  const msg = e.data;
  if (msg.type === 'data-port') return e.ports[0] && acceptDataPort(e.ports[0]);
  if (msg.type === 'data-port-failed') return dataPortFailed();
  handle(msg).catch((err: unknown) => post(msg.id, toError(err)));
});
