/**
 * Looking at a trained model: test accuracy with confusion matrix and misclassified digits, predictions, every
 * layer's feature maps for one image, and the first layer's kernels. All tensors are freed before returning.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LabelledImages } from './idx.ts';
import type { Evaluation, LayerActivation } from './protocol.ts';
import { gatherImages } from './batches.ts';
import { activationModel, firstKernels } from './model.ts';

// Images per forward pass when testing. 250 keeps each layer's activations in the CPU caches (conv1's output for
// 1,000 images is 19 MB): on wasm the 10,000 test digits take 0.6-0.9 s in chunks of 250, 2.0-2.2 s in chunks of 1,000.
const CHUNK = 250;

/** Loss and accuracy of `logits` model over images `indices` (for validation). */
export async function lossAndAccuracy(
  logits: tfl.LayersModel,
  set: LabelledImages,
  indices: Int32Array,
): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  for (let s = 0; s < indices.length; s += CHUNK) {
    const idx = indices.subarray(s, Math.min(indices.length, s + CHUNK));
    const x = gatherImages(set.pixels, idx);
    const y = Int32Array.from(idx, (i) => set.labels[i]!);
    const stats = tf.tidy(() => {
      const z = logits.predict(tf.tensor4d(x, [idx.length, 28, 28, 1])) as tf.Tensor2D;
      const labels = tf.tensor1d(y, 'int32');
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), z, undefined, undefined, tf.Reduction.SUM);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), labels), 'float32'));
      return tf.stack([loss, hits]);
    });
    const [l, h] = await stats.data();
    stats.dispose();
    lossSum += l!;
    correct += h!;
  }
  return { loss: lossSum / indices.length, accuracy: correct / indices.length };
}

/** Predicted class and its probability for every test image, in chunks so memory stays small. */
async function predictAll(
  model: tfl.LayersModel,
  set: LabelledImages,
): Promise<{ pred: Int32Array; conf: Float32Array }> {
  const pred = new Int32Array(set.count);
  const conf = new Float32Array(set.count);
  for (let s = 0; s < set.count; s += CHUNK) {
    const n = Math.min(CHUNK, set.count - s);
    const x = new Float32Array(n * 784);
    for (let i = 0; i < n * 784; i++) x[i] = set.pixels[s * 784 + i]! / 255;
    const [p, c] = tf.tidy(() => {
      const probs = model.predict(tf.tensor4d(x, [n, 28, 28, 1])) as tf.Tensor2D;
      return [tf.argMax(probs, 1), tf.max(probs, 1)];
    });
    pred.set(await p!.data(), s);
    conf.set(await c!.data(), s);
    tf.dispose([p!, c!]);
  }
  return { pred, conf };
}

/** Accuracy, 10x10 confusion matrix, per-class accuracy and the most confident mistakes on the whole test set. */
export async function evaluate(
  model: tfl.LayersModel,
  test: LabelledImages,
  maxMisclassified = 60,
): Promise<Evaluation> {
  const { pred, conf } = await predictAll(model, test);
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const wrong: number[] = [];
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    const t = test.labels[i]!;
    const p = pred[i]!;
    confusion[t]![p]!++;
    if (t === p) correct++;
    else wrong.push(i);
  }
  wrong.sort((a, b) => conf[b]! - conf[a]! || a - b);
  const perClass = confusion.map((row, k) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n === 0 ? 0 : row[k]! / n;
  });
  return {
    accuracy: correct / test.count,
    confusion,
    perClass,
    misclassified: wrong.slice(0, maxMisclassified).map((index) => ({
      index,
      label: test.labels[index]!,
      predicted: pred[index]!,
      confidence: conf[index]!,
      pixels: test.pixels.slice(index * 784, (index + 1) * 784),
    })),
  };
}

/** The 28x28 input in [0, 1] for a test index or drawn pixels; throws on a bad index or size. */
export function inputPixels(
  source: { testIndex: number } | { pixels: Float32Array },
  test: LabelledImages,
): Float32Array {
  if ('pixels' in source) {
    if (source.pixels.length !== 784)
      throw new RangeError(`A drawn digit must have 784 pixels, got ${source.pixels.length}.`);
    return source.pixels;
  }
  const i = source.testIndex;
  if (!Number.isInteger(i) || i < 0 || i >= test.count) {
    throw new RangeError(`Test digit ${i} does not exist; choose 0 to ${test.count - 1}.`);
  }
  return gatherImages(test.pixels, [i]);
}

/** Class probabilities for one image. */
export async function predictOne(model: tfl.LayersModel, pixels: Float32Array): Promise<number[]> {
  const p = tf.tidy(() => model.predict(tf.tensor4d(pixels, [1, 28, 28, 1])) as tf.Tensor);
  const out = Array.from(await p.data());
  p.dispose();
  return out;
}

/** Every layer's output for one image (input layer excluded), shapes without the batch axis. */
export async function activations(model: tfl.LayersModel, pixels: Float32Array): Promise<LayerActivation[]> {
  const probe = activationModel(model);
  const outs = tf.tidy(() => probe.predict(tf.tensor4d(pixels, [1, 28, 28, 1])) as tf.Tensor[]);
  const names = model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
  const result: LayerActivation[] = [];
  for (let i = 0; i < outs.length; i++) {
    const t = outs[i]!;
    result.push({ layer: names[i]!, shape: t.shape.slice(1), data: (await t.data()) as Float32Array });
  }
  tf.dispose(outs);
  return result;
}

/** The first conv layer's kernels ([kh, kw, in, filters]) or null for an MLP. */
export async function kernels(model: tfl.LayersModel): Promise<{ shape: number[]; data: Float32Array } | null> {
  const k = firstKernels(model);
  return k ? { shape: k.shape, data: (await k.data()) as Float32Array } : null;
}
