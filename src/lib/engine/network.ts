import { EngineError, assertInt } from './errors.ts';
import type { InitScheme } from './init.ts';
import { buildLayer, type Layer, type LayerSpec } from './layers.ts';
import { softmaxCrossEntropy } from './loss.ts';
import { describeLayer, type SummaryRow } from './model-summary.ts';
import type { Optimizer, ParamRef } from './optim.ts';
import { Rng } from './rng.ts';
import { assertFiniteTensor, assertRank, assertTensor, shapeString, wrap, type Tensor } from './tensor.ts';

export type { Layer, LayerSpec } from './layers.ts';

/**
 * Layers applied one after another to batches of images [B, C, H, W]; the last layer's output are the logits.
 * Weights are drawn once from a seeded Rng (He or Glorot, biases 0), so the same seed gives the same model.
 */
export class Sequential {
  /** One example's input shape [C, H, W]. */
  readonly inputShape: readonly [number, number, number];
  readonly layers: readonly Layer[];
  /** The specs the layers were built from, for the summary. */
  private readonly specs: readonly LayerSpec[];

  /**
   * @param inputShape [channels, height, width] of one example
   * @param layers the layer specs, first to last
   * @param opts seed for the initial weights; init 'he' (default, for ReLU nets) or 'glorot'; conv 'direct'
   *   (default: the loops of conv2dBatch) or 'gemm' (conv2dGemm: the same results, up to rounding, and faster on
   *   LeNet-sized layers; `npm run bench:engine` measures both)
   */
  constructor(
    inputShape: [number, number, number],
    layers: readonly LayerSpec[],
    opts: { seed: number; init?: InitScheme; conv?: 'direct' | 'gemm' },
  ) {
    if (!Array.isArray(inputShape) || inputShape.length !== 3) {
      throw new EngineError('inputShape', 'The input shape must be [channels, height, width].');
    }
    inputShape.forEach((d, i) => assertInt(d, 'inputShape', `Input dimension ${i}`, 1));
    if (!Array.isArray(layers) || layers.length === 0)
      throw new EngineError('layers', 'A model needs at least one layer.');
    if (opts === null || typeof opts !== 'object') {
      throw new EngineError(
        'seed',
        'A model needs options with a seed, e.g. { seed: 1 }, so that its initial weights are reproducible.',
      );
    }
    const conv = opts.conv ?? 'direct';
    if (conv !== 'direct' && conv !== 'gemm') {
      throw new EngineError('conv', `The conv path must be 'direct' or 'gemm', got ${String(conv)}.`);
    }
    this.inputShape = [...inputShape];
    const rng = new Rng(opts.seed);
    const init = opts.init ?? 'he';
    const counts = new Map<string, number>();
    let shape: readonly number[] = this.inputShape;
    const built: Layer[] = [];
    for (const spec of layers) {
      const n = (counts.get(spec.type) ?? 0) + 1;
      counts.set(spec.type, n);
      const layer = buildLayer(spec.name ?? `${spec.type}_${n}`, shape, spec, init, rng, conv);
      built.push(layer);
      shape = layer.outputShape;
    }
    this.layers = built;
    this.specs = [...layers];
  }

  /** One example's output shape (the last layer's). */
  get outputShape(): readonly number[] {
    return this.layers[this.layers.length - 1]!.outputShape;
  }

  /**
   * Runs every layer, keeping what backward needs.
   * @param x [B, C, H, W] @returns the last layer's output [B, ...outputShape] (logits for a classifier)
   */
  forward(x: Tensor): Tensor {
    assertRank(x, 4, 'input', 'The input batch', '[batch, channels, height, width]');
    const [, C, H, W] = x.shape as [number, number, number, number];
    const [c, h, w] = this.inputShape;
    if (C !== c || H !== h || W !== w) {
      throw new EngineError(
        'input',
        `The model expects images of shape ${shapeString(this.inputShape)}, got ${shapeString([C, H, W])}.`,
      );
    }
    let a = x;
    for (const layer of this.layers) a = layer.forward(a);
    return a;
  }

  /**
   * Backpropagates dLoss/dOutput of the last forward batch; afterwards each param's `grad` holds dLoss/dParam
   * (replaced, not accumulated). @param dOut [B, ...outputShape] @returns dLoss/dInput [B, C, H, W]
   */
  backward(dOut: Tensor): Tensor {
    let g = dOut;
    for (let i = this.layers.length - 1; i >= 0; i--) g = this.layers[i]!.backward(g);
    return g;
  }

  /** Every learnable tensor with its gradient, first layer first; weights decay, biases do not. */
  params(): ParamRef[] {
    return this.layers.flatMap((l) => l.params());
  }

  /** One row per layer, as Keras prints it; output shapes are channels-first ([C, H, W] or [n]), as the engine runs. */
  summary(): SummaryRow[] {
    return this.layers.map((l, i) => ({
      layer: l.name,
      kind: describeLayer(this.specs[i]!),
      outputShape: [...l.outputShape],
      params: l.paramCount,
    }));
  }

  paramCount(): number {
    return this.layers.reduce((s, l) => s + l.paramCount, 0);
  }

  /** The class with the largest logit for each image (first on ties). @param x [B, C, H, W] */
  predict(x: Tensor): number[] {
    return argmaxRows(this.forward(x));
  }

  /** Discrete choices of the last forward pass (ReLU on/off, max-pool winners); for gradCheck's kink detection. */
  signature(): string {
    return this.layers.map((l) => l.signature()).join('|');
  }
}

