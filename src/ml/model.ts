/**
 * TensorFlow.js models of the lab's presets (presets.ts holds them as plain data). Every preset takes 28x28x1 images
 * in [0, 1] and ends in 10 class probabilities. Each model is built twice over the same layers: `model` ends in a
 * softmax layer (prediction, summary, saving) and `logits` stops before it, so training can use the numerically
 * stable softmax cross-entropy on logits.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SummaryRow } from '../lib/index.ts';
import { subSeed } from './batches.ts';
import { MlError } from './errors.ts';
import { MNIST_SIDE, tfLayers, type PresetName, type TfLayer } from './presets.ts';

export interface BuildOptions {
  /** Seeds every layer's initial weights (and dropout masks). */
  seed: number;
  /** Dropout after each hidden dense layer; 0 adds no dropout layer. */
  dropout?: number;
  /** Initial weights: `glorot` uniform (the Keras default) or `he` normal (suited to ReLU). Default glorot. */
  init?: 'glorot' | 'he';
}

/** A built preset: both heads share their layers, hence their weights. */
export interface BuiltModel {
  preset: PresetName;
  /** Ends with the softmax layer; outputs [B, 10] probabilities. */
  model: tfl.LayersModel;
  /** Same layers without the final softmax; outputs [B, 10] logits. */
  logits: tfl.LayersModel;
}

/** The engine's activation names as Keras spells them; the catalogue uses no others. */
const ACTIVATIONS = { relu: 'relu', tanh: 'tanh', identity: 'linear' } as const;

function activation(name: string | undefined): 'relu' | 'tanh' | 'linear' {
  const a = ACTIVATIONS[(name ?? 'identity') as keyof typeof ACTIVATIONS];
  if (!a) throw new MlError('internal', `The lab cannot build the activation "${name}" in TensorFlow.js.`);
  return a;
}

/**
 * One TF.js layer for one catalogue layer. `init` gives the next weighted layer's initializer; `n` counts the
 * weighted layers so far (dropout masks are seeded from it).
 */
type Init = ReturnType<typeof tfl.initializers.glorotUniform>;

function tfLayer(l: TfLayer, init: () => Init, seed: number, n: number): tfl.layers.Layer {
  const { name } = l;
  switch (l.type) {
    case 'zeroPad':
      return tfl.layers.zeroPadding2d({ name, padding: l.pad });
    case 'conv2d': {
      if (typeof l.kernel !== 'number' || (l.padding !== 'same' && l.padding !== 'valid') || l.stride || l.dilation)
        throw new MlError('internal', `${name}: the lab builds square, stride-1 convolutions with 'same' or 'valid'.`);
      const { filters, kernel: kernelSize, padding } = l;
      const kernelInitializer = init();
      return tfl.layers.conv2d({
        name,
        filters,
        kernelSize,
        padding,
        activation: activation(l.activation),
        kernelInitializer,
      });
    }
    case 'maxPool':
    case 'avgPool': {
      if (typeof l.size !== 'number' || l.stride !== undefined || l.padding !== undefined)
        throw new MlError('internal', `${name}: the lab builds square pooling windows with stride = size.`);
      const args = { name, poolSize: l.size, strides: l.size };
      return l.type === 'maxPool' ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args);
    }
    case 'flatten':
      return tfl.layers.flatten({ name });
    case 'dense':
      return tfl.layers.dense({
        name,
        units: l.units,
        activation: activation(l.activation),
        kernelInitializer: init(),
      });
    case 'dropout':
      return tfl.layers.dropout({ name, rate: l.rate, seed: subSeed(seed, 100 + n) });
    case 'softmax':
      return tfl.layers.softmax({ name });
    case 'activation':
      return tfl.layers.activation({ name, activation: activation(l.activation) });
  }
}

/**
 * The seed of the dropout masks of one shard (0 when the batch is not split) of one training step of a run. A seeded
 * TF.js dropout layer draws the same mask at every call (tf.randomUniform with a seed restarts its generator), so a
 * layer kept at its build seed would drop the same units at every step: not dropout, which draws fresh masks for
 * every training case (Srivastava et al. 2014). Deriving the seed from the run's seed, the step and the shard keeps
 * the masks fresh and a run reproducible, and lets any worker compute a shard with the same masks.
 */
