/**
 * The typed messages between the page and the training worker (src/ml/worker.ts), and between the page and the
 * from-scratch worker (src/ml/scratch-worker.ts). Types only: importing this file loads nothing at run time, so a
 * widget can depend on it without pulling TensorFlow.js into the page.
 *
 * Conversation shape:
 * - Every request carries an `id` chosen by the page (use {@link TrainerClient} in client.ts, which does it).
 * - Each request gets exactly one final answer whose `replyTo` equals that id: its own reply type
 *   (e.g. `ready` for `init`) or an `error`.
 * - A `train` request also streams events (`batch`, `epoch`, `backend-switch`, `helper-lost`) tagged with its `replyTo` while it
 *   runs, and ends with `train-end`. `load-data` streams `data-progress` before `data-ready`.
 * - Images travel as `Uint8Array` of 784 grey levels (0 = paper, 255 = ink, MNIST convention) or, for drawn digits,
 *   `Float32Array` of 784 values in [0, 1]; feature maps as `Float32Array` in HWC order.
 */

import type { SummaryRow } from '../lib/index.ts';
import type { PresetName } from './presets.ts';

/** `Omit` applied to each member of a union (plain `Omit` would merge the members into one object type). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** TF.js backends, in the order they are tried by `auto`. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** `sgd` is plain SGD; `momentum` is SGD with momentum 0.9; `adam` uses beta1 0.9, beta2 0.999. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';

/**
 * How the learning rate moves within a run (config.ts rateAt): 'exponential' multiplies it by `lrDecay` per epoch, a
 * little every batch; 'cosine-restarts' starts each epoch at `learningRate · lrDecay^epoch` and lowers it along half
 * a cosine to 0 by the epoch's end (SGDR's warm restarts, one epoch per cycle).
 */
export type ScheduleName = 'exponential' | 'cosine-restarts';

/** Everything that decides a training run. Serializable; `DEFAULT_TRAIN_CONFIG` in train.ts holds the defaults. */
export interface TrainConfig {
  preset: PresetName;
  optimizer: OptimizerName;
  /** Initial learning rate, > 0. */
  learningRate: number;
  /** Learning rate multiplied by this after each epoch (1 = constant), in (0, 1]. */
  lrDecay: number;
  /** The schedule within and across epochs; absent (a run saved before there was a choice): 'exponential'. */
  schedule?: ScheduleName;
  /** Images per batch, 1..1024. */
  batchSize: number;
  /** Whole passes over the training images, 1..100. */
  epochs: number;
  /** L2 penalty on kernels (not biases), >= 0. */
  l2: number;
  /** Dropout rate after each hidden dense layer, in [0, 0.9]. */
  dropout: number;
  /** Fraction of the used training images held out for validation, in [0, 0.5). */
  validationSplit: number;
  /** Stop when validation accuracy has not improved for this many epochs; 0 = never stop early. */
  patience: number;
  /** Random shifts up to `shift` pixels and rotations up to `rotate` degrees, per image; 0 turns each off. */
  augment: { shift: number; rotate: number };
  /** How many training images to use (the first N of a seeded shuffle), 1..60000. */
  trainSubset: number;
  /** Seeds weights, shuffles, validation split, dropout and augmentation. */
  seed: number;
  /** Evaluate on the full test set after each epoch (adds `testAccuracy` to `epoch` events). */
  evaluateEachEpoch: boolean;
  /** Send a `batch` event every this many batches (batching messages keeps the worker fast). */
  reportEvery: number;
  /**
   * Workers to split each batch across on wasm, 1 to MAX_WORKERS; absent: this device's default (pool.ts
   * workerCount, or the `init` request's `workers`). A GPU backend always trains in one worker.
   */
  workers?: number;
}

/** One epoch of history. Accuracies are fractions in [0, 1]; absent when not measured. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  testAccuracy?: number;
  /** The rate the epoch started at (config.ts rateAt at its first batch). */
  learningRate: number;
  seconds: number;
  backend: BackendName;
  /** Share of the epoch's batches trained (0..1) when a stop cut the epoch short; absent for a whole epoch. */
  partial?: number;
  /**
   * Shards each batch was split into (one per worker, pool.ts) when more than 1. The split changes a seeded run's
   * numbers in their last digits (float32 sums in another order), so it is part of what reproduces a run.
   */
  shards?: number;
}

/** A sample of the batch loss curve (mean over the batches since the previous point). */
export interface LossPoint {
  /** Batches done since the start of the run. */
  step: number;
  epoch: number;
  loss: number;
  accuracy: number;
}

/** What is saved beside the weights: enough to redraw the charts and continue training. */
export interface TrainHistory {
  config: TrainConfig;
  epochs: EpochRecord[];
  losses: LossPoint[];
  /** ISO date of the last change. */
  updatedAt: string;
}

