import { EngineError, assertFiniteResult } from './errors.ts';
import { assertFiniteTensor, assertRank, assertSameShape, assertTensor, wrap, type Tensor } from './tensor.ts';

function rows(logits: Tensor): { B: number; n: number } {
  if (logits?.shape?.length === 1) assertRank(logits, 1, 'logits', 'The logits', '[classes]');
  else assertRank(logits, 2, 'logits', 'The logits', '[batch, classes] (or [classes])');
  assertFiniteTensor(logits, 'logits', 'The logits');
  const n = logits.shape[logits.shape.length - 1]!;
  return { B: logits.data.length / n, n };
}

/** Row-wise softmax of z/T into out; subtracting the row max first keeps exp() from overflowing. */
function softmaxInto(z: Float64Array, B: number, n: number, temperature: number, out: Float64Array): void {
  for (let b = 0; b < B; b++) {
    const r = b * n;
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, z[r + i]!);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp((z[r + i]! - max) / temperature);
      out[r + i] = e;
      total += e;
    }
    for (let i = 0; i < n; i++) out[r + i] = out[r + i]! / total;
  }
}

/**
 * Softmax with temperature: p_i = exp(z_i / T) / sum_j exp(z_j / T), row by row.
 * High T flattens the distribution, low T sharpens it toward the largest logit.
 * @param logits [B, n] or [n] @param temperature > 0 @returns same shape, each row sums to 1
 */
export function softmax(logits: Tensor, temperature = 1): Tensor {
  const { B, n } = rows(logits);
  if (!Number.isFinite(temperature) || temperature <= 0) {
    throw new EngineError('temperature', `The temperature must be a positive number, got ${String(temperature)}.`);
  }
  const out = new Float64Array(B * n);
  softmaxInto(logits.data, B, n, temperature, out);
  return wrap(logits.shape, out);
}

function checkLabels(labels: readonly number[], B: number, n: number): void {
  if (!Array.isArray(labels) || labels.length !== B) {
    throw new EngineError(
      'labels',
      `Give one label per example: ${B} expected, got ${Array.isArray(labels) ? labels.length : 'none'}.`,
    );
  }
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0 || l >= n) {
      throw new EngineError('labels', `Label ${i} is ${String(l)}; labels must be class numbers from 0 to ${n - 1}.`);
    }
  });
}

/**
 * Mean cross-entropy of softmax(logits) against integer labels: L = -(1/B) sum_b log p[b, label_b].
 * Computed as log-sum-exp minus the true logit, so it is finite even when p underflows.
 * @param logits [B, n] (or [n] with one label) @param labels B class indices
 * @returns loss, probs [B, n], dlogits = (p - onehot) / B
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  labels: readonly number[],
): { loss: number; probs: Tensor; dlogits: Tensor } {
  const { B, n } = rows(logits);
  checkLabels(labels, B, n);
  const z = logits.data;
  const probs = new Float64Array(B * n);
  softmaxInto(z, B, n, 1, probs);
  const dlogits = new Float64Array(B * n);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const r = b * n;
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, z[r + i]!);
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.exp(z[r + i]! - max);
    const label = labels[b]!;
    loss += max + Math.log(total) - z[r + label]!;
    for (let i = 0; i < n; i++) dlogits[r + i] = (probs[r + i]! - (i === label ? 1 : 0)) / B;
  }
  // The loss is max + log(sum) - z[label]: logits near ±1.8e308 on both sides make it overflow (p and dlogits
  // stay in [-1, 1] always).
  assertFiniteResult('softmaxCrossEntropy', [loss]);
  return { loss: loss / B, probs: wrap(logits.shape, probs), dlogits: wrap(logits.shape, dlogits) };
}

/**
 * Squared error L = 1/2 sum (t - o)^2 over every entry (not averaged), so dL/do = o - t.
 * @param output any shape @param target same shape
 */
export function squaredError(output: Tensor, target: Tensor): { loss: number; doutput: Tensor } {
  assertTensor(output, 'output', 'The output');
  assertTensor(target, 'target', 'The target');
  assertSameShape(output?.shape ?? [], target?.shape ?? [], 'target', "The target must have the output's shape");
  assertFiniteTensor(output, 'output', 'The output');
  assertFiniteTensor(target, 'target', 'The target');
  const d = new Float64Array(output.data.length);
  let loss = 0;
  for (let i = 0; i < d.length; i++) {
    const diff = output.data[i]! - target.data[i]!;
    d[i] = diff;
    loss += 0.5 * diff * diff;
  }
  // The loss squares each difference, so it overflows long before the differences do; checking it covers both.
  assertFiniteResult('squaredError', [loss]);
  return { loss, doutput: wrap(output.shape, d) };
}

/**
 * Squared error on softmax outputs against one-hot labels, L = (1/B) sum_b 1/2 sum_i (y_i - p_i)^2, and its
 * gradient through the softmax Jacobian dp_i/dz_j = p_i (delta_ij - p_j):
 * dL/dz_j = p_j ((p_j - y_j) - sum_i (p_i - y_i) p_i) / B. Unlike cross-entropy's p - y, it vanishes when
 * p saturates at the wrong class, which is why classifiers use cross-entropy.
 * @param logits [B, n] (or [n]) @param labels B class indices
 */
export function softmaxSquaredErrorGrad(
  logits: Tensor,
  labels: readonly number[],
): { loss: number; probs: Tensor; dlogits: Tensor } {
  const { B, n } = rows(logits);
  checkLabels(labels, B, n);
  const p = new Float64Array(B * n);
  softmaxInto(logits.data, B, n, 1, p);
  const dz = new Float64Array(B * n);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const r = b * n;
    let dot = 0;
    for (let i = 0; i < n; i++) {
      const e = p[r + i]! - (i === labels[b] ? 1 : 0);
      loss += 0.5 * e * e;
      dot += e * p[r + i]!;
    }
    for (let j = 0; j < n; j++) {
      const e = p[r + j]! - (j === labels[b] ? 1 : 0);
      dz[r + j] = (p[r + j]! * (e - dot)) / B;
    }
  }
  return { loss: loss / B, probs: wrap(logits.shape, p), dlogits: wrap(logits.shape, dz) };
}
