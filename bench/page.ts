/**
 * Runs on src/pages/bench.astro, driven by scripts/bench.mjs through the URL: one training run in the real worker,
 * measured the way a reader experiences it (page load -> worker -> TF.js -> data -> first batch).
 * Query: backend (auto|webgpu|webgl|wasm|cpu), epochs (0 = throughput only), batch, lr, window (s), reps, seed,
 * workers (workers to train on; default the lab's choice for this device), threads (wasm threads in the training worker;
 * they take effect only on a cross-origin isolated page).
 * Publishes the result as JSON in #bench-result and on window.__benchResult, then logs BENCH_DONE.
 */
import { createTrainer } from '../src/ml/client.ts';
import { DEFAULT_TRAIN_CONFIG } from '../src/ml/config.ts';
import type { BackendName, StepTimes, TrainConfig, WorkerResponse } from '../src/ml/protocol.ts';
import { smoke } from './smoke.ts';
import { BENCH_DONE } from './done.ts';
import { median } from './stats.mjs';

export interface BenchResult {
  backend: BackendName | null;
  backends: unknown;
  isolated: boolean;
  config: TrainConfig;
  /** ms from navigation start to: worker ready, data ready, first finished batch. */
  msToReady: number;
  msToData: number;
  msToFirstBatch: number | null;
  dataFromCache: boolean;
  /** Workers the run trained on (data-parallel on wasm) and the device's cores. */
  workers: number;
  cores: number;
  /** Threads the training worker's backend computes on (more than 1 only for threaded wasm). */
  threads: number;
  /**
   * In a data-parallel run, the share of the throughput windows' steps whose shards helpers computed: the coordinator
   * computes them all itself while that is faster (pool.ts OffloadPolicy). Null on one worker.
   */
  helperShare: number | null;
  /**
   * In a data-parallel run, where the throughput windows' steps spent their time (pool.ts StepTimes, summed over the
   * windows' steps): what limits the scaling. Null on one worker.
   */
  stepTimes: StepTimes | null;
  /** Each helper worker lost during the run (a data-parallel run goes on without it, slower): which one and why. */
  helpersLost: string[];
  /** ms from the `train` request (engine started, data loaded: a reader's click on a warmed-up lab) to its first batch. */
  msTrainToFirstBatch: number | null;
  /** ms from navigation start, and from the `train` request, to the first epoch with >= 99 % test accuracy. */
  msTo99: number | null;
  msTrainTo99: number | null;
  imagesPerSec: { median: number; min: number; max: number; windows: number[] } | null;
  epochs: { epoch: number; testAccuracy?: number; seconds: number; loss: number }[];
  error?: string;
}

