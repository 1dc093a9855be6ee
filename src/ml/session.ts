/**
 * Everything the worker does with TF.js, behind one object: the active backend, the current model and its history,
 * and the run in progress. worker.ts imports this module lazily, so data can download while TF.js loads.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  BackendName,
  BackendStatus,
  DistributiveOmit,
  TrainConfig,
  TrainHistory,
  WorkerResponse,
} from './protocol.ts';
import type { MnistData } from './data.ts';
import {
  activeBackend,
  backendThreads,
  chooseBackend,
  fallbacksAfter,
  setWasmThreads,
  trySetBackend,
} from './backends.ts';
import { summaryParams } from '../lib/index.ts';
import { buildModel, summarize, withLogits, type BuiltModel } from './model.ts';
import type { PresetName } from './presets.ts';
import { RunControl, train, warmUp } from './train.ts';
import { MAX_WORKERS, validateConfig, workerCount } from './config.ts';
import { activations, evaluate, inputPixels, kernels, predictOne } from './evaluate.ts';
import { exportFiles, importFiles, loadFromBrowser, resetBrowserStorage, saveToBrowser } from './model-store.ts';
import { MlError } from './errors.ts';
import type { Helper } from './pool.ts';
import { WorkerHelper } from './helper-client.ts';

/** Sends a streamed event; the worker adds the request id. */
type Emit = (msg: DistributiveOmit<WorkerResponse, 'replyTo'>) => void;
type Body<T extends WorkerResponse['type']> = Omit<Extract<WorkerResponse, { type: T }>, 'replyTo' | 'type'>;

export class Session {
  built: BuiltModel | null = null;
  history: TrainHistory | null = null;
  run: RunControl | null = null;
  /** Helper workers for data-parallel training on wasm (pool.ts), started with the wasm backend. */
  helpers: Helper[] = [];
  /** Workers to train on instead of the default for this device (the bench measures the scaling with it). */
  workersWanted: number | null = null;
  /** The last run's own choice of workers (TrainConfig.workers), which overrides both. */
  private runWorkers: number | null = null;
  private statuses: BackendStatus[] = [];
  private ready: Promise<BackendName> | null = null;
  /** The warm-up run in progress or done, and the backend it ran on. */
  private warming: { backend: BackendName; done: Promise<void> } | null = null;

  /** Starts the preferred backend (once; later calls return the same promise unless `force`). */
  init(preferred: BackendName | 'auto', force = false): Promise<BackendName> {
    if (!this.ready || force) {
      this.ready = chooseBackend(preferred).then((r) => {
        this.statuses = mergeStatuses(this.statuses, r.statuses);
        return r.backend;
      });
    }
    return this.ready;
  }

  /**
   * On wasm, the helper workers for the planned count: the run's own choice, else one per further core (up to
   * pool.ts's cap); a new count replaces them. Called once the data is in (worker.ts) and
   * when a run starts, not with the backend: on a 2-core machine helpers loading TF.js beside this worker's start-up
   * would delay the first batch, which needs no helper (a run uses each one once it is ready). A GPU backend trains
   * alone: CPU helpers would only slow it.
   */
  startHelpers(): void {
    if (activeBackend() !== 'wasm' || typeof Worker === 'undefined') return;
    const wanted = this.plannedWorkers() - 1;
    // The same count keeps the helpers, a lost one included: a run's shards, hence its numbers, stay the same.
    if (this.helpers.length === wanted) return;
    for (const h of this.helpers) h.terminate();
    this.helpers = Array.from({ length: wanted }, (_, i) => new WorkerHelper(i + 1));
  }

  /** startHelpers once the backend has started (if it is starting or has). */
  startHelpersWhenReady(): void {
    void this.ready?.then(
      () => this.startHelpers(),
      () => undefined,
    );
  }

  private plannedWorkers(): number {
    const wanted = this.runWorkers ?? this.workersWanted ?? workerCount(self.navigator?.hardwareConcurrency);
    return Math.max(1, Math.min(MAX_WORKERS, wanted));
  }

  /** Workers a run trains on: this one plus the helpers not lost, when on wasm. */
  workers(): number {
    if (activeBackend() !== 'wasm') return 1;
    return this.plannedWorkers() - this.helpers.filter((h) => h.dead !== null).length;
  }

  /** Threads for the wasm backend (backends.ts setWasmThreads); they apply when it first starts. */
  setThreads(n: number): void {
    setWasmThreads(n);
  }

  backendInfo(): Body<'ready'> {
    return {
      backend: activeBackend(),
      backends: this.statuses,
      isolated: self.crossOriginIsolated === true,
      workers: this.workers(),
      cores: self.navigator?.hardwareConcurrency ?? 1,
      threads: backendThreads(),
    };
  }

  /**
   * Runs the training loop once on a blank batch (train.ts warmUp), once per backend, so that a run's first batch need
   * not compile TF.js's code, the backend's kernels and the loop's. The worker calls it while the data downloads,
   * when this thread is idle; a run waits for it to finish (it is short) rather than interleave with it.
   */
  warmUp(): void {
    const backend = activeBackend();
    if (this.run || this.warming?.backend === backend) return;
    // A backend that fails here fails again at Train, where the reader sees why and the run falls back.
    this.warming = { backend, done: warmUp().catch(() => undefined) };
  }