/** After training or on request: results on the full 10,000 test images. */
export interface Evaluation {
  accuracy: number;
  /** confusion[true][predicted] counts, 10x10. */
  confusion: number[][];
  /** Accuracy of each true class 0..9. */
  perClass: number[];
  /** Up to `maxMisclassified` wrong test digits, most confident mistakes first. */
  misclassified: { index: number; label: number; predicted: number; confidence: number; pixels: Uint8Array }[];
}

/** Feature maps of every layer for one image. */
export interface LayerActivation {
  layer: string;
  /** [H, W, C] for spatial layers, [N] for dense ones. */
  shape: number[];
  data: Float32Array;
}

/** Where an input image comes from: a test digit by index, or a drawn one already preprocessed to 28x28. */
export type ImageSource = { testIndex: number } | { pixels: Float32Array };

/** Status of one backend after trying it. */
export interface BackendStatus {
  name: BackendName;
  ok: boolean;
  /** Why it is not available (e.g. "no WebGPU adapter"). */
  reason?: string;
}

/**
 * Where a data-parallel run's steps spend their time, summed over the steps so far (ms): what `npm run bench`
 * reports as what limits the scaling, measured in the run itself rather than in a probe build. Six clock readings
 * per step; nothing the step computes depends on them.
 */
export interface StepTimes {
  /** Steps whose shards helpers computed; the phases below are summed over them. */
  remoteSteps: number;
  /** Reading the weights and posting the jobs. */
  postMs: number;
  /** Computing this worker's own shard. */
  ownMs: number;
  /** Waiting, after that, for the helpers' answers. */
  waitMs: number;
  /** Averaging the shards' gradients and the optimizer's update. */
  applyMs: number;
  /** The helpers' own time per job, summed, and the jobs it covers. */
  helperMs: number;
  helperJobs: number;
  /** Steps that computed every shard here (OffloadPolicy), and their whole time. */
  localSteps: number;
  localMs: number;
}

/** Page -> training worker. */
export type WorkerRequest =
  | {
      id: number;
      type: 'init';
      /** `auto` tries webgpu, webgl, wasm, cpu in order. */ backend: BackendName | 'auto';
      /** Workers to train on, 1 to 4 (default: config.ts's workerCount for this device); 1 trains in this worker alone. */
      workers?: number;
      /**
       * Threads for TF.js's wasm backend in this worker (default 1). More take effect only on a cross-origin isolated
       * page; `npm run bench` measures them. Must come before the backend first starts.
       */
      threads?: number;
    }
  | { id: number; type: 'set-backend'; backend: BackendName }
  | {
      id: number;
      type: 'load-data';
      /** Base URL of the data folder, default `mnistFolder()` (under the site's base). */ baseUrl?: string;
    }
  | {
      id: number;
      type: 'build';
      preset: PresetName;
      seed: number;
      /** Dropout after each hidden dense layer (0 or absent: none), so the summary shows the layers that train. */
      dropout?: number;
    }
  | { id: number; type: 'train'; config: TrainConfig; /** Keep the current weights and history. */ resume?: boolean }
  | { id: number; type: 'pause' }
  | { id: number; type: 'resume' }
  | { id: number; type: 'stop' }
  | { id: number; type: 'evaluate'; maxMisclassified?: number }
  | { id: number; type: 'predict'; source: ImageSource }
  | { id: number; type: 'inspect'; source: ImageSource }
  | { id: number; type: 'kernels' }
  | { id: number; type: 'test-images'; indices: number[] }
  | { id: number; type: 'save' }
  | { id: number; type: 'load' }
  | { id: number; type: 'reset-storage' }
  | { id: number; type: 'export' }
  | { id: number; type: 'import'; files: ExportedFile[] };

/** A file of an exported model: `convnotebook-lenet.json`, `convnotebook-lenet.weights.bin`, `...history.json`. */
export interface ExportedFile {
  name: string;
  mime: string;
  data: ArrayBuffer;
}

/** Machine-readable error kinds; `message` is written for the reader. */
export type ErrorCode =
  | 'data-fetch'
  | 'data-corrupt'
  | 'backend'
  | 'no-model'
  | 'no-data'
  | 'busy'
  | 'bad-config'
  | 'storage-full'
  | 'storage-corrupt'
  | 'storage-empty'
  | 'import-invalid'
  | 'internal';

