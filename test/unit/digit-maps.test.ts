import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { conv2d, tensor } from '../../src/lib/index.ts';
import { EDGE_KERNEL, edgeFeatureMap, parseSampleDigits, strongestPatch } from '../../components/internal/digits.ts';
import { expectClose } from './helpers.ts';

describe('digit feature maps for the pooling widgets', () => {
  test('edgeFeatureMap x=[1,5,5] k=[1,1,3,3]: a dark-left, bright-right step gives ReLU(Sobel x) = 4 on the edge', () => {
    // Columns 0-1 black, columns 2-4 white (255): brightness rises to the right, so chapter 4's convention (right
    // minus left) gives a positive response where the step is.
    const pixels = Array.from({ length: 25 }, (_, i) => (i % 5 < 2 ? 0 : 255));
    const map = edgeFeatureMap(pixels, 5, 5);
    expect(map.shape).toEqual([1, 3, 3]);
    // Output column c sees input columns c..c+2: response 4 (x[c+2] - x[c]) = 4, 4, 0.
    expectClose(map, tensor([1, 3, 3], [4, 4, 0, 4, 4, 0, 4, 4, 0]));
    // The opposite step (bright left, dark right) is negative everywhere, so ReLU leaves nothing.
    const mirrored = edgeFeatureMap(
      pixels.map((p) => 255 - p),
      5,
      5,
    );
    expect(Array.from(mirrored.data).every((v) => v === 0)).toBe(true);
    // The same map from conv2d directly, negatives clipped: the helper adds nothing else.
    const direct = conv2d(
      tensor(
        [1, 5, 5],
        pixels.map((p) => p / 255),
      ),
      tensor([1, 1, 3, 3], EDGE_KERNEL),
      null,
    );
    expectClose(
      map,
      tensor(
        [1, 3, 3],
        Array.from(direct.data, (v) => Math.max(0, v)),
      ),
    );
  });
  test('strongestPatch of x=[1,6,6] size 2 finds the brightest even-aligned block and rounds to one decimal', () => {
    const values = new Array<number>(36).fill(0);
    values[2 * 6 + 4] = 1.04;
    values[3 * 6 + 5] = 2.26;
    const patch = strongestPatch(tensor([1, 6, 6], values), 2);
    expect(patch).toEqual({ top: 2, left: 4, values: [1, 0, 0, 2.3] });
  });
  test('parseSampleDigits accepts the generated file and rejects a truncated digit', () => {
    const file = JSON.parse(readFileSync(`${process.cwd()}/public/data/mnist/sample-digits.json`, 'utf8')) as unknown;
    const samples = parseSampleDigits(file);
    expect(samples.digits).toHaveLength(20);
    expect(samples.digits[0]!.label).toBe(7);
    expect(() => parseSampleDigits({ rows: 28, cols: 28, digits: [{ index: 0, label: 1, pixels: [1, 2] }] })).toThrow(
      /does not have 784 pixels/,
    );
    expect(() => parseSampleDigits(null)).toThrow(/no digits/);
  });
});
