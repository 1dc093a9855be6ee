/**
 * Short answers for self-checks, computed by the engine so the page never types a number by hand:
 * `<SelfCheck question="…" answer={answers.conv1dLengths(10, 4)} labels={['full', 'same', 'valid']}>`.
 * Chapters import this from the barrel with the components.
 */
import {
  conv1d,
  conv2d,
  conv1dLength,
  conv2dParamCount,
  denseParamCount,
  fromNested,
  outputSize,
  poolOutputSize,
  pool2dBackward,
  receptiveField,
  relu,
  reluBackward,
  softmaxCrossEntropy,
  type PoolKind,
} from '../../src/lib/index.ts';

export const answers = {
  /** Lengths of the full, same and valid 1D convolution of lengths n and k. */
  conv1dLengths: (n: number, k: number): number[] => [
    conv1dLength(n, k, 'full'),
    conv1dLength(n, k, 'same'),
    conv1dLength(n, k, 'valid'),
  ],
  /** Entry `at` of the full 1D convolution of x and w. */
  conv1dEntry: (x: number[], w: number[], at = 0): number => conv1d(x, w, { mode: 'full' }).y[at]!,
  /** Output size along one axis. */
  outputSize: (i: number, k: number, p = 0, s = 1, d = 1): number => outputSize(i, k, p, s, d).size,
  /** True when the windows of a size-k kernel at stride s (no padding) read every one of i inputs. */
  everyInputRead: (i: number, k: number, s: number): boolean => outputSize(i, k, 0, s).remainder === 0,
  /** Output (row, col) of the valid 2D cross-correlation of x with w. */
  corr2dCell: (x: number[][], w: number[][], row: number, col: number): number => {
    const y = conv2d(fromNested([x]), fromNested([[w]]), null);
    return y.data[row * y.shape[2]! + col]!;
  },
  /** Multiplications of one k×k kernel slid over an n×n image without padding (outputs × taps). */
  convMultiplications: (n: number, k: number): number => outputSize(n, k).size ** 2 * k * k,
  /** Pooled size along one axis. */
  poolSize: (i: number, size: number, stride = size): number => poolOutputSize(i, size, stride).size,
  /** Parameters of a conv layer (K filters of k×k over C channels, with biases). */
  convParams: (C: number, K: number, k: number): number => conv2dParamCount(C, K, k, k),
  /** Parameters of a dense layer. */
  denseParams: (inputs: number, units: number): number => denseParamCount(inputs, units),
  /** Receptive field of n stacked k×k layers at stride 1. */
  stackedReceptiveField: (n: number, k: number): number =>
    receptiveField(Array.from({ length: n }, () => ({ kernel: k }))).size,
  /** ReLU of each value, then its derivative at each value (the course's slope 0 at 0). */
  reluAndSlopes: (values: number[]): number[] => {
    const x = fromNested(values);
    const one = fromNested(values.map(() => 1));
    return [...relu(x).data, ...reluBackward(x, one).data];
  },
  /** What a pooling window's backward pass writes into each of its cells (reading order). */
  poolWindowGrad: (window: number[][], kind: PoolKind, dy: number): number[] => {
    const x = fromNested([window]);
    const size = window.length;
    return [...pool2dBackward(x, kind, { size, stride: size }, fromNested([[[dy]]])).data];
  },
  /** The cross-entropy gradient p − y for the logits and the true class. */
  softmaxCeGrad: (logits: number[], label: number): number[] => [
    ...softmaxCrossEntropy(fromNested([logits]), [label]).dlogits.data,
  ],
  /** Cross-entropy of the uniform guess over n classes: ln n. */
  uniformLoss: (n: number): number => softmaxCrossEntropy(fromNested([new Array<number>(n).fill(0)]), [0]).loss,
};
