/**
 * Model summaries: the one row type every summary in the course uses (the engine's `Sequential.summary()`,
 * `summarizeLayers`, the lab's catalogue and TensorFlow.js's own model), the words that describe a layer, and the
 * one conversion between the engine's channels-first shapes and TensorFlow.js's channels-last ones.
 */
import type { ActivationName } from './activations.ts';
import type { LayerSpec } from './layer-contract.ts';
import type { Padding2d } from './output-size.ts';

/** One row of a model summary, as Keras and TensorFlow.js print it. */
export interface SummaryRow {
  /** Layer name, e.g. `conv1` or `conv2d_1`. */
  layer: string;
  /** What the layer is, in TensorFlow.js's words, e.g. `Conv2D 6@5x5 same, relu` (see `describeLayer`). */
  kind: string;
  /**
   * One example's output shape, without the batch axis, in the layout of the model that produced the row: [C, H, W]
   * from the engine (`Sequential.summary()`, `summarizeLayers`), [H, W, C] from TensorFlow.js and the lab's
   * catalogue. `channelsLast` converts the first into the second; [units] after flatten is the same in both.
   */
  outputShape: number[];
  /** Learnable numbers (weights + biases). */
  params: number;
}

/** An engine shape [C, H, W] as TensorFlow.js writes it, [H, W, C]; any other rank is returned as it is. */
export function channelsLast(shape: readonly number[]): number[] {
  return shape.length === 3 ? [shape[1]!, shape[2]!, shape[0]!] : [...shape];
}

const act = (a: ActivationName | undefined) => (a === undefined || a === 'identity' ? '' : `, ${a}`);
const size = (v: number | readonly [number, number]) => (typeof v === 'number' ? `${v}x${v}` : v.join('x'));
const axes = (v: number | readonly [number, number]) => (typeof v === 'number' ? String(v) : v.join('x'));

/** Padding as TensorFlow.js names it where it can ('same', 'valid' for none), otherwise the zeros per side. */
function paddingWords(p: Padding2d | undefined): string {
  if (p === undefined || p === 0 || p === 'valid') return 'valid';
  if (p === 'same') return 'same';
  return typeof p === 'number' ? `pad ${p}` : `pad ${p.top},${p.bottom},${p.left},${p.right}`;
}

/**
 * A layer in words, as the lab's summary table shows it: `Conv2D 6@5x5 same, relu`, `Max pool 2x2`, `Flatten`,
 * `Dense 120, relu` (TensorFlow.js's wording); strides, dilations and padding other than 'same'/'valid' are added
 * only when the layer has them (`Conv2D 8@3x3 pad 1 stride 2`).
 */
export function describeLayer(spec: LayerSpec): string {
  switch (spec.type) {
    case 'conv2d': {
      const stride = spec.stride === undefined || spec.stride === 1 ? '' : ` stride ${axes(spec.stride)}`;
      const dil = spec.dilation === undefined || spec.dilation === 1 ? '' : ` dilation ${axes(spec.dilation)}`;
      return `Conv2D ${spec.filters}@${size(spec.kernel)} ${paddingWords(spec.padding)}${stride}${dil}${act(spec.activation)}`;
    }
    case 'maxPool':
    case 'avgPool': {
      const stride =
        spec.stride === undefined || axes(spec.stride) === axes(spec.size) ? '' : ` stride ${axes(spec.stride)}`;
      const pad = spec.padding === undefined || spec.padding === 0 ? '' : ` ${paddingWords(spec.padding)}`;
      return `${spec.type === 'maxPool' ? 'Max' : 'Average'} pool ${size(spec.size)}${stride}${pad}`;
    }
    case 'flatten':
      return 'Flatten';
    case 'dense':
      return `Dense ${spec.units}${act(spec.activation)}`;
    case 'activation':
      return `Activation ${spec.activation}`;
  }
}

/** Total parameters of a summary. */
export function summaryParams(rows: readonly SummaryRow[]): number {
  return rows.reduce((s, r) => s + r.params, 0);
}
