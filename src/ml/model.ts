/**
 * The networks the training lab offers, built with TensorFlow.js layers. Every preset takes 28x28x1 images in [0, 1]
 * and ends in 10 class probabilities. Each model is built twice over the same layers: `model` ends in a softmax
 * layer (prediction, summary, saving) and `logits` stops before it, so training can use the numerically stable
 * softmax cross-entropy on logits.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { PresetName, SummaryRow } from './protocol.ts';
import { subSeed } from './batches.ts';

/** Presets in the order the lab lists them, with a one-line description for menus. */
export const PRESETS: readonly { name: PresetName; label: string }[] = [
  { name: 'lenet5', label: 'LeNet-5, modern (ReLU, max-pool, softmax)' },
  { name: 'lenet5-1998', label: 'LeNet-5, 1998 structure (32x32 input, tanh, average pooling)' },
  { name: 'lenet5-3x3', label: 'LeNet-5 with 3x3 kernels' },
  { name: 'lenet5-avgpool', label: 'LeNet-5 with average pooling' },
  { name: 'lenet5-linear', label: 'LeNet-5 without activations (max pooling kept)' },
  { name: 'lenet5-linear-avg', label: 'LeNet-5 without activations, average pooling (all linear)' },
  { name: 'mlp-100', label: 'MLP 784-100-10' },
  { name: 'mlp-50-20', label: 'MLP 784-50-20-10' },
];

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

type Act = 'relu' | 'tanh' | 'linear';

/** Small builder that names layers and seeds each initializer from the model seed. */
class Builder {
  private n = 0;
  x: tfl.SymbolicTensor;
  private readonly seed: number;
  private readonly dropout: number;
  private readonly scheme: 'glorot' | 'he';
  constructor(x: tfl.SymbolicTensor, opts: BuildOptions) {
    this.x = x;
    this.seed = opts.seed;
    this.dropout = opts.dropout ?? 0;
    this.scheme = opts.init ?? 'glorot';
  }
  private init() {
    // A distinct seed per layer, derived from the model seed.
    const seed = subSeed(this.seed, ++this.n);
    return this.scheme === 'he' ? tfl.initializers.heNormal({ seed }) : tfl.initializers.glorotUniform({ seed });
  }
  private apply(layer: tfl.layers.Layer) {
    this.x = layer.apply(this.x) as tfl.SymbolicTensor;
  }
  conv(name: string, filters: number, kernel: number, padding: 'same' | 'valid', activation: Act) {
    const k = this.init();
    this.apply(tfl.layers.conv2d({ name, filters, kernelSize: kernel, padding, activation, kernelInitializer: k }));
  }
  pool(name: string, kind: 'max' | 'avg') {
    const args = { name, poolSize: 2, strides: 2 };
    this.apply(kind === 'max' ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args));
  }
  flatten() {
    this.apply(tfl.layers.flatten({ name: 'flatten' }));
  }
  dense(name: string, units: number, activation: Act, hidden = true) {
    this.apply(tfl.layers.dense({ name, units, activation, kernelInitializer: this.init() }));
    if (hidden && this.dropout > 0) {
      this.apply(
        tfl.layers.dropout({ name: `${name}_dropout`, rate: this.dropout, seed: subSeed(this.seed, 100 + this.n) }),
      );
    }
  }
}

function lenetBody(b: Builder, kernel: 3 | 5, pool: 'max' | 'avg', act: Act): void {
  // 5x5: 28 -same-> 28 -pool-> 14 -valid-> 10 -pool-> 5. 3x3: 28 -valid-> 26 -> 13 -> 11 -> 5 (floor of 5.5).
  b.conv('conv1', 6, kernel, kernel === 5 ? 'same' : 'valid', act);
  b.pool('pool1', pool);
  b.conv('conv2', 16, kernel, 'valid', act);
  b.pool('pool2', pool);
  b.flatten();
  b.dense('dense120', 120, act);
  b.dense('dense84', 84, act);
}

/**
 * LeCun et al. 1998 differs from `lenet5` in ways this preset keeps and ways it cannot:
 * - kept: the input is padded from 28x28 to 32x32 (the paper centred digits in a 32x32 field so that strokes reach
 *   the centre of C1's receptive fields), tanh units, average-pool "subsampling" S2/S4, and C5 as a layer of 120
 *   units that each see the whole 5x5x16 S4 output (a 5x5 conv on a 5x5 map is exactly a dense layer: 48,120 params).
 * - simplified: S2/S4 in the paper multiply each average by a trainable coefficient and add a bias (12 and 32
 *   params); here they have none. The paper's tanh is scaled, 1.7159 tanh(2x/3); here it is plain tanh.
 * - simplified: C3 in the paper connects each of its 16 maps to only some of S2's 6 maps (a fixed table: 6 maps see
 *   3 neighbours, 9 see 4, 1 sees all 6), giving 1,516 params instead of 2,416, to break symmetry and save compute.
 *   Here every C3 map sees all 6.
 * - replaced: the output layer was 10 Euclidean RBF units comparing F6's 84 values with fixed 7x12 bitmaps of each
 *   digit (the penalty is the squared distance); here it is a dense softmax layer trained with cross-entropy.
 */
function lenet1998(b: Builder): void {
  b.x = tfl.layers.zeroPadding2d({ name: 'pad32', padding: 2 }).apply(b.x) as tfl.SymbolicTensor;
  b.conv('C1', 6, 5, 'valid', 'tanh');
  b.pool('S2', 'avg');
  b.conv('C3', 16, 5, 'valid', 'tanh');
  b.pool('S4', 'avg');
  b.flatten();
  b.dense('C5', 120, 'tanh');
  b.dense('F6', 84, 'tanh');
}

/** Builds a preset with seeded weights. Layer names are fixed per preset (the summary and saved models use them). */
export function buildModel(preset: PresetName, opts: BuildOptions): BuiltModel {
  const input = tfl.input({ shape: [28, 28, 1], name: 'image' });
  const b = new Builder(input, opts);
  switch (preset) {
    case 'lenet5':
      lenetBody(b, 5, 'max', 'relu');
      break;
    case 'lenet5-3x3':
      lenetBody(b, 3, 'max', 'relu');
      break;
    case 'lenet5-avgpool':
      lenetBody(b, 5, 'avg', 'relu');
      break;
    case 'lenet5-linear':
      lenetBody(b, 5, 'max', 'linear');
      break;
    case 'lenet5-linear-avg':
      lenetBody(b, 5, 'avg', 'linear');
      break;
    case 'lenet5-1998':
      lenet1998(b);
      break;
    case 'mlp-100':
      b.flatten();
      b.dense('dense100', 100, 'relu');
      break;
    case 'mlp-50-20':
      b.flatten();
      b.dense('dense50', 50, 'relu');
      b.dense('dense20', 20, 'relu');
      break;
  }
  b.dense('output', 10, 'linear', false);
  const logitsOut = b.x;
  const probs = tfl.layers.softmax({ name: 'softmax' }).apply(logitsOut) as tfl.SymbolicTensor;
  return {
    preset,
    model: tfl.model({ inputs: input, outputs: probs, name: preset }),
    logits: tfl.model({ inputs: input, outputs: logitsOut, name: `${preset}-logits` }),
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
    case 'ZeroPadding2D':
      return 'Zero padding 2 (28 -> 32)';
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

/** Sum of the summary's parameter counts. */
export function totalParams(rows: readonly SummaryRow[]): number {
  return rows.reduce((s, r) => s + r.params, 0);
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
