/**
 * The graders of chapters 12-14's exercises beyond "solution passes, mistakes named": their worked examples are the
 * widgets' own and the literature's numbers, a seeded source gives the reader, the engine and each known mistake the
 * same draws, and a step function is judged by the path it makes.
 */
import { describe, expect, test } from 'vitest';
import { computeView } from '../../components/one-by-one/state.ts';
import { DEFAULT_SEED, PRESETS, tensors } from '../../components/im2col-stepper/state.ts';
import { STEPPER_PRESETS, stepperExample } from '../../src/lib/exercises/notebook/ch11-cases.ts';
import { oneByOneExample } from '../../src/lib/exercises/notebook/ch14-one-by-one.ts';
import { clonePlain, preview, samePlain } from '../../src/lib/exercises/notebook/compare.ts';
import { seededSource } from '../../src/lib/exercises/notebook/seeded.ts';
import { checkExercise, type CheckReport } from '../../src/lib/exercises/notebook/index.ts';
import { Rng, initWeights, toNested } from '../../src/lib/index.ts';
import { checkSource, spec } from './notebook-kit.ts';

describe('chapter 12: the worked examples are the im2col stepper’s', () => {
  for (const [id, shape] of Object.entries(STEPPER_PRESETS)) {
    test(`preset ${id}`, () => {
      const preset = PRESETS.find((p) => p.id === id)!;
      expect(preset.shape).toMatchObject(shape);
      const drawn = tensors({ ...preset.shape, seed: DEFAULT_SEED, step: 0 });
      const ours = stepperExample(shape);
      expect(ours.x.flat(2)).toEqual(Array.from(drawn.x.data));
      expect(ours.w.flat(3)).toEqual(Array.from(drawn.w.data));
    });
  }
});

describe('chapter 14: the 1 × 1 convolution’s worked example is the widget’s default', () => {
  test('C = 3, K = 2, 4 × 4, seed 5', () => {
    const view = computeView({ C: 3, K: 2, n: 4, seed: 5, step: 0 });
    const ours = oneByOneExample(3, 2, 4, 5);
    expect(ours.x.flat(2)).toEqual(Array.from(view.x.data));
    expect(ours.w.flat()).toEqual(Array.from(view.wMatrix.data));
    const first = spec('one-by-one').cases!()[0]!;
    expect(first.args).toEqual([ours.x, ours.w]);
  });
});

describe('a seeded source', () => {
  test('a copy starts the same sequence again; the original is not disturbed by the copy', () => {
    const s = seededSource(7, 'uniform');
    const copy = clonePlain(s);
    const a = [s(), s(), s()];
    expect([copy(), copy(), copy()]).toEqual(a);
    const rng = new Rng(7);
    expect(a).toEqual([rng.next(), rng.next(), rng.next()]);
    expect(samePlain(s, copy)).toBe(true);
    expect(samePlain(s, seededSource(8, 'uniform'))).toBe(false);
    expect(preview(s).value).toBe('uniform draws in [0, 1), seed 7');
  });
  test('normal draws are the engine’s Rng.normal, so He weights match initWeights', () => {
    const randn = seededSource(3, 'normal');
    const w = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => Math.sqrt(2 / 5) * randn()));
    const engine = toNested(initWeights([4, 5], 5, 4, 'he', new Rng(3))) as number[][];
    w.flat().forEach((v, i) => expect(v).toBeCloseTo(engine.flat()[i]!, 12));
  });
  test('the reader’s function gets draws of its own: a reader drawing twice per weight is caught', () => {
    const twice = (nIn: number, nOut: number, randn: () => number) =>
      Array.from({ length: nOut }, () => Array.from({ length: nIn }, () => (randn(), Math.sqrt(2 / nIn) * randn())));
    const r = checkExercise(spec('he-init'), twice);
    expect(r.passed).toBe(false);
    expect(r.failure?.inputs.map((i) => i.value.value)).toContain('standard normal draws, seed 1');
  });
  test('dropout in training drops about p of the values and keeps the mean (the engine’s mask, seed 3)', () => {
    const rng = seededSource(3, 'uniform');
    const drop = spec('inverted-dropout');
    const solution = (x: number[], p: number, training: boolean, u: () => number) => {
      const mask = x.map(() => (training ? (u() < p ? 0 : 1 / (1 - p)) : 1));
      return { y: x.map((v, i) => v * mask[i]!), mask };
    };
    expect(checkExercise(drop, solution).passed).toBe(true);
    const ones = new Array<number>(20000).fill(1);
    const y = solution(ones, 0.25, true, rng).y;
    const dropped = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(dropped - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(y.reduce((s, v) => s + v, 0) / y.length - 1)).toBeLessThan(0.02);
  });
});

describe('optimiser steps are judged by their paths', () => {
  const momentum = `function momentumStep(w: number[], g: number[], v: number[], lr: number, beta: number) {
  const nextV = v.map((vi, i) => beta * vi + g[i]);
  return { w: w.map((wi, i) => wi - lr * nextV[i]), v: nextV };
}`;
  test('the worked example ends where D2L §12.6 ends: (0.007188, 0.002553)', () => {
    const s = spec('momentum-step');
    let path: number[][] = [];
    const r: CheckReport = checkExercise(s, (w: number[], g: number[], v: number[], lr: number, beta: number) => {
      const nextV = v.map((vi, i) => beta * vi + g[i]!);
      const out = { w: w.map((wi, i) => wi - lr * nextV[i]!), v: nextV };
      path.push(out.w);
      return out;
    });
    expect(r.passed).toBe(true);
    path = path.slice(1); // the first call is the form check
    expect(path[19]![0]).toBeCloseTo(0.007188, 6);
    expect(path[19]![1]).toBeCloseTo(0.002553, 6);
    expect(checkSource('momentum-step', momentum).passed).toBe(true);
  });
  test('a step that returns the wrong form gets a plain message, not a path', () => {
    const r = checkSource('adam-step', 'function adamStep() { return [1, 2]; }');
    expect(r.passed).toBe(false);
    expect(r.failure?.label).toBe('the first step of the worked example');
    expect(r.failure?.message).toMatch(/return an object \{ w, m, s \}/);
  });
  test('a step that throws is reported with its error', () => {
    const r = checkSource('momentum-step', 'function momentumStep(w: number[]) { throw new RangeError("nope"); }');
    expect(r.passed).toBe(false);
    expect(r.failure?.message).toMatch(/threw an error: RangeError: nope/);
  });
});
