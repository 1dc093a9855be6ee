/**
 * Batch normalisation (Ioffe & Szegedy 2015): each channel (or feature) is normalised to mean 0 and variance 1 over
 * the batch, then scaled by γ and shifted by β. Training uses the batch's own statistics; inference uses running
 * estimates collected during training, so a prediction does not depend on the other images in its batch.
 */
import { EngineError, assertFiniteResult } from './errors.ts';
import { assertFiniteTensor, assertRank, shapeString, wrap, type Tensor } from './tensor.ts';

/** Mean and variance per channel, each shape [C]. */
export interface ChannelStats {
  mean: Tensor;
  variance: Tensor;
}

export interface BatchNormOptions {
  /** 'train' (default): the batch's statistics; 'inference': `running`. */
  mode?: 'train' | 'inference';
  /** Added to the variance before the square root (default 1e-5, PyTorch's; Keras uses 1e-3). */
  eps?: number;
  /** Running statistics, required in inference mode (see updateRunningStats). */
  running?: ChannelStats;
}

/** What batchNorm returns: the output and the statistics it normalised with. */
export interface BatchNormResult {
  y: Tensor;
  /** The mean and (biased) variance used: the batch's in training, the running ones in inference. */
  mean: Tensor;
  variance: Tensor;
  /** x̂ = (x − mean) / sqrt(variance + eps), shaped like x. */
  xhat: Tensor;
  /** How many values each channel's statistics average over: B·H·W, or B for [B, F]. */
  count: number;
}

/** Channels C, values per channel and plane size for x [B, C, H, W] or [B, F]. */
function layout(x: Tensor): { B: number; C: number; plane: number } {
  if (x !== null && typeof x === 'object' && Array.isArray(x.shape) && x.shape.length === 2) {
    assertRank(x, 2, 'input', 'The input x', '[batch, features]');
    return { B: x.shape[0]!, C: x.shape[1]!, plane: 1 };
  }
  assertRank(x, 4, 'input', 'The input x', '[batch, channels, height, width] or [batch, features]');
  return { B: x.shape[0]!, C: x.shape[1]!, plane: x.shape[2]! * x.shape[3]! };
}

function checkPerChannel(t: Tensor, C: number, field: string, what: string): void {
  assertRank(t, 1, field, what, '[channels]');
  if (t.shape[0] !== C) {
    throw new EngineError(field, `${what} needs one value per channel: shape [${C}], got ${shapeString(t.shape)}.`);
  }
  assertFiniteTensor(t, field, what);
}

function options(opts: BatchNormOptions | undefined): { mode: 'train' | 'inference'; eps: number } {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) {
    throw new EngineError('options', "The options must be an object like { mode: 'train' }.");
  }
  const mode = opts?.mode ?? 'train';
  if (mode !== 'train' && mode !== 'inference') {
    throw new EngineError('mode', `mode must be 'train' or 'inference', got ${String(mode)}.`);
  }
  const eps = opts?.eps ?? 1e-5;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new EngineError('eps', `eps must be a small positive number, got ${String(eps)}.`);
  }
  return { mode, eps };
}

/** Per-channel mean and biased variance (divide by the count, as the paper's normalisation does). */
function batchStats(x: Tensor, B: number, C: number, plane: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  const m = B * plane;
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * C + c) * plane;
      for (let i = o; i < o + plane; i++) s += x.data[i]!;
    }
    const mu = s / m;
    // Two passes (mean first, then squared deviations): the one-pass E[x²] − E[x]² loses every digit when the
    // mean is large compared with the spread, which is exactly the case batch norm exists for.
    let v = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * C + c) * plane;
      for (let i = o; i < o + plane; i++) v += (x.data[i]! - mu) ** 2;
    }
    mean[c] = mu;
    variance[c] = v / m;
  }
  return { mean, variance };
}

