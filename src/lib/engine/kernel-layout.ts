/**
 * Conv kernel layouts. PyTorch (and this engine) store a layer's kernels channels-first, [out, in, kh, kw] ("OIHW");
 * TensorFlow and Keras store them [kh, kw, in, out] ("HWIO"). Porting weights between them is a transpose of the
 * axes, not a reshape: a reshape keeps the numbers in memory order and silently scrambles every kernel.
 */
import { assertRank, wrap, type Tensor } from './tensor.ts';

/** Moves axes: out[perm-ordered index] = t[index], for rank-4 tensors. */
function permute4(t: Tensor, perm: readonly [number, number, number, number]): Tensor {
  const s = t.shape;
  const outShape = perm.map((p) => s[p]!);
  const strides = [s[1]! * s[2]! * s[3]!, s[2]! * s[3]!, s[3]!, 1];
  const out = new Float64Array(t.data.length);
  let o = 0;
  const [p0, p1, p2, p3] = perm;
  for (let a = 0; a < outShape[0]!; a++)
    for (let b = 0; b < outShape[1]!; b++)
      for (let c = 0; c < outShape[2]!; c++)
        for (let d = 0; d < outShape[3]!; d++) {
          out[o++] = t.data[a * strides[p0]! + b * strides[p1]! + c * strides[p2]! + d * strides[p3]!]!;
        }
  return wrap(outShape, out);
}

/**
 * PyTorch / engine layout to TensorFlow's: w[k, c, y, x] moves to [y, x, c, k] (`tf.transpose(w, [2, 3, 1, 0])`).
 * @param w shape [K, C, kh, kw] @returns shape [kh, kw, C, K]
 */
export function kernelToHwio(w: Tensor): Tensor {
  assertRank(w, 4, 'kernel', 'The kernels w', '[filters, channels, kernel height, kernel width]');
  return permute4(w, [2, 3, 1, 0]);
}

/**
 * TensorFlow's layout back to PyTorch's / the engine's (`tf.transpose(w, [3, 2, 0, 1])`).
 * @param w shape [kh, kw, C, K] @returns shape [K, C, kh, kw]
 */
export function kernelFromHwio(w: Tensor): Tensor {
  assertRank(w, 4, 'kernel', 'The kernels w', '[kernel height, kernel width, channels, filters]');
  return permute4(w, [3, 2, 0, 1]);
}
