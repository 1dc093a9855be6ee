/**
 * `npm run bench:engine`: forward + backward of the 28x28 LeNet (conv 6@5x5 same + ReLU, max-pool 2,
 * conv 16@5x5 valid + ReLU, max-pool 2, dense 120, 84, 10, softmax cross-entropy) on a batch of 64, in the
 * engine (float64) and in TensorFlow.js's `cpu` and `wasm` backends (float32) on the same weights and images.
 * The wasm backend runs with the site's own training kernels (see registerWasmTrainingKernels below), as the
 * course's training does, so its row is labelled "tfjs wasm (float32, + site kernels)".
 * The contenders take turns window by window, so a busy machine slows them alike. Prints images/s (median of
 * the windows) and the ratios, then LeNet's two conv layers (forward + backward) by the engine's direct loops against its
 * im2col + GEMM path; writes bench/results/engine.json. `--quick` is a smoke test, not a measurement.
 * Run through the script in package.json: esbuild bundles it so TF.js's gradients and backends share one tfjs-core.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// TF.js's gradients live in the ESM build only; the bundle keeps a single copy of tfjs-core.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { conv2dBatch, conv2dBatchBackward, type Conv2dOptions } from '../src/lib/engine/conv2d.ts';
import { conv2dGemm, conv2dGemmBackward } from '../src/lib/engine/conv2d-gemm.ts';
import { softmaxCrossEntropy } from '../src/lib/engine/loss.ts';
import { Sequential } from '../src/lib/engine/network.ts';
import { Rng, randomTensor } from '../src/lib/engine/rng.ts';
import type { Tensor } from '../src/lib/engine/tensor.ts';
// TF.js 4.22's wasm backend has no Conv2DBackpropFilter kernel, so it cannot train a conv net ("Kernel
// 'Conv2DBackpropFilter' not registered"). registerWasmTrainingKernels adds the site's own, built from the backend's
// XNNPACK Conv2D, and swaps in faster MaxPoolGrad and stride-1 Conv2DBackpropInput kernels: the wasm figure measures
// TF.js wasm plus these site kernels, as the course trains with them.
import { registerWasmTrainingKernels } from '../src/ml/wasm-kernels.ts';
import { engineModel } from '../src/ml/presets.ts';
import { lenetLoss, lenetWeights } from './lenet-tfjs.ts';

const BATCH = 64;
const SEED = 20261125;
const quick = process.argv.includes('--quick');
const WINDOWS = quick ? 3 : 7;
const WINDOW_MS = quick ? 200 : 1500;

/** The printed name of a TF.js contender; the wasm one says it runs with the site's kernels. */
const tfName = (backend: 'cpu' | 'wasm'): string =>
  backend === 'wasm' ? 'tfjs wasm (float32, + site kernels)' : 'tfjs cpu (float32)';

/** A contender: its name, the backend to activate before its turn (none for the engine), one training step. */
interface Runner {
  name: string;
  backend: 'cpu' | 'wasm' | null;
  step: () => void;
  windows: number[];
  /** Filled after timing: loss and the conv weight gradients, to show the networks really are the same. */
  check: () => { loss: number; convGrads: ArrayLike<number>[] };
}

/** The lab's modern LeNet-5, from the model catalogue, in the engine, with either conv path (same weights). */
function lenet(conv: 'direct' | 'gemm' = 'direct'): Sequential {
  const { inputShape, layers } = engineModel('lenet5');
  return new Sequential(inputShape, layers, { seed: SEED, conv });
}

/** The printed name of an engine contender: its conv path (the lab's from-scratch run uses im2col + GEMM). */
const engineName = (conv: 'direct' | 'gemm'): string =>
  conv === 'gemm' ? 'engine (float64, im2col + GEMM)' : 'engine (float64, direct loops)';

function engineRunner(model: Sequential, x: Tensor, labels: number[], conv: 'direct' | 'gemm'): Runner {
  let loss = NaN;
  const step = (): void => {
    const r = softmaxCrossEntropy(model.forward(x), labels);
    model.backward(r.dlogits);
    loss = r.loss;
  };
  const grads = ['conv1.w', 'conv2.w'].map((n) => model.params().find((p) => p.name === n)!.grad.data);
  return { name: engineName(conv), backend: null, step, windows: [], check: () => ({ loss, convGrads: grads }) };
}

