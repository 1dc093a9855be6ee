import { describe, expect, test } from 'vitest';
import { EngineError } from '../../src/lib/engine/errors.ts';
import { gradCheck } from '../../src/lib/engine/gradcheck.ts';
import { softmaxCrossEntropy } from '../../src/lib/engine/loss.ts';
import { Sequential } from '../../src/lib/engine/network.ts';
import { tensor } from '../../src/lib/engine/tensor.ts';
import {
  TINY_CNN,
  tinyCnnBackward,
  tinyCnnForward,
  tinyCnnParams,
  tinyCnnSignature,
} from '../../src/lib/exercises/tiny-cnn.ts';
import { BACKPROP_STAGES, backpropWalk, stageStart } from '../../src/lib/explain/tiny-cnn-trace.ts';
import { expectClose } from './helpers.ts';

const SEEDS = [0, 1, 7, 42, 2024, 999_999_999];

describe('tinyCnnParams', () => {
  test('same seed gives the same network; another seed another one', () => {
    const a = tinyCnnParams(42);
    const b = tinyCnnParams(42);
    const c = tinyCnnParams(43);
    expect(Array.from(a.w1.data)).toEqual(Array.from(b.w1.data));
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.w1.data)).not.toEqual(Array.from(c.w1.data));
  });

  test('x=[1,6,6] in tenths 0..0.9; w1=[1,1,3,3], w2=[3,4] and biases rounded to 2 decimals', () => {
    const p = tinyCnnParams(7);
    expect(p.x.shape).toEqual([1, 6, 6]);
    expect(p.w1.shape).toEqual([1, 1, 3, 3]);
    expect(p.b1.shape).toEqual([1]);
    expect(p.w2.shape).toEqual([3, 4]);
    expect(p.b2.shape).toEqual([3]);
    for (const v of p.x.data) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(0.9);
      expect(Math.abs(v * 10 - Math.round(v * 10))).toBeLessThan(1e-9);
    }
    for (const t of [p.w1, p.b1, p.w2, p.b2]) {
      for (const v of t.data) expect(Math.abs(v * 100 - Math.round(v * 100))).toBeLessThan(1e-9);
    }
    for (const v of p.b1.data) expect(Math.abs(v)).toBeLessThanOrEqual(0.2);
  });

  test('a seed that is not a whole number >= 0 is an EngineError', () => {
    expect(() => tinyCnnParams(1.5)).toThrow(EngineError);
    expect(() => tinyCnnParams(-1)).toThrow(/at least 0/);
  });

  test('a label outside 0..2 is an EngineError', () => {
    expect(() => tinyCnnForward(tinyCnnParams(1), 3)).toThrow(/true class/);
  });
});

