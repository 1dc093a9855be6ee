/**
 * Rebuilds an IDX image file from the site's boxed form, which keeps only each image's bounding box of non-zero
 * pixels (written by scripts/mnist-boxes.mjs, where the layout is described). MNIST's 28x28 digits sit in a zero
 * border, so the boxed training images are 40 % of the IDX bytes and the browser inflates them in about half the
 * time. Rebuilding is a byte loop over 18.7 MB (about 150 ms in a worker here), so `Unboxer` takes the bytes as they
 * are inflated and the work overlaps the download. Pure: runs in Node (tests), a worker and the page.
 */
import { IdxError, IMAGES_MAGIC } from './idx.ts';

/** The magic number that opens a boxed file ("CNBX"); scripts/mnist-boxes.mjs writes the same. */
export const BOXED_MAGIC = 0x434e4258;

const HEADER = 16;

/** Rebuilds the IDX file from the boxed bytes, fed in pieces of any size. */
export class Unboxer {
  private readonly head = new Uint8Array(HEADER);
  private headAt = 0;
  private out: Uint8Array | null = null;
  private count = 0;
  private rows = 0;
  private cols = 0;
  /** Images rebuilt so far. */
  private done = 0;
  /** The start of an image cut off at the end of a piece; its box takes at most 4 + 255 x 255 bytes. */
  private readonly carry = new Uint8Array(4 + 255 * 255);
  private carried = 0;

  /**
   * @param name the file's name, for error messages.
   * @param maxBytes the boxed file's size at most (the manifest's): a header promising more images than that could
   *   hold is damaged, not a reason to allocate gigabytes.
   */
  constructor(
    private readonly name: string,
    private readonly maxBytes: number,
  ) {}

  push(piece: Uint8Array): void {
    let at = 0;
    if (this.headAt < HEADER) {
      const n = Math.min(HEADER - this.headAt, piece.length);
      this.head.set(piece.subarray(0, n), this.headAt);
      this.headAt += n;
      at = n;
      if (this.headAt < HEADER) return;
      this.start();
    }
    if (this.carried > 0) {
      // Complete the image begun in the last piece, then rebuild it from the carry buffer.
      const need = this.carried < 4 ? 4 - this.carried : this.imageBytes(this.carry, 0) - this.carried;
      const n = Math.min(need, piece.length - at);
      this.carry.set(piece.subarray(at, at + n), this.carried);
      this.carried += n;
      at += n;
      if (this.carried < 4) return;
      if (this.carried < this.imageBytes(this.carry, 0)) {
        if (at < piece.length) this.push(piece.subarray(at));
        return;
      }
      this.image(this.carry, 0);
      this.carried = 0;
    }
    while (at < piece.length) {
      if (this.done === this.count) throw this.corrupt('unexpected bytes follow the last image');
      if (piece.length - at < 4 || piece.length - at < this.imageBytes(piece, at)) {
        this.carry.set(piece.subarray(at), 0);
        this.carried = piece.length - at;
        return;
      }
      at = this.image(piece, at);
    }
  }

  /** The IDX image file (magic 2051), once every image has arrived. */
  finish(): Uint8Array {
    if (this.headAt < HEADER) throw this.corrupt(`${this.headAt} bytes is shorter than the ${HEADER}-byte header`);
    if (this.done < this.count || this.carried > 0) {
      throw this.corrupt(`it ends inside image ${this.done + 1} of ${this.count}`);
    }
    return this.out!;
  }

  private start(): void {
    const view = new DataView(this.head.buffer);
    if (view.getUint32(0) !== BOXED_MAGIC) throw this.corrupt('it does not start with the boxed images magic number');
    [this.count, this.rows, this.cols] = [view.getUint32(4), view.getUint32(8), view.getUint32(12)];
    if (this.count > (this.maxBytes - HEADER) / 4) {
      throw this.corrupt(`its header promises ${this.count} images in at most ${this.maxBytes} bytes`);
    }
    this.out = new Uint8Array(HEADER + this.count * this.rows * this.cols);
    const outView = new DataView(this.out.buffer);
    outView.setUint32(0, IMAGES_MAGIC);
    outView.setUint32(4, this.count);
    outView.setUint32(8, this.rows);
    outView.setUint32(12, this.cols);
  }

  /** Bytes of the image whose box starts at src[at] (4 or more available), box included. */
  private imageBytes(src: Uint8Array, at: number): number {
    return 4 + src[at + 2]! * src[at + 3]!;
  }

  /** Rebuilds one image whose bytes are all in src from `at`; returns where the next one starts. */
  private image(src: Uint8Array, at: number): number {
    const { rows, cols } = this;
    const top = src[at]!;
    const left = src[at + 1]!;
    const h = src[at + 2]!;
    const w = src[at + 3]!;
    if (top + h > rows || left + w > cols) {
      throw this.corrupt(`image ${this.done + 1}'s box does not fit a ${rows}x${cols} image`);
    }
    const out = this.out!;
    let from = at + 4;
    // A byte loop: ~20 short rows per image make subarray + set slower than copying.
    let dst = HEADER + this.done * rows * cols + top * cols + left;
    for (let y = 0; y < h; y++, dst += cols) for (let x = 0; x < w; x++) out[dst + x] = src[from++]!;
    this.done++;
    return from;
  }

  private corrupt(why: string): IdxError {
    return new IdxError(`${this.name} is corrupt: ${why}.`);
  }
}

/** The IDX image file a boxed file was made from, byte for byte. @throws IdxError when it is not well-formed. */
export function unboxImages(boxed: Uint8Array, name: string): Uint8Array {
  const u = new Unboxer(name, boxed.length);
  u.push(boxed);
  return u.finish();
}
