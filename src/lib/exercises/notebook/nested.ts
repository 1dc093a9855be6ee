/**
 * The reader's functions take and return plain nested arrays (what a NumPy learner expects), channels first; the
 * engine works on tensors. These convert between the two so every reference answer comes from the engine.
 */
import { fromNested, toNested, type Tensor } from '../../engine/tensor.ts';

/** A matrix [H][W] as a one-channel tensor [1, H, W]. */
export const onePlane = (m: number[][]): Tensor => fromNested([m]);

/** A kernel [kh][kw] as one filter over one channel, [1, 1, kh, kw]. */
export const oneKernel = (k: number[][]): Tensor => fromNested([[k]]);

/** A one-channel tensor [1, H, W] back to the matrix [H][W]. */
export const planeOf = (t: Tensor): number[][] => (toNested(t) as number[][][])[0]!;

/** A tensor [C, H, W] as nested arrays. */
export const stackOf = (t: Tensor): number[][][] => toNested(t) as number[][][];

/** A tensor of any shape as a flat list of its values. */
export const valuesOf = (t: Tensor): number[] => Array.from(t.data);

/** The transpose of a matrix (rows become columns). */
export function transpose(m: number[][]): number[][] {
  return m.length === 0 ? [] : m[0]!.map((_, j) => m.map((row) => row[j]!));
}

/** The shape of a nested array along its first entries ([2, 3] for a 2 x 3 matrix); [] for a number. */
export function shapeOf(v: unknown): number[] {
  const shape: number[] = [];
  let probe = v;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  return shape;
}
