/**
 * `/bench/?mode=smoke`: walks every request of the worker protocol once on a small subset and reports what each
 * returned (or the error). A quick end-to-end check of src/ml in a real browser, used while developing the bench.
 */
import { createScratchTrainer, createTrainer, TrainerError } from '../src/ml/client.ts';
import { DEFAULT_TRAIN_CONFIG } from '../src/ml/config.ts';
import type { BackendName } from '../src/ml/protocol.ts';

export async function smoke(backend: BackendName | 'auto'): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const c = createTrainer();
  const step = async (name: string, f: () => Promise<unknown>) => {
    try {
      out[name] = await f();
    } catch (err) {
      out[name] = err instanceof TrainerError ? { error: err.code, message: err.message } : { error: String(err) };
    }
  };
  await step('init', async () => (await c.request({ type: 'init', backend })).backend);
  await step('data', async () => (await c.request({ type: 'load-data' })).train);
  await step('build', async () => (await c.request({ type: 'build', preset: 'lenet5-3x3', seed: 2 })).totalParams);
  const config = { ...DEFAULT_TRAIN_CONFIG, trainSubset: 640, epochs: 2, validationSplit: 0.1, reportEvery: 2 };
  let batches = 0;
  await step('train', async () => {
    const end = await c.request({ type: 'train', config }, (ev) => {
      if (ev.type === 'batch') batches++;
    });
    return { reason: end.reason, epochs: end.history.epochs.length, accuracy: end.evaluation.accuracy, batches };
  });
  await step('second-train-while-idle-bad-config', () =>
    c.request({ type: 'train', config: { ...config, learningRate: 0 } }),
  );
  await step('predict', async () => (await c.request({ type: 'predict', source: { testIndex: 0 } })).probs.length);
  await step('inspect', async () =>
    (await c.request({ type: 'inspect', source: { testIndex: 0 } })).layers.map((l) => `${l.layer}:${l.shape}`),
  );
  await step('kernels', async () => (await c.request({ type: 'kernels' })).shape);
  await step('save', async () => typeof (await c.request({ type: 'save' })).savedAt);
  await step('load', async () => {
    const r = await c.request({ type: 'load' });
    return { preset: r.preset, epochs: r.history?.epochs.length ?? 'no history' };
  });
  await step('export', async () => {
    const files = (await c.request({ type: 'export' })).files;
    const r = await c.request({ type: 'import', files });
    out['import'] = { preset: r.preset, epochs: r.history?.epochs.length ?? 'no history' };
    return files.map((f) => `${f.name}:${f.data.byteLength}`);
  });
  await step('import-bad', () =>
    c.request({ type: 'import', files: [{ name: 'x.json', mime: 'application/json', data: new ArrayBuffer(3) }] }),
  );
  await step('reset', async () => (await c.request({ type: 'reset-storage' })).type);
  await step('load-after-reset', () => c.request({ type: 'load' }));
  c.terminate();
  await step('scratch', async () => {
    const s = createScratchTrainer();
    let events = 0;
    const cfg = { trainSubset: 256, testSubset: 500, epochs: 1, batchSize: 32, learningRate: 0.002, seed: 1 };
    const t0 = performance.now();
    const r = await s.train(cfg, () => events++);
    s.terminate();
    return { ...r, events, imagesPerSec: 256 / ((performance.now() - t0) / 1000) };
  });
  return out;
}
