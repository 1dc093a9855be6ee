import type { TrainerClient } from '../../src/ml/client.ts';
import { mnistIsCached, type BackendName, type BackendStatus } from '../../src/ml/index.ts';
import { messageOf } from './context.ts';
import { count, megabytes, seconds } from './lab-format.ts';

/** What the link needs from the lab: the chosen backend, and where to report the active one and the download. */
export interface WorkerLinkHost {
  readonly state: { readonly backend: BackendName | 'auto' };
  set(patch: { activeBackend: BackendName; backends: BackendStatus[]; workers: { used: number; cores: number } }): void;
  say(line: 'backend-line' | 'data-text', text: string): void;
  setProgress(bar: 'data', value: number): void;
}

/**
 * The page's link to the training worker: starts it on first use (the client module and the worker, hence TF.js,
 * load only then), initialises the backend, and loads MNIST once with the download progress bar. A failed start or
 * download can be retried.
 */
export class WorkerLink {
  private readonly host: WorkerLinkHost;
  private trainer: Promise<TrainerClient> | null = null;
  private worker: Promise<TrainerClient> | null = null;
  private data: Promise<void> | null = null;

  constructor(host: WorkerLinkHost) {
    this.host = host;
  }

  get started(): boolean {
    return this.trainer !== null;
  }

  /** The worker, created once (the client module loads only now); it answers `load-data` before `init`. */
  private spawn(): Promise<TrainerClient> {
    this.worker ??= import('../../src/ml/client.ts').then(({ createTrainer }) => createTrainer());
    return this.worker;
  }

  client(): Promise<TrainerClient> {
    this.trainer ??= (async () => {
      this.host.say('backend-line', 'Engine: starting TensorFlow.js in a background worker…');
      const client = await this.spawn();
      try {
        const ready = await client.request({ type: 'init', backend: this.host.state.backend });
        this.host.set({
          activeBackend: ready.backend,
          backends: ready.backends,
          workers: { used: ready.workers, cores: ready.cores },
        });
        return client;
      } catch (err) {
        // A retry starts a fresh worker (a download in flight fails with this one, and is retried with it).
        this.worker = null;
        client.terminate();
        throw err;
      }
    })();
    this.trainer.catch(() => {
      this.trainer = null;
      this.host.say('backend-line', 'Engine: could not start. Press Train to try again.');
    });
    return this.trainer;
  }

  /** Loads MNIST once, with the progress bar. It does not wait for the engine: the two load side by side. */
  ensureData(): Promise<void> {
    const worker = this.spawn();
    this.data ??= (async () => {
      const client = await worker;
      this.host.say('data-text', 'Downloading MNIST…');
      const r = await client.request({ type: 'load-data' }, (ev) => {
        if (ev.type !== 'data-progress' || ev.total <= 0) return;
        this.host.setProgress('data', ev.loaded / ev.total);
        this.host.say('data-text', `Downloading MNIST: ${megabytes(ev.loaded)} of ${megabytes(ev.total)}.`);
      });
      this.host.setProgress('data', 1);
      this.host.say(
        'data-text',
        `MNIST ready: ${count(r.train)} training and ${count(r.test)} test digits, ` +
          `${r.fromCache ? 'read from your browser cache' : 'downloaded'} in ${seconds(r.seconds)}.`,
      );
    })();
    this.data.catch((err: unknown) => {
      this.data = null;
      // The engine failed to start and its worker was closed, download and all: say so, not "worker closed".
      const why = this.worker === worker ? messageOf(err) : 'the engine did not start. Press Train to try again.';
      this.host.say('data-text', `MNIST could not be loaded: ${why}`);
    });
    return this.data;
  }

  /**
   * Starts the engine (TF.js and the wasm compile, in the worker) and the MNIST load before the reader presses Train,
   * side by side, so that the first batch follows the click instead of seconds of start-up. MNIST from the browser's
   * cache loads quietly; a download shows its progress as usual, and waits for Train on a connection that asked to
   * save data. Failures stay quiet here: Train retries and says why.
   */
  warm(): void {
    if (this.trainer) return;
    const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData;
    void this.client().catch(() => undefined);
    void (async () => {
      if (await mnistIsCached()) await (await this.spawn()).request({ type: 'load-data' });
      else if (!saveData) await this.ensureData();
    })().catch(() => undefined);
  }

  terminate(): void {
    void this.worker?.then((c) => c.terminate()).catch(() => undefined);
  }
}
