import { describe, expect, test } from 'vitest';
import {
  EngineError,
  Rng,
  dense,
  denseBackward,
  flatten,
  fromNested,
  randomTensor,
  softmax,
  softmaxCrossEntropy,
  softmaxSquaredErrorGrad,
  squaredError,
  tensor,
  type Tensor,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

/** Central differences of a scalar function of a tensor. */
function numericGrad(t: Tensor, f: (t: Tensor) => number, eps = 1e-6): Tensor {
  return tensor(
    t.shape,
    Array.from(t.data, (_, i) => {
      const p = tensor(t.shape, t.data),
        m = tensor(t.shape, t.data);
      p.data[i] = p.data[i]! + eps;
      m.data[i] = m.data[i]! - eps;
      return (f(p) - f(m)) / (2 * eps);
    }),
  );
}

describe('dense', () => {
  test('dense x=[2,3] W=[2,3] b=[2] computes x W^T + b', () => {
    const x = fromNested([
      [1, 2, 3],
      [0, -1, 2],
    ]);
    const w = fromNested([
      [1, 0, -1],
      [2, 1, 0],
    ]);
    expect(Array.from(dense(x, w, tensor([2], [10, 20])).data)).toEqual([8, 24, 8, 19]);
    expect(dense(tensor([3], [1, 2, 3]), w, null).shape).toEqual([2]);
  });
  test('denseBackward x=[4,5] W=[3,5] matches finite differences', () => {
    const rng = new Rng(8);
    const x = randomTensor([4, 5], rng),
      w = randomTensor([3, 5], rng),
      b = randomTensor([3], rng),
      dy = randomTensor([4, 3], rng);
    const L = (xx: Tensor, ww: Tensor, bb: Tensor) =>
      dense(xx, ww, bb).data.reduce((s, v, i) => s + v * dy.data[i]!, 0);
    const g = denseBackward(x, w, dy);
    expectClose(
      g.dx,
      numericGrad(x, (t) => L(t, w, b)),
      1e-8,
    );
    expectClose(
      g.dw,
      numericGrad(w, (t) => L(x, t, b)),
      1e-8,
    );
    expectClose(
      g.db,
      numericGrad(b, (t) => L(x, w, t)),
      1e-8,
    );
  });
  test('bad input: W expecting 4 inputs but x has 3; bias of the wrong length', () => {
    expect(() => dense(tensor([2, 3]), tensor([2, 4]), null)).toThrow(
      /expect 4 inputs per example, but x \[2, 3\] has 3/,
    );
    expect(() => dense(tensor([2, 3]), tensor([2, 3]), tensor([3]))).toThrow(
      /one value per unit: shape \[2\], got \[3\]/,
    );
    expect(() => denseBackward(tensor([2, 3]), tensor([2, 3]), tensor([2, 3]))).toThrow(/dy must have shape \[2, 2\]/);
    expect(() => dense(tensor([2, 3, 1]), tensor([2, 3]), null)).toThrow(EngineError);
  });
  test('flatten [2,3,4,5] -> [2,60] keeps row-major order', () => {
    const x = randomTensor([2, 3, 4, 5], new Rng(1));
    const f = flatten(x);
    expect(f.shape).toEqual([2, 60]);
    expect(f.data).toEqual(x.data);
  });
});

describe('softmax and losses', () => {
  test('softmax of [1,2,3] rows sum to 1; huge logits stay finite (max subtracted)', () => {
    const p = softmax(tensor([2, 3], [1, 2, 3, 1000, 1001, 1002]));
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const z = e[0]! + e[1]! + e[2]!;
    expectClose(
      p,
      tensor(
        [2, 3],
        [...e, ...e].map((v) => v / z),
      ),
      1e-15,
    );
  });
  test('temperature: T=2 flattens, T=0.1 sharpens, T<=0 throws', () => {
    const z = tensor([3], [1, 2, 3]);
    expect(softmax(z, 2).data[2]!).toBeLessThan(softmax(z).data[2]!);
    expect(softmax(z, 0.1).data[2]!).toBeGreaterThan(0.9999);
    expectClose(softmax(z, 2), softmax(tensor([3], [0.5, 1, 1.5])), 1e-15);
    expect(() => softmax(z, 0)).toThrow(/temperature must be a positive number, got 0/);
  });
  test('softmaxCrossEntropy logits=[3,4]: loss is the mean of -log p[label], gradient (p - y)/B', () => {
    const rng = new Rng(12);
    const z = randomTensor([3, 4], rng, -3, 3);
    const labels = [2, 0, 3];
    const { loss, probs, dlogits } = softmaxCrossEntropy(z, labels);
    const expected = labels.reduce((s, l, b) => s - Math.log(probs.data[b * 4 + l]!), 0) / 3;
    expectClose(loss, expected, 1e-14);
    expectClose(
      dlogits,
      numericGrad(z, (t) => softmaxCrossEntropy(t, labels).loss),
      1e-8,
    );
    expectClose(dlogits.data[2]!, (probs.data[2]! - 1) / 3, 1e-15);
  });
  test('softmaxCrossEntropy with logit 1000 on the wrong class is finite (1000 - 0)', () => {
    const { loss } = softmaxCrossEntropy(tensor([1, 2], [1000, 0]), [1]);
    expectClose(loss, 1000, 1e-12);
  });
  test('squaredError is 1/2 sum (t - o)^2 with gradient o - t', () => {
    const o = tensor([2, 2], [1, 2, 3, 4]);
    const t = tensor([2, 2], [0, 2, 5, 1]);
    const { loss, doutput } = squaredError(o, t);
    expect(loss).toBe(0.5 * (1 + 0 + 4 + 9));
    expect(Array.from(doutput.data)).toEqual([1, 0, -2, 3]);
    expect(() => squaredError(o, tensor([4]))).toThrow(/target must have the output's shape/);
  });
  test('softmaxSquaredErrorGrad logits=[2,3] matches finite differences of the mean 1/2 sum (y - softmax(z))^2', () => {
    const z = randomTensor([2, 3], new Rng(3), -2, 2);
    const labels = [1, 2];
    const L = (t: Tensor) => {
      const p = softmax(t);
      let s = 0;
      for (let b = 0; b < 2; b++)
        for (let i = 0; i < 3; i++) s += 0.5 * ((i === labels[b] ? 1 : 0) - p.data[b * 3 + i]!) ** 2;
      return s / 2;
    };
    const r = softmaxSquaredErrorGrad(z, labels);
    expectClose(r.loss, L(z), 1e-14);
    expectClose(r.dlogits, numericGrad(z, L), 1e-8);
  });
  test('labels must be whole class numbers in range, one per row', () => {
    const z = tensor([2, 3]);
    expect(() => softmaxCrossEntropy(z, [0])).toThrow(/one label per example: 2 expected, got 1/);
    expect(() => softmaxCrossEntropy(z, [0, 3])).toThrow(/Label 1 is 3; labels must be class numbers from 0 to 2/);
    expect(() => softmaxCrossEntropy(z, [0, 1.5])).toThrow(EngineError);
    expect(() => softmaxCrossEntropy(tensor([1, 2], [0, Infinity]), [0])).toThrow(/Infinity at flat index 1/);
  });
});
