/**
 * Moving a feature map by whole pixels and measuring what changes: the numbers behind the claim that pooling
 * tolerates small shifts (chapter 8's shift demo).
 */
import { EngineError } from '../engine/errors.ts';
import { pool2d, type PoolKind, type PoolOptions } from '../engine/pool.ts';
import { assertFiniteTensor, assertRank, assertSameShape, wrap, type Tensor } from '../engine/tensor.ts';

/**
 * Moves every channel `down` rows and `right` columns (negative values move up / left). Cells that enter from
 * outside take `fill`; content pushed past the edge is lost, as when a camera moves.
 * @param x shape [C, H, W] @param down whole number of rows @param right whole number of columns
 * @returns shape [C, H, W]
 */
export function shift2d(x: Tensor, down: number, right: number, fill = 0): Tensor {
  assertRank(x, 3, 'input', 'The input x', '[channels, height, width]');
  assertFiniteTensor(x, 'input', 'The input x');
  const [C, H, W] = x.shape as [number, number, number];
  checkOffset(down, H, 'down', 'The vertical shift');
  checkOffset(right, W, 'right', 'The horizontal shift');
  if (!Number.isFinite(fill))
    throw new EngineError('fill', `The fill value must be a finite number, got ${String(fill)}.`);
  const out = new Float64Array(C * H * W).fill(fill);
  for (let c = 0; c < C; c++) {
    for (let y = Math.max(0, down); y < Math.min(H, H + down); y++) {
      const from = (c * H + y - down) * W;
      const to = (c * H + y) * W;
      for (let col = Math.max(0, right); col < Math.min(W, W + right); col++)
        out[to + col] = x.data[from + col - right]!;
    }
  }
  return wrap(x.shape, out);
}

function checkOffset(v: number, n: number, field: string, what: string): void {
  if (!Number.isInteger(v)) throw new EngineError(field, `${what} must be a whole number of pixels, got ${String(v)}.`);
  if (Math.abs(v) >= n) {
    throw new EngineError(field, `${what} of ${v} pixels would push the whole ${n}-pixel map out of view.`);
  }
}

/** How much two maps of the same shape differ. */
export interface MapChange {
  /** 1 where |a - b| > tol, 0 elsewhere; flat, in a's layout. */
  changed: Uint8Array;
  /** Number of entries that changed. */
  count: number;
  /** Number of entries. */
  total: number;
  /** Entries that are nonzero in a or in b: for a sparse map (background = 0) the ones that can change at all. */
  active: number;
  /**
   * sum |a - b| / sum |a|: how large the change is compared with the map itself. When a is all zero, b's total
   * is the denominator; when both are all zero, 0.
   */
  relativeChange: number;
}

/**
 * Compares two maps entry by entry. @param a any shape @param b same shape as a
 * @param tol differences up to tol count as unchanged (round-off, not a change)
 */
export function compareMaps(a: Tensor, b: Tensor, tol = 1e-9): MapChange {
  assertSameShape(a?.shape ?? [], b?.shape ?? [], 'input', 'The two maps must have the same shape');
  assertFiniteTensor(a, 'input', 'The first map');
  assertFiniteTensor(b, 'input', 'The second map');
  if (!(tol >= 0)) throw new EngineError('tol', `The tolerance must be a number of at least 0, got ${String(tol)}.`);
  const n = a.data.length;
  const changed = new Uint8Array(n);
  let count = 0;
  let active = 0;
  let diff = 0;
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < n; i++) {
    const av = a.data[i]!;
    const bv = b.data[i]!;
    const d = Math.abs(av - bv);
    if (d > tol) {
      changed[i] = 1;
      count++;
    }
    if (av !== 0 || bv !== 0) active++;
    diff += d;
    sumA += Math.abs(av);
    sumB += Math.abs(bv);
  }
  const denominator = sumA > 0 ? sumA : sumB;
  return { changed, count, total: n, active, relativeChange: denominator > 0 ? diff / denominator : 0 };
}

/** Pooled outputs of a map before and after a shift, and what changed between them. */
export interface PoolShiftReport {
  /** The shifted input, [C, H, W]. */
  shifted: Tensor;
  /** pool(x), [C, OH, OW]. */
  before: Tensor;
  /** pool(shift(x)), [C, OH, OW]. */
  after: Tensor;
  /** Change of the input itself (for comparison: what the next layer would see without pooling). */
  inputChange: MapChange;
  /** Change of the pooled map at the same output positions. */
  pooledChange: MapChange;
}

/**
 * Shifts x, pools both versions with the same window and compares the pooled maps position by position.
 * A pooled value is "unchanged" when the window still holds the same maximum (max) or the same total (avg, sum).
 * @param x shape [C, H, W]
 */
export function poolShift(x: Tensor, kind: PoolKind, opts: PoolOptions, down: number, right: number): PoolShiftReport {
  const shifted = shift2d(x, down, right);
  const before = pool2d(x, kind, opts).y;
  const after = pool2d(shifted, kind, opts).y;
  return { shifted, before, after, inputChange: compareMaps(x, shifted), pooledChange: compareMaps(before, after) };
}
