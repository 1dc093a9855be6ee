import { describe, expect, test } from 'vitest';
import {
  conv2dInputGradNoRotation,
  denseInputGradReshaped,
  maxPoolBackwardTopLeft,
  reluBackwardNoMask,
  softmaxCrossEntropyGradFlipped,
} from '../../src/lib/exercises/broken-backward.ts';
import { conv2dBackward, rotate180 } from '../../src/lib/engine/conv2d.ts';
import {
  backwardKernels,
  conv2dInputGradByFullConvolution,
  conv2dWeightGradByCorrelation,
  padZeros,
} from '../../src/lib/engine/conv2d-grad-identities.ts';
import { denseBackward } from '../../src/lib/engine/dense.ts';
import { EngineError } from '../../src/lib/engine/errors.ts';
import {
  CHECK_TARGETS,
  finiteDifferenceAt,
  gradCheckProblem,
  runGradCheck,
} from '../../src/lib/exercises/gradcheck-problems.ts';
import { softmaxCrossEntropy } from '../../src/lib/engine/loss.ts';
import { pool2dBackward } from '../../src/lib/engine/pool.ts';
import { Rng, randomTensor } from '../../src/lib/engine/rng.ts';
import { fromNested, tensor } from '../../src/lib/engine/tensor.ts';
import { tinyCnnForward, tinyCnnParams } from '../../src/lib/exercises/tiny-cnn.ts';
import { expectClose } from './helpers.ts';

describe('conv backward as convolutions (stride 1)', () => {
  const rng = new Rng(17);
  for (let n = 0; n < 6; n++) {
    const [C, K, kh, kw] = [rng.int(1, 4), rng.int(1, 4), rng.int(1, 4), rng.int(1, 4)];
    const padding = rng.int(0, Math.min(kh, kw));
    const [H, W] = [kh + rng.int(0, 4), kw + rng.int(0, 4)];
    const seed = rng.int(0, 1e9);
    test(`x=[${C},${H},${W}] k=[${K},${C},${kh},${kw}] p=${padding}: dW = x ⋆ dy and dX = full(dy, rot180 w) equal conv2dBackward`, () => {
      const r = new Rng(seed);
      const x = randomTensor([C, H, W], r);
      const w = randomTensor([K, C, kh, kw], r);
      const dy = randomTensor([K, H + 2 * padding - kh + 1, W + 2 * padding - kw + 1], r);
      const g = conv2dBackward(x, w, dy, { padding });
      expectClose(conv2dWeightGradByCorrelation(x, dy, padding), g.dw, 1e-12);
      expectClose(conv2dInputGradByFullConvolution(w, dy, padding), g.dx, 1e-12);
    });
  }

  test('worked example x=[1,4,4] w=[1,1,3,3] dy=[1,2,2] in whole numbers: exact equality', () => {
    const x = fromNested([
      [
        [1, 2, 0, 1],
        [0, 1, 3, 1],
        [2, 1, 0, 2],
        [1, 0, 1, 1],
      ],
    ]);
    const w = fromNested([
      [
        [
          [1, 0, -1],
          [2, 1, 0],
          [0, -1, 1],
        ],
      ],
    ]);
    const dy = fromNested([
      [
        [1, -1],
        [2, 0],
      ],
    ]);
    const g = conv2dBackward(x, w, dy);
    expect(Array.from(conv2dWeightGradByCorrelation(x, dy).data)).toEqual(Array.from(g.dw.data));
    expect(Array.from(conv2dInputGradByFullConvolution(w, dy).data)).toEqual(Array.from(g.dx.data));
    // dw[0,0] = sum over the 2x2 output of x[oy, ox] * dy[oy, ox] = 1 - 2 + 0 + 0.
    expect(g.dw.data[0]).toBe(-1);
  });

  test('backwardKernels w=[2,3,2,2] swaps filters and channels and rotates each kernel', () => {
    const w = randomTensor([2, 3, 2, 2], new Rng(3));
    const b = backwardKernels(w);
    expect(b.shape).toEqual([3, 2, 2, 2]);
    const rot = rotate180(w);
    for (let k = 0; k < 2; k++)
      for (let c = 0; c < 3; c++)
        for (let i = 0; i < 4; i++) expect(b.data[(c * 2 + k) * 4 + i]).toBe(rot.data[(k * 3 + c) * 4 + i]);
  });

  test('padZeros [1,2,2] p=1 gives [1,4,4] with the values in the middle', () => {
    const t = padZeros(tensor([1, 2, 2], [1, 2, 3, 4]), 1);
    expect(t.shape).toEqual([1, 4, 4]);
    expect(Array.from(t.data)).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  });

  test('bad padding and mismatched channels are EngineErrors', () => {
    const w = randomTensor([2, 1, 3, 3], new Rng(1));
    expect(() => conv2dInputGradByFullConvolution(w, randomTensor([1, 2, 2], new Rng(2)))).toThrow(EngineError);
    expect(() => conv2dInputGradByFullConvolution(w, randomTensor([2, 2, 2], new Rng(2)), 3)).toThrow(/padding/);
    expect(() => padZeros(tensor([1, 1, 1], [1]), -1)).toThrow(EngineError);
  });
});