/** The same network built with the engine's Sequential, weights copied in. */
function asSequential(seed: number): Sequential {
  const p = tinyCnnParams(seed);
  const model = new Sequential(
    [1, 6, 6],
    [
      { type: 'conv2d', filters: 1, kernel: 3, activation: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ],
    { seed },
  );
  const [w1, b1, w2, b2] = model.params();
  w1!.value.data.set(p.w1.data);
  b1!.value.data.set(p.b1.data);
  w2!.value.data.set(p.w2.data);
  b2!.value.data.set(p.b2.data);
  return model;
}

describe('tiny CNN x=[1,6,6] conv 3x3 -> ReLU -> maxPool 2 -> dense 3 agrees with Sequential', () => {
  for (const seed of SEEDS) {
    test(`seed ${seed}: logits, loss and every parameter gradient`, () => {
      const label = seed % 3;
      const p = tinyCnnParams(seed);
      const fwd = tinyCnnForward(p, label);
      const g = tinyCnnBackward(p, fwd, label);
      const model = asSequential(seed);
      const xb = tensor([1, 1, 6, 6], p.x.data);
      const logits = model.forward(xb);
      expectClose(fwd.z.data, logits.data, 1e-12);
      const ce = softmaxCrossEntropy(logits, [label]);
      expectClose(fwd.loss, ce.loss, 1e-12);
      const dx = model.backward(ce.dlogits);
      const [w1, b1, w2, b2] = model.params();
      expectClose(g.dw1.data, w1!.grad.data, 1e-12);
      expectClose(g.db1.data, b1!.grad.data, 1e-12);
      expectClose(g.dw2.data, w2!.grad.data, 1e-12);
      expectClose(g.db2.data, b2!.grad.data, 1e-12);
      expectClose(g.dx.data, dx.data, 1e-12);
      expect(`${tinyCnnSignature(fwd)}||`).toBe(model.signature());
    });
  }
});

describe('tiny CNN gradient check (float64)', () => {
  for (const seed of SEEDS) {
    test(`seed ${seed}: every gradient within 1e-7 of central differences`, () => {
      const label = (seed + 1) % 3;
      const p = tinyCnnParams(seed);
      const g = tinyCnnBackward(p, tinyCnnForward(p, label), label);
      let last = tinyCnnForward(p, label);
      const report = gradCheck(
        { x: p.x, w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2 },
        () => {
          last = tinyCnnForward(p, label);
          return last.loss;
        },
        { x: g.dx, w1: g.dw1, b1: g.db1, w2: g.dw2, b2: g.db2 },
        { signature: () => tinyCnnSignature(last) },
      );
      expect(report.maxRelError).toBeLessThan(1e-7);
      expect(report.passed).toBe(true);
    });
  }

  test('the pool-top-left bug changes the conv gradients (seed 42)', () => {
    const p = tinyCnnParams(42);
    const fwd = tinyCnnForward(p, 0);
    const good = tinyCnnBackward(p, fwd, 0);
    const bad = tinyCnnBackward(p, fwd, 0, 'pool-top-left');
    expectClose(bad.dw2.data, good.dw2.data, 0);
    expect(Array.from(bad.dw1.data)).not.toEqual(Array.from(good.dw1.data));
  });
});

describe('backpropWalk: the stepper trace', () => {
  for (const seed of [1, 42, 2024]) {
    test(`seed ${seed}: 101 steps, stages in order, each step's terms sum to the backward pass's value`, () => {
      const walk = backpropWalk(seed, 1);
      const { conv, size, classes, features, kernel } = TINY_CNN;
      expect(walk.steps).toHaveLength(
        1 + classes + classes * features + classes + features + 2 * conv * conv + kernel * kernel + 1 + size * size,
      );
      const order = walk.steps.map((s) => s.stage).filter((s, i, a) => i === 0 || a[i - 1] !== s);
      expect(order).toEqual(BACKPROP_STAGES);
      for (const s of walk.steps) {
        if (s.stage === 'loss') {
          expectClose(s.value, -Math.log(walk.fwd.p.data[1]!), 1e-12);
          continue;
        }
        if (s.stage === 'dz') {
          expectClose(s.value, s.py!.p - s.py!.y, 1e-12);
          continue;
        }
        const sum = s.terms.reduce((a, t) => a + t.product, 0);
        expectClose(sum, s.value, 1e-12);
        for (const t of s.terms) expectClose(t.product, t.gradValue * t.factor, 1e-12);
      }
      const byStage = (stage: string): number[] => walk.steps.filter((s) => s.stage === stage).map((s) => s.value);
      expectClose(byStage('dw1'), walk.grads.dw1.data, 0);
      expectClose(byStage('dx'), walk.grads.dx.data, 0);
      expectClose(byStage('da1'), walk.grads.da1.data, 0);
      expect(stageStart(walk, 'dx')).toBe(walk.steps.length - size * size);
    });
  }

  test('max-pool steps: exactly one cell per window receives the gradient, the one with the maximum', () => {
    const walk = backpropWalk(5, 0);
    const pool = walk.steps.filter((s) => s.stage === 'da1');
    for (let k = 0; k < 4; k++) {
      const inWindow = pool.filter((s) => s.window!.k === k);
      expect(inWindow).toHaveLength(4);
      const winners = inWindow.filter((s) => s.window!.isMax);
      expect(winners).toHaveLength(1);
      expect(walk.fwd.argmax[k]).toBe(winners[0]!.target.i);
      inWindow.filter((s) => !s.window!.isMax).forEach((s) => expect(s.value).toBe(0));
    }
  });

  test('dx steps at a corner read one weight, in the middle all nine', () => {
    const walk = backpropWalk(3, 2);
    const dx = walk.steps.filter((s) => s.stage === 'dx');
    expect(dx[0]!.terms).toHaveLength(1);
    expect(dx[0]!.terms[0]!.from).toEqual({ t: 'w1', i: 0 });
    expect(dx[2 * 6 + 2]!.terms).toHaveLength(9);
  });
});
