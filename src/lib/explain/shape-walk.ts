import { assertInt, EngineError } from '../engine/errors.ts';
import type { LayerSpec } from '../engine/layers.ts';
import { describeLayer, type SummaryRow } from '../engine/model-summary.ts';
import {
  outputSize,
  pair,
  poolOutputSize,
  resolvePadding,
  type OutputSizeResult,
  type ResolvedPadding,
} from '../engine/output-size.ts';
import { conv2dParamCount, denseParamCount } from '../engine/params.ts';
import { shapeString } from '../engine/tensor.ts';

/** What one layer does to the shape of one example (no batch axis). */
export interface ShapeStep {
  /** 0-based position in the layer list. */
  index: number;
  type: LayerSpec['type'];
  /** [C, H, W] for images, [n] after flatten or dense. */
  inputShape: number[];
  outputShape: number[];
  /** Window layers (conv2d, pools): the zeros added per side, resolved ('same' becomes numbers). */
  padding: ResolvedPadding | null;
  /** Window layers: kernel (or pooling window) [height, width], stride [sy, sx], dilation [dy, dx]. */
  kernel: [number, number] | null;
  stride: [number, number] | null;
  dilation: [number, number] | null;
  /** Window layers: the sliding-window arithmetic along the height and along the width. */
  rows: OutputSizeResult | null;
  cols: OutputSizeResult | null;
}

/** The shapes through a network, up to the first layer that cannot be applied. */
export interface ShapeWalk {
  /** One entry per layer that worked, in order. */
  steps: ShapeStep[];
  /** The first layer that does not fit its input (index into the layer list), or null if all fit. */
  error: { layer: number; field: string; message: string } | null;
  /** Shape after the last layer that worked (the input shape if none did). */
  outputShape: number[];
}

/**
 * Walks an input shape through a list of layers without allocating any weights or activations: only the
 * output-size arithmetic of each layer (the same rules as conv2d, pool2d and Sequential).
 * A layer that does not fit (kernel wider than the padded input, a bad setting, a conv after flatten) stops
 * the walk; it is reported in `error` instead of thrown, so a widget can show every shape before it.
 *
 * @param inputShape [channels, height, width] of one example
 * @param layers the layer specs, first to last
 */
export function walkShapes(inputShape: readonly [number, number, number], layers: readonly LayerSpec[]): ShapeWalk {
  if (!Array.isArray(inputShape) || inputShape.length !== 3) {
    throw new EngineError('inputShape', 'The input shape must be [channels, height, width].');
  }
  inputShape.forEach((d, i) => assertInt(d, 'inputShape', ['The channel count', 'The height', 'The width'][i]!, 1));
  const steps: ShapeStep[] = [];
  let shape: number[] = [...inputShape];
  for (const [index, spec] of layers.entries()) {
    try {
      const step = stepShape(index, shape, spec);
      steps.push(step);
      shape = step.outputShape;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      return { steps, error: { layer: index, field: err.field, message: err.message }, outputShape: shape };
    }
  }
  return { steps, error: null, outputShape: shape };
}

function stepShape(index: number, inShape: number[], spec: LayerSpec): ShapeStep {
  const base = {
    index,
    type: spec.type,
    inputShape: inShape,
    padding: null,
    kernel: null,
    stride: null,
    dilation: null,
    rows: null,
    cols: null,
  };
  switch (spec.type) {
    case 'conv2d': {
      const [, H, W] = imageShape(inShape, 'A convolution');
      assertInt(spec.filters, 'filters', 'The number of filters', 1);
      const kernel = pair(spec.kernel, 'kernel', 'The kernel size', 1);
      const stride = pair(spec.stride ?? 1, 'stride', 'The stride', 1);
      const dilation = pair(spec.dilation ?? 1, 'dilation', 'The dilation', 1);
      const padding = resolvePadding(spec.padding ?? 0, H, W, kernel[0], kernel[1], stride, dilation);
      const rows = outputSize(H, kernel[0], [padding.top, padding.bottom], stride[0], dilation[0]);
      const cols = outputSize(W, kernel[1], [padding.left, padding.right], stride[1], dilation[1]);
      return {
        ...base,
        outputShape: [spec.filters, rows.size, cols.size],
        padding,
        kernel,
        stride,
        dilation,
        rows,
        cols,
      };
    }
    case 'maxPool':
    case 'avgPool': {
      const [C, H, W] = imageShape(inShape, 'Pooling');
      const kernel = pair(spec.size, 'size', 'The pooling window size', 1);
      const stride = pair(spec.stride ?? kernel, 'stride', 'The stride', 1);
      const padding = resolvePadding(spec.padding ?? 0, H, W, kernel[0], kernel[1], stride, 1);
      const rows = poolOutputSize(H, kernel[0], stride[0], [padding.top, padding.bottom]);
      const cols = poolOutputSize(W, kernel[1], stride[1], [padding.left, padding.right]);
      return {
        ...base,
        outputShape: [C, rows.size, cols.size],
        padding,
        kernel,
        stride,
        dilation: [1, 1],
        rows,
        cols,
      };
    }
    case 'flatten':
      return { ...base, outputShape: [inShape.reduce((a, d) => a * d, 1)] };
    case 'dense':
      assertInt(spec.units, 'units', 'The number of units', 1);
      // As Sequential: a dense layer reads a flat vector, so an image must be flattened first.
      if (inShape.length !== 1) {
        throw new EngineError(
          'type',
          `A dense layer needs a flat input, but its input is ${shapeString(inShape)}: put a flatten layer before it.`,
        );
      }
      return { ...base, outputShape: [spec.units] };
    case 'activation':
      return { ...base, outputShape: [...inShape] };
    default:
      throw new EngineError('type', `Unknown layer type "${String((spec as { type: unknown }).type)}".`);
  }
}

function imageShape(shape: number[], what: string): [number, number, number] {
  if (shape.length !== 3) {
    throw new EngineError(
      'type',
      `${what} needs an image [channels, height, width], but its input is ${shapeString(shape)}: put it before the flatten layer.`,
    );
  }
  return shape as [number, number, number];
}

/**
 * A model summary computed from the shape walk, without building the model: one row per layer with its name (the
 * spec's, or `<type>_<n>` as Sequential names it), `describeLayer`'s words, the output shape [C, H, W] or [n], and
 * the parameter count. Gives the same rows as `new Sequential(inputShape, layers, ...).summary()`.
 * @param inputShape [channels, height, width] of one example
 * @throws EngineError for the first layer that does not fit its input
 */
export function summarizeLayers(
  inputShape: readonly [number, number, number],
  layers: readonly LayerSpec[],
): SummaryRow[] {
  const walk = walkShapes(inputShape, layers);
  if (walk.error) throw new EngineError(walk.error.field, walk.error.message);
  const counts = new Map<string, number>();
  return walk.steps.map((step, i) => {
    const spec = layers[i]!;
    const n = (counts.get(spec.type) ?? 0) + 1;
    counts.set(spec.type, n);
    let params = 0;
    if (spec.type === 'conv2d') {
      params = conv2dParamCount(step.inputShape[0]!, spec.filters, step.kernel![0], step.kernel![1], spec.bias ?? true);
    } else if (spec.type === 'dense') {
      params = denseParamCount(step.inputShape[0]!, spec.units, spec.bias ?? true);
    }
    return {
      layer: spec.name ?? `${spec.type}_${n}`,
      kind: describeLayer(spec),
      outputShape: step.outputShape,
      params,
    };
  });
}
