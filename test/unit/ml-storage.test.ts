// Export and import as files: a model goes out as model JSON + weights and comes back with the same predictions,
// preset and history; files that are not such a model (missing half, bad JSON, short weights, wrong shape) are
// refused with a message that says what is wrong.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/ml/model.ts';
import { exportFiles, importFiles, saveToBrowser } from '../../src/ml/model-store.ts';
import type { ExportedFile, TrainHistory } from '../../src/ml/protocol.ts';
import { MlError } from '../../src/ml/errors.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const history = {
  config: { preset: 'lenet5-3x3' },
  epochs: [],
  losses: [{ step: 1, loss: 2.3 }],
} as unknown as TrainHistory;

/** A seeded batch of two 28x28 "digits" to compare predictions on. */
function batch(): tf.Tensor4D {
  const values = Float32Array.from({ length: 2 * 784 }, (_, i) => ((i * 7919) % 256) / 255);
  return tf.tensor4d(values, [2, 28, 28, 1]);
}

async function exported(): Promise<{ files: ExportedFile[]; expected: number[] }> {
  const built = buildModel('lenet5-3x3', { seed: 7 });
  const x = batch();
  const expected = Array.from(await (built.model.predict(x) as tf.Tensor).data());
  const files = await exportFiles(built.model, 'lenet5-3x3', history);
  x.dispose();
  built.model.dispose();
  return { files, expected };
}

describe('model files', () => {
  it('lenet5-3x3 seed 7: export then import gives the same probabilities, preset and history', async () => {
    const { files, expected } = await exported();
    expect(files.map((f) => f.name)).toEqual(['convnotebook-lenet.json', 'convnotebook-lenet.weights.bin']);
    // 3x3 LeNet: 60 + 880 + 48,120 + 10,164 + 850 parameters, float32.
    expect(files[1]!.data.byteLength).toBe((60 + 880 + 48120 + 10164 + 850) * 4);
    const back = await importFiles(files);
    expect(back.preset).toBe('lenet5-3x3');
    expect(back.history).toEqual(history);
    const x = batch();
    const got = Array.from(await (back.model.predict(x) as tf.Tensor).data());
    expect(got).toEqual(expected);
    x.dispose();
    back.model.dispose();
  });

  const cases: [string, (f: ExportedFile[]) => ExportedFile[], RegExp][] = [
    ['only the JSON', (f) => [f[0]!], /choose both the \.json and the \.weights\.bin file/],
    [
      'JSON that does not parse',
      (f) => [{ ...f[0]!, data: new TextEncoder().encode('{not json').buffer as ArrayBuffer }, f[1]!],
      /is not valid JSON/,
    ],
    [
      'JSON without a topology',
      (f) => [{ ...f[0]!, data: new TextEncoder().encode('{}').buffer as ArrayBuffer }, f[1]!],
      /has no model topology or weight list/,
    ],
    [
      'weights cut short',
      (f) => [f[0]!, { ...f[1]!, data: f[1]!.data.slice(0, 1000) }],
      /holds 1000 bytes but the model needs 240296/,
    ],
  ];
  for (const [what, mangle, message] of cases) {
    it(`refuses ${what} with a clear message`, async () => {
      const { files } = await exported();
      const attempt = importFiles(mangle(files));
      await expect(attempt).rejects.toBeInstanceOf(MlError);
      await expect(importFiles(mangle(files))).rejects.toThrow(message);
    });
  }
});

describe('saving to the browser', () => {
  it('a full disk (QuotaExceededError) becomes storage-full with advice, not a crash', async () => {
    const built = buildModel('mlp-100', { seed: 1 });
    const full = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    built.model.save = () => Promise.reject(full);
    const attempt = saveToBrowser(built.model, 'mlp-100', null);
    await expect(attempt).rejects.toMatchObject({ code: 'storage-full' });
    await expect(saveToBrowser(built.model, 'mlp-100', null)).rejects.toThrow(/storage for this site is full/);
    built.model.dispose();
  });

  it('a full disk named only in the message is still storage-full', async () => {
    const built = buildModel('mlp-100', { seed: 1 });
    built.model.save = () => Promise.reject(new Error('Write failed: the disk is full'));
    await expect(saveToBrowser(built.model, 'mlp-100', null)).rejects.toMatchObject({ code: 'storage-full' });
    built.model.dispose();
  });

  for (const reason of ['the database connection is closing', 'Error reading from disk']) {
    it(`any other failure says saving failed and why: ${reason}`, async () => {
      const built = buildModel('mlp-100', { seed: 1 });
      built.model.save = () => Promise.reject(new Error(reason));
      await expect(saveToBrowser(built.model, 'mlp-100', null)).rejects.toMatchObject({ code: 'internal' });
      await expect(saveToBrowser(built.model, 'mlp-100', null)).rejects.toThrow(`Saving the model failed: ${reason}`);
      built.model.dispose();
    });
  }
});
