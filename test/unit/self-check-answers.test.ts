/**
 * The self-checks' computed answers, against the arithmetic a reader would do by hand and figures from the
 * literature (CS231n: three stacked 3×3 layers see 7×7; the cross-entropy of a uniform guess over 10 classes is
 * ln 10 ≈ 2.303).
 */
import { describe, expect, test } from 'vitest';
import { answers } from '../../components/self-check/answers.ts';
import { expectClose } from './helpers.ts';

describe('self-check answers', () => {
  test('conv1d lengths N=10, K=4: full 13, same 10, valid 7', () => {
    expect(answers.conv1dLengths(10, 4)).toEqual([13, 10, 7]);
  });
  test('first entry of the full convolution of (3, 1) and (2, 5) is 3·2', () => {
    expect(answers.conv1dEntry([3, 1], [2, 5])).toBe(6);
  });
  test('output sizes: 32 with k5 p2 stays 32; 28 with k3 d2 is 24; pooling 32 by 3 stride 2 is 15', () => {
    expect(answers.outputSize(32, 5, 2, 1)).toBe(32);
    expect(answers.outputSize(28, 3, 0, 1, 2)).toBe(24);
    expect(answers.poolSize(32, 3, 2)).toBe(15);
  });
  test('parameter counts: 16 filters 5×5 over 6 channels = 2416; dense 400→120 = 48120', () => {
    expect(answers.convParams(6, 16, 5)).toBe(16 * (5 * 5 * 6 + 1));
    expect(answers.denseParams(400, 120)).toBe(400 * 120 + 120);
  });
  test('three stacked 3×3 layers see 7×7 (CS231n)', () => {
    expect(answers.stackedReceptiveField(3, 3)).toBe(7);
  });
  test('ReLU(−3), ReLU(2) and their slopes', () => {
    expect(answers.reluAndSlopes([-3, 2])).toEqual([0, 2, 0, 1]);
  });
  test('a 2×2 max window 1, 5, 5, 2 sends 3 to the first 5; average sends 3/4 to each', () => {
    expect(
      answers.poolWindowGrad(
        [
          [1, 5],
          [5, 2],
        ],
        'max',
        3,
      ),
    ).toEqual([0, 3, 0, 0]);
    expect(
      answers.poolWindowGrad(
        [
          [1, 5],
          [5, 2],
        ],
        'avg',
        3,
      ),
    ).toEqual([0.75, 0.75, 0.75, 0.75]);
  });
  test('p − y for logits (2, 1, 0.1), class 0', () => {
    const e = [Math.exp(2), Math.exp(1), Math.exp(0.1)];
    const s = e[0]! + e[1]! + e[2]!;
    expectClose(answers.softmaxCeGrad([2, 1, 0.1], 0), [e[0]! / s - 1, e[1]! / s, e[2]! / s], 1e-12);
  });
  test('a uniform guess over 10 classes costs ln 10', () => {
    expectClose(answers.uniformLoss(10), Math.log(10), 1e-12);
  });
});
