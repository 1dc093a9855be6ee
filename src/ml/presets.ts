/**
 * The lab's model catalogue, as plain data: every network the lab trains, defined once. TensorFlow.js builds them
 * from here (model.ts), the course's engine trains the modern LeNet-5 from here (scratch-train.ts), and the lab's form,
 * the chapters' LeNet tables and numbers read their summaries from here. No TensorFlow.js import, so a page can use
 * it without loading TF.js.
 *
 * Layers use the engine's vocabulary (`LayerSpec`, with names); the layout differs only in the shapes: the engine
 * runs [C, H, W], TensorFlow.js [H, W, C] (`channelsLast` converts). Three layers exist only in the TF.js models
 * and are added by `tfLayers`: the input padding of the 1998 net, dropout, and the softmax head.
 */
import { channelsLast, summarizeLayers, type ActivationName, type LayerSpec, type SummaryRow } from '../lib/index.ts';

/** The presets' names, in the order the lab lists them. */
export const PRESET_NAMES = [
  'lenet5',
  'lenet5-1998',
  'lenet5-3x3',
  'lenet5-avgpool',
  'lenet5-linear',
  'lenet5-linear-avg',
  'mlp-100',
  'mlp-50-20',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A layer of a preset: an engine layer spec with the name both engines give the layer. */
export type PresetLayer = LayerSpec & { name: string };

export interface Preset {
  name: PresetName;
  /** One line for menus and table captions. */
  label: string;
  /** Zeros added around the 28x28 input before the first layer, as a layer of this name (TF.js only). */
  inputPad?: { name: string; pad: number };
  /** The layers after the input, ending in the 10 logits. */
  layers: readonly PresetLayer[];
}

/** One MNIST image: 28x28 pixels, one channel. */
export const MNIST_SIDE = 28;

type Act = Extract<ActivationName, 'relu' | 'tanh' | 'identity'>;

function lenetBody(kernel: 3 | 5, pool: 'maxPool' | 'avgPool', activation: Act): PresetLayer[] {
  // 5x5: 28 -same-> 28 -pool-> 14 -valid-> 10 -pool-> 5. 3x3: 28 -valid-> 26 -> 13 -> 11 -> 5 (floor of 5.5).
  return [
    { type: 'conv2d', name: 'conv1', filters: 6, kernel, padding: kernel === 5 ? 'same' : 'valid', activation },
    { type: pool, name: 'pool1', size: 2 },
    { type: 'conv2d', name: 'conv2', filters: 16, kernel, padding: 'valid', activation },
    { type: pool, name: 'pool2', size: 2 },
    { type: 'flatten', name: 'flatten' },
    { type: 'dense', name: 'dense120', units: 120, activation },
    { type: 'dense', name: 'dense84', units: 84, activation },
  ];
}

const OUTPUT: PresetLayer = { type: 'dense', name: 'output', units: 10 };

/**
 * Every preset, in menu order. Each takes 28x28x1 images in [0, 1] and ends in 10 logits.
 *
 * `lenet5-1998` differs from LeCun et al. 1998 in ways this preset keeps and ways it cannot:
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
export const PRESETS: readonly Preset[] = [
  {
    name: 'lenet5',
    label: 'LeNet-5, modern (ReLU, max-pool, softmax)',
    layers: [...lenetBody(5, 'maxPool', 'relu'), OUTPUT],
  },
  {
    name: 'lenet5-1998',
    label: 'LeNet-5, 1998 structure (32x32 input, tanh, average pooling)',
    inputPad: { name: 'pad32', pad: 2 },
    layers: [
      { type: 'conv2d', name: 'C1', filters: 6, kernel: 5, padding: 'valid', activation: 'tanh' },
      { type: 'avgPool', name: 'S2', size: 2 },
      { type: 'conv2d', name: 'C3', filters: 16, kernel: 5, padding: 'valid', activation: 'tanh' },
      { type: 'avgPool', name: 'S4', size: 2 },
      { type: 'flatten', name: 'flatten' },
      { type: 'dense', name: 'C5', units: 120, activation: 'tanh' },
      { type: 'dense', name: 'F6', units: 84, activation: 'tanh' },
      OUTPUT,
    ],
  },
  {
    name: 'lenet5-3x3',
    label: 'LeNet-5 with 3x3 kernels',
    layers: [...lenetBody(3, 'maxPool', 'relu'), OUTPUT],
  },
  {
    // The default with average instead of max pooling (exercise: max vs average).
    name: 'lenet5-avgpool',
    label: 'LeNet-5 with average pooling',
    layers: [...lenetBody(5, 'avgPool', 'relu'), OUTPUT],
  },
  {
    // The default with no activation functions; max pooling, itself nonlinear (a max of linear maps), stays.
    name: 'lenet5-linear',
    label: 'LeNet-5 without activations (max pooling kept)',
    layers: [...lenetBody(5, 'maxPool', 'identity'), OUTPUT],
  },
  {
    // No activations and average pooling: every layer is linear, so the whole network is one linear map from the
    // pixels to the logits (exercise "No nonlinearity").
    name: 'lenet5-linear-avg',
    label: 'LeNet-5 without activations, average pooling (all linear)',
    layers: [...lenetBody(5, 'avgPool', 'identity'), OUTPUT],
  },
  {
    name: 'mlp-100',
    label: 'MLP 784-100-10',
    layers: [
      { type: 'flatten', name: 'flatten' },
      { type: 'dense', name: 'dense100', units: 100, activation: 'relu' },
      OUTPUT,
    ],
  },
  {
    name: 'mlp-50-20',
    label: 'MLP 784-50-20-10',
    layers: [
      { type: 'flatten', name: 'flatten' },
      { type: 'dense', name: 'dense50', units: 50, activation: 'relu' },
      { type: 'dense', name: 'dense20', units: 20, activation: 'relu' },
      OUTPUT,
    ],
  },
];

export function isPreset(s: string | undefined): s is PresetName {
  return PRESET_NAMES.some((name) => name === s);
}

/** The preset of that name. */
export function preset(name: PresetName): Preset {
  return PRESETS.find((p) => p.name === name)!;
}

/** Short display name ("LeNet-5, modern"). */
export function presetShort(name: PresetName): string {
  return preset(name).label.replace(/ \(.*$/, '');
}

/**
 * The engine's view of a preset: one example's input shape [C, H, W] after the input padding, and the layers.
 * `new Sequential(inputShape, layers, ...)` builds it in the course's engine (the TF.js-only layers are not in it:
 * the padding is folded into the input shape, and the engine trains on logits without dropout).
 */
export function engineModel(name: PresetName): { inputShape: [number, number, number]; layers: PresetLayer[] } {
  const p = preset(name);
  const side = MNIST_SIDE + 2 * (p.inputPad?.pad ?? 0);
  return { inputShape: [1, side, side], layers: [...p.layers] };
}

/** A layer of the TF.js model: a preset layer, or one of the three only TF.js builds. */
export type TfLayer =
  | PresetLayer
  | { type: 'zeroPad'; name: string; pad: number }
  | { type: 'dropout'; name: string; rate: number }
  | { type: 'softmax'; name: string };

/**
 * Every layer TensorFlow.js builds for a preset, in order: the input padding (if any), the preset's layers with a
 * dropout layer after each hidden dense layer when `dropout` > 0, and the softmax that turns logits into
 * probabilities.
 */
export function tfLayers(name: PresetName, dropout = 0): TfLayer[] {
  const p = preset(name);
  const out: TfLayer[] = p.inputPad ? [{ type: 'zeroPad', ...p.inputPad }] : [];
  p.layers.forEach((l, i) => {
    out.push(l);
    const hidden = l.type === 'dense' && i < p.layers.length - 1;
    if (hidden && dropout > 0) out.push({ type: 'dropout', name: `${l.name}_dropout`, rate: dropout });
  });
  out.push({ type: 'softmax', name: 'softmax' });
  return out;
}

/**
 * The summary of the TF.js model of a preset (layer, kind, output shape [H, W, C] or [n], parameters), computed by
 * the course's engine without TensorFlow.js: the rows TF.js's own summary gives (a unit test compares them).
 */
export function presetSummary(name: PresetName, dropout = 0): SummaryRow[] {
  const { inputShape, layers } = engineModel(name);
  const engineRows = summarizeLayers(inputShape, layers);
  let next = 0;
  let shape: number[] = [MNIST_SIDE, MNIST_SIDE, 1];
  return tfLayers(name, dropout).map((l): SummaryRow => {
    let row: SummaryRow;
    if (l.type === 'zeroPad') {
      const [h, w, c] = shape as [number, number, number];
      row = {
        layer: l.name,
        kind: `Zero padding ${l.pad} (${h} -> ${h + 2 * l.pad})`,
        outputShape: [h + 2 * l.pad, w + 2 * l.pad, c],
        params: 0,
      };
    } else if (l.type === 'dropout')
      row = { layer: l.name, kind: `Dropout ${l.rate}`, outputShape: [...shape], params: 0 };
    else if (l.type === 'softmax') row = { layer: l.name, kind: 'Softmax', outputShape: [...shape], params: 0 };
    else {
      const r = engineRows[next++]!;
      row = { ...r, outputShape: channelsLast(r.outputShape) };
    }
    shape = row.outputShape;
    return row;
  });
}
