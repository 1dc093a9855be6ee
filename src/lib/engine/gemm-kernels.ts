/**
 * The loops behind im2col, col2im and the GEMM convolution (already validated inputs, float64, row-major). Kept
 * apart from the public wrappers so conv2d-gemm.ts and conv-transpose.ts share them without re-validating.
 *
 * Layout of a patch matrix ("cols") for a batch: row r = (c*kh + ky)*kw + kx (the order of one flattened filter
 * w[k]), column n = (b*OH + oy)*OW + ox (image after image, each in reading order). So the filters reshaped to
 * [K, C*kh*kw] times cols gives every output of every image in one product.
 */
import type { Conv2dGeometry } from './conv2d-geometry.ts';

/** First and one-past-last output index o whose tap o*s + off lands inside [0, n). */
function validRange(off: number, s: number, n: number, outLen: number): [number, number] {
  const lo = Math.max(0, Math.ceil(-off / s));
  const hi = Math.min(outLen, Math.floor((n - 1 - off) / s) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * Patch matrix of images b0 .. b1−1: [C*kh*kw, (b1−b0)*OH*OW], written into `out` (which must hold zeros wherever
 * the padding is; a fresh array does). Column n = ((b − b0)*OH + oy)*OW + ox.
 * @param xd x [B, C, H, W], flat
 */
export function im2colInto(
  xd: Float64Array,
  g: Conv2dGeometry,
  b0: number,
  b1: number,
  out: Float64Array,
): Float64Array {
  const { C, H, W, kh, kw, sy, sx, OH, OW } = g;
  const N = (b1 - b0) * OH * OW;
  for (let c = 0; c < C; c++) {
    for (let ky = 0; ky < kh; ky++) {
      const offY = ky * g.dy - g.pad.top;
      const [oyLo, oyHi] = validRange(offY, sy, H, OH);
      for (let kx = 0; kx < kw; kx++) {
        const row = ((c * kh + ky) * kw + kx) * N;
        const offX = kx * g.dx - g.pad.left;
        const [oxLo, oxHi] = validRange(offX, sx, W, OW);
        for (let b = b0; b < b1; b++) {
          const x0 = (b * C + c) * H * W;
          for (let oy = oyLo; oy < oyHi; oy++) {
            const dst = row + ((b - b0) * OH + oy) * OW;
            let xi = x0 + (oy * sy + offY) * W + oxLo * sx + offX;
            for (let ox = oxLo; ox < oxHi; ox++, xi += sx) out[dst + ox] = xd[xi]!;
          }
        }
      }
    }
  }
  return out;
}

/** Patch matrix of a whole batch: [C*kh*kw, B*OH*OW]; padding cells stay 0. @param xd x [B, C, H, W], flat */
export function im2colRaw(xd: Float64Array, g: Conv2dGeometry): Float64Array {
  return im2colInto(xd, g, 0, g.B, new Float64Array(g.C * g.kh * g.kw * g.B * g.OH * g.OW));
}

/**
 * The adjoint of im2colInto: every entry of the patch matrix of images b0 .. b1−1 is added back into the input cell
 * it was copied from (an input cell read by several windows receives several contributions); entries from padding
 * cells are dropped. Adds into `xd` ([B, C, H, W], flat).
 */
export function col2imInto(
  cols: Float64Array,
  g: Conv2dGeometry,
  b0: number,
  b1: number,
  xd: Float64Array,
): Float64Array {
  const { C, H, W, kh, kw, sy, sx, OH, OW } = g;
  const N = (b1 - b0) * OH * OW;
  for (let c = 0; c < C; c++) {
    for (let ky = 0; ky < kh; ky++) {
      const offY = ky * g.dy - g.pad.top;
      const [oyLo, oyHi] = validRange(offY, sy, H, OH);
      for (let kx = 0; kx < kw; kx++) {
        const row = ((c * kh + ky) * kw + kx) * N;
        const offX = kx * g.dx - g.pad.left;
        const [oxLo, oxHi] = validRange(offX, sx, W, OW);
        for (let b = b0; b < b1; b++) {
          const x0 = (b * C + c) * H * W;
          for (let oy = oyLo; oy < oyHi; oy++) {
            const src = row + ((b - b0) * OH + oy) * OW;
            let xi = x0 + (oy * sy + offY) * W + oxLo * sx + offX;
            for (let ox = oxLo; ox < oxHi; ox++, xi += sx) xd[xi] = xd[xi]! + cols[src + ox]!;
          }
        }
      }
    }
  }
  return xd;
}

/** col2im of a whole batch into a new [B, C, H, W] array. */
export function col2imRaw(cols: Float64Array, g: Conv2dGeometry): Float64Array {
  return col2imInto(cols, g, 0, g.B, new Float64Array(g.B * g.C * g.H * g.W));
}

// One image's patch matrix is C*kh*kw x OH*OW (157 KB for LeNet's first layer): small enough to stay in the cache,
// and reused from call to call, because touching a fresh 10 MB array (a whole batch's patch matrix) costs more in
// page faults than the multiply itself. Caffe's conv layer loops over the images the same way.
let workspace = new Float64Array(0);
let workspace2 = new Float64Array(0);

function scratch(n: number, second = false): Float64Array {
  if (second) {
    if (workspace2.length < n) workspace2 = new Float64Array(n);
    return workspace2.subarray(0, n);
  }
  if (workspace.length < n) workspace = new Float64Array(n);
  return workspace.subarray(0, n);
}

/**
 * Forward GEMM convolution, image by image: cols_b = im2col(x_b), y_b = W · cols_b (+ bias), written straight into
 * the [B, K, OH, OW] layout. @param wd [K, C*kh*kw] flat
 */
export function gemmConvForward(
  xd: Float64Array,
  wd: Float64Array,
  bias: Float64Array | null,
  g: Conv2dGeometry,
): Float64Array {
  const { B, K, OH, OW } = g;
  const R = g.C * g.kh * g.kw;
  const P = OH * OW;
  const out = new Float64Array(B * K * P);
  const cols = scratch(R * P);
  for (let b = 0; b < B; b++) {
    cols.fill(0);
    im2colInto(xd, g, b, b + 1, cols);
    for (let k = 0; k < K; k++) {
      const o = (b * K + k) * P;
      if (bias !== null) out.fill(bias[k]!, o, o + P);
      // Four rows of the patch matrix per pass, so each output is loaded and stored once per four products.
      let r = 0;
      for (; r + 4 <= R; r += 4) {
        const w0 = wd[k * R + r]!,
          w1 = wd[k * R + r + 1]!,
          w2 = wd[k * R + r + 2]!,
          w3 = wd[k * R + r + 3]!;
        const c0 = r * P,
          c1 = c0 + P,
          c2 = c1 + P,
          c3 = c2 + P;
        for (let p = 0; p < P; p++) {
          out[o + p] = out[o + p]! + w0 * cols[c0 + p]! + w1 * cols[c1 + p]! + w2 * cols[c2 + p]! + w3 * cols[c3 + p]!;
        }
      }
      for (; r < R; r++) {
        const av = wd[k * R + r]!;
        const c0 = r * P;
        for (let p = 0; p < P; p++) out[o + p] = out[o + p]! + av * cols[c0 + p]!;
      }
    }
  }
  return out;
}

/**
 * Backward GEMM convolution, image by image: dW += δ_b · cols_bᵀ, d(cols_b) = Wᵀ · δ_b, dx_b = col2im(d(cols_b)),
 * db += row sums of δ_b. @param gd dy [B, K, OH, OW] flat
 */
export function gemmConvBackward(
  xd: Float64Array,
  wd: Float64Array,
  gd: Float64Array,
  g: Conv2dGeometry,
): { dx: Float64Array; dw: Float64Array; db: Float64Array } {
  const { B, K, OH, OW } = g;
  const R = g.C * g.kh * g.kw;
  const P = OH * OW;
  const dx = new Float64Array(xd.length);
  const dw = new Float64Array(K * R);
  const db = new Float64Array(K);
  const cols = scratch(R * P);
  const dcols = scratch(R * P, true);
  for (let b = 0; b < B; b++) {
    cols.fill(0);
    im2colInto(xd, g, b, b + 1, cols);
    const d = gd.subarray(b * K * P, (b + 1) * K * P);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let p = k * P; p < (k + 1) * P; p++) s += d[p]!;
      db[k] = db[k]! + s;
    }
    for (let r = 0; r < R; r++) {
      const c0 = r * P;
      // dW[k, r] = δ_k · cols_r and d(cols)_r = Σ_k W[k, r] δ_k, four filters per pass over the rows.
      dcols.fill(0, c0, c0 + P);
      let k = 0;
      for (; k + 4 <= K; k += 4) {
        const d0 = k * P,
          d1 = d0 + P,
          d2 = d1 + P,
          d3 = d2 + P;
        const w0 = wd[k * R + r]!,
          w1 = wd[(k + 1) * R + r]!,
          w2 = wd[(k + 2) * R + r]!,
          w3 = wd[(k + 3) * R + r]!;
        let a0 = 0,
          a1 = 0,
          a2 = 0,
          a3 = 0;
        for (let p = 0; p < P; p++) {
          const c = cols[c0 + p]!;
          const e0 = d[d0 + p]!,
            e1 = d[d1 + p]!,
            e2 = d[d2 + p]!,
            e3 = d[d3 + p]!;
          a0 += e0 * c;
          a1 += e1 * c;
          a2 += e2 * c;
          a3 += e3 * c;
          dcols[c0 + p] = dcols[c0 + p]! + w0 * e0 + w1 * e1 + w2 * e2 + w3 * e3;
        }
        dw[k * R + r] = dw[k * R + r]! + a0;
        dw[(k + 1) * R + r] = dw[(k + 1) * R + r]! + a1;
        dw[(k + 2) * R + r] = dw[(k + 2) * R + r]! + a2;
        dw[(k + 3) * R + r] = dw[(k + 3) * R + r]! + a3;
      }
      for (; k < K; k++) {
        const d0 = k * P;
        const wv = wd[k * R + r]!;
        let acc = 0;
        for (let p = 0; p < P; p++) {
          const e = d[d0 + p]!;
          acc += e * cols[c0 + p]!;
          dcols[c0 + p] = dcols[c0 + p]! + wv * e;
        }
        dw[k * R + r] = dw[k * R + r]! + acc;
      }
    }
    col2imInto(dcols, g, b, b + 1, dx);
  }
  return { dx, dw, db };
}

