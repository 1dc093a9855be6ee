/**
 * A matrix product C = A·B as a WebAssembly SIMD loop in TF.js's own memory (wasm-asm.ts heapKernel), for the
 * wasm BatchMatMul of a dense layer's forward and backward passes (wasm-kernels.ts makeBatchMatMul). XNNPACK's
 * product is fast once it runs, but TF.js builds and packs a new XNNPACK operator whenever the right-hand matrix is a
 * tensor it has not seen, which in training is every call (the weights change each step, and dy is new): for
 * LeNet's small layers that setup cost more than the arithmetic.
 *
 * C is done in blocks of 4 rows by 8 columns held in eight v128 accumulators: for k = 0, 1, ..., K-1, each row's
 * A(i, k) is splat across a vector and multiplied into B's row k, then added to the accumulator. So every C(i, j) is
 * ((A(i,0)·B(0,j) + A(i,1)·B(1,j)) + ...) in order of k, one rounding per multiply and per add, which is what
 * XNNPACK's wasm SIMD product computes too: the same bits (test/unit/ml-gemm-kernel.test.ts). The last block of
 * rows and of columns is moved back to end at M and at N, so M >= 4 and N >= 8; overlapping values are computed
 * twice the same way. A is read through strides, so Aᵀ (a weight gradient xᵀ·dy) needs no transpose; B and C are
 * row-major.
 */
import {
  I32,
  V128,
  assemble,
  get,
  heapKernel,
  i32const,
  inc,
  load128At,
  loadSplat32,
  op,
  set,
  store128At,
  whileLoop,
  zero128,
} from './wasm-asm.ts';

const add = op.i32Add;
const mul = op.i32Mul;

// Parameters: byte addresses of A, B and C; M, N, K; A's byte strides between rows (SAI) and along k (SAK).
const [A, B, C, M, N, K, SAI, SAK] = [0, 1, 2, 3, 4, 5, 6, 7];
// i32 locals: block counters, the block's first row and column, walking addresses, k left, byte sizes.
const [I0, J0, II, JJ, PA, PB, KK, N4, SAI2, SAI3, PC] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
// v128 locals: the 4x8 block's accumulators (row r: ACC[2r] columns 0-3, ACC[2r+1] columns 4-7), B's row, A splat.
const ACC = [19, 20, 21, 22, 23, 24, 25, 26];
const [B0, B1, S] = [27, 28, 29];

/** OUT = min(V, LIM - n): the block's start, the last block moved back to end at LIM. */
const movedBack = (v: number, lim: number, n: number, out: number) => [
  ...get(v),
  ...get(lim),
  ...i32const(n),
  ...op.i32Sub,
  ...get(v),
  ...get(lim),
  ...i32const(n),
  ...op.i32Sub,
  ...op.i32LeS,
  ...op.select,
  ...set(out),
];

/** acc += s * b */
const madd = (acc: number, b: number) => [
  ...get(acc),
  ...get(S),
  ...get(b),
  ...op.f32x4Mul,
  ...op.f32x4Add,
  ...set(acc),
];

/** Row r of the block at step k: splat A(ii + r, k) (at PA + r * SAI) and add it times B's row into the row's two. */
const rowStep = (r: number) => [
  ...get(PA),
  ...(r === 0 ? [] : [...get([SAI, SAI2, SAI3][r - 1]!), ...add]),
  ...loadSplat32,
  ...set(S),
  ...madd(ACC[2 * r]!, B0),
  ...madd(ACC[2 * r + 1]!, B1),
];

/** Row r's eight values to C at PC, then PC moves on a row. */
const rowStore = (r: number) => [
  ...get(PC),
  ...get(ACC[2 * r]!),
  ...store128At(0),
  ...get(PC),
  ...get(ACC[2 * r + 1]!),
  ...store128At(16),
  ...get(PC),
  ...get(N4),
  ...add,
  ...set(PC),
];

const body = [
  ...get(N),
  ...i32const(4),
  ...mul,
  ...set(N4),
  ...get(SAI),
  ...i32const(2),
  ...mul,
  ...set(SAI2),
  ...get(SAI),
  ...i32const(3),
  ...mul,
  ...set(SAI3),
  ...whileLoop(
    [...get(I0), ...get(M), ...op.i32GeS],
    [
      ...movedBack(I0, M, 4, II),
      ...i32const(0),
      ...set(J0),
      ...whileLoop(
        [...get(J0), ...get(N), ...op.i32GeS],
        [
          ...movedBack(J0, N, 8, JJ),
          ...ACC.flatMap((acc) => [...zero128, ...set(acc)]),
          // PA = A + II * SAI; PB = B + JJ * 4
          ...get(A),
          ...get(II),
          ...get(SAI),
          ...mul,
          ...add,
          ...set(PA),
          ...get(B),
          ...get(JJ),
          ...i32const(4),
          ...mul,
          ...add,
          ...set(PB),
          ...get(K),
          ...set(KK),
          ...whileLoop(
            [...get(KK), ...i32const(0), ...op.i32LeS],
            [
              ...get(PB),
              ...load128At(0),
              ...set(B0),
              ...get(PB),
              ...load128At(16),
              ...set(B1),
              ...rowStep(0),
              ...rowStep(1),
              ...rowStep(2),
              ...rowStep(3),
              ...get(PA),
              ...get(SAK),
              ...add,
              ...set(PA),
              ...get(PB),
              ...get(N4),
              ...add,
              ...set(PB),
              ...inc(KK, -1),
            ],
          ),
          // PC = C + II * N4 + JJ * 4
          ...get(C),
          ...get(II),
          ...get(N4),
          ...mul,
          ...add,
          ...get(JJ),
          ...i32const(4),
          ...mul,
          ...add,
          ...set(PC),
          ...rowStore(0),
          ...rowStore(1),
          ...rowStore(2),
          ...rowStore(3),
          ...inc(J0, 8),
        ],
      ),
      ...inc(I0, 4),
    ],
  ),
];

/** The module's bytes: imports env.memory (shared or not), exports `gemm`. */
export function gemmModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const fn = { params: [I32, I32, I32, I32, I32, I32, I32, I32], locals: [11, I32, 11, V128], body };
  return assemble('gemm', fn, shared ? 'import-shared' : 'import');
}

/**
 * (a, b, c byte addresses, M, N, K, A's row stride and k stride in bytes): C[M, N] = A·B, B row-major [K, N].
 * Needs M >= 4 and N >= 8 (gemmFits).
 */
export type GemmFn = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  sai: number,
  sak: number,
) => void;

/** The kernel bound to TF.js's memory, or null (heapKernel says when). */
export const gemmKernel = heapKernel<GemmFn>(gemmModuleBytes, 'gemm');

/** Whether the kernel's blocks fit a product of M rows and N columns (K >= 0 always does). */
export function gemmFits(m: number, n: number): boolean {
  return m >= 4 && n >= 8;
}
