import { dense } from '../engine/dense.ts';
import { EngineError } from '../engine/errors.ts';
import { assertRank, shapeString, wrap, type Tensor } from '../engine/tensor.ts';

/** A transposed copy of a matrix. @param m shape [rows, cols] @returns shape [cols, rows] */
export function transpose(m: Tensor): Tensor {
  assertRank(m, 2, 'matrix', 'The matrix', '[rows, columns]');
  const [r, c] = m.shape as [number, number];
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = m.data[i * c + j]!;
  return wrap([c, r], out);
}

/**
 * The single dense layer equal to two dense layers with no activation between them:
 *   W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2).
 * Both products are computed with `dense` itself (W2 W1 is dense applied to the columns of W1), so the chapter's
 * "stacked linear layers collapse to one" is shown by the same code that runs the network.
 *
 * @param w1 shape [hidden, in] @param b1 shape [hidden] or null
 * @param w2 shape [out, hidden] @param b2 shape [out] or null
 * @returns w shape [out, in], b shape [out]
 */
export function composeDense(w1: Tensor, b1: Tensor | null, w2: Tensor, b2: Tensor | null): { w: Tensor; b: Tensor } {
  assertRank(w1, 2, 'weights', 'The first weights W1', '[hidden, inputs]');
  assertRank(w2, 2, 'weights', 'The second weights W2', '[outputs, hidden]');
  const [hidden] = w1.shape as [number, number];
  const h2 = w2.shape[1]!;
  if (h2 !== hidden) {
    throw new EngineError(
      'weights',
      `W2 ${shapeString(w2.shape)} reads ${h2} hidden values but W1 ${shapeString(w1.shape)} produces ${hidden}.`,
    );
  }
  // Row i of W1^T is column i of W1; dense maps it through W2, giving column i of W2 W1.
  const w = transpose(dense(transpose(w1), w2, null));
  // A missing b1 is a zero vector; dense checks the bias shapes and adds b2.
  const b = dense(b1 ?? wrap([hidden], new Float64Array(hidden)), w2, b2);
  return { w, b };
}