/** Sets up one TF.js backend; throws (caught by the caller) if it cannot train this network. */
async function tfRunner(backend: 'cpu' | 'wasm', model: Sequential, x: Tensor, labels: number[]): Promise<Runner> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') returned false`);
  await tf.ready();
  const xs = tf.tensor4d(Float32Array.from(x.data), [BATCH, 28, 28, 1]); // one channel: NCHW and NHWC coincide
  const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32') as tf.Tensor2D;
  const ws = lenetWeights(model);
  const gradFn = tf.grads((...args: tf.Tensor[]) => lenetLoss(xs, onehot, args));
  let convGrads: ArrayLike<number>[] = [];
  const step = (): void =>
    tf.tidy(() => {
      const gs = gradFn(ws);
      for (const g of gs) g.dataSync(); // cpu and wasm run eagerly; reading every gradient makes that certain
      convGrads = [fromHwio(gs[0]!), fromHwio(gs[2]!)];
    });
  step(); // fails here, before timing, if a kernel or gradient is missing
  const check = () => ({ loss: tf.tidy(() => lenetLoss(xs, onehot, ws).dataSync()[0]!), convGrads });
  return { name: tfName(backend), backend, step, windows: [], check };
}

/** TF.js filter layout [kh, kw, C, K] back to the engine's [K, C, kh, kw]. */
function fromHwio(t: tf.Tensor): Float64Array {
  const [kh, kw, C, K] = t.shape as [number, number, number, number];
  const d = t.dataSync();
  const out = new Float64Array(d.length);
  for (let k = 0; k < K; k++)
    for (let c = 0; c < C; c++)
      for (let y = 0; y < kh; y++)
        for (let z = 0; z < kw; z++) out[((k * C + c) * kh + y) * kw + z] = d[((y * kw + z) * C + c) * K + k]!;
  return out;
}

/** max |a - b| / max |a|. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return diff / scale;
}

async function timeWindow(r: Runner): Promise<void> {
  if (r.backend !== null) await tf.setBackend(r.backend);
  r.step(); // warm the caches after the switch
  let n = 0;
  const t0 = performance.now();
  let dt: number;
  do {
    r.step();
    n++;
    dt = performance.now() - t0;
  } while (dt < WINDOW_MS);
  r.windows.push((n * BATCH * 1000) / dt);
}

interface Result {
  name: string;
  imagesPerSecond: number;
  msPerBatch: number;
  windows: number[];
  loss: number;
  lossRelDiff: number;
  convGradRelDiff: number;
}

/** One conv layer of the LeNet above, timed forward + backward by the direct loops and by im2col + GEMM. */
interface ConvLayerResult {
  layer: string;
  direct: number;
  gemm: number;
  /** gemm / direct (images/s): above 1 means the GEMM path is faster. */
  ratio: number;
  /** Largest |direct − gemm| over y, dx and dw, relative to the largest |direct|: the two compute the same thing. */
  maxRelDiff: number;
}