/** The statistics batchNorm and its backward pass use, validated. */
function statistics(
  x: Tensor,
  gamma: Tensor,
  opts: BatchNormOptions | undefined,
): {
  B: number;
  C: number;
  plane: number;
  mode: 'train' | 'inference';
  eps: number;
  mean: Float64Array;
  variance: Float64Array;
} {
  const { B, C, plane } = layout(x);
  assertFiniteTensor(x, 'input', 'The input x');
  checkPerChannel(gamma, C, 'gamma', 'The scale γ');
  const { mode, eps } = options(opts);
  if (mode === 'inference') {
    const running = opts?.running;
    if (running === undefined || running === null || typeof running !== 'object') {
      throw new EngineError('running', 'Inference mode needs the running statistics { mean, variance } from training.');
    }
    checkPerChannel(running.mean, C, 'running', 'The running mean');
    checkPerChannel(running.variance, C, 'running', 'The running variance');
    if (running.variance.data.some((v) => v < 0)) {
      throw new EngineError('running', 'The running variance must not be negative.');
    }
    return { B, C, plane, mode, eps, mean: running.mean.data, variance: running.variance.data };
  }
  if (B * plane < 2) {
    throw new EngineError(
      'batch',
      'Batch normalisation in training mode needs at least 2 values per channel: with a batch of one (and a 1x1 map, or a dense layer) every value equals its mean, so the output would be 0 whatever the input.',
    );
  }
  return { B, C, plane, mode, eps, ...batchStats(x, B, C, plane) };
}

/**
 * Forward pass: y = γ · (x − μ) / sqrt(σ² + eps) + β per channel. In training μ, σ² are the batch's (over B, H and
 * W, biased variance); in inference they are `opts.running`.
 *
 * @param x shape [B, C, H, W] (per channel) or [B, F] (per feature)
 * @param gamma shape [C] @param beta shape [C]
 */
export function batchNorm(x: Tensor, gamma: Tensor, beta: Tensor, opts?: BatchNormOptions): BatchNormResult {
  const s = statistics(x, gamma, opts);
  checkPerChannel(beta, s.C, 'beta', 'The shift β');
  const y = new Float64Array(x.data.length);
  const xhat = new Float64Array(x.data.length);
  for (let c = 0; c < s.C; c++) {
    const inv = 1 / Math.sqrt(s.variance[c]! + s.eps);
    const g = gamma.data[c]!;
    const bt = beta.data[c]!;
    for (let b = 0; b < s.B; b++) {
      const o = (b * s.C + c) * s.plane;
      for (let i = o; i < o + s.plane; i++) {
        const h = (x.data[i]! - s.mean[c]!) * inv;
        xhat[i] = h;
        y[i] = g * h + bt;
      }
    }
  }
  assertFiniteResult('batchNorm', y);
  return {
    y: wrap(x.shape, y),
    mean: wrap([s.C], Float64Array.from(s.mean)),
    variance: wrap([s.C], Float64Array.from(s.variance)),
    xhat: wrap(x.shape, xhat),
    count: s.B * s.plane,
  };
}

/**
 * Backward pass for the same x, γ and options. With x̂ and 1/σ = 1/sqrt(σ² + eps), per channel over its m values:
 * dβ = Σ dy, dγ = Σ dy·x̂; in training dx = (γ/σ) · (dy − mean(dy) − x̂ · mean(dy·x̂)) (the batch mean and variance
 * depend on every x, hence the two mean terms; Ioffe & Szegedy 2015, section 3); in inference dx = (γ/σ) · dy.
 *
 * @param x shape [B, C, H, W] or [B, F] @param gamma [C] @param dy shaped like x
 * @returns dx like x, dgamma [C], dbeta [C]
 */
