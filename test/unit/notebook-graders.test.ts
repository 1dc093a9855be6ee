/**
 * The graders behind the exercises: the case grader's mistake naming, the behaviour graders of the kernel-design
 * and gradient-check exercises (right answers of every reasonable form pass, the report says which test failed),
 * the cases themselves (worked example first, seeded random cases, deterministic), and the worked examples'
 * numbers against the widgets they come from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EXERCISES, checkExercise, nameMistake, type Mistake } from '../../src/lib/exercises/notebook/index.ts';
import { SUIT_PATCH } from '../../src/lib/exercises/notebook/ch02-grayscale.ts';
import { CH06_WORKED_SEED, steppedExample } from '../../src/lib/exercises/notebook/ch06-multichannel.ts';
import { EDGE_TEST_IMAGES } from '../../src/lib/exercises/notebook/ch04-edge-kernel.ts';
import { BUG_LEVEL, RIGHT_LEVEL } from '../../src/lib/exercises/notebook/ch10-gradcheck.ts';
import { gradProblems } from '../../src/lib/exercises/notebook/ch10-gradcheck-problems.ts';
import { describeSource, isSeededSource } from '../../src/lib/exercises/notebook/seeded.ts';
import { gradCheck as engineGradCheck, tensor } from '../../src/lib/index.ts';
import { DEFAULT_SEED, PRESETS, drawValues } from '../../components/multichannel-stepper/state.ts';
import { checkSource, spec } from './notebook-kit.ts';

describe('naming a mistake', () => {
  const a: Mistake = { name: 'a', advice: 'a', impl: (x: number) => x + 1 };
  const b: Mistake = { name: 'b', advice: 'b', impl: (x: number) => (x === 0 ? 1 : 2 * x) };
  const wrong = (x: number, got: number) => ({ args: [x], got, expected: x, mutated: false });
  test('on one wrong answer two mistakes may agree; the later answers decide', () => {
    // x = 0: both give 1. x = 3: only b gives 6.
    expect(nameMistake([a, b], [wrong(0, 1), wrong(3, 6)], 1e-9)?.name).toBe('b');
    expect(nameMistake([a, b], [wrong(0, 1), wrong(3, 4)], 1e-9)?.name).toBe('a');
    expect(nameMistake([a, b], [wrong(0, 1)], 1e-9)?.name).toBe('a');
  });
  test('a mistake that does not explain the first wrong answer is not named', () => {
    expect(nameMistake([a], [wrong(3, 6), wrong(4, 5)], 1e-9)).toBeUndefined();
  });
  test("detect is consulted when the mistake's impl happens to be right on the case", () => {
    const m: Mistake = { name: 'm', advice: 'm', impl: (x: number) => x, detect: (got) => got === 99 };
    expect(nameMistake([m], [wrong(1, 99)], 1e-9)?.name).toBe('m');
  });
  test('a changed input is named first', () => {
    expect(nameMistake([a], [{ ...wrong(0, 1), mutated: true }], 1e-9)?.name).toBe('changed its input');
  });
  test('a function that throws on the worked example is still named from a later wrong value', () => {
    // Reads w as [C][K]: throws on the worked example (C = 3, K = 2), wrong numbers where C = K.
    const r = checkSource(
      'conv2d-multi',
      `function conv2dMulti(x: number[][][], w: number[][][][], b: number[], pad: number, stride: number): number[][][] {
  return b.map((bias, f) => {
    const parts = x.map((ch, c) => conv2dPadStride(ch, w[c][f], pad, stride));
    return parts[0].map((row, i) => row.map((_, j) => bias + parts.reduce((s, p) => s + p[i][j], 0)));
  });
}`,
      { 'conv2d-pad-stride': spec('conv2d-pad-stride').solution },
    );
    expect(r.failure?.label).toMatch(/worked example/);
    expect(r.failure?.message).toMatch(/threw an error: .*TypeError/);
    expect(r.failure?.error?.line).toBe(3);
    expect(r.mistake?.name).toBe('weights read as [C][K] instead of [K][C]');
  });
});

describe('the cases of every exercise', () => {
  for (const ex of EXERCISES.filter((e) => e.cases)) {
    test(`${ex.id}: the worked example first, at least 20 seeded random cases, the same every time`, () => {
      const cases = ex.cases!();
      expect(cases[0]!.label).toMatch(/worked example/);
      expect(cases.filter((c) => /^random case \d+ \(seed \d+\)$/.test(c.label)).length).toBeGreaterThanOrEqual(20);
      // A seeded source is a new function on every call of cases(): compare it by what it draws.
      const plain = (list: typeof cases) =>
        list.map((c) => ({ ...c, args: c.args.map((a) => (isSeededSource(a) ? describeSource(a) : a)) }));
      expect(plain(ex.cases!())).toEqual(plain(cases));
      for (const c of cases) expect(c.names).toHaveLength(c.args.length);
    });
  }
});

describe('wrong types get a plain message', () => {
  test.each([
    [
      'max-pool',
      'function maxPool(x: number[][], size: number, stride: number) { return "pooled"; }',
      /Expected an object with y, argmax/,
    ],
    ['grayscale', 'function grayscale(rgb: number[][][]) { return [[1, 2], [3]]; }', /entries|Expected/],
    ['softmax', 'function softmax(z: number[]) { return z.map(() => NaN); }', /NaN/],
    ['output-size', 'function outputSize() {}', /returned undefined/],
  ])('%s', (id, source, message) => {
    const r = checkSource(id, source);
    expect(r.passed).toBe(false);
    expect(r.failure?.message).toMatch(message);
  });
});

describe('chapter 4: a vertical-edge kernel is judged by its responses', () => {
  const kernel = (rows: string) => `function verticalEdgeKernel(): number[][] { return ${rows}; }`;
  test.each([
    ['the chapter’s right-minus-left kernel', '[[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]'],
    ['Sobel x', '[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]'],
    ['a single row', '[[0, 0, 0], [-1, 0, 1], [0, 0, 0]]'],
    ['a scaled copy with fractions', '[[-1/3, 0, 1/3], [-1/3, 0, 1/3], [-1/3, 0, 1/3]]'],
    ['a two-column difference', '[[0, -1, 1], [0, -1, 1], [0, -1, 1]]'],
  ])('%s passes', (_, rows) => {
    const r = checkSource('vertical-edge-kernel', kernel(rows));
    expect(r.failure?.message ?? '').toBe('');
    expect(r.passed).toBe(true);
    expect(r.total).toBe(EDGE_TEST_IMAGES.length);
  });
  test('a second-derivative kernel (1, −2, 1) fails: it answers one edge with both signs', () => {
    const r = checkSource('vertical-edge-kernel', kernel('[[1, -2, 1], [1, -2, 1], [1, -2, 1]]'));
    expect(r.passed).toBe(false);
    expect(r.failure?.label).toMatch(/dark on the left/);
  });
  test('the report names the test image and shows the response map', () => {
    const r = checkSource('vertical-edge-kernel', kernel('[[1, 0, -1], [1, 0, -1], [1, 0, -1]]'));
    expect(r.passedCount).toBe(2); // the flat image and the horizontal edge
    expect(r.failure?.label).toBe('a vertical edge, dark on the left and bright on the right');
    expect(r.failure?.message).toMatch(/-300 at row 0, column 1: a strong response with the wrong sign/);
    expect(r.failure?.got?.value).toEqual(Array.from({ length: 4 }, () => [0, -300, -300, 0]));
    expect(r.failure?.inputs.map((i) => i.name)).toEqual(['image', 'kernel']);
  });
  test('a kernel of the wrong shape, all zeros, or a throw gets a plain message', () => {
    expect(checkSource('vertical-edge-kernel', kernel('[[1, -1]]')).failure?.message).toMatch(/3 × 3/);
    expect(checkSource('vertical-edge-kernel', kernel('[[0, 0, 0], [0, 0, 0], [0, 0, 0]]')).failure?.message).toMatch(
      /responds to nothing/,
    );
    expect(checkSource('vertical-edge-kernel', kernel('[[1, 0, NaN], [0, 0, 0], [0, 0, 0]]')).failure?.message).toMatch(
      /finite/,
    );
    const thrown = checkSource(
      'vertical-edge-kernel',
      'function verticalEdgeKernel(): number[][] {\n  throw new Error("no");\n}',
    );
    expect(thrown.failure?.message).toMatch(/threw an error: Error: no/);
    expect(thrown.failure?.error?.line).toBe(2);
  });
});

describe('chapter 10: the gradient check is judged by what it reports', () => {
  test('the planted problems are what they claim (the engine’s own check)', () => {
    for (const p of gradProblems()) {
      const t = tensor([p.x.length], p.x);
      const r = engineGradCheck(
        { x: t },
        () => p.f(Array.from(t.data)),
        { x: tensor([p.x.length], p.grad) },
        { eps: p.eps ?? 1e-5 },
      );
      if (p.right) expect(r.maxRelError, p.label).toBeLessThan(1e-7);
      else expect(r.maxRelError, p.label).toBeGreaterThan(100 * BUG_LEVEL);
    }
  });

  /** A right gradient check with a given default step and relative-error formula. */
  const variant = (
    eps: string,
    error: string,
  ) => `function gradCheck(f: (x: number[]) => number, grad: number[], x: number[], eps = ${eps}): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const old = x[i];
    x[i] = old + eps; const fp = f(x);
    x[i] = old - eps; const fm = f(x);
    x[i] = old;
    const a = grad[i];
    const n = (fp - fm) / (2 * eps);
    worst = Math.max(worst, ${error});
  }
  return worst;
}`;
  const MAX = 'a === n ? 0 : Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n))';
  test.each([
    ['eps 1e-4', variant('1e-4', MAX)],
    ['eps 1e-5', variant('1e-5', MAX)],
    ['eps 1e-6', variant('1e-6', MAX)],
    ['eps 1e-7', variant('1e-7', MAX)],
    [
      'a 1e-12 floor (the engine’s form)',
      variant('1e-5', 'Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), 1e-12)'),
    ],
    ['CS231n’s |a − n| / (|a| + |n|)', variant('1e-5', 'a === n ? 0 : Math.abs(a - n) / (Math.abs(a) + Math.abs(n))')],
  ])('a right gradient check passes: %s', (_, source) => {
    const r = checkSource('grad-check', source);
    expect(r.failure?.message ?? '').toBe('');
    expect(r.passed).toBe(true);
  });
  test('a check that always says 0 catches no bug, and the report shows what it returned', () => {
    const r = checkSource(
      'grad-check',
      'function gradCheck(f: (x: number[]) => number, grad: number[], x: number[]): number { return 0; }',
    );
    expect(r.passed).toBe(false);
    expect(r.failure?.label).toMatch(/planted bug/);
    expect(r.failure?.message).toMatch(/reports only 0; it should be above 0\.001/);
    expect(r.failure?.got?.value).toBe(0);
    expect(r.mistake).toBeUndefined();
  });
  test('thresholds leave room between right and wrong', () => {
    expect(RIGHT_LEVEL).toBeLessThan(BUG_LEVEL / 100);
  });
});