/** Training worker -> page. */
export type WorkerResponse =
  | {
      replyTo: number;
      type: 'ready';
      backend: BackendName;
      backends: BackendStatus[];
      /** Whether the page is cross-origin isolated (threaded wasm possible). */ isolated: boolean;
      /** Workers a run trains on (data-parallel on wasm, see pool.ts), and the device's logical cores. */
      workers: number;
      cores: number;
      /** Threads the backend computes on in the training worker (more than 1 only for threaded wasm). */
      threads: number;
    }
  | { replyTo: number; type: 'backend'; backend: BackendName; backends: BackendStatus[]; workers: number }
  | { replyTo: number; type: 'data-progress'; /** Bytes so far / expected. */ loaded: number; total: number }
  | { replyTo: number; type: 'data-ready'; train: number; test: number; fromCache: boolean; seconds: number }
  | {
      replyTo: number;
      type: 'model';
      preset: PresetName;
      /** Rows from the TF.js model itself, shapes [H, W, C]. */ summary: SummaryRow[];
      totalParams: number;
    }
  | {
      replyTo: number;
      type: 'batch';
      point: LossPoint;
      /** Images trained since the start of this run. */ imagesSeen: number;
      /** Images in the whole run (epochs x training images). */ imagesTotal: number;
      /** Recent training speed, images per second. */ imagesPerSec: number;
      /** Milliseconds since the `train` request arrived (excluding pauses). */ elapsedMs: number;
      /** Steps of this run so far whose shards helper workers computed (0 on one worker). */ helperSteps: number;
      /** Where the data-parallel steps so far spent their time (pool.ts); absent on one worker. */
      stepTimes?: StepTimes;
      /** Workers training now (this one and the helpers not lost; 1 on a GPU backend). */ workers: number;
    }
  | { replyTo: number; type: 'epoch'; record: EpochRecord }
  | { replyTo: number; type: 'backend-switch'; from: BackendName; to: BackendName; reason: string }
  | {
      replyTo: number;
      type: 'helper-lost';
      /** Which helper (1-based) failed, why, and how many workers train now. */ index: number;
      reason: string;
      workers: number;
    }
  | {
      replyTo: number;
      type: 'train-end';
      reason: 'completed' | 'stopped' | 'early-stopping';
      history: TrainHistory;
      /** Test-set results of the final weights. */ evaluation: Evaluation;
    }
  | { replyTo: number; type: 'ok' }
  | { replyTo: number; type: 'evaluation'; evaluation: Evaluation }
  | { replyTo: number; type: 'prediction'; probs: number[] }
  | { replyTo: number; type: 'activations'; input: Float32Array; layers: LayerActivation[]; probs: number[] }
  | {
      replyTo: number;
      type: 'kernels';
      /** [kh, kw, inChannels, filters] as in TF.js. */ shape: number[];
      data: Float32Array;
    }
  | { replyTo: number; type: 'test-images'; images: Uint8Array[]; labels: number[] }
  | { replyTo: number; type: 'saved'; savedAt: string }
  | { replyTo: number; type: 'loaded'; preset: PresetName; summary: SummaryRow[]; history: TrainHistory | null }
  | { replyTo: number; type: 'exported'; files: ExportedFile[] }
  | { replyTo: number; type: 'error'; code: ErrorCode; message: string; /** Config field at fault. */ field?: string };

/** Settings of the from-scratch run (src/lib engine), kept small because float64 JS is slow. */
export interface ScratchConfig {
  /** Training images (the first N of the same seeded order TF.js uses). */
  trainSubset: number;
  testSubset: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

/** Page -> scratch worker. */
export type ScratchRequest =
  { id: number; type: 'scratch-train'; config: ScratchConfig; baseUrl?: string } | { id: number; type: 'stop' };

/** Scratch worker -> page. Same event shapes as the TF.js worker so both curves plot alike. */
export type ScratchResponse =
  | { replyTo: number; type: 'batch'; point: LossPoint; imagesSeen: number; imagesTotal: number; imagesPerSec: number }
  | { replyTo: number; type: 'epoch'; record: Omit<EpochRecord, 'backend'> & { backend: 'scratch' } }
  | { replyTo: number; type: 'scratch-end'; reason: 'completed' | 'stopped'; testAccuracy: number }
  | { replyTo: number; type: 'ok' }
  | { replyTo: number; type: 'error'; code: ErrorCode; message: string };

/** The reply type a request ends with (besides `error`). */
export interface ReplyOf {
  init: 'ready';
  'set-backend': 'backend';
  'load-data': 'data-ready';
  build: 'model';
  train: 'train-end';
  pause: 'ok';
  resume: 'ok';
  stop: 'ok';
  evaluate: 'evaluation';
  predict: 'prediction';
  inspect: 'activations';
  kernels: 'kernels';
  'test-images': 'test-images';
  save: 'saved';
  load: 'loaded';
  'reset-storage': 'ok';
  export: 'exported';
  import: 'loaded';
}
