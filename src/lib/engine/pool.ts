import { EngineError, assertFiniteResult } from './errors.ts';
import { checkUpstream } from './conv2d.ts';
import { pair, poolOutputSize, resolvePadding, type Padding2d, type ResolvedPadding } from './output-size.ts';
import { assertFiniteTensor, assertRank, wrap, type Tensor } from './tensor.ts';

/** Max keeps the largest value in each window, avg the mean, sum the total. */
export type PoolKind = 'max' | 'avg' | 'sum';

/**
 * Pooling settings. `stride` defaults to `size` (windows side by side). Padding cells are never used:
 * max pads with -Infinity (never chosen), avg divides by the window cells inside the input (as TensorFlow does,
 * and PyTorch with `count_include_pad=False`). Padding may be a number, 'same' / 'valid' (TensorFlow's rules), or
 * each side; each side may be at most half the window (PyTorch's rule). `ceilMode` is PyTorch's `ceil_mode`: a last,
 * partial window that hangs past the end is kept (its missing cells are treated like padding), unless it would
 * start in the right padding.
 */
export interface PoolOptions {
  size: number | [number, number];
  stride?: number | [number, number];
  padding?: Padding2d;
  ceilMode?: boolean;
}

/** Every size a pooling needs, resolved and validated once. */
export interface PoolGeometry {
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

/**
 * Validates the kind and options and computes the output size of pooling `planes` maps of H x W.
 * @returns window size, stride, resolved padding and output size OH x OW
 */
export function poolGeometry(planes: number, H: number, W: number, kind: PoolKind, opts: PoolOptions): PoolGeometry {
  if (kind !== 'max' && kind !== 'avg' && kind !== 'sum') {
    throw new EngineError('kind', `The pooling kind must be 'max', 'avg' or 'sum', got ${String(kind)}.`);
  }
  if (opts === null || typeof opts !== 'object')
    throw new EngineError('size', 'Pooling needs options with a window size.');
  const [ph, pw] = pair(opts.size, 'size', 'The pooling window size', 1);
  const [sy, sx] = pair(opts.stride ?? [ph, pw], 'stride', 'The stride', 1);
  const pad = resolvePadding(opts.padding ?? 0, H, W, ph, pw, [sy, sx], 1);
  const ceil = opts.ceilMode ?? false;
  const OH = poolOutputSize(H, ph, sy, [pad.top, pad.bottom], ceil).size;
  const OW = poolOutputSize(W, pw, sx, [pad.left, pad.right], ceil).size;
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
  const g = poolGeometry(C, H, W, kind, opts);
  const r = poolPlanes(x.data, g, kind);
  assertFiniteResult('pool2d', r.y);
  return { y: wrap([C, g.OH, g.OW], r.y), argmax: r.argmax };
}

/** Batched pooling. @param x [B, C, H, W] @returns y [B, C, OH, OW], argmax into x.data for max */
export function pool2dBatch(x: Tensor, kind: PoolKind, opts: PoolOptions): { y: Tensor; argmax: Int32Array | null } {
  check(x, 4);
  const [B, C, H, W] = x.shape as [number, number, number, number];
  const g = poolGeometry(B * C, H, W, kind, opts);
  const r = poolPlanes(x.data, g, kind);
  assertFiniteResult('pool2dBatch', r.y);
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

/**
 * Throws unless a caller-supplied argmax has one entry per output and each entry is a cell inside that output's
 * window (a stale or foreign argmax would route gradients to the wrong cells, or out of bounds, silently).
 */
function checkArgmax(g: PoolGeometry, argmax: Int32Array): void {
  const { N, H, W, ph, pw, sy, sx, OH, OW } = g;
  if (argmax.length !== N * OH * OW) {
    throw new EngineError(
      'argmax',
      `The argmax must have one entry per output (${N * OH * OW}), got ${argmax.length}; pass the forward pass's argmax, or null.`,
    );
  }
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      const y0 = Math.max(0, oy * sy - g.pad.top);
      const y1 = Math.min(H, oy * sy - g.pad.top + ph);
      for (let ox = 0; ox < OW; ox++, o++) {
        const xa = Math.max(0, ox * sx - g.pad.left);
        const xb = Math.min(W, ox * sx - g.pad.left + pw);
        const at = argmax[o]! - n * H * W;
        const iy = Math.floor(at / W);
        const ix = at - iy * W;
        if (!Number.isInteger(at) || !(iy >= y0 && iy < y1 && ix >= xa && ix < xb)) {
          throw new EngineError(
            'argmax',
            `argmax[${o}] is ${argmax[o]}, which is not a cell of its pooling window; pass the forward pass's argmax, or null.`,
          );
        }
      }
    }
  }
}

function backward(
  x: Tensor,
  rank: 3 | 4,
  kind: PoolKind,
  opts: PoolOptions,
  dy: Tensor,
  name: string,
  argmax?: Int32Array | null,
): Tensor {
  check(x, rank);
  const H = x.shape[rank - 2]!;
  const W = x.shape[rank - 1]!;
  const planes = x.data.length / (H * W);
  const g = poolGeometry(planes, H, W, kind, opts);
  checkUpstream(dy, [...x.shape.slice(0, rank - 2), g.OH, g.OW]);
  let am: Int32Array | null = null;
  if (kind === 'max') {
    if (argmax === null || argmax === undefined) am = poolPlanes(x.data, g, kind).argmax;
    else {
      checkArgmax(g, argmax);
      am = argmax;
    }
  }
  const dx = poolPlanesBackward(g, kind, dy.data, am);
  // Several windows can route to one cell, so even finite dy can add up past the float64 range.
  assertFiniteResult(name, dx);
  return wrap(x.shape, dx);
}

/**
 * Gradient of pooling: max routes each dy to its window's argmax (first max on ties), avg spreads dy
 * evenly over the window's input cells, sum copies it to each.
 * @param x [C, H, W] @param dy [C, OH, OW] @returns dx [C, H, W]
 */
export function pool2dBackward(x: Tensor, kind: PoolKind, opts: PoolOptions, dy: Tensor): Tensor {
  return backward(x, 3, kind, opts, dy, 'pool2dBackward');
}

/**
 * Batched pooling gradient. Pass the forward pass's argmax to skip recomputing it (max only); it is checked
 * (one entry per output, each inside its window), and null or omitted recomputes it.
 * @param x [B, C, H, W] @param dy [B, C, OH, OW] @returns dx [B, C, H, W]
 */
export function pool2dBatchBackward(
  x: Tensor,
  kind: PoolKind,
  opts: PoolOptions,
  dy: Tensor,
  argmax?: Int32Array | null,
): Tensor {
  return backward(x, 4, kind, opts, dy, 'pool2dBatchBackward', argmax);
}
