import { EngineError } from './errors.ts';
import { checkUpstream } from './conv2d.ts';
import { pair, poolOutputSize, resolvePadding, type Padding2d, type ResolvedPadding } from './output-size.ts';
import { assertFiniteTensor, assertRank, wrap, type Tensor } from './tensor.ts';

/** Max keeps the largest value in each window, avg the mean, sum the total. */
export type PoolKind = 'max' | 'avg' | 'sum';

/**
 * Pooling settings. `stride` defaults to `size` (windows side by side). Padding cells are never used:
 * max pads with -Infinity (never chosen), avg divides by the window cells inside the input (as TensorFlow does).
 * Padding may be a number, 'same' / 'valid' (TensorFlow's rules), or each side; each side must be smaller than the window.
 */
export interface PoolOptions {
  size: number | [number, number];
  stride?: number | [number, number];
  padding?: Padding2d;
}

interface PoolGeometry {
  N: number; // planes (batch * channels)
  H: number;
  W: number;
  ph: number; // window height
  pw: number; // window width
  sy: number;
  sx: number;
  pad: ResolvedPadding;
  OH: number;
  OW: number;
}

function geometry(planes: number, H: number, W: number, kind: PoolKind, opts: PoolOptions): PoolGeometry {
  if (kind !== 'max' && kind !== 'avg' && kind !== 'sum') {
    throw new EngineError('kind', `The pooling kind must be 'max', 'avg' or 'sum', got ${String(kind)}.`);
  }
  if (opts === null || typeof opts !== 'object')
    throw new EngineError('size', 'Pooling needs options with a window size.');
  const [ph, pw] = pair(opts.size, 'size', 'The pooling window size', 1);
  const [sy, sx] = pair(opts.stride ?? [ph, pw], 'stride', 'The stride', 1);
  const pad = resolvePadding(opts.padding ?? 0, H, W, ph, pw, [sy, sx], 1);
  const OH = poolOutputSize(H, ph, sy, [pad.top, pad.bottom]).size;
  const OW = poolOutputSize(W, pw, sx, [pad.left, pad.right]).size;
  return { N: planes, H, W, ph, pw, sy, sx, pad, OH, OW };
}

/** Shared kernel for [N, H, W] planes: fills y, and argmax for max. */
function poolPlanes(xd: Float64Array, g: PoolGeometry, kind: PoolKind): { y: Float64Array; argmax: Int32Array | null } {
  const { N, H, W, ph, pw, sy, sx, OH, OW } = g;
  const y = new Float64Array(N * OH * OW);
  const argmax = kind === 'max' ? new Int32Array(N * OH * OW) : null;
  let o = 0;
  for (let n = 0; n < N; n++) {
    const x0 = n * H * W;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = Math.max(0, oy * sy - g.pad.top);
      const y1 = Math.min(H, oy * sy - g.pad.top + ph);
      for (let ox = 0; ox < OW; ox++, o++) {
        const xa = Math.max(0, ox * sx - g.pad.left);
        const xb = Math.min(W, ox * sx - g.pad.left + pw);
        // Padding cells are skipped: for max they are -Infinity, for avg/sum they are not counted.
        let best = -Infinity;
        let bestAt = -1;
        let total = 0;
        for (let iy = y0; iy < y1; iy++) {
          const row = x0 + iy * W;
          for (let ix = xa; ix < xb; ix++) {
            const v = xd[row + ix]!;
            total += v;
            if (v > best) {
              best = v; // strict '>' keeps the first maximum on ties
              bestAt = row + ix;
            }
          }
        }
        if (argmax !== null) {
          y[o] = best;
          argmax[o] = bestAt;
        } else {
          y[o] = kind === 'avg' ? total / ((y1 - y0) * (xb - xa)) : total;
        }
      }
    }
  }
  return { y, argmax };
}

function poolPlanesBackward(
  g: PoolGeometry,
  kind: PoolKind,
  gd: Float64Array,
  argmax: Int32Array | null,
): Float64Array {
  const { N, H, W, ph, pw, sy, sx, OH, OW } = g;
  const dx = new Float64Array(N * H * W);
  let o = 0;
  for (let n = 0; n < N; n++) {
    const x0 = n * H * W;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = Math.max(0, oy * sy - g.pad.top);
      const y1 = Math.min(H, oy * sy - g.pad.top + ph);
      for (let ox = 0; ox < OW; ox++, o++) {
        const gv = gd[o]!;
        if (argmax !== null) {
          const at = argmax[o]!;
          dx[at] = dx[at]! + gv;
          continue;
        }
        const xa = Math.max(0, ox * sx - g.pad.left);
        const xb = Math.min(W, ox * sx - g.pad.left + pw);
        // avg spreads the gradient evenly over the cells it averaged; sum copies it to each.
        const share = kind === 'avg' ? gv / ((y1 - y0) * (xb - xa)) : gv;
        for (let iy = y0; iy < y1; iy++) {
          const row = x0 + iy * W;
          for (let ix = xa; ix < xb; ix++) dx[row + ix] = dx[row + ix]! + share;
        }
      }
    }
  }
  return dx;
}

