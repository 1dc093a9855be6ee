/**
 * The capstone's training loop: plain SGD, one image at a time, calling the reader's `trainStep` and `forward`
 * (or the course's), on a seeded order of an MNIST subset, with the test accuracy measured as it goes. Pure and
 * synchronous in slices, so the worker can send progress between slices and the tests can run it in Node.
 */
import { Rng } from '../lib/engine/rng.ts';
import type { LabelledImages } from '../ml/idx.ts';

/** The network's parameters, as nested arrays: conv [8][1][3][3] + [8], dense [10][1352] + [10]. */
export interface CapstoneParams {
  W1: number[][][][];
  b1: number[];
  W2: number[][];
  b2: number[];
}

export const CAPSTONE_NET = { filters: 8, kernel: 3, side: 28, pooled: 13, classes: 10 } as const;
export const FLAT = CAPSTONE_NET.filters * CAPSTONE_NET.pooled * CAPSTONE_NET.pooled;

/** What the loop calls: the capstone cell's two functions. */
export interface CapstoneFns {
  forward: (params: CapstoneParams, x: number[][][]) => { logits: number[] };
  trainStep: (
    params: CapstoneParams,
    x: number[][][],
    label: number,
    lr: number,
  ) => { loss: number; params: CapstoneParams };
}

export interface CapstoneSettings {
  /** Training images used (the first N of the subset). */
  images: number;
  epochs: number;
  lr: number;
  seed: number;
  /** Test images for the accuracy (the first N of the subset's test part). */
  testImages: number;
  /** Measure the test accuracy every this many steps (and at the end of every epoch); 0 = only at epoch ends. */
  evalEvery: number;
}

export const CAPSTONE_DEFAULTS: CapstoneSettings = {
  images: 5000,
  epochs: 2,
  lr: 0.01,
  seed: 1,
  testImages: 1000,
  // A thousand test forwards cost about as much as 500 training steps, so measure once per epoch.
  evalEvery: 0,
};

/** Limits the page enforces on the settings (so a run stays within minutes on a laptop). */
export const CAPSTONE_LIMITS = {
  images: [100, 5000],
  epochs: [1, 5],
  lr: [0.0001, 1],
  seed: [0, 999_999],
} as const;

/** He-normal conv weights (fan-in 9) and dense weights scaled by 1/sqrt(1352), zero biases; seeded. */
export function initCapstoneParams(seed: number): CapstoneParams {
  const rng = new Rng(seed);
  const { filters, kernel, classes } = CAPSTONE_NET;
  const convStd = Math.sqrt(2 / (kernel * kernel));
  const denseStd = Math.sqrt(1 / FLAT);
  return {
    W1: Array.from({ length: filters }, () => [
      Array.from({ length: kernel }, () => Array.from({ length: kernel }, () => rng.normal() * convStd)),
    ]),
    b1: new Array<number>(filters).fill(0),
    W2: Array.from({ length: classes }, () => Array.from({ length: FLAT }, () => rng.normal() * denseStd)),
    b2: new Array<number>(classes).fill(0),
  };
}

/** Image i of a set as the [1][28][28] input the network takes, scaled to [0, 1]. */
export function imageInput(set: LabelledImages, i: number): number[][][] {
  const { rows, cols, pixels } = set;
  const base = i * rows * cols;
  return [
    Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => pixels[base + r * cols + c]! / 255)),
  ];
}

/** One point of progress, sent to the page between slices. */
export interface CapstonePoint {
  step: number;
  totalSteps: number;
  epoch: number;
  /** Mean loss over the steps since the previous point. */
  loss: number;
  /** Test accuracy in [0, 1] when measured at this point. */
  accuracy?: number;
}

function argmax(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** Fraction of the first `n` test images the network classifies correctly. */
export function testAccuracy(fns: CapstoneFns, params: CapstoneParams, test: LabelledImages, n: number): number {
  let ok = 0;
  const count = Math.min(n, test.count);
  for (let i = 0; i < count; i++) {
    const logits = fns.forward(params, imageInput(test, i)).logits;
    if (!Array.isArray(logits) || logits.length !== CAPSTONE_NET.classes) {
      throw new Error(
        `forward must return { logits } with ${CAPSTONE_NET.classes} numbers; got ${Array.isArray(logits) ? logits.length : typeof logits}.`,
      );
    }
    if (argmax(logits) === test.labels[i]) ok++;
  }
  return count ? ok / count : 0;
}

/**
 * The whole run as a generator: each `next()` trains up to `slice` steps and yields a progress point. A loss that
 * is not a finite number stops the run with an error that says so (a diverging learning rate, or a bug).
 */
export function* capstoneRun(
  fns: CapstoneFns,
  data: { train: LabelledImages; test: LabelledImages },
  settings: CapstoneSettings,
  slice = 50,
): Generator<CapstonePoint, { params: CapstoneParams; accuracy: number }> {
  let params = initCapstoneParams(settings.seed);
  const n = Math.min(settings.images, data.train.count);
  const rng = new Rng(settings.seed + 1);
  const totalSteps = n * settings.epochs;
  let step = 0;
  let lossSum = 0;
  let lossCount = 0;
  let accuracy = 0;
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const out = fns.trainStep(params, imageInput(data.train, i), data.train.labels[i]!, settings.lr);
      if (!out || typeof out.loss !== 'number' || !Number.isFinite(out.loss)) {
        throw new Error(
          `Step ${step + 1}: trainStep returned a loss of ${String(out?.loss)}. A loss that is not a finite number means the run diverged (try a smaller learning rate) or a backward pass is wrong.`,
        );
      }
      if (!out.params || !Array.isArray(out.params.W1))
        throw new Error('trainStep must return { loss, params } with the updated params.');
      params = out.params;
      lossSum += out.loss;
      lossCount++;
      step++;
      const measure = (settings.evalEvery > 0 && step % settings.evalEvery === 0) || k === n - 1;
      if (measure || step % slice === 0) {
        const point: CapstonePoint = { step, totalSteps, epoch, loss: lossSum / lossCount };
        if (measure) {
          accuracy = testAccuracy(fns, params, data.test, settings.testImages);
          point.accuracy = accuracy;
        }
        lossSum = 0;
        lossCount = 0;
        yield point;
      }
    }
  }
  return { params, accuracy };
}