export function batchNormBackward(
  x: Tensor,
  gamma: Tensor,
  dy: Tensor,
  opts?: BatchNormOptions,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const s = statistics(x, gamma, opts);
  assertRank(dy, x.shape.length, 'gradient', 'The output gradient dy', shapeString(x.shape));
  if (dy.shape.some((d, i) => d !== x.shape[i])) {
    throw new EngineError(
      'gradient',
      `The output gradient dy must have the input's shape ${shapeString(x.shape)}, got ${shapeString(dy.shape)}.`,
    );
  }
  assertFiniteTensor(dy, 'gradient', 'The output gradient dy');
  const m = s.B * s.plane;
  const dx = new Float64Array(x.data.length);
  const dgamma = new Float64Array(s.C);
  const dbeta = new Float64Array(s.C);
  for (let c = 0; c < s.C; c++) {
    const inv = 1 / Math.sqrt(s.variance[c]! + s.eps);
    const mu = s.mean[c]!;
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let b = 0; b < s.B; b++) {
      const o = (b * s.C + c) * s.plane;
      for (let i = o; i < o + s.plane; i++) {
        sumDy += dy.data[i]!;
        sumDyXhat += dy.data[i]! * (x.data[i]! - mu) * inv;
      }
    }
    dbeta[c] = sumDy;
    dgamma[c] = sumDyXhat;
    const scale = gamma.data[c]! * inv;
    for (let b = 0; b < s.B; b++) {
      const o = (b * s.C + c) * s.plane;
      for (let i = o; i < o + s.plane; i++) {
        dx[i] =
          s.mode === 'train'
            ? scale * (dy.data[i]! - sumDy / m - (x.data[i]! - mu) * inv * (sumDyXhat / m))
            : scale * dy.data[i]!;
      }
    }
  }
  for (const v of [dx, dgamma, dbeta]) assertFiniteResult('batchNormBackward', v);
  return { dx: wrap(x.shape, dx), dgamma: wrap([s.C], dgamma), dbeta: wrap([s.C], dbeta) };
}

/**
 * One training step's update of the running statistics: running = momentum · running + (1 − momentum) · batch,
 * with the batch variance made unbiased (× m/(m − 1)) as the paper's inference step does (Algorithm 2; PyTorch too;
 * Keras keeps the biased one). Keras's `momentum` is this one (default 0.99); PyTorch's `momentum=0.1` is 0.9 here.
 *
 * @param running the current estimates, each [C] (start from mean 0, variance 1)
 * @param batch a training-mode result of batchNorm (its mean, variance and count)
 * @param momentum in [0, 1): how much of the old estimate to keep
 * @returns new estimates (the old ones are not changed)
 */
export function updateRunningStats(
  running: ChannelStats,
  batch: Pick<BatchNormResult, 'mean' | 'variance' | 'count'>,
  momentum = 0.9,
): ChannelStats {
  if (running === null || typeof running !== 'object' || batch === null || typeof batch !== 'object') {
    throw new EngineError('running', 'updateRunningStats needs the running statistics and a batchNorm result.');
  }
  if (typeof momentum !== 'number' || !Number.isFinite(momentum) || momentum < 0 || momentum >= 1) {
    throw new EngineError('momentum', `The momentum must be at least 0 and below 1, got ${String(momentum)}.`);
  }
  assertRank(batch.mean, 1, 'batch', 'The batch mean', '[channels]');
  const C = batch.mean.shape[0]!;
  checkPerChannel(batch.variance, C, 'batch', 'The batch variance');
  checkPerChannel(running.mean, C, 'running', 'The running mean');
  checkPerChannel(running.variance, C, 'running', 'The running variance');
  if (!Number.isInteger(batch.count) || batch.count < 2) {
    throw new EngineError('batch', `The batch statistics must average at least 2 values, got ${String(batch.count)}.`);
  }
  const unbias = batch.count / (batch.count - 1);
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    mean[c] = momentum * running.mean.data[c]! + (1 - momentum) * batch.mean.data[c]!;
    variance[c] = momentum * running.variance.data[c]! + (1 - momentum) * batch.variance.data[c]! * unbias;
  }
  return { mean: wrap([C], mean), variance: wrap([C], variance) };
}
