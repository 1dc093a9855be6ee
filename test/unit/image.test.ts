import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  EngineError,
  GRAY_WEIGHTS,
  Rng,
  gradCheck,
  hwcToChw,
  imageStats,
  randomTensor,
  rgbToGray,
  rgbToGrayBackward,
  tensor,
  toNested,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

const root = new URL('../../', import.meta.url);
const photo = JSON.parse(readFileSync(new URL('components/pixel-viewer/photo/astronaut-32.json', root), 'utf8')) as {
  rows: number;
  cols: number;
  pixels: number[];
};
const pilGray = JSON.parse(readFileSync(new URL('test/fixtures/astronaut-32-gray-pil.json', root), 'utf8')) as {
  gray: number[];
};

describe('hwcToChw', () => {
  test('hwcToChw pixels=[2,2,3] -> [3,2,2] puts each channel in its own plane', () => {
    // Pixel (r, c) holds (10r + c, 100 + 10r + c, 200 + 10r + c), so each value names its own place.
    const hwc = [0, 100, 200, 1, 101, 201, 10, 110, 210, 11, 111, 211];
    const x = hwcToChw(hwc, 2, 2, 3);
    expect(x.shape).toEqual([3, 2, 2]);
    expect(toNested(x)).toEqual([
      [
        [0, 1],
        [10, 11],
      ],
      [
        [100, 101],
        [110, 111],
      ],
      [
        [200, 201],
        [210, 211],
      ],
    ]);
  });

  test('hwcToChw pixels=[28,28,1] is the identity on grayscale data', () => {
    const values = Array.from({ length: 784 }, (_, i) => i % 256);
    expect(Array.from(hwcToChw(values, 28, 28, 1).data)).toEqual(values);
  });

  test('hwcToChw rejects a wrong count and non-finite pixels with learner-readable messages', () => {
    expect(() => hwcToChw([1, 2, 3], 2, 2, 1)).toThrow(/2x2 pixels with 1 channel needs 4 values, got 3/);
    expect(() => hwcToChw([1, NaN, 3, 4], 2, 2, 1)).toThrow(EngineError);
    expect(() => hwcToChw([1, 2, 3, 4], 0, 4, 1)).toThrow(/height must be at least 1/);
  });
});

describe('rgbToGray', () => {
  test('rgbToGray x=[3,1,5] black, white, pure red, green and blue', () => {
    // Columns: black, white, red, green, blue.
    const x = tensor([3, 1, 5], [0, 255, 255, 0, 0, 0, 255, 0, 255, 0, 0, 255, 0, 0, 255]);
    const exact = rgbToGray(x);
    expect(exact.shape).toEqual([1, 1, 5]);
    expectClose(exact, tensor([1, 1, 5], [0, 255, 0.299 * 255, 0.587 * 255, 0.114 * 255]), 1e-12);
    expect(Array.from(rgbToGray(x, { round: true }).data)).toEqual([0, 255, 76, 150, 29]);
  });

  test('rgbToGray x=[3,32,32] astronaut photo matches PIL convert("L") to within 1 level', () => {
    const x = hwcToChw(photo.pixels, photo.rows, photo.cols, 3);
    const gray = rgbToGray(x, { round: true });
    expect(gray.shape).toEqual([1, 32, 32]);
    let maxDiff = 0;
    let exact = 0;
    gray.data.forEach((v, i) => {
      const d = Math.abs(v - pilGray.gray[i]!);
      maxDiff = Math.max(maxDiff, d);
      if (d === 0) exact++;
    });
    expect(maxDiff).toBeLessThanOrEqual(1);
    // PIL's fixed-point rounding differs from exact rounding only on rare near-ties.
    expect(exact).toBeGreaterThan(0.95 * gray.data.length);
  });

  test('rgbToGray weights sum to 1, so a gray pixel (v, v, v) stays v', () => {
    expectClose(
      GRAY_WEIGHTS.reduce((a, b) => a + b, 0),
      1,
      1e-15,
    );
    const x = tensor([3, 1, 1], [137, 137, 137]);
    expectClose(rgbToGray(x).data[0]!, 137, 1e-12);
  });

  test('rgbToGray rejects a [1,2,2] image (not three channels)', () => {
    expect(() => rgbToGray(tensor([1, 2, 2]))).toThrow(/needs 3 channels/);
  });

  test('rgbToGrayBackward dy=[1,3,4] matches finite differences', () => {
    const rng = new Rng(7);
    const x = randomTensor([3, 3, 4], rng, 0, 255);
    const g = randomTensor([1, 3, 4], rng, -1, 1);
    // Loss = sum(g * gray(x)), so dLoss/dgray = g.
    const loss = () => rgbToGray(x).data.reduce((s, v, i) => s + v * g.data[i]!, 0);
    const dx = rgbToGrayBackward(g);
    expect(dx.shape).toEqual([3, 3, 4]);
    const report = gradCheck({ x }, loss, { x: dx });
    expect(report.passed, `max relative error ${report.maxRelError}`).toBe(true);
  });
});

describe('imageStats', () => {
  test('imageStats x=[1,2,3] counts zeros and finds min, max and mean', () => {
    const s = imageStats(tensor([1, 2, 3], [0, 0, 255, 10, 0, 5]));
    expect(s).toEqual({ count: 6, min: 0, max: 255, mean: 45, zeros: 3 });
  });
});
