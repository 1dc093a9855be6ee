/** The benchmark's LeNet in TensorFlow.js ops (NHWC), with the same weights as the engine's model. */
import * as tf from '@tensorflow/tfjs-core';
import type { Sequential } from '../src/lib/engine/network.ts';
import type { Tensor as EngineTensor } from '../src/lib/engine/tensor.ts';

/** [K, C, kh, kw] (engine) -> [kh, kw, C, K] (TF.js filter layout). */
function convFilter(w: EngineTensor): tf.Tensor4D {
  const [K, C, kh, kw] = w.shape as [number, number, number, number];
  const out = new Float32Array(w.data.length);
  for (let k = 0; k < K; k++)
    for (let c = 0; c < C; c++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) out[((y * kw + x) * C + c) * K + k] = w.data[((k * C + c) * kh + y) * kw + x]!;
  return tf.tensor4d(out, [kh, kw, C, K]);
}

/**
 * [out, in] (engine) -> [in, out] for x·W. `chw` reorders the inputs of the first dense layer: the engine
 * flattens [C, H, W], TF.js flattens [H, W, C].
 */
function denseMatrix(w: EngineTensor, chw?: [number, number, number]): tf.Tensor2D {
  const [m, n] = w.shape as [number, number];
  const out = new Float32Array(w.data.length);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      let t = i;
      if (chw) {
        const [C, H, W] = chw;
        const c = Math.floor(i / (H * W));
        const h = Math.floor(i / W) % H;
        t = (h * W + (i % W)) * C + c;
      }
      out[t * m + j] = w.data[j * n + i]!;
    }
  }
  return tf.tensor2d(out, [n, m]);
}

/** The engine model's weights in TF.js layouts: [w1, b1, w2, b2, d1, c1, d2, c2, d3, c3]. */
export function lenetWeights(model: Sequential): tf.Tensor[] {
  const p = model.params();
  const get = (name: string): EngineTensor => {
    const hit = p.find((q) => q.name === name);
    if (!hit) throw new Error(`missing ${name}`);
    return hit.value;
  };
  const bias = (name: string): tf.Tensor1D => tf.tensor1d(Float32Array.from(get(name).data));
  return [
    convFilter(get('conv1.w')),
    bias('conv1.b'),
    convFilter(get('conv2.w')),
    bias('conv2.b'),
    denseMatrix(get('dense120.w'), [16, 5, 5]),
    bias('dense120.b'),
    denseMatrix(get('dense84.w')),
    bias('dense84.b'),
    denseMatrix(get('output.w')),
    bias('output.b'),
  ];
}

/** Mean softmax cross-entropy of LeNet on x [B, 28, 28, 1] against one-hot labels. */
export function lenetLoss(x: tf.Tensor4D, onehot: tf.Tensor2D, ws: tf.Tensor[]): tf.Scalar {
  const [w1, b1, w2, b2, d1, c1, d2, c2, d3, c3] = ws as [
    tf.Tensor4D,
    tf.Tensor1D,
    tf.Tensor4D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
  ];
  let a: tf.Tensor4D = tf.relu(tf.add(tf.conv2d(x, w1, 1, 'same'), b1));
  a = tf.maxPool(a, 2, 2, 'valid');
  a = tf.relu(tf.add(tf.conv2d(a, w2, 1, 'valid'), b2));
  a = tf.maxPool(a, 2, 2, 'valid');
  let h: tf.Tensor2D = tf.reshape(a, [x.shape[0], 400]);
  h = tf.relu(tf.add(tf.matMul(h, d1), c1));
  h = tf.relu(tf.add(tf.matMul(h, d2), c2));
  const logits = tf.add(tf.matMul(h, d3), c3);
  return tf.losses.softmaxCrossEntropy(onehot, logits);
}
