/**
 * One sign convention for edge kernels across the course (components/internal/edge-kernels.ts): written as they are
 * cross-correlated, right minus left and bottom minus top. Every widget that uses an edge kernel must use these.
 */
import { describe, expect, test } from 'vitest';
import { conv2d, tensor } from '../../src/lib/index.ts';
import { HORIZONTAL_EDGE, SOBEL_X, SOBEL_Y, VERTICAL_EDGE } from '../../components/internal/edge-kernels.ts';
import { presetById } from '../../components/kernel-playground/presets.ts';
import { EDGE_KERNEL } from '../../components/internal/digits.ts';
import { KERNELS } from '../../components/activation-viewer/state.ts';

/** Cross-correlates a 3x3 patch with a 3x3 kernel (one output). */
const respond = (patch: number[], kernel: readonly number[]) =>
  conv2d(tensor([1, 3, 3], patch), tensor([1, 1, 3, 3], [...kernel]), null).data[0]!;

describe('edge kernels: one convention', () => {
  test('x=[1,3,3] brighter to the right: vertical edge and Sobel x respond positively (6 and 8)', () => {
    const ramp = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    expect(respond(ramp, VERTICAL_EDGE)).toBe(6);
    expect(respond(ramp, SOBEL_X)).toBe(8);
  });
  test('x=[1,3,3] brighter downwards: horizontal edge and Sobel y respond positively', () => {
    const ramp = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    expect(respond(ramp, HORIZONTAL_EDGE)).toBe(6);
    expect(respond(ramp, SOBEL_Y)).toBe(8);
  });
  test('chapter 4 presets, the pooling and shift widgets (digits.ts) and chapter 7 viewer all use these kernels', () => {
    expect(presetById('vertical-edge')!.entries).toEqual(VERTICAL_EDGE);
    expect(presetById('horizontal-edge')!.entries).toEqual(HORIZONTAL_EDGE);
    expect(presetById('sobel-x')!.entries).toEqual(SOBEL_X);
    expect(presetById('sobel-y')!.entries).toEqual(SOBEL_Y);
    expect(EDGE_KERNEL).toEqual(SOBEL_X);
    expect(KERNELS.vertical.values).toEqual(SOBEL_X);
    expect(KERNELS.horizontal.values).toEqual(SOBEL_Y);
  });
  test('a true convolution rotates them 180°, which negates them (what a textbook that convolves prints)', () => {
    for (const k of [VERTICAL_EDGE, HORIZONTAL_EDGE, SOBEL_X, SOBEL_Y]) {
      expect([...k].reverse()).toEqual(k.map((v) => (v === 0 ? 0 : -v)));
    }
  });
});
