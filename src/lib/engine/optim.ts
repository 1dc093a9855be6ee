import { EngineError } from './errors.ts';
import type { Tensor } from './tensor.ts';

/** One learnable tensor with the gradient of the loss for it (as `Sequential.params()` returns them). */
export interface ParamRef {
  /** Unique name, e.g. "conv2d_1.w"; optimizers key their per-parameter state by it. */
  readonly name: string;
  /** Updated in place by `step`. */
  readonly value: Tensor;
  /** Same shape as `value`; read by `step`, never changed. */
  readonly grad: Tensor;
  /** Whether L2 weight decay applies (true for weights, false for biases); default true. */
  readonly decay?: boolean;
}

/** Anything with a `step` that updates parameters from their gradients. */
export interface Optimizer {
  step(params: readonly ParamRef[]): void;
}

function checkRate(lr: number): void {
  if (!Number.isFinite(lr) || lr <= 0) {
    throw new EngineError('learningRate', `The learning rate must be a positive number, got ${String(lr)}.`);
  }
}

function checkUnit(v: number, field: string, what: string): void {
  if (!Number.isFinite(v) || v < 0 || v >= 1) {
    throw new EngineError(field, `${what} must be at least 0 and below 1, got ${String(v)}.`);
  }
}

function checkDecay(wd: number): void {
  if (!Number.isFinite(wd) || wd < 0) {
    throw new EngineError('weightDecay', `Weight decay must be a number of at least 0, got ${String(wd)}.`);
  }
}

/** Throws a readable error when a gradient is unusable, so training stops instead of spreading NaN. */
function checkParam(p: ParamRef): void {
  if (p.grad.data.length !== p.value.data.length) {
    throw new EngineError(
      'grad',
      `The gradient of ${p.name} has ${p.grad.data.length} values but the parameter has ${p.value.data.length}.`,
    );
  }
  const g = p.grad.data;
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    if (v - v !== 0) {
      throw new EngineError(
        'grad',
        `The gradient of ${p.name} became ${String(v)} (entry ${i}); training diverged. Try a smaller learning rate.`,
      );
    }
  }
}

/** The state array for `name`, made (zeros) on first use. */
function slot(map: Map<string, Float64Array>, p: ParamRef): Float64Array {
  let s = map.get(p.name);
  if (s === undefined || s.length !== p.value.data.length) {
    s = new Float64Array(p.value.data.length);
    map.set(p.name, s);
  }
  return s;
}

/**
 * Stochastic gradient descent with optional momentum and L2 weight decay (PyTorch's and TF.js's form):
 *   g' = g + weightDecay * w      (the gradient of loss + weightDecay/2 * |w|^2)
 *   v  = momentum * v + g'        (v starts at 0)
 *   w  = w - lr * v
 * With momentum 0 this is plain w -= lr * g'.
 */
export class SGD implements Optimizer {
  /** Learning rate; may be changed between steps (e.g. by a schedule or a slider). */
  lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  /** Velocity per parameter name. */
  private readonly velocity = new Map<string, Float64Array>();

  constructor(lr: number, opts: { momentum?: number; weightDecay?: number } = {}) {
    checkRate(lr);
    this.lr = lr;
    this.momentum = opts.momentum ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
    checkUnit(this.momentum, 'momentum', 'Momentum');
    checkDecay(this.weightDecay);
  }

  step(params: readonly ParamRef[]): void {
    checkRate(this.lr);
    for (const p of params) {
      checkParam(p);
      const w = p.value.data;
      const g = p.grad.data;
      const wd = p.decay === false ? 0 : this.weightDecay;
      const mu = this.momentum;
      const lr = this.lr;
      if (mu === 0) {
        for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * (g[i]! + wd * w[i]!);
        continue;
      }
      const v = slot(this.velocity, p);
      for (let i = 0; i < w.length; i++) {
        const vi = mu * v[i]! + g[i]! + wd * w[i]!;
        v[i] = vi;
        w[i] = w[i]! - lr * vi;
      }
    }
  }
}

/**
 * Adam (Kingma & Ba 2015) with L2 weight decay added to the gradient (PyTorch's `Adam(weight_decay)`, not AdamW):
 *   g' = g + weightDecay * w
 *   m = beta1 m + (1 - beta1) g';  v = beta2 v + (1 - beta2) g'^2      (both start at 0; t counts steps from 1)
 *   w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * The bias corrections make the first step w -= lr * g / (|g| + eps), i.e. lr * sign(g) when eps is small.
 */
export class Adam implements Optimizer {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Steps taken so far (the t in the bias corrections). */
  t = 0;
  private readonly m = new Map<string, Float64Array>();
  private readonly v = new Map<string, Float64Array>();

  constructor(lr = 1e-3, opts: { beta1?: number; beta2?: number; eps?: number; weightDecay?: number } = {}) {
    checkRate(lr);
    this.lr = lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    checkUnit(this.beta1, 'beta1', 'beta1');
    checkUnit(this.beta2, 'beta2', 'beta2');
    if (!Number.isFinite(this.eps) || this.eps <= 0) {
      throw new EngineError('eps', `Adam's eps must be a positive number, got ${String(this.eps)}.`);
    }
    checkDecay(this.weightDecay);
  }

  step(params: readonly ParamRef[]): void {
    checkRate(this.lr);
    for (const p of params) checkParam(p);
    this.t += 1;
    const { beta1: b1, beta2: b2, eps, lr } = this;
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    for (const p of params) {
      const w = p.value.data;
      const g = p.grad.data;
      const m = slot(this.m, p);
      const v = slot(this.v, p);
      const wd = p.decay === false ? 0 : this.weightDecay;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]! + wd * w[i]!;
        const mi = b1 * m[i]! + (1 - b1) * gi;
        const vi = b2 * v[i]! + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i]! - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    }
  }
}