  /** Switches backend keeping the weights (copied off the device and into a rebuilt model). */
  async setBackend(name: BackendName): Promise<Body<'backend'>> {
    await this.init('auto');
    const weights = this.built?.model.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync().slice() }));
    const status = await trySetBackend(name);
    this.statuses = mergeStatuses(this.statuses, [status]);
    if (!status.ok) throw new MlError('backend', `The ${name} backend is not available: ${status.reason}.`);
    if (this.built && weights) {
      const old = this.built;
      this.built = buildModel(old.preset, { seed: 0 });
      const ts = weights.map((w) => tf.tensor(w.data, w.shape));
      this.built.model.setWeights(ts);
      tf.dispose(ts);
      disposeQuietly(old);
    }
    return { backend: name, backends: this.statuses, workers: this.workers() };
  }

  async build(preset: PresetName, seed: number, dropout = 0): Promise<Body<'model'>> {
    await this.init('auto');
    if (this.built) disposeQuietly(this.built);
    this.built = buildModel(preset, { seed, dropout });
    this.history = null;
    return this.describe();
  }

  describe(): Body<'model'> {
    const built = this.requireModel();
    const summary = summarize(built.model);
    return { preset: built.preset, summary, totalParams: summaryParams(summary) };
  }

  /** Trains; `emit` receives batch/epoch/backend-switch events. Rebuilds the model unless `resume`. */
  async train(config: TrainConfig, data: MnistData, emit: Emit, resume: boolean): Promise<Body<'train-end'>> {
    // Validate before touching the model: a bad field must not throw away the reader's trained weights.
    validateConfig(config);
    await this.init('auto');
    const keep = resume && this.built?.preset === config.preset && this.history !== null;
    await this.warming?.done;
    if (!keep) await this.build(config.preset, config.seed, config.dropout);
    this.runWorkers = config.workers ?? null;
    this.startHelpers();
    const control = (this.run = new RunControl());
    try {
      const result = await train(
        this.requireModel(),
        data,
        config,
        control,
        {
          onBatch: (e) => emit({ type: 'batch', ...e }),
          onEpoch: (record) => emit({ type: 'epoch', record }),
          onBackendFailure: async (failed, err) => {
            for (const next of fallbacksAfter(failed)) {
              const s = await trySetBackend(next, true);
              this.statuses = mergeStatuses(this.statuses, [s]);
              if (s.ok) {
                const reason = err instanceof Error ? err.message : String(err);
                emit({ type: 'backend-switch', from: failed, to: next, reason });
                return next;
              }
            }
            return null;
          },
          onHelperLost: (index, reason, workers) => emit({ type: 'helper-lost', index, reason, workers }),
        },
        keep ? this.history : null,
        this.helpers,
      );
      this.built = result.built;
      this.history = result.history;
      const evaluation = await evaluate(result.built.model, data.test);
      return { reason: result.reason, history: result.history, evaluation };
    } finally {
      this.run = null;
    }
  }

  evaluate(data: MnistData, maxMisclassified?: number) {
    return evaluate(this.requireModel().model, data.test, maxMisclassified);
  }

  async predict(source: { testIndex: number } | { pixels: Float32Array }, data: MnistData | null) {
    return predictOne(this.requireModel().model, inputPixels(source, testSet(data, source)));
  }

  async inspect(
    source: { testIndex: number } | { pixels: Float32Array },
    data: MnistData | null,
  ): Promise<Body<'activations'>> {
    const model = this.requireModel().model;
    const input = inputPixels(source, testSet(data, source));
    const layers = await activations(model, input);
    return { input, layers, probs: Array.from(layers.at(-1)?.data ?? []) };
  }

  async kernels(): Promise<Body<'kernels'>> {
    const k = await kernels(this.requireModel().model);
    if (!k) throw new MlError('no-model', 'This model has no convolution layer, so it has no kernels to show.');
    return k;
  }

  async save(): Promise<Body<'saved'>> {
    const b = this.requireModel();
    return { savedAt: await saveToBrowser(b.model, b.preset, this.history) };
  }

  async load(from: 'browser' | Parameters<typeof importFiles>[0]): Promise<Body<'loaded'>> {
    await this.init('auto');
    const r = from === 'browser' ? await loadFromBrowser() : await importFiles(from);
    if (this.built) disposeQuietly(this.built);
    this.built = withLogits(r.preset, r.model);
    this.history = r.history;
    return { preset: r.preset, summary: summarize(r.model), history: r.history };
  }

  reset(): Promise<void> {
    return resetBrowserStorage();
  }

  async exportFiles() {
    const b = this.requireModel();
    return exportFiles(b.model, b.preset, this.history);
  }

  private requireModel(): BuiltModel {
    if (!this.built) throw new MlError('no-model', 'There is no model yet: build or train one first.');
    return this.built;
  }
}

function testSet(data: MnistData | null, source: object) {
  if ('testIndex' in source && !data) throw new MlError('no-data', 'Load the MNIST data first.');
  // A drawn digit needs no data set; an empty stand-in satisfies the signature.
  return data?.test ?? { count: 0, rows: 28, cols: 28, pixels: new Uint8Array(0), labels: new Uint8Array(0) };
}

function mergeStatuses(old: BackendStatus[], fresh: BackendStatus[]): BackendStatus[] {
  const byName = new Map(old.map((s) => [s.name, s]));
  for (const s of fresh) byName.set(s.name, s);
  return [...byName.values()];
}

function disposeQuietly(b: BuiltModel): void {
  try {
    b.model.dispose();
  } catch {
    // A model on a lost WebGL context cannot always be disposed; its memory goes with the context.
  }
}
