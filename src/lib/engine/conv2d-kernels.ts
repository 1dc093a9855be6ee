/**
 * The loops behind conv2dBatch and conv2dBatchBackward (already validated inputs, float64, row-major).
 * Two versions: a general one for any stride, and a faster one for stride 1 (LeNet's case) that pads the input
 * once and then slides each kernel tap over the whole image as one long contiguous loop.
 */
import type { Conv2dGeometry } from './conv2d-geometry.ts';

/** Gradients of one batched conv2d, flat. */
export interface Conv2dGrads {
  dx: Float64Array;
  dw: Float64Array;
  db: Float64Array;
}

/** First and one-past-last output index o whose tap o*s + off lands inside [0, n). */
function validRange(off: number, s: number, n: number, outLen: number): [number, number] {
  const lo = Math.max(0, Math.ceil(-off / s));
  const hi = Math.min(outLen, Math.floor((n - 1 - off) / s) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Any stride: loops over output rows, skipping taps that fall in the padding (they would add 0). */
export function forwardGeneral(
  xd: Float64Array,
  wd: Float64Array,
  bias: Float64Array | null,
  g: Conv2dGeometry,
): Float64Array {
  const { B, C, H, W, K, kh, kw, sy, sx, OH, OW } = g;
  const planeOut = OH * OW;
  const out = new Float64Array(B * K * planeOut);
  for (let bi = 0; bi < B; bi++) {
    for (let k = 0; k < K; k++) {
      const o0 = (bi * K + k) * planeOut;
      if (bias !== null) out.fill(bias[k]!, o0, o0 + planeOut);
      for (let c = 0; c < C; c++) {
        const x0 = (bi * C + c) * H * W;
        const w0 = (k * C + c) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          const offY = ky * g.dy - g.pad.top;
          const [oyLo, oyHi] = validRange(offY, sy, H, OH);
          for (let kx = 0; kx < kw; kx++) {
            const wv = wd[w0 + ky * kw + kx]!;
            const offX = kx * g.dx - g.pad.left;
            const [oxLo, oxHi] = validRange(offX, sx, W, OW);
            for (let oy = oyLo; oy < oyHi; oy++) {
              const orow = o0 + oy * OW;
              let xi = x0 + (oy * sy + offY) * W + oxLo * sx + offX;
              for (let ox = oxLo; ox < oxHi; ox++, xi += sx) out[orow + ox] = out[orow + ox]! + wv * xd[xi]!;
            }
          }
        }
      }
    }
  }
  return out;
}

/** Any stride: one sweep sends w*dy back to each input cell and x*dy back to each weight. */
export function backwardGeneral(xd: Float64Array, wd: Float64Array, gd: Float64Array, g: Conv2dGeometry): Conv2dGrads {
  const { B, C, H, W, K, kh, kw, sy, sx, OH, OW } = g;
  const planeOut = OH * OW;
  const dx = new Float64Array(xd.length);
  const dw = new Float64Array(wd.length);
  const db = new Float64Array(K);
  for (let bi = 0; bi < B; bi++) {
    for (let k = 0; k < K; k++) {
      const o0 = (bi * K + k) * planeOut;
      let s = 0;
      for (let i = o0; i < o0 + planeOut; i++) s += gd[i]!;
      db[k] = db[k]! + s;
      for (let c = 0; c < C; c++) {
        const x0 = (bi * C + c) * H * W;
        const w0 = (k * C + c) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          const offY = ky * g.dy - g.pad.top;
          const [oyLo, oyHi] = validRange(offY, sy, H, OH);
          for (let kx = 0; kx < kw; kx++) {
            const wi = w0 + ky * kw + kx;
            const wv = wd[wi]!;
            const offX = kx * g.dx - g.pad.left;
            const [oxLo, oxHi] = validRange(offX, sx, W, OW);
            let acc = 0;
            for (let oy = oyLo; oy < oyHi; oy++) {
              const orow = o0 + oy * OW;
              let xi = x0 + (oy * sy + offY) * W + oxLo * sx + offX;
              for (let ox = oxLo; ox < oxHi; ox++, xi += sx) {
                const gv = gd[orow + ox]!;
                acc += gv * xd[xi]!;
                dx[xi] = dx[xi]! + wv * gv;
              }
            }
            dw[wi] = dw[wi]! + acc;
          }
        }
      }
    }
  }
  return { dx, dw, db };
}

/** Copies [N, H, W] planes into zero-padded [N, Hp, Wp] planes (returns the input when there is no padding). */
function padPlanes(xd: Float64Array, N: number, g: Conv2dGeometry, Hp: number, Wp: number): Float64Array {
  const { H, W } = g;
  if (Hp === H && Wp === W) return xd;
  const out = new Float64Array(N * Hp * Wp);
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < H; y++) {
      const src = (n * H + y) * W;
      out.set(xd.subarray(src, src + W), (n * Hp + y + g.pad.top) * Wp + g.pad.left);
    }
  }
  return out;
}

