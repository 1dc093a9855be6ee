/** The step trace of pooling, for the pooling stepper: what one output looked at. */
import { EngineError, assertFiniteResult } from '../engine/errors.ts';
import { poolGeometry, type PoolGeometry, type PoolKind, type PoolOptions } from '../engine/pool.ts';
import { assertFiniteTensor, assertRank, type Tensor } from '../engine/tensor.ts';

function setup(x: Tensor, kind: PoolKind, opts: PoolOptions): { g: PoolGeometry; C: number; H: number; W: number } {
  assertRank(x, 3, 'input', 'The input x', '[channels, height, width]');
  assertFiniteTensor(x, 'input', 'The input x');
  const [C, H, W] = x.shape as [number, number, number];
  return { g: poolGeometry(C, H, W, kind, opts), C, H, W };
}

function checkIndex(v: number, n: number, field: string, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v >= n) {
    throw new EngineError(field, `${what} must be a whole number from 0 to ${n - 1}, got ${String(v)}.`);
  }
}

/** One cell of a pooling window. */
export interface PoolCell {
  iy: number;
  ix: number;
  /** The input value; for padding cells -Infinity under max (never chosen) and 0 under avg/sum (not counted). */
  value: number;
  inPadding: boolean;
}

/**
 * What one pooling output y[c, oy, ox] looked at, for the steppers.
 * @param x [C, H, W]
 */
export function poolTrace(
  x: Tensor,
  kind: PoolKind,
  opts: PoolOptions,
  c: number,
  oy: number,
  ox: number,
): {
  top: number;
  left: number;
  cells: PoolCell[];
  result: number;
  argmax: { iy: number; ix: number } | null;
  ties: boolean;
} {
  const { g, C, H, W } = setup(x, kind, opts);
  checkIndex(c, C, 'c', 'The channel');
  checkIndex(oy, g.OH, 'oy', 'The output row');
  checkIndex(ox, g.OW, 'ox', 'The output column');
  const top = oy * g.sy - g.pad.top;
  const left = ox * g.sx - g.pad.left;
  const cells: PoolCell[] = [];
  let best = -Infinity;
  let at: { iy: number; ix: number } | null = null;
  let total = 0;
  let count = 0;
  for (let iy = top; iy < top + g.ph; iy++) {
    for (let ix = left; ix < left + g.pw; ix++) {
      const inPadding = iy < 0 || iy >= H || ix < 0 || ix >= W;
      const value = inPadding ? (kind === 'max' ? -Infinity : 0) : x.data[(c * H + iy) * W + ix]!;
      cells.push({ iy, ix, value, inPadding });
      if (inPadding) continue;
      total += value;
      count++;
      if (value > best) {
        best = value;
        at = { iy, ix };
      }
    }
  }
  const ties = kind === 'max' && cells.filter((cell) => !cell.inPadding && cell.value === best).length > 1;
  const result = kind === 'max' ? best : kind === 'avg' ? total / count : total;
  assertFiniteResult('poolTrace', [result]);
  return { top, left, cells, result, argmax: kind === 'max' ? at : null, ties };
}