/**
 * Index of the largest entry of each row (first on ties).
 * @param t [B, n] (any shape [B, ...] is read as B rows) @returns B class indices
 */
export function argmaxRows(t: Tensor): number[] {
  assertTensor(t, 'input', 'The score matrix');
  if (t.shape.length < 1 || t.data.length === 0) {
    throw new EngineError('input', `argmaxRows needs rows of scores [B, n], got shape ${shapeString(t.shape)}.`);
  }
  // NaN compares false with everything, so it would quietly lose (or win, in first place) every comparison.
  assertFiniteTensor(t, 'input', 'The score matrix');
  const B = t.shape[0]!;
  const n = t.data.length / B;
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let best = 0;
    for (let i = 1; i < n; i++) if (t.data[b * n + i]! > t.data[b * n + best]!) best = i;
    out.push(best);
  }
  return out;
}

/**
 * Copies examples `idx` of [N, ...] into a new batch [idx.length, ...].
 * @param xs [N, ...] @param idx whole numbers from 0 to N - 1 (repeats allowed) @returns [idx.length, ...]
 */
export function gather(xs: Tensor, idx: readonly number[]): Tensor {
  assertTensor(xs, 'input', 'The examples');
  if (xs.shape.length < 1) throw new EngineError('input', 'gather needs examples with a first (example) axis.');
  if (!Array.isArray(idx)) throw new EngineError('indices', 'The indices must be a list of example numbers.');
  const N = xs.shape[0]!;
  idx.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= N) {
      const range = N === 0 ? 'there are no examples' : `indices must be whole numbers from 0 to ${N - 1}`;
      throw new EngineError('indices', `Index ${k} is ${String(i)}; ${range}.`);
    }
  });
  const per = N === 0 ? 0 : xs.data.length / N;
  const out = new Float64Array(idx.length * per);
  idx.forEach((i, k) => out.set(xs.data.subarray(i * per, (i + 1) * per), k * per));
  return wrap([idx.length, ...xs.shape.slice(1)], out);
}

function checkData(model: Sequential, xs: Tensor, labels: readonly number[]): void {
  assertRank(xs, 4, 'input', 'The images', '[examples, channels, height, width]');
  if (!Array.isArray(labels)) throw new EngineError('labels', 'The labels must be a list of class numbers.');
  if (labels.length !== xs.shape[0]) {
    throw new EngineError(
      'labels',
      `There are ${xs.shape[0]} images but ${labels.length} labels; give one label per image.`,
    );
  }
  if (model.outputShape.length !== 1) {
    throw new EngineError(
      'layers',
      `A classifier must end in flat logits, but the model outputs ${shapeString(model.outputShape)} per example.`,
    );
  }
}

/**
 * One forward/backward/step on a mini-batch with softmax cross-entropy.
 * @param x [B, C, H, W] @param labels B class indices @returns the batch's mean loss and how many were right
 */
export function trainStep(
  model: Sequential,
  optimizer: Optimizer,
  x: Tensor,
  labels: readonly number[],
): { loss: number; correct: number } {
  const logits = model.forward(x);
  const { loss, dlogits } = softmaxCrossEntropy(logits, labels);
  model.backward(dlogits);
  optimizer.step(model.params());
  const correct = argmaxRows(logits).filter((p, i) => p === labels[i]).length;
  return { loss, correct };
}

/**
 * One pass over the data in shuffled mini-batches (the last one may be smaller).
 * @param xs [N, C, H, W] @param labels N class indices
 * @returns mean loss and accuracy over the epoch, measured on each batch before its update
 */
export function trainEpoch(
  model: Sequential,
  optimizer: Optimizer,
  xs: Tensor,
  labels: readonly number[],
  opts: { batchSize: number; rng: Rng },
): { loss: number; accuracy: number } {
  checkData(model, xs, labels);
  if (opts === null || typeof opts !== 'object') {
    throw new EngineError(
      'batchSize',
      'trainEpoch needs options { batchSize, rng }, e.g. { batchSize: 32, rng: new Rng(1) }.',
    );
  }
  assertInt(opts.batchSize, 'batchSize', 'The batch size', 1);
  if (typeof opts.rng?.shuffle !== 'function') {
    throw new EngineError('rng', 'trainEpoch needs a seeded Rng to shuffle the examples, e.g. { rng: new Rng(1) }.');
  }
  const N = xs.shape[0]!;
  const order = opts.rng.shuffle(Array.from({ length: N }, (_, i) => i));
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < N; start += opts.batchSize) {
    const idx = order.slice(start, start + opts.batchSize);
    const r = trainStep(
      model,
      optimizer,
      gather(xs, idx),
      idx.map((i) => labels[i]!),
    );
    loss += r.loss * idx.length;
    correct += r.correct;
  }
  return { loss: loss / N, accuracy: correct / N };
}

/** Mean softmax cross-entropy and accuracy without training. @param xs [N, C, H, W] */
export function evaluate(
  model: Sequential,
  xs: Tensor,
  labels: readonly number[],
  batchSize = 256,
): { loss: number; accuracy: number } {
  checkData(model, xs, labels);
  assertInt(batchSize, 'batchSize', 'The batch size', 1);
  const N = xs.shape[0]!;
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < N; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, N - start) }, (_, k) => start + k);
    const y = idx.map((i) => labels[i]!);
    const logits = model.forward(gather(xs, idx));
    loss += softmaxCrossEntropy(logits, y).loss * idx.length;
    correct += argmaxRows(logits).filter((p, i) => p === y[i]).length;
  }
  return { loss: loss / N, accuracy: correct / N };
}
