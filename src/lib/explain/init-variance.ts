/**
 * Why initialisation matters (Glorot & Bengio 2010, He et al. 2015): push one batch of standard-normal inputs
 * through a deep stack of dense layers (no biases) and measure, layer by layer, the variance of the activations on
 * the way up and of the gradients on the way down. With a scale that suits the activation both stay near constant;
 * otherwise they shrink or grow geometrically with depth.
 */
import { activate, activateBackward, type ActivationName } from '../engine/activations.ts';
import { dense, denseBackward } from '../engine/dense.ts';
import { EngineError, assertInt } from '../engine/errors.ts';
import { initWeights } from '../engine/init.ts';
import { Rng } from '../engine/rng.ts';
import { tensor, type Tensor } from '../engine/tensor.ts';

/** 'glorot' and 'he' as initWeights draws them; 'fixed' is a normal with the given std whatever the width. */
export type InitChoice = 'glorot' | 'he' | 'fixed';

export interface InitVarianceOptions {
  depth: number;
  width: number;
  batch: number;
  activation: ActivationName;
  init: InitChoice;
  /** Standard deviation for 'fixed'. */
  std?: number;
  seed: number;
}

/** One layer's measurements. */
export interface LayerVariance {
  /** 1-based layer number. */
  layer: number;
  /** Variance of this layer's outputs a_l over the batch and the units. */
  activation: number;
  /** Variance of ∂L/∂z_l, the gradient at this layer's pre-activations, for a standard-normal gradient at the top. */
  gradient: number;
}

export interface InitVarianceResult {
  layers: LayerVariance[];
  /** The weight variance each layer was drawn with. */
  weightVariance: number;
}

/** Limits that keep one run under ~50 ms in a browser. */
export const INIT_LIMITS = {
  depth: { min: 1, max: 30 },
  width: { min: 2, max: 128 },
  batch: { min: 2, max: 128 },
} as const;

function variance(d: Float64Array): number {
  let m = 0;
  for (const v of d) m += v;
  m /= d.length;
  let s = 0;
  for (const v of d) s += (v - m) ** 2;
  return s / d.length;
}

function fixedWeights(shape: [number, number], std: number, rng: Rng): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = std * rng.normal();
  return t;
}

/**
 * Activation and gradient variance per layer. Every width is the same, so Glorot's variance is 1/width and He's
 * 2/width; the activations' variance is measured after the nonlinearity.
 */
export function layerVariances(o: InitVarianceOptions): InitVarianceResult {
  if (o === null || typeof o !== 'object') throw new EngineError('options', 'layerVariances needs its options.');
  assertInt(o.depth, 'depth', 'The depth', INIT_LIMITS.depth.min, INIT_LIMITS.depth.max);
  assertInt(o.width, 'width', 'The width', INIT_LIMITS.width.min, INIT_LIMITS.width.max);
  assertInt(o.batch, 'batch', 'The batch size', INIT_LIMITS.batch.min, INIT_LIMITS.batch.max);
  if (o.init !== 'glorot' && o.init !== 'he' && o.init !== 'fixed') {
    throw new EngineError('init', `Unknown initialisation "${String(o.init)}"; use glorot, he or fixed.`);
  }
  const std = o.std ?? 1;
  if (o.init === 'fixed' && (typeof std !== 'number' || !Number.isFinite(std) || std <= 0 || std > 10)) {
    throw new EngineError('std', `The standard deviation must be above 0 and at most 10, got ${String(std)}.`);
  }
  const rng = new Rng(o.seed);
  const n = o.width;
  const x = tensor([o.batch, n]);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const weights = Array.from({ length: o.depth }, () =>
    o.init === 'fixed' ? fixedWeights([n, n], std, rng) : initWeights([n, n], n, n, o.init as 'glorot' | 'he', rng),
  );
  const inputs: Tensor[] = [];
  const pre: Tensor[] = [];
  const layers: LayerVariance[] = [];
  let a = x;
  for (const w of weights) {
    inputs.push(a);
    const z = dense(a, w, null);
    pre.push(z);
    a = activate(z, o.activation);
    layers.push({ layer: layers.length + 1, activation: variance(a.data), gradient: 0 });
  }
  let da = tensor(a.shape);
  for (let i = 0; i < da.data.length; i++) da.data[i] = rng.normal();
  for (let l = o.depth - 1; l >= 0; l--) {
    const dz = activateBackward(pre[l]!, o.activation, da);
    layers[l]!.gradient = variance(dz.data);
    da = denseBackward(inputs[l]!, weights[l]!, dz).dx;
  }
  const weightVariance = o.init === 'he' ? 2 / n : o.init === 'glorot' ? 1 / n : std * std;
  return { layers, weightVariance };
}