/** The engine's two conv paths on LeNet's conv layers, taking turns window by window like the contenders above. */
function timeConvLayers(rng: Rng): ConvLayerResult[] {
  const layers: { layer: string; x: Tensor; w: Tensor; opts: Conv2dOptions }[] = [
    {
      layer: 'conv1 6@5x5 same on [64,1,28,28]',
      x: randomTensor([BATCH, 1, 28, 28], rng, 0, 1),
      w: randomTensor([6, 1, 5, 5], rng),
      opts: { padding: 'same' },
    },
    {
      layer: 'conv2 16@5x5 valid on [64,6,14,14]',
      x: randomTensor([BATCH, 6, 14, 14], rng),
      w: randomTensor([16, 6, 5, 5], rng),
      opts: { padding: 'valid' },
    },
  ];
  return layers.map(({ layer, x, w, opts }) => {
    const dy = randomTensor(conv2dBatch(x, w, null, opts).shape, rng);
    const paths = {
      direct: () => [conv2dBatch(x, w, null, opts), ...Object.values(conv2dBatchBackward(x, w, dy, opts))],
      gemm: () => [conv2dGemm(x, w, null, opts), ...Object.values(conv2dGemmBackward(x, w, dy, opts))],
    };
    const windows: Record<'direct' | 'gemm', number[]> = { direct: [], gemm: [] };
    for (let i = 0; i < WINDOWS; i++) {
      for (const key of ['direct', 'gemm'] as const) {
        paths[key]();
        let n = 0;
        const t0 = performance.now();
        let dt: number;
        do {
          paths[key]();
          n++;
          dt = performance.now() - t0;
        } while (dt < WINDOW_MS / 2);
        windows[key].push((n * BATCH * 1000) / dt);
      }
    }
    const a = paths.direct();
    const b = paths.gemm();
    const maxRelDiff = Math.max(...a.map((t, i) => relDiff(t.data, b[i]!.data)));
    const direct = Math.round(median(windows.direct));
    const gemm = Math.round(median(windows.gemm));
    return { layer, direct, gemm, ratio: Number((gemm / direct).toFixed(2)), maxRelDiff };
  });
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function main(): Promise<void> {
  const model = lenet();
  const rng = new Rng(SEED + 1);
  const x = randomTensor([BATCH, 1, 28, 28], rng, 0, 1);
  x.data.set(Float32Array.from(x.data)); // float32-representable, so both engines see the same images
  const labels = Array.from({ length: BATCH }, () => rng.int(0, 10));
  setWasmPaths(path.join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
  registerWasmTrainingKernels();
  const runners: Runner[] = [engineRunner(model, x, labels, 'direct'), engineRunner(lenet('gemm'), x, labels, 'gemm')];
  const failed: Record<string, string> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    try {
      runners.push(await tfRunner(backend, model, x, labels));
    } catch (e) {
      failed[backend] = e instanceof Error ? e.message : String(e);
    }
  }
  for (let w = 0; w < WINDOWS; w++) for (const r of runners) await timeWindow(r);

  const convLayers = timeConvLayers(new Rng(SEED + 2));

  const engine = runners[0]!;
  const ref = engine.check();
  const results: Result[] = [];
  for (const r of runners) {
    if (r.backend !== null) await tf.setBackend(r.backend);
    const ips = median(r.windows);
    const c = r.check();
    results.push({
      name: r.name,
      imagesPerSecond: Math.round(ips),
      msPerBatch: Number(((BATCH * 1000) / ips).toFixed(1)),
      windows: r.windows.map(Math.round),
      loss: c.loss,
      lossRelDiff: Math.abs(c.loss - ref.loss) / Math.abs(ref.loss),
      convGradRelDiff: Math.max(...c.convGrads.map((g, i) => relDiff(ref.convGrads[i]!, g))),
    });
  }
  const ips = (backend: 'cpu' | 'wasm'): number | null =>
    results.find((r) => r.name === tfName(backend))?.imagesPerSecond ?? null;
  const ratio = (backend: 'cpu' | 'wasm', engine = results[0]!): number | null => {
    const other = ips(backend);
    return other === null ? null : Number((engine.imagesPerSecond / other).toFixed(2));
  };
  const gemm = results[1]!;
  const out = [
    `LeNet 28x28 forward+backward, batch ${BATCH}, seed ${SEED}: median of ${WINDOWS} interleaved windows of >= ${WINDOW_MS} ms` +
      (quick ? ' (--quick smoke test)' : ''),
    ...results.map(
      (r) =>
        `${r.name.padEnd(36)} ${String(r.imagesPerSecond).padStart(6)} img/s ${r.msPerBatch.toFixed(1).padStart(8)} ms/batch` +
        `  windows ${r.windows.join(', ')}  loss ${r.loss.toFixed(6)}` +
        (r.name === engine.name
          ? ''
          : ` (rel diff ${r.lossRelDiff.toExponential(1)}, conv dW ${r.convGradRelDiff.toExponential(1)})`),
    ),
    ...Object.entries(failed).map(([b, why]) => `${tfName(b as 'cpu' | 'wasm').padEnd(36)} FAILED: ${why}`),
    `engine direct / cpu:  ${ratio('cpu') ?? 'n/a'}   engine GEMM / cpu:  ${ratio('cpu', gemm) ?? 'n/a'}`,
    `engine direct / wasm: ${ratio('wasm') ?? 'n/a'}   engine GEMM / wasm: ${ratio('wasm', gemm) ?? 'n/a'}`,
    `engine GEMM / direct: ${(gemm.imagesPerSecond / results[0]!.imagesPerSecond).toFixed(2)} (whole network)`,
    `engine conv layers, forward + backward, batch ${BATCH} (images/s): direct loops against im2col + GEMM`,
    ...convLayers.map(
      (c) =>
        `  ${c.layer.padEnd(36)} direct ${String(c.direct).padStart(6)}  gemm ${String(c.gemm).padStart(6)}  gemm/direct ${c.ratio}` +
        `  (max rel diff ${c.maxRelDiff.toExponential(1)})`,
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    loadAverage: os.loadavg(),
    quick,
    batch: BATCH,
    seed: SEED,
    windows: WINDOWS,
    windowMs: WINDOW_MS,
    network: model.summary(),
    results,
    failed,
    ratios: {
      engineOverCpu: ratio('cpu'),
      engineOverWasm: ratio('wasm'),
      engineGemmOverCpu: ratio('cpu', gemm),
      engineGemmOverWasm: ratio('wasm', gemm),
      engineGemmOverDirect: Number((gemm.imagesPerSecond / results[0]!.imagesPerSecond).toFixed(2)),
    },
    convLayers,
  };
  const dir = path.join(process.cwd(), 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'engine.json'), `${JSON.stringify(json, null, 2)}\n`);
}

void main();
