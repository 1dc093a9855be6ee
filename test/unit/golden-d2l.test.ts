/**
 * Worked examples from Dive into Deep Learning (Zhang, Lipton, Li, Smola; https://d2l.ai), chapter 7
 * "Convolutional Neural Networks". Each expected value is the output printed in the book; all were also
 * recomputed with NumPy before being pasted here.
 */
import { describe, expect, test } from 'vitest';
import { avgPool2d, conv2d, fromNested, maxPool2d, tensor, toNested } from '../../src/lib/index.ts';

/** torch.arange(n * n).reshape(n, n) as a one-channel image [1, n, n]. */
const arange = (n: number) =>
  tensor(
    [1, n, n],
    Array.from({ length: n * n }, (_, i) => i),
  );

describe('d2l.ai §7.2 Convolutions for Images', () => {
  test('corr2d(X, K), X = arange(9).reshape(3, 3), K = [[0,1],[2,3]] gives [[19,25],[37,43]]', () => {
    const K = fromNested([
      [
        [
          [0, 1],
          [2, 3],
        ],
      ],
    ]);
    expect(toNested(conv2d(arange(3), K, null))).toEqual([
      [
        [19, 25],
        [37, 43],
      ],
    ]);
  });
});

describe('d2l.ai §7.4 Multiple Input and Multiple Output Channels', () => {
  test('corr2d_multi_in, X=[2,3,3], K=[2,2,2]: the channel sums add up to [[56,72],[104,120]]', () => {
    const X = fromNested([
      [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
      ],
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ]);
    // The book's K has one kernel per input channel; the engine's kernels are [filters, channels, kh, kw].
    const K = fromNested([
      [
        [
          [0, 1],
          [2, 3],
        ],
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    expect(toNested(conv2d(X, K, null))).toEqual([
      [
        [56, 72],
        [104, 120],
      ],
    ]);
  });
});

describe('d2l.ai §7.5 Pooling', () => {
  // The book's hand-written pool2d slides its window one cell at a time (stride 1); the engine's default stride
  // is the window size, so these pass stride 1 explicitly.
  test('X = arange(9).reshape(3, 3), 2x2 max pooling with stride 1 gives [[4,5],[7,8]]', () => {
    expect(toNested(maxPool2d(arange(3), { size: 2, stride: 1 }).y)).toEqual([
      [
        [4, 5],
        [7, 8],
      ],
    ]);
  });
  test("the same X, pool2d(X, (2, 2), 'avg') gives [[2,3],[5,6]]", () => {
    expect(toNested(avgPool2d(arange(3), { size: 2, stride: 1 }).y)).toEqual([
      [
        [2, 3],
        [5, 6],
      ],
    ]);
  });
  test('X = arange(16).reshape(4, 4), nn.MaxPool2d(3, padding=1, stride=2) gives [[5,7],[13,15]]', () => {
    expect(toNested(maxPool2d(arange(4), { size: 3, padding: 1, stride: 2 }).y)).toEqual([
      [
        [5, 7],
        [13, 15],
      ],
    ]);
  });
});