describe('worked examples match the widgets they come from', () => {
  test('chapter 2: the suit patch is the photo around row 20, column 6', () => {
    const photo = JSON.parse(readFileSync('components/pixel-viewer/photo/astronaut-32.json', 'utf8')) as {
      cols: number;
      pixels: number[];
    };
    const crop = [0, 1, 2].map((c) =>
      [19, 20, 21].map((r) => [5, 6, 7].map((col) => photo.pixels[(r * photo.cols + col) * 3 + c]!)),
    );
    expect(crop).toEqual(SUIT_PATCH);
  });
  test('chapter 6: the first case is the multi-channel stepper’s worked example', () => {
    const shape = PRESETS[0]!.shape;
    const drawn = drawValues(shape, DEFAULT_SEED);
    const ours = steppedExample(CH06_WORKED_SEED, shape.n, shape.C, shape.K, shape.k);
    expect(ours.x.flat(2)).toEqual(drawn.x);
    expect(ours.w.flat(3)).toEqual(drawn.w);
    expect(ours.b).toEqual(drawn.b);
    const first = spec('conv2d-multi').cases!()[0]!;
    expect(first.args.slice(3)).toEqual([shape.padding, shape.stride]);
  });
  test('every exercise’s checker can be called directly with a plain function', () => {
    const r = checkExercise(spec('sgd-step'), (w: number[], g: number[], lr: number) =>
      w.map((v, i) => v - lr * g[i]!),
    );
    expect(r.passed).toBe(true);
  });
});
