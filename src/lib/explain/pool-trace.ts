/**
 * Step traces of pooling, for the steppers: what one output looked at (forward), and which output gradients
 * reach one input cell (backward).
 */
import { checkUpstream } from '../engine/conv2d.ts';
import { EngineError, assertFiniteResult } from '../engine/errors.ts';
import { pool2d, poolGeometry, type PoolGeometry, type PoolKind, type PoolOptions } from '../engine/pool.ts';
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

/** One output gradient routed to an input cell: dy[c, oy, ox] times the share this cell gets. */
export interface PoolInputGradTerm {
  oy: number;
  ox: number;
  dy: number;
  /** 1 for max (this cell was the window's argmax) and sum; 1 / area for avg. */
  factor: number;
  /** Input cells the window covered (padding not counted): avg divides dy by it. */
  area: number;
  /** dy * factor (computed as dy / area for avg, exactly as pool2dBackward does). */
  product: number;
}

/** Which output gradients reach dx[c, iy, ix], and their sum. */
export interface PoolInputGradTrace {
  c: number;
  iy: number;
  ix: number;
  /** One per window that routes part of its gradient here, in output order (row by row). */
  terms: PoolInputGradTerm[];
  /** Max only: windows that contain this cell but whose maximum (first on ties) is elsewhere, so send it nothing. */
  passedOver: { oy: number; ox: number; argmax: { iy: number; ix: number } }[];
  /** The sum of the products, added in output order: pool2dBackward's dx[c, iy, ix] to the last bit. */
  sum: number;
}

/**
 * Which output gradients route to dx[c, iy, ix]: max sends dy of each window to that window's argmax (first
 * maximum on ties) only, avg sends dy / area to every input cell of the window, sum sends dy to each.
 * @param x the pool's input [C, H, W] @param dy [C, OH, OW] @param c, iy, ix the input cell
 */
export function poolInputGradTrace(
  x: Tensor,
  kind: PoolKind,
  opts: PoolOptions,
  dy: Tensor,
  c: number,
  iy: number,
  ix: number,
): PoolInputGradTrace {
  const { g, C, H, W } = setup(x, kind, opts);
  checkUpstream(dy, [C, g.OH, g.OW]);
  checkIndex(c, C, 'c', 'The channel');
  checkIndex(iy, H, 'iy', 'The input row');
  checkIndex(ix, W, 'ix', 'The input column');
  const argmax = kind === 'max' ? pool2d(x, kind, opts).argmax : null;
  const here = (c * H + iy) * W + ix;
  const terms: PoolInputGradTerm[] = [];
  const passedOver: PoolInputGradTrace['passedOver'] = [];
  let sum = 0;
  for (let oy = 0; oy < g.OH; oy++) {
    const y0 = Math.max(0, oy * g.sy - g.pad.top);
    const y1 = Math.min(H, oy * g.sy - g.pad.top + g.ph);
    if (iy < y0 || iy >= y1) continue;
    for (let ox = 0; ox < g.OW; ox++) {
      const xa = Math.max(0, ox * g.sx - g.pad.left);
      const xb = Math.min(W, ox * g.sx - g.pad.left + g.pw);
      if (ix < xa || ix >= xb) continue;
      const o = (c * g.OH + oy) * g.OW + ox;
      const gv = dy.data[o]!;
      const area = (y1 - y0) * (xb - xa);
      if (argmax !== null && argmax[o] !== here) {
        const at = argmax[o]! - c * H * W;
        passedOver.push({ oy, ox, argmax: { iy: Math.floor(at / W), ix: at % W } });
        continue;
      }
      const product = kind === 'avg' ? gv / area : gv;
      terms.push({ oy, ox, dy: gv, factor: kind === 'avg' ? 1 / area : 1, area, product });
      sum += product;
    }
  }
  assertFiniteResult('poolInputGradTrace', [sum]);
  return { c, iy, ix, terms, passedOver, sum };
}
