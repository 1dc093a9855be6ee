import type { TrainerClient } from '../../src/ml/client.ts';
import type { BackendName, BackendStatus } from '../../src/ml/index.ts';
import { messageOf } from './context.ts';
import { count, megabytes, seconds } from './lab-format.ts';

/** What the link needs from the lab: its parts, the chosen backend, and where to report the active one. */
export interface WorkerLinkHost {
  byId<T extends HTMLElement = HTMLElement>(suffix: string): T;
  readonly state: { readonly backend: BackendName | 'auto' };
  set(patch: { activeBackend: BackendName; backends: BackendStatus[] }): void;
}

/**
 * The page's link to the training worker: starts it on first use (the client module and the worker, hence TF.js,
 * load only then), initialises the backend, and loads MNIST once with the download progress bar. A failed start or
 * download can be retried.
 */
export class WorkerLink {
  private readonly host: WorkerLinkHost;
  private trainer: Promise<TrainerClient> | null = null;
  private data: Promise<void> | null = null;

  constructor(host: WorkerLinkHost) {
    this.host = host;
  }

  get started(): boolean {
    return this.trainer !== null;
  }

  client(): Promise<TrainerClient> {
    this.trainer ??= (async () => {
      this.host.byId('backend-line').textContent = 'Engine: starting TensorFlow.js in a background worker…';
      const { createTrainer } = await import('../../src/ml/client.ts');
      const client = createTrainer();
      try {
        const ready = await client.request({ type: 'init', backend: this.host.state.backend });
        this.host.set({ activeBackend: ready.backend, backends: ready.backends });
        return client;
      } catch (err) {
        client.terminate();
        throw err;
      }
    })();
    this.trainer.catch(() => {
      this.trainer = null;
      this.host.byId('backend-line').textContent = 'Engine: could not start. Press Train to try again.';
    });
    return this.trainer;
  }

  ensureData(): Promise<void> {
    this.data ??= (async () => {
      const client = await this.client();
      const bar = this.host.byId<HTMLProgressElement>('data-progress');
      const text = this.host.byId('data-text');
      text.textContent = 'Downloading MNIST…';
      const r = await client.request({ type: 'load-data' }, (ev) => {
        if (ev.type !== 'data-progress' || ev.total <= 0) return;
        bar.value = Math.min(1, ev.loaded / ev.total);
        text.textContent = `Downloading MNIST: ${megabytes(ev.loaded)} of ${megabytes(ev.total)}.`;
      });
      bar.value = 1;
      text.textContent =
        `MNIST ready: ${count(r.train)} training and ${count(r.test)} test digits, ` +
        `${r.fromCache ? 'read from your browser cache' : 'downloaded'} in ${seconds(r.seconds)}.`;
    })();
    this.data.catch((err: unknown) => {
      this.data = null;
      this.host.byId('data-text').textContent = `MNIST could not be loaded: ${messageOf(err)}`;
    });
    return this.data;
  }

  terminate(): void {
    void this.trainer?.then((c) => c.terminate()).catch(() => undefined);
  }
}