async function run(): Promise<BenchResult> {
  const q = new URLSearchParams(location.search);
  const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);
  const epochs = num('epochs', 0);
  const windowSec = num('window', 10);
  const reps = num('reps', 3);
  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    batchSize: num('batch', DEFAULT_TRAIN_CONFIG.batchSize),
    learningRate: num('lr', DEFAULT_TRAIN_CONFIG.learningRate),
    seed: num('seed', DEFAULT_TRAIN_CONFIG.seed),
    // Throughput-only runs stop after their windows; `epochs` only bounds them, and must leave room for them all.
    epochs: epochs > 0 ? epochs : 20,
    evaluateEachEpoch: epochs > 0,
  };
  const result: BenchResult = {
    backend: null,
    backends: null,
    isolated: self.crossOriginIsolated,
    config,
    msToReady: 0,
    msToData: 0,
    msToFirstBatch: null,
    msTrainToFirstBatch: null,
    dataFromCache: false,
    workers: 0,
    cores: 0,
    threads: 0,
    helpersLost: [],
    helperShare: null,
    stepTimes: null,
    msTo99: null,
    msTrainTo99: null,
    imagesPerSec: null,
    epochs: [],
  };
  const client = createTrainer();
  // TF.js start-up and the MNIST download overlap, as they should in the lab.
  const backend = (q.get('backend') ?? 'auto') as BackendName | 'auto';
  const [ready, d] = await Promise.all([
    client
      .request({
        type: 'init',
        backend,
        ...(q.has('workers') ? { workers: num('workers', 1) } : {}),
        ...(q.has('threads') ? { threads: num('threads', 1) } : {}),
      })
      .then((r) => ((result.msToReady = performance.now()), r)),
    client.request({ type: 'load-data' }).then((r) => ((result.msToData = performance.now()), r)),
  ]);
  result.backend = ready.backend;
  result.backends = ready.backends;
  result.workers = ready.workers;
  result.cores = ready.cores;
  result.threads = ready.threads;
  result.dataFromCache = d.fromCache;
  // A named backend that is missing here fell through to another one: report that instead of timing the other.
  if (backend !== 'auto' && ready.backend !== backend) {
    client.terminate();
    return result;
  }

  // Throughput windows: consecutive batch events after a warm-up of 2 s, each >= windowSec long. A run that also
  // measures accuracy tests the model after each epoch, so its windows stay within one epoch; a throughput-only run
  // does not, and its windows run on across epochs (at 5,700 images/s an epoch of 60,000 lasts 10.5 s, too short
  // for a warm-up and a 10 s window).
  const windows: number[] = [];
  let start: { ms: number; images: number; epoch: number } | null = null;
  // Steps and helper steps where the windows begin and end, for the helpers' share.
  type Mark = { step: number; helperSteps: number; times?: StepTimes | undefined };
  const span: { from?: Mark; to?: Mark } = {};
  const onEvent = (ev: WorkerResponse) => {
    if (ev.type === 'helper-lost') result.helpersLost.push(`helper ${ev.index}: ${ev.reason}`);
    if (ev.type === 'epoch') {
      result.epochs.push({
        epoch: ev.record.epoch,
        seconds: ev.record.seconds,
        loss: ev.record.loss,
        ...(ev.record.testAccuracy === undefined ? {} : { testAccuracy: ev.record.testAccuracy }),
      });
      if (epochs > 0) start = null;
      if ((ev.record.testAccuracy ?? 0) >= 0.99 && result.msTo99 === null) {
        result.msTo99 = performance.now();
        result.msTrainTo99 = performance.now() - trainAt;
      }
    }
    if (ev.type !== 'batch') return;
    if (result.msToFirstBatch === null) {
      result.msToFirstBatch = performance.now();
      result.msTrainToFirstBatch = result.msToFirstBatch - trainAt;
    }
    if (ev.elapsedMs < 2000) return;
    if (!start || (epochs > 0 && start.epoch !== ev.point.epoch)) {
      start = { ms: ev.elapsedMs, images: ev.imagesSeen, epoch: ev.point.epoch };
      span.from ??= { step: ev.point.step, helperSteps: ev.helperSteps, times: ev.stepTimes };
      return;
    }
    const dt = (ev.elapsedMs - start.ms) / 1000;
    if (dt >= windowSec) {
      windows.push((ev.imagesSeen - start.images) / dt);
      span.to = { step: ev.point.step, helperSteps: ev.helperSteps, times: ev.stepTimes };
      start = { ms: ev.elapsedMs, images: ev.imagesSeen, epoch: ev.point.epoch };
      if (epochs === 0 && windows.length >= reps) void client.request({ type: 'stop' });
    }
  };
  const trainAt = performance.now();
  await client.request({ type: 'train', config }, onEvent);
  if (result.workers > 1 && span.from && span.to && span.to.step > span.from.step) {
    result.helperShare = (span.to.helperSteps - span.from.helperSteps) / (span.to.step - span.from.step);
    const [a, b] = [span.from.times, span.to.times];
    if (a && b) result.stepTimes = subtractTimes(b, a);
  }
  if (windows.length) {
    result.imagesPerSec = { median: median(windows), min: Math.min(...windows), max: Math.max(...windows), windows };
  }
  client.terminate();
  return result;
}

/** The sums of `later` minus those of `earlier`: the steps between two batch events. */
function subtractTimes(later: StepTimes, earlier: StepTimes): StepTimes {
  const out = { ...later };
  for (const k of Object.keys(out) as (keyof StepTimes)[]) out[k] = later[k] - earlier[k];
  return out;
}

function publish(r: unknown): void {
  (window as unknown as { __benchResult: unknown }).__benchResult = r;
  const out = document.getElementById('bench-result');
  if (out) out.textContent = JSON.stringify(r, null, 2);
  // scripts/bench.mjs waits for this line: polling the page would inject Playwright's script into the very seconds
  // the run measures (about 130 ms of the main thread, on a 2-core machine).
  console.log(BENCH_DONE);
}

/** Starts the run (called by the page script). */
export function startBench(): void {
  const q = new URLSearchParams(location.search);
  // `mode=idle` shows the page without training, for the accessibility sweep of every built page.
  if (q.get('mode') === 'idle') {
    publish({ idle: true });
    return;
  }
  const job = q.get('mode') === 'smoke' ? smoke((q.get('backend') ?? 'auto') as BackendName | 'auto') : run();
  job.then(publish, (err: unknown) => publish({ error: err instanceof Error ? err.message : String(err) }));
}