/** out[M, N] = a[M, K] · b[K, N]. Row i of out accumulates a[i, k] times row k of b: every inner loop is contiguous. */
export function gemmNN(a: Float64Array, b: Float64Array, M: number, K: number, N: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    const o = i * N;
    for (let k = 0; k < K; k++) {
      const av = a[i * K + k]!;
      if (av === 0) continue; // zero padding and ReLU zeros are common; skipping them changes no sum
      const r = k * N;
      for (let j = 0; j < N; j++) out[o + j] = out[o + j]! + av * b[r + j]!;
    }
  }
  return out;
}

/** out[M, N] = a[M, K] · b[N, K]ᵀ: each entry is a dot product of two contiguous rows. */
export function gemmNT(a: Float64Array, b: Float64Array, M: number, K: number, N: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    const ra = i * K;
    for (let j = 0; j < N; j++) {
      const rb = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ra + k]! * b[rb + k]!;
      out[i * N + j] = s;
    }
  }
  return out;
}

/** out[M, N] = a[K, M]ᵀ · b[K, N]: row k of b is added to row i of out with weight a[k, i]. */
export function gemmTN(a: Float64Array, b: Float64Array, M: number, K: number, N: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let k = 0; k < K; k++) {
    const r = k * N;
    for (let i = 0; i < M; i++) {
      const av = a[k * M + i]!;
      if (av === 0) continue;
      const o = i * N;
      for (let j = 0; j < N; j++) out[o + j] = out[o + j]! + av * b[r + j]!;
    }
  }
  return out;
}

/** [K, B*P] (one row per filter, images side by side) <-> [B, K, P] (the engine's batch layout). */
export function rowsToBatch(m: Float64Array, K: number, B: number, P: number): Float64Array {
  const out = new Float64Array(K * B * P);
  for (let k = 0; k < K; k++)
    for (let b = 0; b < B; b++) out.set(m.subarray(k * B * P + b * P, k * B * P + (b + 1) * P), (b * K + k) * P);
  return out;
}

/** The inverse of rowsToBatch: [B, K, P] -> [K, B*P]. */
export function batchToRows(t: Float64Array, K: number, B: number, P: number): Float64Array {
  const out = new Float64Array(K * B * P);
  for (let b = 0; b < B; b++)
    for (let k = 0; k < K; k++) out.set(t.subarray((b * K + k) * P, (b * K + k + 1) * P), k * B * P + b * P);
  return out;
}