/** acc[i] += w_t * xp[o + t*d + i] for one, two or three adjacent taps t (one load and store of acc for all). */
function tap1(acc: Float64Array, xp: Float64Array, o: number, L: number, w0: number): void {
  for (let i = 0; i < L; i++) acc[i] = acc[i]! + w0 * xp[o + i]!;
}
function tap2(acc: Float64Array, xp: Float64Array, o: number, d: number, L: number, w0: number, w1: number): void {
  const o1 = o + d;
  for (let i = 0; i < L; i++) acc[i] = acc[i]! + w0 * xp[o + i]! + w1 * xp[o1 + i]!;
}
function tap3(
  acc: Float64Array,
  xp: Float64Array,
  o: number,
  d: number,
  L: number,
  w0: number,
  w1: number,
  w2: number,
): void {
  const o1 = o + d;
  const o2 = o1 + d;
  for (let i = 0; i < L; i++) acc[i] = acc[i]! + w0 * xp[o + i]! + w1 * xp[o1 + i]! + w2 * xp[o2 + i]!;
}

/**
 * Stride 1. On the padded input, output (oy, ox) reads padded cell (oy + ky*dy, ox + kx*dx), so with a row
 * width of Wp for the output too, every tap is a shift by ky*dy*Wp + kx*dx of one flat loop over
 * L = (OH-1)*Wp + OW cells. The Wp - OW extra cells per row are computed and then dropped.
 */
export function forwardStride1(
  xd: Float64Array,
  wd: Float64Array,
  bias: Float64Array | null,
  g: Conv2dGeometry,
): Float64Array {
  const { B, C, K, kh, kw, OH, OW } = g;
  const Hp = g.H + g.pad.top + g.pad.bottom;
  const Wp = g.W + g.pad.left + g.pad.right;
  const xp = padPlanes(xd, B * C, g, Hp, Wp);
  const L = (OH - 1) * Wp + OW;
  const acc = new Float64Array(L);
  const out = new Float64Array(B * K * OH * OW);
  for (let bi = 0; bi < B; bi++) {
    for (let k = 0; k < K; k++) {
      acc.fill(bias === null ? 0 : bias[k]!);
      for (let c = 0; c < C; c++) {
        const x0 = (bi * C + c) * Hp * Wp;
        const w0 = (k * C + c) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          // Taps of one kernel row go in threes so each acc[i] is loaded and stored once per three products.
          for (let kx = 0; kx < kw; kx += 3) {
            const wi = w0 + ky * kw + kx;
            const off = x0 + ky * g.dy * Wp + kx * g.dx;
            const left = kw - kx;
            if (left >= 3) tap3(acc, xp, off, g.dx, L, wd[wi]!, wd[wi + 1]!, wd[wi + 2]!);
            else if (left === 2) tap2(acc, xp, off, g.dx, L, wd[wi]!, wd[wi + 1]!);
            else tap1(acc, xp, off, L, wd[wi]!);
          }
        }
      }
      const o0 = (bi * K + k) * OH * OW;
      for (let oy = 0; oy < OH; oy++) out.set(acc.subarray(oy * Wp, oy * Wp + OW), o0 + oy * OW);
    }
  }
  return out;
}

/** Stride 1 backward with the same flat shifts; dy is laid out with row width Wp and zeros in the extra cells. */
export function backwardStride1(xd: Float64Array, wd: Float64Array, gd: Float64Array, g: Conv2dGeometry): Conv2dGrads {
  const { B, C, H, W, K, kh, kw, OH, OW } = g;
  const Hp = H + g.pad.top + g.pad.bottom;
  const Wp = W + g.pad.left + g.pad.right;
  const xp = padPlanes(xd, B * C, g, Hp, Wp);
  const dxp = new Float64Array(B * C * Hp * Wp);
  const dw = new Float64Array(wd.length);
  const db = new Float64Array(K);
  const L = (OH - 1) * Wp + OW;
  const gext = new Float64Array(L);
  for (let bi = 0; bi < B; bi++) {
    for (let k = 0; k < K; k++) {
      const o0 = (bi * K + k) * OH * OW;
      let s = 0;
      for (let oy = 0; oy < OH; oy++) {
        const row = gd.subarray(o0 + oy * OW, o0 + oy * OW + OW);
        gext.set(row, oy * Wp);
        for (let ox = 0; ox < OW; ox++) s += row[ox]!;
      }
      db[k] = db[k]! + s;
      for (let c = 0; c < C; c++) {
        const x0 = (bi * C + c) * Hp * Wp;
        const w0 = (k * C + c) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const wi = w0 + ky * kw + kx;
            const wv = wd[wi]!;
            const off = x0 + ky * g.dy * Wp + kx * g.dx;
            let a = 0;
            for (let i = 0; i < L; i++) {
              const gv = gext[i]!;
              a += gv * xp[off + i]!;
              dxp[off + i] = dxp[off + i]! + wv * gv;
            }
            dw[wi] = dw[wi]! + a;
          }
        }
      }
    }
  }
  // Drop the padding: gradients that landed on padding cells belong to no input.
  let dx = dxp;
  if (Hp !== H || Wp !== W) {
    dx = new Float64Array(B * C * H * W);
    for (let n = 0; n < B * C; n++) {
      for (let y = 0; y < H; y++) {
        const src = (n * Hp + y + g.pad.top) * Wp + g.pad.left;
        dx.set(dxp.subarray(src, src + W), (n * H + y) * W);
      }
    }
  }
  return { dx, dw, db };
}
