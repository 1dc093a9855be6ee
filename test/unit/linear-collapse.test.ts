import { describe, expect, test } from 'vitest';
import {
  EngineError,
  Rng,
  activations,
  composeDense,
  dense,
  derivativeChain,
  fromNested,
  randomInts,
  relu,
  tensor,
  transpose,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

describe('composeDense: two linear layers are one', () => {
  test('composeDense w1=[2,2] w2=[1,2] by hand: W2W1 = [[1, 5]], W2b1 + b2 = [4]', () => {
    // W1 = [[1,2],[0,1]], b1 = [1,1], W2 = [[1,3]], b2 = [0]: W2W1 = [[1, 2+3]], W2b1 = 1 + 3 = 4.
    const { w, b } = composeDense(
      fromNested([
        [1, 2],
        [0, 1],
      ]),
      tensor([2], [1, 1]),
      fromNested([[1, 3]]),
      tensor([1], [0]),
    );
    expect(w.shape).toEqual([1, 2]);
    expect(Array.from(w.data)).toEqual([1, 5]);
    expect(Array.from(b.data)).toEqual([4]);
  });

  test('composeDense w1=[4,3] w2=[2,4]: one layer gives what two layers give, for a batch x=[5,3]', () => {
    const rng = new Rng(11);
    const w1 = randomInts([4, 3], rng, -3, 4);
    const b1 = randomInts([4], rng, -3, 4);
    const w2 = randomInts([2, 4], rng, -3, 4);
    const b2 = randomInts([2], rng, -3, 4);
    const x = randomInts([5, 3], rng, -5, 6);
    const { w, b } = composeDense(w1, b1, w2, b2);
    expect(w.shape).toEqual([2, 3]);
    expectClose(dense(x, w, b), dense(dense(x, w1, b1), w2, b2), 1e-12);
    // With a ReLU between them the two layers are no longer one linear map (this seed has negative hidden values).
    const h = dense(x, w1, b1);
    expect(Array.from(h.data).some((v) => v < 0)).toBe(true);
    const withRelu = dense(relu(h), w2, b2);
    expect(Array.from(withRelu.data).some((v, i) => v !== dense(x, w, b).data[i])).toBe(true);
  });

  test('null biases count as zero; transpose x=[2,3] swaps axes', () => {
    const w1 = fromNested([
      [1, -1, 2],
      [0, 3, 1],
    ]);
    const w2 = fromNested([[2, 1]]);
    const { b } = composeDense(w1, null, w2, null);
    expect(Array.from(b.data)).toEqual([0]);
    const t = transpose(w1);
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual([1, 0, -1, 3, 2, 1]);
  });

  test('mismatched hidden sizes throw EngineError naming both shapes', () => {
    expect(() =>
      composeDense(
        fromNested([
          [1, 2],
          [3, 4],
        ]),
        null,
        fromNested([[1, 2, 3]]),
        null,
      ),
    ).toThrow(EngineError);
    expect(() =>
      composeDense(
        fromNested([
          [1, 2],
          [3, 4],
        ]),
        null,
        fromNested([[1, 2, 3]]),
        null,
      ),
    ).toThrow(/reads 3 hidden values but W1 \[2, 2\] produces 2/);
  });
});

describe('derivativeChain: the vanishing gradient', () => {
  test('sigmoid at z=0 for 10 layers gives 0.25^n', () => {
    const chain = derivativeChain('sigmoid', new Array<number>(10).fill(0));
    chain.forEach((v, i) => expectClose(v, 0.25 ** (i + 1), 1e-15));
  });

  test('the product is the running product of each derivative; ReLU keeps 1 on active units and 0 after one inactive', () => {
    const z = [0.5, -1.2, 2, 0.1];
    const t = derivativeChain('tanh', z);
    let p = 1;
    z.forEach((v, i) => {
      p *= 1 - Math.tanh(v) ** 2;
      expectClose(t[i]!, p, 1e-15);
    });
    expect(derivativeChain('relu', [1, 2, 3])).toEqual([1, 1, 1]);
    expect(derivativeChain('relu', [1, -2, 3])).toEqual([1, 0, 0]);
    expectClose(derivativeChain('leakyRelu', [1, -2, -3], 0.1), [1, 0.1, 0.01], 1e-15);
    expect(activations.sigmoid.df(0)).toBe(0.25);
  });

  test('bad input throws EngineError', () => {
    expect(() => derivativeChain('sigmoid', [])).toThrow(EngineError);
    expect(() => derivativeChain('sigmoid', [1, NaN])).toThrow(/finite/);
    expect(() => derivativeChain('softsign' as 'relu', [1])).toThrow(/Unknown activation/);
  });
});
