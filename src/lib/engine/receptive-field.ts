import { EngineError, assertInt } from './errors.ts';

/** One sliding-window layer (conv or pool) along one axis, as far as the receptive field is concerned. */
export interface WindowLayer {
  /** Kernel (or pooling window) size, >= 1. */
  kernel: number;
  /** Step between windows, >= 1 (default 1). */
  stride?: number;
  /** Gap between kernel taps, >= 1 (default 1). */
  dilation?: number;
}

/** The receptive field after one layer of a stack. */
export interface ReceptiveFieldStep {
  /** How many input pixels (along one axis) one output of this layer sees. */
  size: number;
  /** Distance, in input pixels, between the fields of two neighbouring outputs of this layer (product of strides). */
  jump: number;
}

/** Receptive field of a stack of layers: the last layer's field, and every layer's on the way. */
export interface ReceptiveFieldResult extends ReceptiveFieldStep {
  layers: ReceptiveFieldStep[];
}

/**
 * Receptive field of a stack of sliding-window layers along one axis (padding moves the field, it does not grow it).
 * Each layer widens the field by (kernel - 1) * dilation of its own input's steps, and an input step of layer l is
 * the product of the strides before it:
 *   size_l = size_{l-1} + (k_l - 1) * d_l * jump_{l-1},   jump_l = jump_{l-1} * s_l,   size_0 = jump_0 = 1.
 * Two 3x3 layers at stride 1 see 5x5, like one 5x5 layer; three see 7x7.
 *
 * @param layers first layer first; at least one
 */
export function receptiveField(layers: readonly WindowLayer[]): ReceptiveFieldResult {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new EngineError('layers', 'The receptive field needs at least one layer.');
  }
  let size = 1;
  let jump = 1;
  const steps: ReceptiveFieldStep[] = [];
  layers.forEach((layer, i) => {
    const n = i + 1;
    if (layer === null || typeof layer !== 'object') {
      throw new EngineError('layers', `Layer ${n} must be an object with a kernel size.`);
    }
    const { kernel, stride = 1, dilation = 1 } = layer;
    assertInt(kernel, 'kernel', `The kernel size of layer ${n}`, 1, 10_000);
    assertInt(stride, 'stride', `The stride of layer ${n}`, 1, 10_000);
    assertInt(dilation, 'dilation', `The dilation of layer ${n}`, 1, 10_000);
    size += (kernel - 1) * dilation * jump;
    jump *= stride;
    steps.push({ size, jump });
  });
  return { size, jump, layers: steps };
}
