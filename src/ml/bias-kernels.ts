/**
 * The two bias kernels of a training step as WebAssembly SIMD loops in TF.js's own memory (wasm-asm.ts heapKernel):
 * adding a bias vector [C] to every row of C values (heap-kernels.ts makeAdd), and summing the rows into C totals,
 * in float64 and rounded once (makeSum: a bias's gradient). Four channels at a time, the last block moved back to end
 * at C (C >= 4), so overlapping channels are computed twice the same way. Each total adds its rows in order, as the
 * plain-JS loops do, so the bits are theirs (test/unit/ml-bias-kernels.test.ts).
 */
import {
  I32,
  V128,
  assemble,
  channelBlocks,
  get,
  heapKernel,
  inc,
  i32const,
  load128,
  op,
  set,
  shuffle,
  store128,
  whileLoop,
  zero128,
} from './wasm-asm.ts';

const add = op.i32Add;

// addRows(x, v, o, rows, C): o = x + v for every row. Locals: row, channel, byte offsets.
const [AX, AV, AO, AR, AC] = [0, 1, 2, 3, 4];
const [A_ROW, A_CH, A_OFF, A_C4, A_AT] = [5, 6, 7, 8, 9];
const addBody = [
  ...get(AC),
  ...i32const(4),
  ...op.i32Mul,
  ...set(A_C4),
  ...whileLoop(
    [...get(A_ROW), ...get(AR), ...op.i32GeS],
    [
      ...channelBlocks(A_CH, AC, A_OFF, [
        // A_AT = row * C4 + OFF
        ...get(A_ROW),
        ...get(A_C4),
        ...op.i32Mul,
        ...get(A_OFF),
        ...add,
        ...set(A_AT),
        ...get(AO),
        ...get(A_AT),
        ...add,
        ...get(AX),
        ...get(A_AT),
        ...add,
        ...load128,
        ...get(AV),
        ...get(A_OFF),
        ...add,
        ...load128,
        ...op.f32x4Add,
        ...store128,
      ]),
      ...inc(A_ROW, 1),
    ],
  ),
];

// sumRows(x, o, rows, C): o[k] = sum over rows of x[row][k], in float64, rounded once. Locals: counters, the
// address walking down one 4-channel column, and two f64x2 running sums (channels 0-1 and 2-3 of the block).
const [SX, SO, SR, SC] = [0, 1, 2, 3];
const [S_ROW, S_CH, S_OFF, S_C4, S_P] = [4, 5, 6, 7, 8];
const [S_LO, S_HI, S_V] = [9, 10, 11];
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
const LOW_HALVES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const sumBody = [
  ...get(SC),
  ...i32const(4),
  ...op.i32Mul,
  ...set(S_C4),
  ...channelBlocks(S_CH, SC, S_OFF, [
    ...zero128,
    ...set(S_LO),
    ...zero128,
    ...set(S_HI),
    ...get(SX),
    ...get(S_OFF),
    ...add,
    ...set(S_P),
    ...i32const(0),
    ...set(S_ROW),
    ...whileLoop(
      [...get(S_ROW), ...get(SR), ...op.i32GeS],
      [
        ...get(S_P),
        ...load128,
        ...set(S_V),
        ...get(S_LO),
        ...get(S_V),
        ...op.f64x2PromoteLowF32x4,
        ...op.f64x2Add,
        ...set(S_LO),
        ...get(S_HI),
        ...get(S_V),
        ...get(S_V),
        ...shuffle(HIGH_HALF),
        ...op.f64x2PromoteLowF32x4,
        ...op.f64x2Add,
        ...set(S_HI),
        ...get(S_P),
        ...get(S_C4),
        ...add,
        ...set(S_P),
        ...inc(S_ROW, 1),
      ],
    ),
    ...get(SO),
    ...get(S_OFF),
    ...add,
    ...get(S_LO),
    ...op.f32x4DemoteF64x2Zero,
    ...get(S_HI),
    ...op.f32x4DemoteF64x2Zero,
    ...shuffle(LOW_HALVES),
    ...store128,
  ]),
];

export function addRowsModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const fn = { params: [I32, I32, I32, I32, I32], locals: [5, I32], body: addBody };
  return assemble('addRows', fn, shared ? 'import-shared' : 'import');
}

export function sumRowsModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const fn = { params: [I32, I32, I32, I32], locals: [5, I32, 3, V128], body: sumBody };
  return assemble('sumRows', fn, shared ? 'import-shared' : 'import');
}

/** (x, v, o byte addresses, rows, channels): o = x + v row by row. */
export type AddRowsFn = (x: number, v: number, o: number, rows: number, c: number) => void;
/** (x, o byte addresses, rows, channels): o = the rows' sum. */
export type SumRowsFn = (x: number, o: number, rows: number, c: number) => void;

export const addRowsKernel = heapKernel<AddRowsFn>(addRowsModuleBytes, 'addRows');
export const sumRowsKernel = heapKernel<SumRowsFn>(sumRowsModuleBytes, 'sumRows');