describe('deliberately wrong backward passes differ from the right ones', () => {
  const r = new Rng(99);
  test('conv dX without rotation x=[1,6,6] k=[1,1,3,3] differs; with a symmetric kernel it would not', () => {
    const w = randomTensor([1, 1, 3, 3], r);
    const dy = randomTensor([1, 4, 4], r);
    const right = conv2dBackward(randomTensor([1, 6, 6], r), w, dy).dx;
    expect(Array.from(conv2dInputGradNoRotation(w, dy).data)).not.toEqual(Array.from(right.data));
    const sym = tensor(
      [1, 1, 3, 3],
      [1, 2, 1, 0, 5, 0, 1, 2, 1].map((v, i) => (i < 3 ? v : i > 5 ? [1, 2, 1][i - 6]! : v)),
    );
    expectClose(conv2dInputGradNoRotation(rotate180(sym), dy), conv2dInputGradByFullConvolution(sym, dy), 1e-12);
  });

  test('max-pool top-left x=[1,4,4]: right only where the maximum sat top-left', () => {
    const x = tensor([1, 4, 4], [9, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]);
    const dy = tensor([1, 2, 2], [1, 2, 3, 4]);
    const right = pool2dBackward(x, 'max', { size: 2 }, dy);
    const wrong = maxPoolBackwardTopLeft(x, 2, dy);
    expect(wrong.data[0]).toBe(right.data[0]);
    expect(right.data[7]).toBe(2);
    expect(wrong.data[7]).toBe(0);
    expect(wrong.data[2]).toBe(2);
  });

  test('ReLU without mask, dense reshape, CE sign flip', () => {
    const dy = tensor([3], [1, -2, 3]);
    expect(Array.from(reluBackwardNoMask(dy).data)).toEqual([1, -2, 3]);
    const w = randomTensor([3, 4], r);
    const right = denseBackward(randomTensor([4], r), w, dy).dx;
    expect(Array.from(denseInputGradReshaped(w, dy).data)).not.toEqual(Array.from(right.data));
    const ce = softmaxCrossEntropy(tensor([3], [0.5, -1, 2]), [2]);
    expectClose(
      softmaxCrossEntropyGradFlipped(ce.probs, 2),
      ce.dlogits.data.map((v) => -v),
      1e-15,
    );
  });
});

describe('gradient checker problems', () => {
  const seeds = [1, 2, 3, 42, 777];
  for (const target of CHECK_TARGETS) {
    for (const seed of seeds) {
      test(`${target} seed ${seed}: correct backward passes (max rel error < 1e-7); broken one fails`, () => {
        const good = runGradCheck(gradCheckProblem(target, seed), 1e-5);
        expect(good.maxRelError).toBeLessThan(1e-7);
        expect(good.passed).toBe(true);
        const bad = runGradCheck(gradCheckProblem(target, seed, true), 1e-5);
        expect(bad.passed).toBe(false);
        expect(bad.maxRelError).toBeGreaterThan(1e-2);
      });
    }
  }

  test('relu: the two planted zeros are flagged as kinks, with numerical = R/2 and analytic 0', () => {
    const problem = gradCheckProblem('relu', 5);
    const report = runGradCheck(problem, 1e-5);
    expect(report.kinks).toBe(2);
    for (const e of report.entries.filter((en) => en.nearKink)) {
      expect(problem.params['x']!.data[e.index]).toBe(0);
      expect(e.analytic).toBe(0);
      expectClose(e.numerical, problem.upstream!.data[e.index]! / 2, 1e-9);
    }
  });

  test('pool: the planted tie is flagged (two kink cells in the top-left window)', () => {
    const report = runGradCheck(gradCheckProblem('pool', 8), 1e-5);
    const kinks = report.entries.filter((e) => e.nearKink).map((e) => e.index);
    expect(kinks.length).toBe(2);
    kinks.forEach((i) => expect([0, 1, 4, 5]).toContain(i));
  });

  test('eps = 0.1: conv and dense (f linear in each parameter) still pass; softmax-ce and the network do not', () => {
    for (const seed of [1, 2, 3]) {
      expect(runGradCheck(gradCheckProblem('conv', seed), 0.1).passed).toBe(true);
      expect(runGradCheck(gradCheckProblem('dense', seed), 0.1).passed).toBe(true);
      expect(runGradCheck(gradCheckProblem('softmax-ce', seed), 0.1).passed).toBe(false);
      expect(runGradCheck(gradCheckProblem('network', seed), 0.1).passed).toBe(false);
    }
  });

  test('network: a large eps crosses ReLU kinks, which are flagged rather than judged', () => {
    const small = runGradCheck(gradCheckProblem('network', 42), 1e-5);
    const large = runGradCheck(gradCheckProblem('network', 42), 0.1);
    expect(large.kinks).toBeGreaterThan(small.kinks);
  });

  test("network seed 53: every window's maximum sits top-left, so the top-left bug is invisible there", () => {
    const p = tinyCnnParams(53);
    expect(Array.from(tinyCnnForward(p, 53 % 3).argmax)).toEqual([0, 2, 8, 10]);
    expect(runGradCheck(gradCheckProblem('network', 53, true), 1e-5).passed).toBe(true);
  });

  test('finiteDifferenceAt reproduces gradCheck numbers exactly and restores the parameter', () => {
    const problem = gradCheckProblem('conv', 11);
    const report = runGradCheck(problem, 1e-4);
    const entry = report.entries.find((e) => e.param === 'w' && e.index === 4)!;
    const before = problem.params['w']!.data[4];
    const fd = finiteDifferenceAt(problem, 'w', 4, 1e-4);
    expect(fd.numerical).toBe(entry.numerical);
    expect(problem.params['w']!.data[4]).toBe(before);
    expect(() => finiteDifferenceAt(problem, 'w', 9, 1e-4)).toThrow(EngineError);
  });

  test('eps outside 1e-12..0.1 and unknown targets are EngineErrors', () => {
    expect(() => runGradCheck(gradCheckProblem('dense', 1), 0.5)).toThrow(/between 1e-12 and 0.1/);
    expect(() => runGradCheck(gradCheckProblem('dense', 1), 1e-13)).toThrow(EngineError);
    expect(() => gradCheckProblem('lstm' as never, 1)).toThrow(/Unknown target/);
  });
});
