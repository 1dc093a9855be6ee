// The site's compact form of an IDX image file ("boxed"): each image keeps only its bounding box of non-zero pixels.
// MNIST's digits were size-normalised to a 20x20 box and centred in a 28x28 field (LeCun et al. 1998, section III.A),
// so about 60 % of every image is a zero border: the boxed training images are 18.7 MB instead of 47 MB, which the
// browser inflates in about half the time. The page rebuilds the IDX file exactly (src/ml/boxed.ts).
//
// Layout, big-endian like IDX: magic "CNBX" (0x434e4258), then count, rows and cols as uint32; then per image its
// top row, left column, height and width as one byte each, followed by height x width pixel bytes, row by row.
// An all-zero image has height and width 0.

/** The magic number that opens a boxed file ("CNBX"). */
export const BOXED_MAGIC = 0x434e4258;

/** Boxes an IDX image file (magic 2051, unsigned bytes, [count, rows, cols] with rows and cols at most 255). */
export function boxImages(idx) {
  const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength);
  if (view.getUint32(0) !== 2051) throw new Error('boxImages takes an IDX image file (magic 2051).');
  const [count, rows, cols] = [view.getUint32(4), view.getUint32(8), view.getUint32(12)];
  if (rows > 255 || cols > 255) throw new Error(`Images of ${rows}x${cols} do not fit a box of byte-sized sides.`);
  const size = rows * cols;
  const out = new Uint8Array(16 + count * (4 + size));
  const outView = new DataView(out.buffer);
  outView.setUint32(0, BOXED_MAGIC);
  outView.setUint32(4, count);
  outView.setUint32(8, rows);
  outView.setUint32(12, cols);
  let at = 16;
  for (let i = 0; i < count; i++) {
    const img = idx.subarray(16 + i * size, 16 + (i + 1) * size);
    let [top, bottom, left, right] = [rows, -1, cols, -1];
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        if (img[y * cols + x] === 0) continue;
        top = Math.min(top, y);
        bottom = y;
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
    if (bottom < 0) {
      out.set([0, 0, 0, 0], at);
      at += 4;
      continue;
    }
    const [h, w] = [bottom - top + 1, right - left + 1];
    out.set([top, left, h, w], at);
    at += 4;
    for (let y = top; y <= bottom; y++, at += w) out.set(img.subarray(y * cols + left, y * cols + left + w), at);
  }
  return out.slice(0, at);
}
