/**
 * Default training settings and their validation. Pure (no TF.js), so the lab widget can import it on the page to
 * validate fields before posting them, and the worker validates again before training.
 */
import type { TrainConfig } from './protocol.ts';
import { isPreset } from './presets.ts';

/**
 * The most workers a data-parallel run trains on (pool.ts): LeNet's steps are too small to gain from more than 4
 * cores. Here rather than in pool.ts so that the bench reads it without loading TF.js.
 */
export const MAX_WORKERS = 4;

/**
 * How many workers train on this device by default: one per core but one, which stays for the page (and the
 * browser's own threads), up to MAX_WORKERS. Measured on a 2-core machine (`npm run bench`): two workers there ran
 * at 0.57-0.62x the images/s of one while each step allocated its buffers (five runs, 2026-12-06), and at 0.98x
 * since they are reused (pool.ts StepBuffers); 7 alternated pairs of runs later that day gave 0.77-1.17x (median 0.92x), and
 * 5 more with OffloadPolicy's medians 0.73-1.02x. Half a batch costs more than half a step (in Node: 3.6 ms for 16
 * images, 6.1 for 32: about 1.1 ms of every gradient does not shrink with the batch). The bench's step breakdown
 * (pool.ts StepTimes) shows the rest: with both cores computing, a shard of 16 took 4.3-6.0 ms here and 4.4-6.0 ms in the
 * helper, against 3.6-4.1 ms when this worker computed both shards alone, and the step then waited 0.7-1.9 ms for
 * the helper's answer, even when the helper had 8 images fewer (a Chromium trace puts 0.2 ms on each message; the
 * rest is the helper starting late or running slower). So two workers only broke even there.
 * With the site's SIMD convolutions (gemm-kernel.ts, 2026-12-07) a shard of 16 costs 62 % of a batch of 32, and two
 * workers ran at 1.08-1.12x one (three bench runs). Tried as the default on 2 cores, the seeded default run on two
 * workers ended at 98.69 / 98.97 % after epochs 1 / 3, never reaching 99 % (one worker: 98.66 / 98.99 %, 99 % after
 * epoch 2; the shards' sums round differently), so 2 cores keep one worker by default and the Workers setting offers
 * two. Here, pure, so that the lab page can say how many workers its next run will use without loading TF.js.
 */
export function workerCount(cores: number | undefined): number {
  return Math.max(1, Math.min(MAX_WORKERS, (Math.floor(cores ?? 1) || 1) - 1));
}

/**
 * Defaults chosen by measurement (bench/node-train.ts, TF.js wasm, full MNIST, seed 1; test accuracy after epochs
 * 1 / 2 / 3), for a run that reaches 99 % as soon as possible on a 2-core machine. Batch 32 splits into one shard of
 * 16 per worker (pool.ts) and runs ~1.25x the images/s of batch 16 on one core; Adam at 3e-3 with the rate shrinking
 * smoothly to 0.15x per epoch gives 98.70 / 99.00 / 99.00 %. Tried (same order): batch 16, lr 2e-3, decay 0.3 (the
 * previous default) 98.67 / 99.04 / 99.12 % at 0.8x the speed; batch 32 lr 2e-3 decay 0.15 98.54 / 98.81 / 98.85;
 * lr 4e-3 98.51 / 98.84 / 98.84; lr 3e-3 decay 0.1 98.73 / 98.83 / 98.88; batch 48 lr 3e-3 decay 0.15 98.37 /
 * 98.76 / 98.89; batch 64 lr 3e-3 decay 0.2 98.61 / 98.90 / 98.96, lr 4e-3 decay 0.15 98.53 / 98.82 / 98.87, lr 2e-3
 * decay 0.1 98.05 / 98.22 / 98.28. Larger batches are faster per image but fall short of 99 % in 3 epochs; the
 * differences between the batch-32 runs (0.1-0.2 points) are the size of the seed noise. `npm run bench`
 * re-measures the default in the browser.
 */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  preset: 'lenet5',
  optimizer: 'adam',
  learningRate: 0.003,
  lrDecay: 0.15,
  batchSize: 32,
  epochs: 3,
  l2: 0,
  dropout: 0,
  validationSplit: 0,
  patience: 0,
  augment: { shift: 0, rotate: 0 },
  trainSubset: 60000,
  seed: 1,
  evaluateEachEpoch: true,
  reportEvery: 20,
};

/** A setting that cannot be used; `field` names the TrainConfig key so the UI can put the message beside it. */
export class ConfigError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
    this.name = 'ConfigError';
  }
}

function num(
  field: string,
  label: string,
  v: unknown,
  lo: number,
  hi: number,
  opts: { int?: boolean; openLo?: boolean } = {},
) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(field, `${label} must be a number.`);
  if (opts.int && !Number.isInteger(v)) throw new ConfigError(field, `${label} must be a whole number, got ${v}.`);
  if (opts.openLo ? v <= lo : v < lo) {
    throw new ConfigError(field, `${label} must be ${opts.openLo ? 'greater than' : 'at least'} ${lo}, got ${v}.`);
  }
  if (v > hi) throw new ConfigError(field, `${label} must be at most ${hi}, got ${v}.`);
}

/** Throws ConfigError for the first bad field; returns the config unchanged when it is usable. */
export function validateConfig(c: TrainConfig): TrainConfig {
  if (!isPreset(c.preset)) throw new ConfigError('preset', `Unknown model preset "${String(c.preset)}".`);
  if (!['sgd', 'momentum', 'adam'].includes(c.optimizer)) {
    throw new ConfigError('optimizer', `Unknown optimizer "${String(c.optimizer)}"; choose SGD, momentum or Adam.`);
  }
  num('learningRate', 'The learning rate', c.learningRate, 0, 10, { openLo: true });
  num('lrDecay', 'The learning-rate decay', c.lrDecay, 0, 1, { openLo: true });
  num('batchSize', 'The batch size', c.batchSize, 1, 1024, { int: true });
  num('epochs', 'The number of epochs', c.epochs, 1, 100, { int: true });
  num('l2', 'The L2 penalty', c.l2, 0, 1);
  num('dropout', 'The dropout rate', c.dropout, 0, 0.9);
  num('validationSplit', 'The validation split', c.validationSplit, 0, 0.5);
  if (c.validationSplit === 0.5) throw new ConfigError('validationSplit', 'The validation split must be below 0.5.');
  num('patience', 'The patience', c.patience, 0, 100, { int: true });
  if (c.patience > 0 && c.validationSplit === 0) {
    throw new ConfigError(
      'patience',
      'Early stopping watches the validation accuracy: set a validation split above 0.',
    );
  }
  num('augment.shift', 'The shift', c.augment.shift, 0, 4);
  num('augment.rotate', 'The rotation', c.augment.rotate, 0, 30);
  num('trainSubset', 'The number of training images', c.trainSubset, 1, 60000, { int: true });
  const trainCount = c.trainSubset - Math.round(c.trainSubset * c.validationSplit);
  if (trainCount < c.batchSize) {
    throw new ConfigError(
      'batchSize',
      `The batch size ${c.batchSize} is larger than the ${trainCount} training images.`,
    );
  }
  num('seed', 'The seed', c.seed, 0, 2 ** 32 - 1, { int: true });
  num('reportEvery', 'The report interval', c.reportEvery, 1, 10000, { int: true });
  if (c.workers !== undefined) num('workers', 'The number of workers', c.workers, 1, MAX_WORKERS, { int: true });
  return c;
}
