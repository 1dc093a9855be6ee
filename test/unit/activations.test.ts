import { describe, expect, test } from 'vitest';
import {
  EngineError,
  activate,
  activateBackward,
  activations,
  leakyRelu,
  leakyReluBackward,
  relu,
  reluBackward,
  sigmoid,
  sigmoidBackward,
  tanh,
  tanhBackward,
  tensor,
  type ActivationName,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

const xs = tensor([2, 4], [-3, -0.5, 0, 0.25, 1, 2.5, -40, 40]);

describe('activations forward', () => {
  test('relu / leakyRelu x=[2,4]', () => {
    expect(Array.from(relu(xs).data)).toEqual([0, 0, 0, 0.25, 1, 2.5, 0, 40]);
    expectClose(leakyRelu(xs), tensor([2, 4], [-0.03, -0.005, 0, 0.25, 1, 2.5, -0.4, 40]), 1e-15);
    expectClose(leakyRelu(xs, 0.2).data[0]!, -0.6, 1e-15);
  });
  test('sigmoid and tanh x=[2,4] agree with their definitions and stay finite at +-40', () => {
    const s = sigmoid(xs);
    const t = tanh(xs);
    xs.data.forEach((v, i) => {
      expectClose(s.data[i]!, 1 / (1 + Math.exp(-v)), 1e-15);
      expectClose(t.data[i]!, (Math.exp(v) - Math.exp(-v)) / (Math.exp(v) + Math.exp(-v)), 1e-15);
    });
    expect(s.data[6]).toBeGreaterThan(0);
    expect(s.data[7]).toBe(1);
  });
  test('sigmoid(-800) is 0, not NaN (exp overflow guarded)', () => {
    expect(sigmoid(tensor([1], [-800])).data[0]).toBe(0);
    expect(activations.sigmoid.df(-800)).toBe(0);
  });
  test('identity and the activations table', () => {
    expect(activate(xs, 'identity').data).toEqual(xs.data);
    expect(Object.keys(activations).sort()).toEqual(['identity', 'leakyRelu', 'relu', 'sigmoid', 'tanh']);
  });
});

describe('activation derivatives', () => {
  test.each(['relu', 'leakyRelu', 'sigmoid', 'tanh', 'identity'] as ActivationName[])(
    '%s df matches central differences away from kinks',
    (name) => {
      const { f, df } = activations[name];
      for (const v of [-2.3, -0.7, 0.1, 0.9, 3.2]) {
        const h = 1e-6;
        expectClose(df(v), (f(v + h) - f(v - h)) / (2 * h), 1e-8);
      }
    },
  );
  test('at the ReLU kink x=0 the derivative is taken from the left (0, or alpha for leaky)', () => {
    expect(activations.relu.df(0)).toBe(0);
    expect(activations.leakyRelu.df(0)).toBe(0.01);
  });
  test("backward x=[2,4] multiplies dy by f'(x) for every activation", () => {
    const dy = tensor([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(reluBackward(xs, dy).data)).toEqual([0, 0, 0, 4, 5, 6, 0, 8]);
    expectClose(leakyReluBackward(xs, dy, 0.1), tensor([2, 4], [0.1, 0.2, 0.3, 4, 5, 6, 0.7, 8]), 1e-15);
    expectClose(
      sigmoidBackward(xs, dy),
      tensor(
        [2, 4],
        Array.from(xs.data, (v, i) => activations.sigmoid.df(v) * dy.data[i]!),
      ),
      1e-15,
    );
    expectClose(
      tanhBackward(xs, dy),
      tensor(
        [2, 4],
        Array.from(xs.data, (v, i) => (1 - Math.tanh(v) ** 2) * dy.data[i]!),
      ),
      1e-15,
    );
    expect(activateBackward(xs, 'identity', dy).data).toEqual(dy.data);
  });
});

describe('activation bad input', () => {
  test('unknown name, NaN input, mismatched dy, bad alpha', () => {
    expect(() => activate(xs, 'gelu' as ActivationName)).toThrow(/Unknown activation 'gelu'/);
    expect(() => relu(tensor([2], [1, NaN]))).toThrow(/NaN at flat index 1/);
    expect(() => reluBackward(xs, tensor([8]))).toThrow(/expected shape \[2, 4\], got \[8\]/);
    expect(() => leakyRelu(xs, NaN)).toThrow(EngineError);
  });
});
