import { EngineError, assertInt } from './errors.ts';
import { outputSize } from './output-size.ts';
import { conv2dParamCount, denseParamCount } from './params.ts';

/** Activations as Keras names them (`linear` = none). */
export type SummaryActivation = 'relu' | 'tanh' | 'linear';

/**
 * One layer of a model described as plain data, in TensorFlow's channels-last layout, for counting shapes and
 * parameters without building anything (build-time tables, and the lab's form before TensorFlow.js loads).
 */
export type SummaryLayerSpec =
  | { type: 'zeroPad'; name: string; pad: number }
  | {
      type: 'conv2d';
      name: string;
      filters: number;
      kernel: number;
      padding: 'same' | 'valid';
      activation: SummaryActivation;
    }
  | { type: 'maxPool' | 'avgPool'; name: string; size: number }
  | { type: 'flatten'; name: string }
  | { type: 'dense'; name: string; units: number; activation: SummaryActivation }
  | { type: 'dropout'; name: string; rate: number }
  | { type: 'softmax'; name: string };

/** One row of a model summary (the same fields TensorFlow.js's summary gives, per layer). */
export interface ModelSummaryRow {
  layer: string;
  /** For display, e.g. `Conv2D 6@5x5 same, relu` (the wording the TF.js lab uses). */
  kind: string;
  /** Output shape of one example: [H, W, C] or [units]. */
  outputShape: number[];
  /** Weights + biases. */
  params: number;
}

const act = (a: SummaryActivation) => (a === 'linear' ? '' : `, ${a}`);

/**
 * Output shape and parameter count of every layer, first to last.
 * @param input one example's shape [H, W, C]
 * @param layers the layers in order
 * @throws EngineError when a layer does not fit its input (e.g. a kernel larger than the map)
 */
export function summarizeLayers(
  input: readonly [number, number, number],
  layers: readonly SummaryLayerSpec[],
): ModelSummaryRow[] {
  input.forEach((d, i) => assertInt(d, 'input', `Input dimension ${i}`, 1));
  let shape: number[] = [...input];
  const rows: ModelSummaryRow[] = [];
  const spatial = (name: string): [number, number, number] => {
    if (shape.length !== 3) throw new EngineError('layers', `${name} needs an image input [H, W, C], not [${shape}].`);
    return shape as [number, number, number];
  };
  for (const l of layers) {
    let params = 0;
    let kind: string;
    switch (l.type) {
      case 'zeroPad': {
        const [h, w, c] = spatial(l.name);
        shape = [h + 2 * l.pad, w + 2 * l.pad, c];
        kind = `Zero padding ${l.pad} (${h} -> ${h + 2 * l.pad})`;
        break;
      }
      case 'conv2d': {
        const [h, w, c] = spatial(l.name);
        // Stride 1: 'same' keeps the size (TensorFlow pads as needed); 'valid' loses kernel - 1.
        const along = (n: number) => (l.padding === 'same' ? n : outputSize(n, l.kernel).size);
        shape = [along(h), along(w), l.filters];
        params = conv2dParamCount(c, l.filters, l.kernel, l.kernel);
        kind = `Conv2D ${l.filters}@${l.kernel}x${l.kernel} ${l.padding}${act(l.activation)}`;
        break;
      }
      case 'maxPool':
      case 'avgPool': {
        const [h, w, c] = spatial(l.name);
        shape = [outputSize(h, l.size, 0, l.size).size, outputSize(w, l.size, 0, l.size).size, c];
        kind = `${l.type === 'maxPool' ? 'Max' : 'Average'} pool ${l.size}x${l.size}`;
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        kind = 'Flatten';
        break;
      case 'dense': {
        if (shape.length !== 1) throw new EngineError('layers', `${l.name} needs a flat input; add a flatten layer.`);
        params = denseParamCount(shape[0]!, l.units);
        shape = [l.units];
        kind = `Dense ${l.units}${act(l.activation)}`;
        break;
      }
      case 'dropout':
        kind = `Dropout ${l.rate}`;
        break;
      case 'softmax':
        kind = 'Softmax';
        break;
    }
    rows.push({ layer: l.name, kind, outputShape: [...shape], params });
  }
  return rows;
}

/** Total parameters of a summary. */
export function summaryParams(rows: readonly ModelSummaryRow[]): number {
  return rows.reduce((s, r) => s + r.params, 0);
}
