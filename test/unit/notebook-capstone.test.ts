/**
 * The capstone end to end in Node: the kernel runs the capstone cell with the course's pieces, loads the MNIST
 * subset `npm run data` wrote, trains, and the loss falls while the test accuracy climbs well above chance. The
 * full default run (5,000 images, 2 epochs, ≥ 90 %) is measured by `npm run bench`, not here.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { capstoneTrainStep } from '../../src/lib/exercises/notebook/ch12-capstone.ts';
import { prerequisites } from '../../src/lib/exercises/notebook/registry.ts';
import { CAPSTONE_DEFAULTS, initCapstoneParams, type CapstonePoint } from '../../src/notebook/capstone.ts';
import { createKernel } from '../../src/notebook/kernel.ts';
import type { FromWorker } from '../../src/notebook/protocol.ts';
import { parseIdxPair } from '../../src/ml/idx.ts';
import type { Subset } from '../../src/notebook/subset.ts';

function localSubset(): Subset {
  const read = (name: string) =>
    new Uint8Array(gunzipSync(readFileSync(new URL(`../../public/data/mnist/${name}.gz`, import.meta.url))));
  return {
    train: parseIdxPair(read('subset-train-images-idx3-ubyte'), read('subset-train-labels-idx1-ubyte'), 'train'),
    test: parseIdxPair(read('subset-test-images-idx3-ubyte'), read('subset-test-labels-idx1-ubyte'), 'test'),
  };
}

function trainWith(
  code: string,
  settings = {},
): Promise<{ points: CapstonePoint[]; done: Extract<FromWorker, { type: 'done' }> }> {
  return new Promise((resolve) => {
    const points: CapstonePoint[] = [];
    const kernel = createKernel(
      (m) => {
        if (m.type === 'progress') points.push(m.point);
        if (m.type === 'done') resolve({ points, done: m });
      },
      { load: async () => localSubset() },
    );
    kernel.handle({
      type: 'train',
      job: 1,
      cellId: 'capstone',
      code,
      prereqs: prerequisites(capstoneTrainStep.id).map((p) => ({
        exercise: p.id,
        fn: p.fn,
        source: '',
        origin: 'course' as const,
      })),
      settings: { ...CAPSTONE_DEFAULTS, images: 800, epochs: 1, testImages: 300, evalEvery: 400, ...settings },
      dataUrl: 'file:///subset/',
    });
  });
}

describe('capstone', () => {
  test('the subset has the sizes build-data promises, and initial weights are seeded', () => {
    const s = localSubset();
    expect([s.train.count, s.test.count]).toEqual([5000, 1000]);
    expect(initCapstoneParams(7)).toEqual(initCapstoneParams(7));
    expect(initCapstoneParams(7).W1).not.toEqual(initCapstoneParams(8).W1);
  });

  test("the course's pieces train: loss falls and accuracy is far above chance after 800 images", async () => {
    const { points, done } = await trainWith(capstoneTrainStep.solution);
    expect(done.error).toBeUndefined();
    expect(points.length).toBeGreaterThan(5);
    expect(points.at(-1)!.loss).toBeLessThan(points[0]!.loss * 0.6);
    expect(done.accuracy).toBeGreaterThan(0.7);
  }, 60_000);

  test('a step whose loss is not a finite number stops the run with a message, not NaN on screen', async () => {
    const broken = capstoneTrainStep.solution.replace(
      'const loss = crossEntropy(softmax(f.logits), label);',
      'const loss = crossEntropy(softmax(f.logits), label) * Infinity;',
    );
    expect(broken).not.toBe(capstoneTrainStep.solution);
    const { points, done } = await trainWith(broken, { images: 200 });
    expect(points).toEqual([]);
    expect(done.error?.message).toMatch(/Step 1: trainStep returned a loss of Infinity.*diverged/);
  }, 60_000);

  test('a cell without forward and trainStep is told what is missing', async () => {
    const { done } = await trainWith('const nothing = 1;');
    expect(done.error?.message).toMatch(/must define forward and trainStep/);
  });
});
