/**
 * A pure parser for the IDX files MNIST ships in (http://yann.lecun.com/exdb/mnist/): a big-endian header, then
 * unsigned bytes. No DOM, no network: it runs the same in Node (tests), a worker and the page.
 *
 * Header: 4-byte magic (0x00 0x00 type dims), then one 4-byte big-endian size per dimension.
 * MNIST images: magic 2051 (0x0803: unsigned byte, 3 dims), sizes [n, 28, 28]. Labels: magic 2049 (0x0801), [n].
 */

/** Thrown for any file that is not a well-formed IDX file of the expected kind; the message says what is wrong. */
export class IdxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxError';
  }
}

/** Magic number of an IDX image file (unsigned bytes, 3 dimensions). */
export const IMAGES_MAGIC = 2051;
/** Magic number of an IDX label file (unsigned bytes, 1 dimension). */
export const LABELS_MAGIC = 2049;

/** Decoded images: `pixels` holds `count` images of rows x cols bytes, row-major, 0 = background. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
}

function header(bytes: Uint8Array, name: string, magic: number, dims: number): number[] {
  const headerBytes = 4 + 4 * dims;
  const truncated = () =>
    new IdxError(`${name} is truncated: ${bytes.length} bytes is shorter than its ${headerBytes}-byte header.`);
  if (bytes.length < 4) throw truncated();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new IdxError(
      `${name} is not an IDX ${dims === 3 ? 'image' : 'label'} file: its magic number is ${found}, expected ${magic}.`,
    );
  }
  if (bytes.length < headerBytes) throw truncated();
  const sizes: number[] = [];
  for (let d = 0; d < dims; d++) sizes.push(view.getUint32(4 + 4 * d, false));
  return sizes;
}

function checkLength(bytes: Uint8Array, name: string, headerBytes: number, expected: number): void {
  const body = bytes.length - headerBytes;
  if (body < expected) {
    throw new IdxError(`${name} is truncated: the header promises ${expected} bytes of data but only ${body} follow.`);
  }
  if (body > expected) {
    throw new IdxError(`${name} is corrupt: ${body - expected} unexpected bytes follow the ${expected} bytes of data.`);
  }
}

/**
 * Parses an IDX image file. The pixels are a view into `bytes` (no copy).
 * @param expectSize optional rows/cols to insist on (MNIST: 28).
 * @throws IdxError on a wrong magic number, zero or mismatched sizes, or a truncated file.
 */
export function parseIdxImages(bytes: Uint8Array, name = 'The image file', expectSize?: number): IdxImages {
  const [count, rows, cols] = header(bytes, name, IMAGES_MAGIC, 3) as [number, number, number];
  if (rows === 0 || cols === 0) throw new IdxError(`${name} is corrupt: its images are ${rows}x${cols} pixels.`);
  if (expectSize !== undefined && (rows !== expectSize || cols !== expectSize)) {
    throw new IdxError(`${name} holds ${rows}x${cols} images; expected ${expectSize}x${expectSize}.`);
  }
  checkLength(bytes, name, 16, count * rows * cols);
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

/**
 * Parses an IDX label file. The labels are a view into `bytes`.
 * @param classes if given, every label must be below it (MNIST: 10).
 * @throws IdxError on a wrong magic number, a truncated file or an out-of-range label.
 */
export function parseIdxLabels(bytes: Uint8Array, name = 'The label file', classes?: number): Uint8Array {
  const [count] = header(bytes, name, LABELS_MAGIC, 1) as [number];
  checkLength(bytes, name, 8, count);
  const labels = bytes.subarray(8);
  if (classes !== undefined) {
    const bad = labels.findIndex((l) => l >= classes);
    if (bad >= 0)
      throw new IdxError(`${name} is corrupt: label ${bad} is ${labels[bad]}, not a class 0..${classes - 1}.`);
  }
  return labels;
}

/** An image set with its labels, checked to have the same length. */
export interface LabelledImages extends IdxImages {
  labels: Uint8Array;
}

/** Parses a matching pair of image and label files (e.g. train-images and train-labels). */
export function parseIdxPair(images: Uint8Array, labels: Uint8Array, what: string): LabelledImages {
  const img = parseIdxImages(images, `The ${what} image file`, 28);
  const lab = parseIdxLabels(labels, `The ${what} label file`, 10);
  if (lab.length !== img.count) {
    throw new IdxError(`The ${what} files disagree: ${img.count} images but ${lab.length} labels.`);
  }
  return { ...img, labels: lab };
}

/** Builds an IDX file from parts (for tests and fixtures). `dims` are the sizes after the magic. */
export function encodeIdx(magic: number, dims: readonly number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * dims.length);
  return out;
}
