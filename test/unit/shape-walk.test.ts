import { describe, expect, test } from 'vitest';
import { EngineError, walkShapes, type LayerSpec } from '../../src/lib/index.ts';
// Not in the barrel (yet): the network module is imported directly.
import { Sequential } from '../../src/lib/engine/network.ts';
import { engineModel } from '../../src/ml/presets.ts';

// The 3x3 LeNet of the course (the lab catalogue's lenet5-3x3): conv 3x3 valid, pool 2, conv 3x3, pool 2, dense head.
const LENET3: readonly LayerSpec[] = engineModel('lenet5-3x3').layers;

describe('walkShapes', () => {
  test('3x3 LeNet x=[1,28,28]: 28 -> 26 -> 13 -> 11 -> 5, flatten 400', () => {
    const walk = walkShapes([1, 28, 28], LENET3);
    expect(walk.error).toBeNull();
    expect(walk.steps.map((s) => s.outputShape)).toEqual([
      [6, 26, 26],
      [6, 13, 13],
      [16, 11, 11],
      [16, 5, 5],
      [400],
      [120],
      [84],
      [10],
    ]);
    // The second pool's floor drops input row/column 10 of its 11x11 input.
    expect(walk.steps[3]!.rows).toMatchObject({ size: 5, exact: false, remainder: 1, unvisitedInputs: [10] });
    expect(walk.outputShape).toEqual([10]);
  });

  test('agrees with Sequential (which runs a real conv/pool dry run) on LeNet-5 with same padding x=[1,28,28]', () => {
    const lenet5: LayerSpec[] = [
      { type: 'conv2d', filters: 6, kernel: 5, padding: 'same' },
      { type: 'avgPool', size: 2 },
      { type: 'conv2d', filters: 16, kernel: 5 },
      { type: 'avgPool', size: 2, stride: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 120 },
    ];
    const walk = walkShapes([1, 28, 28], lenet5);
    const model = new Sequential([1, 28, 28], lenet5, { seed: 1 });
    expect(walk.steps.map((s) => s.outputShape)).toEqual(model.summary().map((r) => r.outputShape));
    expect(walk.steps[0]!.padding).toEqual({ top: 2, bottom: 2, left: 2, right: 2 });
  });

  test('conv x=[1,5,5] k=3 p=1 s=2 gives 3x3: (5 - 3 + 2)/2 + 1 = 3', () => {
    const walk = walkShapes([1, 5, 5], [{ type: 'conv2d', filters: 2, kernel: 3, padding: 1, stride: 2 }]);
    expect(walk.outputShape).toEqual([2, 3, 3]);
    expect(walk.steps[0]!.rows).toMatchObject({ exact: true, paddedInput: 7, windowStarts: [0, 2, 4] });
  });

  test("TensorFlow 'same' with stride 2 on x=[1,6,7] k=3 pads asymmetrically and gives ceil(i/s)", () => {
    const walk = walkShapes([1, 6, 7], [{ type: 'conv2d', filters: 1, kernel: 3, padding: 'same', stride: 2 }]);
    expect(walk.outputShape).toEqual([1, 3, 4]);
    // Height 6: total (3-1)*2 + 3 - 6 = 1, the odd zero goes to the bottom. Width 7: total 2, one each side.
    expect(walk.steps[0]!.padding).toEqual({ top: 0, bottom: 1, left: 1, right: 1 });
  });

  test('non-square kernel [3,5], dilation 2 on x=[3,10,12]', () => {
    const walk = walkShapes([3, 10, 12], [{ type: 'conv2d', filters: 4, kernel: [3, 5], dilation: 2 }]);
    // Effective kernel 5x9: 10 - 5 + 1 = 6 rows, 12 - 9 + 1 = 4 columns.
    expect(walk.outputShape).toEqual([4, 6, 4]);
    expect(walk.steps[0]!.rows!.effectiveKernel).toBe(5);
    expect(walk.steps[0]!.cols!.effectiveKernel).toBe(9);
  });

  test('stops at the first layer that does not fit and keeps the shapes before it', () => {
    const layers: LayerSpec[] = [...LENET3.slice(0, 4)];
    layers[2] = { type: 'conv2d', filters: 16, kernel: 15 };
    const walk = walkShapes([1, 28, 28], layers);
    expect(walk.steps).toHaveLength(2);
    expect(walk.outputShape).toEqual([6, 13, 13]);
    expect(walk.error).toMatchObject({ layer: 2, field: 'kernel' });
    expect(walk.error!.message).toMatch(/kernel 15 .*wider than the padded input 13/);
  });

  test('stride 0, zero filters and pool padding >= window are reported at their layer', () => {
    expect(walkShapes([1, 8, 8], [{ type: 'conv2d', filters: 1, kernel: 3, stride: 0 }]).error).toMatchObject({
      layer: 0,
      field: 'stride',
    });
    expect(walkShapes([1, 8, 8], [{ type: 'conv2d', filters: 0, kernel: 3 }]).error).toMatchObject({
      field: 'filters',
    });
    const pool = walkShapes(
      [1, 8, 8],
      [
        { type: 'maxPool', size: 2 },
        { type: 'maxPool', size: 2, padding: 2 },
      ],
    );
    expect(pool.error).toMatchObject({ layer: 1, field: 'padding' });
    expect(pool.outputShape).toEqual([1, 4, 4]);
  });

  test('a convolution after flatten is explained, not thrown', () => {
    const walk = walkShapes([1, 4, 4], [{ type: 'flatten' }, { type: 'conv2d', filters: 1, kernel: 1 }]);
    expect(walk.error).toMatchObject({ layer: 1 });
    expect(walk.error!.message).toMatch(/before the flatten layer/);
  });

  test('a bad input shape throws EngineError', () => {
    expect(() => walkShapes([1, 0, 4], [])).toThrow(EngineError);
    expect(() => walkShapes([1, 2.5, 4], [])).toThrow(/whole number/);
  });
});