function check(x: Tensor, rank: 3 | 4): void {
  const layout = rank === 4 ? '[batch, channels, height, width]' : '[channels, height, width]';
  assertRank(x, rank, 'input', 'The input x', layout);
  assertFiniteTensor(x, 'input', 'The input x');
}

/**
 * 2D pooling of each channel separately.
 * @param x shape [C, H, W]
 * @returns y [C, OH, OW]; for max, argmax holds the flat index into x.data of each chosen cell
 */
export function pool2d(x: Tensor, kind: PoolKind, opts: PoolOptions): { y: Tensor; argmax: Int32Array | null } {
  check(x, 3);
  const [C, H, W] = x.shape as [number, number, number];
  const g = geometry(C, H, W, kind, opts);
  const r = poolPlanes(x.data, g, kind);
  return { y: wrap([C, g.OH, g.OW], r.y), argmax: r.argmax };
}

/** Batched pooling. @param x [B, C, H, W] @returns y [B, C, OH, OW], argmax into x.data for max */
export function pool2dBatch(x: Tensor, kind: PoolKind, opts: PoolOptions): { y: Tensor; argmax: Int32Array | null } {
  check(x, 4);
  const [B, C, H, W] = x.shape as [number, number, number, number];
  const g = geometry(B * C, H, W, kind, opts);
  const r = poolPlanes(x.data, g, kind);
  return { y: wrap([B, C, g.OH, g.OW], r.y), argmax: r.argmax };
}

/** Max pooling of [C, H, W]. */
export function maxPool2d(x: Tensor, opts: PoolOptions): { y: Tensor; argmax: Int32Array | null } {
  return pool2d(x, 'max', opts);
}
/** Average pooling of [C, H, W] (padding cells not counted). */
export function avgPool2d(x: Tensor, opts: PoolOptions): { y: Tensor; argmax: Int32Array | null } {
  return pool2d(x, 'avg', opts);
}
/** Sum pooling of [C, H, W]. */
export function sumPool2d(x: Tensor, opts: PoolOptions): { y: Tensor; argmax: Int32Array | null } {
  return pool2d(x, 'sum', opts);
}

function backward(
  x: Tensor,
  rank: 3 | 4,
  kind: PoolKind,
  opts: PoolOptions,
  dy: Tensor,
  argmax?: Int32Array | null,
): Tensor {
  check(x, rank);
  const H = x.shape[rank - 2]!;
  const W = x.shape[rank - 1]!;
  const planes = x.data.length / (H * W);
  const g = geometry(planes, H, W, kind, opts);
  checkUpstream(dy, [...x.shape.slice(0, rank - 2), g.OH, g.OW]);
  let am: Int32Array | null = null;
  if (kind === 'max') {
    if (argmax && argmax.length === dy.data.length) am = argmax;
    else am = poolPlanes(x.data, g, kind).argmax;
  }
  return wrap(x.shape, poolPlanesBackward(g, kind, dy.data, am));
}

/**
 * Gradient of pooling: max routes each dy to its window's argmax (first max on ties), avg spreads dy
 * evenly over the window's input cells, sum copies it to each.
 * @param x [C, H, W] @param dy [C, OH, OW] @returns dx [C, H, W]
 */
export function pool2dBackward(x: Tensor, kind: PoolKind, opts: PoolOptions, dy: Tensor): Tensor {
  return backward(x, 3, kind, opts, dy);
}

/**
 * Batched pooling gradient. Pass the forward pass's argmax to skip recomputing it (max only).
 * @param x [B, C, H, W] @param dy [B, C, OH, OW] @returns dx [B, C, H, W]
 */
export function pool2dBatchBackward(
  x: Tensor,
  kind: PoolKind,
  opts: PoolOptions,
  dy: Tensor,
  argmax?: Int32Array | null,
): Tensor {
  return backward(x, 4, kind, opts, dy, argmax);
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
  check(x, 3);
  const [C, H, W] = x.shape as [number, number, number];
  const g = geometry(C, H, W, kind, opts);
  const idx = (v: number, n: number, field: string, what: string): void => {
    if (!Number.isInteger(v) || v < 0 || v >= n)
      throw new EngineError(field, `${what} must be a whole number from 0 to ${n - 1}, got ${String(v)}.`);
  };
  idx(c, C, 'c', 'The channel');
  idx(oy, g.OH, 'oy', 'The output row');
  idx(ox, g.OW, 'ox', 'The output column');
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
  return { top, left, cells, result, argmax: kind === 'max' ? at : null, ties };
}
