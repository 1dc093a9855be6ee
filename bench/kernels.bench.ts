// `npm run bench:kernels [-- batch]`: where a LeNet-5 training step spends its time on TF.js wasm in Node, kernel by
// kernel (tf.profile), with the site's kernels (src/ml/wasm-kernels.ts) and, beside them, the backend's own kernels
// for the ones the site replaces, so each replacement's gain is measured, not remembered.
// Prints a table: kernel, ms per step (site kernels), ms per step (backend's own), the wall time per step, and the
// Adam update of all the weights (the site's fused-adam.ts beside tf.train.adam).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
import os from 'node:os';
import { buildModel } from '../src/ml/model.ts';
import { registerWasmTrainingKernels, useOwnWasmKernels } from '../src/ml/wasm-kernels.ts';
import { shardGradients } from '../src/ml/gradients.ts';
import { makeAdam } from '../src/ml/fused-adam.ts';
import { Rng } from '../src/lib/engine/index.ts';

const batch = Number(process.argv[2] ?? 32);
const REPS = 40;

async function profileStep(): Promise<{ perKernel: Map<string, number>; wallMs: number }> {
  const built = buildModel('lenet5', { seed: 1, dropout: 0 });
  const rng = new Rng(7);
  const x = Float32Array.from({ length: batch * 784 }, () => rng.next());
  const y = Int32Array.from({ length: batch }, () => Math.floor(rng.next() * 10));
  for (let i = 0; i < 15; i++) shardGradients(built, x, y, batch, 0);
  const perKernel = new Map<string, number>();
  for (let r = 0; r < REPS; r++) {
    const p = await tf.profile(() => void shardGradients(built, x, y, batch, 0));
    for (const k of p.kernels) perKernel.set(k.name, (perKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs) / REPS);
  }
  const t = performance.now();
  for (let r = 0; r < REPS; r++) shardGradients(built, x, y, batch, 0);
  const wallMs = (performance.now() - t) / REPS;
  built.model.dispose();
  return { perKernel, wallMs };
}

/**
 * ms per Adam update of all of LeNet-5's weights from one fixed gradient: `make`'s optimizer, mean of 200 after 20
 * unmeasured (the train loop's update; the gradient itself is timed above).
 */
function adamUpdateMs(make: () => tf.Optimizer): number {
  const built = buildModel('lenet5', { seed: 1, dropout: 0 });
  const vars = built.logits.trainableWeights.map((w) => w.read() as tf.Variable);
  const grads: tf.NamedTensorMap = {};
  for (const v of vars) grads[v.name] = tf.mul(tf.onesLike(v), 1e-3);
  const opt = make();
  for (let i = 0; i < 20; i++) opt.applyGradients(grads);
  const t = performance.now();
  for (let i = 0; i < 200; i++) opt.applyGradients(grads);
  const ms = (performance.now() - t) / 200;
  opt.dispose();
  tf.dispose(Object.values(grads));
  built.model.dispose();
  return ms;
}

async function main(): Promise<void> {
  // Bundled, the backend looks for its .wasm beside the bundle: point it at the package.
  setWasmPaths(path.join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
  await tf.setBackend('wasm');
  // The backend's own kernels first (Conv2DBackpropFilter has none, so the site's is registered either way).
  registerWasmTrainingKernels();
  const restore = useOwnWasmKernels();
  const own = await profileStep();
  restore();
  const site = await profileStep();
  const rows = [...site.perKernel].sort((a, b) => b[1] - a[1]);
  const f = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(3));
  console.log(
    `LeNet-5 training step (gradient of one batch of ${batch}) on TF.js wasm in Node ${process.version}, ` +
      `${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}; ms per step, mean of ${REPS}`,
  );
  console.log("| kernel | site kernels | backend's own |\n|---|---|---|");
  for (const [name, ms] of rows) if (ms >= 0.01) console.log(`| ${name} | ${f(ms)} | ${f(own.perKernel.get(name))} |`);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  console.log(`| all kernels | ${f(sum(site.perKernel))} | ${f(sum(own.perKernel))} |`);
  console.log(`| wall time per step | ${f(site.wallMs)} | ${f(own.wallMs)} |`);
  // The update: the site's one-call Adam (fused-adam.ts) beside TF.js's, alternated, best of 3 each.
  const fused: number[] = [];
  const tfjs: number[] = [];
  for (let r = 0; r < 3; r++) {
    fused.push(adamUpdateMs(() => makeAdam(0.003, 0.9, 0.999, 1e-7)));
    tfjs.push(adamUpdateMs(() => tf.train.adam(0.003, 0.9, 0.999, 1e-7)));
  }
  console.log(`| Adam update (not in the rows above) | ${f(Math.min(...fused))} | ${f(Math.min(...tfjs))} |`);
  console.log(
    `| images/s | ${((batch * 1000) / site.wallMs).toFixed(0)} | ${((batch * 1000) / own.wallMs).toFixed(0)} |`,
  );
}

void main();
