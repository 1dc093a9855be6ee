/**
 * Page-side handle on the training worker: typed requests that resolve with their final reply, plus a callback for
 * the events streamed meanwhile (batch, epoch, data-progress, backend-switch). Creating the worker is the only thing
 * that loads TensorFlow.js, and that happens inside the worker; this module itself pulls in no TF.js.
 */
import type {
  DistributiveOmit,
  ErrorCode,
  ReplyOf,
  ScratchConfig,
  ScratchRequest,
  ScratchResponse,
  WorkerRequest,
  WorkerResponse,
} from './protocol.ts';
import type { DataPortNote } from './data-worker.ts';

/** A request without its id (the client numbers requests). */
export type RequestBody = DistributiveOmit<WorkerRequest, 'id'>;
type RequestType = WorkerRequest['type'];
/** The final reply to a request of type `T`. */
export type ReplyFor<T extends RequestType> = Extract<WorkerResponse, { type: ReplyOf[T] }>;

/** A worker `error` reply, as a rejection. `message` is written for the reader. */
export class TrainerError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'TrainerError';
    this.code = code;
    this.field = field;
  }
}

interface Pending {
  expect: string;
  resolve: (r: WorkerResponse) => void;
  reject: (e: TrainerError) => void;
  onEvent: ((r: WorkerResponse) => void) | undefined;
}

export class TrainerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private readonly worker: Worker;
  /** MNIST's worker, started beside this one (createTrainer); it goes when this one does. */
  private readonly dataWorker: Worker | null;

  constructor(worker: Worker, dataWorker: Worker | null = null) {
    this.worker = worker;
    this.dataWorker = dataWorker;
    worker.addEventListener('message', (e: MessageEvent<WorkerResponse>) => this.receive(e.data));
    worker.addEventListener('error', (e: ErrorEvent) => {
      this.failAll(new TrainerError('internal', `The training worker stopped: ${e.message || 'unknown error'}.`));
    });
  }

  /**
   * Sends one request. Resolves with its final reply, rejects with a TrainerError; `onEvent` sees the streamed events.
   * @example const r = await client.request({ type: 'build', preset: 'lenet5', seed: 1 }); r.summary
   */
  request<T extends RequestType>(
    body: Extract<RequestBody, { type: T }>,
    onEvent?: (event: WorkerResponse) => void,
    transfer: Transferable[] = [],
  ): Promise<ReplyFor<T>> {
    const id = this.nextId++;
    const expect = REPLIES[body.type];
    return new Promise<ReplyFor<T>>((resolve, reject) => {
      this.pending.set(id, { expect, resolve: resolve as (r: WorkerResponse) => void, reject, onEvent });
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  /** Stops the worker; pending requests reject. */
  terminate(): void {
    this.worker.terminate();
    this.dataWorker?.terminate();
    this.failAll(new TrainerError('internal', 'The training worker was closed.'));
  }

  private receive(msg: WorkerResponse): void {
    const p = this.pending.get(msg.replyTo);
    if (!p) return;
    if (msg.type === 'error') {
      this.pending.delete(msg.replyTo);
      p.reject(new TrainerError(msg.code, msg.message, msg.field));
    } else if (msg.type === p.expect) {
      this.pending.delete(msg.replyTo);
      p.resolve(msg);
    } else {
      p.onEvent?.(msg);
    }
  }

  private failAll(err: TrainerError): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

const REPLIES: { [K in RequestType]: ReplyOf[K] } = {
  init: 'ready',
  'set-backend': 'backend',
  'load-data': 'data-ready',
  build: 'model',
  train: 'train-end',
  pause: 'ok',
  resume: 'ok',
  stop: 'ok',
  evaluate: 'evaluation',
  predict: 'prediction',
  inspect: 'activations',
  kernels: 'kernels',
  'test-images': 'test-images',
  save: 'saved',
  load: 'loaded',
  'reset-storage': 'ok',
  export: 'exported',
  import: 'loaded',
};

/** Starts the training worker (TF.js loads inside it, on first use). Call from an event handler, not at import. */
export function createTrainer(): TrainerClient {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'convnotebook-trainer' });
  return new TrainerClient(worker, startDataWorker(worker));
}

/**
 * Starts MNIST's worker (data-worker.ts) now, beside the training worker, and gives the training worker a port to it:
 * started from inside the training worker it came up 60-85 ms later, on the data's critical path. If it fails to
 * start, the training worker is told and starts one itself (data-thread.ts).
 */
function startDataWorker(trainer: Worker): Worker | null {
  let data: Worker;
  try {
    data = new Worker(new URL('./data-worker.ts', import.meta.url), { type: 'module', name: 'convnotebook-data' });
  } catch {
    return null;
  }
  const { port1, port2 } = new MessageChannel();
  data.postMessage({ type: 'data-port' } satisfies DataPortNote, [port1]);
  trainer.postMessage({ type: 'data-port' } satisfies DataPortNote, [port2]);
  data.addEventListener('error', (e) => {
    e.preventDefault();
    trainer.postMessage({ type: 'data-port-failed' } satisfies DataPortNote);
  });
  return data;
}

/** Handle on the from-scratch worker, where the course's own engine (src/lib) trains LeNet-5. */
export interface ScratchClient {
  /** Trains; `onEvent` sees batch/epoch events; resolves with the final test accuracy on `testSubset` images. */
  train(
    config: ScratchConfig,
    onEvent?: (e: ScratchResponse) => void,
  ): Promise<{ reason: string; testAccuracy: number }>;
  stop(): void;
  terminate(): void;
}

/** Starts the from-scratch worker. It loads no TF.js; it shares the MNIST cache with the TF.js worker. */
export function createScratchTrainer(): ScratchClient {
  const worker = new Worker(new URL('./scratch-worker.ts', import.meta.url), {
    type: 'module',
    name: 'convnotebook-scratch',
  });
  let nextId = 1;
  // A worker whose script fails to load or throws sends no reply, only an `error` event: without this, a run would
  // wait for ever (and the lab's "Train both" with it). A failed load gives a plain Event with no message.
  const pending = new Set<(err: Error) => void>();
  worker.addEventListener('error', (e: Event) => {
    const why = e instanceof ErrorEvent && e.message ? e.message : 'its script could not be loaded or run';
    for (const fail of pending) fail(new TrainerError('internal', `The engine's worker stopped: ${why}.`));
    pending.clear();
  });
  return {
    train(config, onEvent) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const fail = (err: Error) => {
          worker.removeEventListener('message', listen);
          reject(err);
        };
        const listen = (e: MessageEvent<ScratchResponse>) => {
          const msg = e.data;
          if (msg.replyTo !== id) return;
          if (msg.type === 'scratch-end' || msg.type === 'error') {
            worker.removeEventListener('message', listen);
            pending.delete(fail);
          }
          if (msg.type === 'scratch-end') resolve({ reason: msg.reason, testAccuracy: msg.testAccuracy });
          else if (msg.type === 'error') reject(new TrainerError(msg.code, msg.message));
          else onEvent?.(msg);
        };
        pending.add(fail);
        worker.addEventListener('message', listen);
        worker.postMessage({ id, type: 'scratch-train', config } satisfies ScratchRequest);
      });
    },
    stop() {
      worker.postMessage({ id: nextId++, type: 'stop' } satisfies ScratchRequest);
    },
    terminate() {
      worker.terminate();
    },
  };
}
