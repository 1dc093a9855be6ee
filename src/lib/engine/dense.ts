import { EngineError, assertFiniteResult } from './errors.ts';
import { assertFiniteTensor, assertRank, shapeString, size, wrap, type Tensor } from './tensor.ts';

function checkDense(x: Tensor, w: Tensor): { B: number; n: number; m: number } {
  if (x?.shape?.length !== 1) assertRank(x, 2, 'input', 'The input x', '[batch, inputs] (or [inputs])');
  else assertRank(x, 1, 'input', 'The input x', '[inputs]');
  assertRank(w, 2, 'weights', 'The weights W', '[units, inputs]');
  const n = x.shape[x.shape.length - 1]!;
  const B = x.shape.length === 2 ? x.shape[0]! : 1;
  const [m, wn] = w.shape as [number, number];
  if (wn !== n) {
    throw new EngineError(
      'weights',
      `The weights W ${shapeString(w.shape)} expect ${wn} inputs per example, but x ${shapeString(x.shape)} has ${n}.`,
    );
  }
  assertFiniteTensor(x, 'input', 'The input x');
  assertFiniteTensor(w, 'weights', 'The weights W');
  return { B, n, m };
}

/**
 * Fully connected layer y = x W^T + b.
 * @param x shape [B, in] (or [in]) @param w shape [out, in] @param b shape [out] or null
 * @returns shape [B, out] (or [out] for a 1D x)
 */
export function dense(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const { B, n, m } = checkDense(x, w);
  if (b !== null) {
    assertRank(b, 1, 'bias', 'The bias b', '[units]');
    if (b.shape[0] !== m)
      throw new EngineError('bias', `The bias needs one value per unit: shape [${m}], got ${shapeString(b.shape)}.`);
    assertFiniteTensor(b, 'bias', 'The bias b');
  }
  const xd = x.data;
  const wd = w.data;
  const out = new Float64Array(B * m);
  for (let bi = 0; bi < B; bi++) {
    const x0 = bi * n;
    for (let j = 0; j < m; j++) {
      const w0 = j * n;
      let s = b === null ? 0 : b.data[j]!;
      for (let i = 0; i < n; i++) s += xd[x0 + i]! * wd[w0 + i]!;
      out[bi * m + j] = s;
    }
  }
  assertFiniteResult('dense', out);
  return wrap(x.shape.length === 2 ? [B, m] : [m], out);
}

/**
 * Gradients of dense: dx = dy W, dW = dy^T x, db = sum of dy over the batch.
 * @param x [B, in] (or [in]) @param w [out, in] @param dy [B, out] (or [out])
 * @returns dx shaped like x, dw [out, in], db [out]
 */
export function denseBackward(x: Tensor, w: Tensor, dy: Tensor): { dx: Tensor; dw: Tensor; db: Tensor } {
  const { B, n, m } = checkDense(x, w);
  const expected = x.shape.length === 2 ? [B, m] : [m];
  if (dy?.shape?.length !== expected.length || dy.shape.some((d, i) => d !== expected[i])) {
    throw new EngineError(
      'gradient',
      `The output gradient dy must have shape ${shapeString(expected)}, got ${shapeString(dy?.shape ?? [])}.`,
    );
  }
  assertFiniteTensor(dy, 'gradient', 'The output gradient dy');
  const xd = x.data;
  const wd = w.data;
  const gd = dy.data;
  const dx = new Float64Array(B * n);
  const dw = new Float64Array(m * n);
  const db = new Float64Array(m);
  for (let bi = 0; bi < B; bi++) {
    const x0 = bi * n;
    for (let j = 0; j < m; j++) {
      const g = gd[bi * m + j]!;
      if (g === 0) continue; // common after ReLU; skipping changes nothing
      db[j] = db[j]! + g;
      const w0 = j * n;
      for (let i = 0; i < n; i++) {
        dx[x0 + i] = dx[x0 + i]! + g * wd[w0 + i]!;
        dw[w0 + i] = dw[w0 + i]! + g * xd[x0 + i]!;
      }
    }
  }
  assertFiniteResult('denseBackward', dx);
  assertFiniteResult('denseBackward', dw);
  assertFiniteResult('denseBackward', db);
  return { dx: wrap(x.shape, dx), dw: wrap([m, n], dw), db: wrap([m], db) };
}

/** Keeps the first (batch) axis and joins the rest: [B, ...] -> [B, prod(...)]. Shares no memory with x. */
export function flatten(x: Tensor): Tensor {
  if (x?.shape?.length === undefined || x.shape.length < 1) {
    throw new EngineError('input', 'flatten needs a tensor with a batch axis first, e.g. shape [B, C, H, W].');
  }
  const B = x.shape[0]!;
  const rest = size(x.shape.slice(1));
  return wrap([B, rest], Float64Array.from(x.data));
}
