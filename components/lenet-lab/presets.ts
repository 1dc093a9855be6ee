import {
  summarizeLayers,
  type ModelSummaryRow,
  type SummaryActivation,
  type SummaryLayerSpec,
} from '../../src/lib/engine/model-summary.ts';
import type { PresetName } from '../../src/ml/protocol.ts';

/**
 * The lab's model presets as plain data: the same layers, names and order as src/ml/model.ts builds with TF.js, so
 * the model summary can be computed at build time and in the form without loading TensorFlow.js. A unit test
 * (test/unit/lenet-presets.test.ts) checks every preset against the TF.js model's own summary.
 */
export const PRESET_LABELS: readonly { name: PresetName; label: string }[] = [
  { name: 'lenet5', label: 'LeNet-5, modern (ReLU, max-pool, softmax)' },
  { name: 'lenet5-1998', label: 'LeNet-5, 1998 structure (32x32 input, tanh, average pooling)' },
  { name: 'lenet5-3x3', label: 'LeNet-5 with 3x3 kernels' },
  { name: 'lenet5-avgpool', label: 'LeNet-5 with average pooling' },
  { name: 'lenet5-linear', label: 'LeNet-5 without activations (max pooling kept)' },
  { name: 'lenet5-linear-avg', label: 'LeNet-5 without activations, average pooling (all linear)' },
  { name: 'mlp-100', label: 'MLP 784-100-10' },
  { name: 'mlp-50-20', label: 'MLP 784-50-20-10' },
];

export function isPreset(s: string | undefined): s is PresetName {
  return PRESET_LABELS.some((p) => p.name === s);
}

/** Short display name ("LeNet-5, modern"). */
export function presetShort(name: PresetName): string {
  return PRESET_LABELS.find((p) => p.name === name)!.label.replace(/ \(.*$/, '');
}

function dense(name: string, units: number, activation: SummaryActivation, dropout: number): SummaryLayerSpec[] {
  const layer: SummaryLayerSpec = { type: 'dense', name, units, activation };
  return dropout > 0 ? [layer, { type: 'dropout', name: `${name}_dropout`, rate: dropout }] : [layer];
}

function lenetBody(kernel: 3 | 5, pool: 'maxPool' | 'avgPool', a: SummaryActivation, d: number): SummaryLayerSpec[] {
  return [
    { type: 'conv2d', name: 'conv1', filters: 6, kernel, padding: kernel === 5 ? 'same' : 'valid', activation: a },
    { type: pool, name: 'pool1', size: 2 },
    { type: 'conv2d', name: 'conv2', filters: 16, kernel, padding: 'valid', activation: a },
    { type: pool, name: 'pool2', size: 2 },
    { type: 'flatten', name: 'flatten' },
    ...dense('dense120', 120, a, d),
    ...dense('dense84', 84, a, d),
  ];
}

/** The layers of a preset; `dropout` > 0 adds a dropout layer after each hidden dense layer, as the worker does. */
export function presetLayers(preset: PresetName, dropout = 0): SummaryLayerSpec[] {
  let body: SummaryLayerSpec[];
  switch (preset) {
    case 'lenet5':
      body = lenetBody(5, 'maxPool', 'relu', dropout);
      break;
    case 'lenet5-3x3':
      body = lenetBody(3, 'maxPool', 'relu', dropout);
      break;
    case 'lenet5-avgpool':
      body = lenetBody(5, 'avgPool', 'relu', dropout);
      break;
    case 'lenet5-linear':
      body = lenetBody(5, 'maxPool', 'linear', dropout);
      break;
    case 'lenet5-linear-avg':
      body = lenetBody(5, 'avgPool', 'linear', dropout);
      break;
    case 'lenet5-1998':
      body = [
        { type: 'zeroPad', name: 'pad32', pad: 2 },
        { type: 'conv2d', name: 'C1', filters: 6, kernel: 5, padding: 'valid', activation: 'tanh' },
        { type: 'avgPool', name: 'S2', size: 2 },
        { type: 'conv2d', name: 'C3', filters: 16, kernel: 5, padding: 'valid', activation: 'tanh' },
        { type: 'avgPool', name: 'S4', size: 2 },
        { type: 'flatten', name: 'flatten' },
        ...dense('C5', 120, 'tanh', dropout),
        ...dense('F6', 84, 'tanh', dropout),
      ];
      break;
    case 'mlp-100':
      body = [{ type: 'flatten', name: 'flatten' }, ...dense('dense100', 100, 'relu', dropout)];
      break;
    case 'mlp-50-20':
      body = [
        { type: 'flatten', name: 'flatten' },
        ...dense('dense50', 50, 'relu', dropout),
        ...dense('dense20', 20, 'relu', dropout),
      ];
      break;
  }
  return [
    ...body,
    { type: 'dense', name: 'output', units: 10, activation: 'linear' },
    { type: 'softmax', name: 'softmax' },
  ];
}

/** Layer, output shape and parameters of a preset on 28x28x1 MNIST images, computed by the engine (no TF.js). */
export function presetSummary(preset: PresetName, dropout = 0): ModelSummaryRow[] {
  return summarizeLayers([28, 28, 1], presetLayers(preset, dropout));
}
