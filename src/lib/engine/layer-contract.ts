/**
 * The contract every layer of a Sequential model keeps (LayerSpec as plain data, Layer as built), and the parts
 * the layer files share (the forward cache, the ReLU signature, an activation fused after a linear map). It sits
 * below layers.ts and layers-weighted.ts so that neither imports the other.
 */
import { activate, activateBackward, activations, type ActivationName } from './activations.ts';
import { EngineError } from './errors.ts';
import type { ParamRef } from './optim.ts';
import type { Padding2d } from './output-size.ts';
import type { Tensor } from './tensor.ts';

/**
 * One layer of a Sequential model, as plain data (so a widget can keep it in its state and the URL, and the lab's
 * model catalogue can describe its networks once for both engines). Layer specs carry no data layout: the engine
 * runs them channels-first, TensorFlow.js channels-last, on the same sizes.
 */
export type LayerSpec = (
  | {
      type: 'conv2d';
      filters: number;
      /** Square size, or [height, width]. */
      kernel: number | [number, number];
      stride?: number | [number, number];
      padding?: Padding2d;
      dilation?: number | [number, number];
      activation?: ActivationName;
      /** Default true. */
      bias?: boolean;
    }
  | {
      type: 'maxPool' | 'avgPool';
      size: number | [number, number];
      stride?: number | [number, number];
      padding?: Padding2d;
    }
  | { type: 'flatten' }
  | { type: 'dense'; units: number; activation?: ActivationName; bias?: boolean }
  | { type: 'activation'; activation: ActivationName }
) & {
  /** The layer's name (e.g. `conv1`); Sequential names an unnamed layer `<type>_<n>` (`conv2d_1`). */
  name?: string;
};

/** A built layer working on batches: [B, ...inputShape] -> [B, ...outputShape]. */
export interface Layer {
  /** e.g. "conv2d_1". */
  readonly name: string;
  readonly type: LayerSpec['type'];
  /** Shape of one example's output (without the batch axis). */
  readonly outputShape: readonly number[];
  /** Learnable numbers in this layer. */
  readonly paramCount: number;
  /** Keeps what backward needs (the input, pre-activations, argmax). */
  forward(x: Tensor): Tensor;
  /** Takes dLoss/dOutput for the last forward batch; sets the parameter gradients, returns dLoss/dInput. */
  backward(dy: Tensor): Tensor;
  params(): ParamRef[];
  /** The discrete choices of the last forward pass (ReLU on/off, max-pool winners), for kink detection. */
  signature(): string;
}

const KINKED: ReadonlySet<ActivationName> = new Set<ActivationName>(['relu', 'leakyRelu']);

/** The value forward cached, or a readable error when backward runs first. */
export function cached<T>(value: T | null, name: string): T {
  if (value === null) throw new EngineError('backward', `${name}: call forward before backward.`);
  return value;
}

/** Sign pattern of pre-activations, for activations with a kink at 0. */
export function reluSignature(z: Tensor | null, act: ActivationName): string {
  if (z === null || !KINKED.has(act)) return '';
  let s = '';
  for (let i = 0; i < z.data.length; i++) s += z.data[i]! > 0 ? '1' : '0';
  return s;
}

/** Optional activation fused after a linear map: keeps the pre-activation z for backward. */
export class Fused {
  z: Tensor | null = null;
  readonly act: ActivationName;
  constructor(act: ActivationName, layer: string) {
    // Checked here so a typo fails when the model is built, not at the first forward pass.
    if (!Object.prototype.hasOwnProperty.call(activations, act)) {
      const names = Object.keys(activations).join(', ');
      throw new EngineError('activation', `${layer}: unknown activation "${String(act)}"; choose one of ${names}.`);
    }
    this.act = act;
  }
  forward(z: Tensor): Tensor {
    this.z = z;
    return this.act === 'identity' ? z : activate(z, this.act);
  }
  backward(dy: Tensor, name: string): Tensor {
    return this.act === 'identity' ? dy : activateBackward(cached(this.z, name), this.act, dy);
  }
}