export function dropoutSeed(runSeed: number, step: number, shard: number): number {
  return subSeed(subSeed(subSeed(runSeed, DROPOUT_STREAM), step), shard);
}
const DROPOUT_STREAM = 5000;

/** Gives the dropout layers of `built` the masks of `seed` (dropoutSeed) for the next training pass. */
export function seedDropout(built: BuiltModel, seed: number): void {
  let i = 0;
  for (const layer of built.model.layers) {
    // Dropout keeps its seed in a field its `call` reads each time; TF.js offers no setter.
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = subSeed(seed, i++);
  }
}

/** Builds a preset with seeded weights. Layer names come from the catalogue (the summary and saved models use them). */
export function buildModel(preset: PresetName, opts: BuildOptions): BuiltModel {
  const input = tfl.input({ shape: [MNIST_SIDE, MNIST_SIDE, 1], name: 'image' });
  let n = 0;
  // A distinct seed per weighted layer, derived from the model seed.
  const init = () => {
    const seed = subSeed(opts.seed, ++n);
    return opts.init === 'he' ? tfl.initializers.heNormal({ seed }) : tfl.initializers.glorotUniform({ seed });
  };
  let x = input;
  let logitsOut: tfl.SymbolicTensor | null = null;
  for (const l of tfLayers(preset, opts.dropout ?? 0)) {
    if (l.type === 'softmax') logitsOut = x;
    x = tfLayer(l, init, opts.seed, n).apply(x) as tfl.SymbolicTensor;
  }
  return {
    preset,
    model: tfl.model({ inputs: input, outputs: x, name: preset }),
    logits: tfl.model({ inputs: input, outputs: logitsOut!, name: `${preset}-logits` }),
  };
}

/** Rebuilds the logits head of a loaded model (its last layer is the softmax layer). */
export function withLogits(preset: PresetName, model: tfl.LayersModel): BuiltModel {
  const last = model.layers[model.layers.length - 1];
  const beforeSoftmax = last?.getClassName() === 'Softmax' ? last.input : model.outputs[0];
  const logits = tfl.model({ inputs: model.inputs, outputs: beforeSoftmax as tfl.SymbolicTensor });
  return { preset, model, logits };
}

function describe(layer: tfl.layers.Layer): string {
  const c = layer.getConfig() as Record<string, unknown>;
  const cls = layer.getClassName();
  const act = typeof c['activation'] === 'string' && c['activation'] !== 'linear' ? `, ${c['activation']}` : '';
  const pair = (v: unknown) => (Array.isArray(v) ? v.join('x') : String(v));
  switch (cls) {
    case 'Conv2D':
      return `Conv2D ${String(c['filters'])}@${pair(c['kernelSize'])} ${String(c['padding'])}${act}`;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return `${cls === 'MaxPooling2D' ? 'Max' : 'Average'} pool ${pair(c['poolSize'])}`;
    case 'Dense':
      return `Dense ${String(c['units'])}${act}`;
    case 'Dropout':
      return `Dropout ${String(c['rate'])}`;
    case 'ZeroPadding2D': {
      const pad = (c['padding'] as number[][])[0]![0]!;
      const side = (layer.outputShape as number[])[1]!;
      return `Zero padding ${pad} (${side - 2 * pad} -> ${side})`;
    }
    default:
      return cls;
  }
}

/** One row per layer (input layer excluded): name, kind, output shape without the batch axis, parameter count. */
export function summarize(model: tfl.LayersModel): SummaryRow[] {
  return model.layers
    .filter((l) => l.getClassName() !== 'InputLayer')
    .map((l) => {
      const shape = l.outputShape as (number | null)[];
      return { layer: l.name, kind: describe(l), outputShape: shape.slice(1) as number[], params: l.countParams() };
    });
}

/** A model whose outputs are every layer's activations (input layer excluded), for the feature-map viewer. */
export function activationModel(model: tfl.LayersModel): tfl.LayersModel {
  const outputs = model.layers
    .filter((l) => l.getClassName() !== 'InputLayer')
    .map((l) => l.output as tfl.SymbolicTensor);
  return tfl.model({ inputs: model.inputs, outputs });
}

/** The first conv layer's kernels as [kh, kw, inChannels, filters], or null for an MLP. */
export function firstKernels(model: tfl.LayersModel): tf.Tensor | null {
  const conv = model.layers.find((l) => l.getClassName() === 'Conv2D');
  return conv ? (conv.getWeights()[0] ?? null) : null;
}
