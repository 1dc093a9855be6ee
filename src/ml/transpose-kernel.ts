/**
 * The transpose that moves a tensor's first axis in front of its last, [B, P..., C] to [P..., B, C], as a
 * WebAssembly SIMD loop in TF.js's own memory (wasm-asm.ts heapKernel): each run of C values is copied whole, four
 * at a time, the last block moved back to end at C (C >= 4), so overlapping values are written twice, the same.
 * The site's weight gradient (wasm-kernels.ts conv2dBackpropFilter) does this to dy every step: for LeNet's conv1,
 * [32, 28, 28, 6] to [28, 28, 32, 6], which the backend's general Transpose walked value by value. A copy, no
 * arithmetic: the result is the backend's to the bit (test/unit/ml-transpose-kernel.test.ts).
 */
import {
  I32,
  assemble,
  channelBlocks,
  get,
  heapKernel,
  inc,
  i32const,
  load128,
  op,
  set,
  store128,
  whileLoop,
} from './wasm-asm.ts';

const add = op.i32Add;
const mul = op.i32Mul;

// Parameters: byte addresses of x and o in the imported memory; B, P (the middle axes' product), C.
const [X, O, B, P, C] = [0, 1, 2, 3, 4];
// Locals: counters, the block's byte offset, row sizes in bytes, the walking source and destination addresses.
const [BI, PI, CH, OFF, C4, BC4, SRC, DST] = [5, 6, 7, 8, 9, 10, 11, 12];

const body = [
  ...get(C),
  ...i32const(4),
  ...mul,
  ...set(C4),
  ...get(B),
  ...get(C4),
  ...mul,
  ...set(BC4),
  ...get(X),
  ...set(SRC),
  ...whileLoop(
    [...get(BI), ...get(B), ...op.i32GeS],
    [
      // Row b of the source goes to column b of every P-row of the destination: DST = O + b * C4.
      ...get(O),
      ...get(BI),
      ...get(C4),
      ...mul,
      ...add,
      ...set(DST),
      ...i32const(0),
      ...set(PI),
      ...whileLoop(
        [...get(PI), ...get(P), ...op.i32GeS],
        [
          ...channelBlocks(CH, C, OFF, [
            ...get(DST),
            ...get(OFF),
            ...add,
            ...get(SRC),
            ...get(OFF),
            ...add,
            ...load128,
            ...store128,
          ]),
          ...get(SRC),
          ...get(C4),
          ...add,
          ...set(SRC),
          ...get(DST),
          ...get(BC4),
          ...add,
          ...set(DST),
          ...inc(PI, 1),
        ],
      ),
      ...inc(BI, 1),
    ],
  ),
];

export function batchInwardModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const fn = { params: [I32, I32, I32, I32, I32], locals: [8, I32], body };
  return assemble('batchInward', fn, shared ? 'import-shared' : 'import');
}

/** (x, o byte addresses, B, P, C): o[p, b, :] = x[b, p, :] for the C values of each (b, p). */
export type BatchInwardFn = (x: number, o: number, b: number, p: number, c: number) => void;

export const batchInwardKernel = heapKernel<BatchInwardFn>(batchInwardModuleBytes, 'batchInward');

/**
 * Whether `perm` moves axis 0 just before the last axis and keeps the rest in order ([1, 2, 0, 3] at rank 4),
 * the one permutation batchInwardKernel does.
 */
export function isBatchInward(perm: readonly number[]): boolean {
  const r = perm.length;
  if (r < 3 || perm[r - 2] !== 0 || perm[r - 1] !== r - 1) return false;
  for (let i = 0; i < r - 2; i++) if (perm[i] !== i + 1) return false;
  return true;
}
