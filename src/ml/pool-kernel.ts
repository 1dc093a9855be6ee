/**
 * MaxPoolGrad for LeNet's 2x2 windows with stride 2 as a WebAssembly SIMD loop that works in TF.js's own wasm memory
 * (it imports that memory, so nothing is copied in or out). Four channels at a time: compare the window's four cells
 * in row-major order keeping the first maximum (f32x4.gt is false for NaN, as `>` is), then write dy to the winner
 * and +0 to the other three. Selection only, no arithmetic, so the result is the same bits as the plain-JS loop it
 * stands in for (heap-kernels.ts maxPoolGrad2x2; test/unit/ml-pool-kernel.test.ts).
 *
 * The channel loop steps by 4 and its last step moves back to C - 4, so C = 6 is done as channels 0-3 and 2-5:
 * the overlap is written twice with the same values. It needs C >= 4.
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
  store128,
  whileLoop,
} from './wasm-asm.ts';

// Parameters: byte addresses of x, dy and dx in the imported memory; rows R = batch * output height; OW; C.
const [X, G, DX, R, OW, C] = [0, 1, 2, 3, 4, 5];
// i32 locals: loop counters, byte sizes, the window's addresses; v128 locals: the cells, the masks, dy.
const [ROW_I, OX, CH, OFF, C4, ROW, PX, PG, PD] = [6, 7, 8, 9, 10, 11, 12, 13, 14];
const [X00, X01, X10, X11, S1, S2, S3, BEST, GV] = [15, 16, 17, 18, 19, 20, 21, 22, 23];

const add = op.i32Add;
const mul = op.i32Mul;
/** Address `base + OFF (+ extra local)`, loaded. */
const cell = (base: number, ...extra: number[]) => [
  ...get(base),
  ...get(OFF),
  ...add,
  ...extra.flatMap((e) => [...get(e), ...add]),
];

const body = [
  // C4 = bytes per pixel; ROW = bytes per input row (2 * OW pixels)
  ...get(C),
  ...i32const(4),
  ...mul,
  ...set(C4),
  ...get(OW),
  ...i32const(2),
  ...mul,
  ...get(C4),
  ...mul,
  ...set(ROW),
  ...whileLoop(
    [...get(ROW_I), ...get(R), ...op.i32GeS],
    [
      ...i32const(0),
      ...set(OX),
      ...whileLoop(
        [...get(OX), ...get(OW), ...op.i32GeS],
        [
          // The window's first cell: input row 2 * ROW_I, column 2 * OX.
          ...get(ROW_I),
          ...i32const(2),
          ...mul,
          ...get(ROW),
          ...mul,
          ...get(OX),
          ...i32const(2),
          ...mul,
          ...get(C4),
          ...mul,
          ...add,
          ...set(PD),
          ...get(X),
          ...get(PD),
          ...add,
          ...set(PX),
          ...get(DX),
          ...get(PD),
          ...add,
          ...set(PD),
          // dy's pixel: ROW_I * OW + OX
          ...get(G),
          ...get(ROW_I),
          ...get(OW),
          ...mul,
          ...get(OX),
          ...add,
          ...get(C4),
          ...mul,
          ...add,
          ...set(PG),
          ...channelBlocks(CH, C, OFF, [
            ...cell(PX),
            ...load128,
            ...set(X00),
            ...cell(PX, C4),
            ...load128,
            ...set(X01),
            ...cell(PX, ROW),
            ...load128,
            ...set(X10),
            ...cell(PX, ROW, C4),
            ...load128,
            ...set(X11),
            // The first maximum in row-major order: a later cell wins only if strictly greater.
            ...get(X01),
            ...get(X00),
            ...op.f32x4Gt,
            ...set(S1),
            ...get(X01),
            ...get(X00),
            ...get(S1),
            ...op.v128Bitselect,
            ...set(BEST),
            ...get(X10),
            ...get(BEST),
            ...op.f32x4Gt,
            ...set(S2),
            ...get(X10),
            ...get(BEST),
            ...get(S2),
            ...op.v128Bitselect,
            ...set(BEST),
            ...get(X11),
            ...get(BEST),
            ...op.f32x4Gt,
            ...set(S3),
            ...cell(PG),
            ...load128,
            ...set(GV),
            // dx00 = dy where none of the later cells won
            ...cell(PD),
            ...get(GV),
            ...get(S1),
            ...get(S2),
            ...op.v128Or,
            ...get(S3),
            ...op.v128Or,
            ...op.v128Not,
            ...op.v128And,
            ...store128,
            // dx01 = dy where x01 won and neither later cell did
            ...cell(PD, C4),
            ...get(GV),
            ...get(S1),
            ...get(S2),
            ...get(S3),
            ...op.v128Or,
            ...op.v128AndNot,
            ...op.v128And,
            ...store128,
            // dx10 = dy where x10 won and x11 did not
            ...cell(PD, ROW),
            ...get(GV),
            ...get(S2),
            ...get(S3),
            ...op.v128AndNot,
            ...op.v128And,
            ...store128,
            // dx11 = dy where x11 won
            ...cell(PD, ROW, C4),
            ...get(GV),
            ...get(S3),
            ...op.v128And,
            ...store128,
          ]),
          ...inc(OX, 1),
        ],
      ),
      ...inc(ROW_I, 1),
    ],
  ),
];

/** The module's bytes: imports env.memory (shared or not), exports `maxPoolGrad2x2`. */
export function poolModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  return assemble(
    'maxPoolGrad2x2',
    { params: [I32, I32, I32, I32, I32, I32], locals: [9, I32, 9, V128], body },
    shared ? 'import-shared' : 'import',
  );
}

/** (x, dy, dx byte addresses, rows = batch * output height, output width, channels). */
export type PoolGradFn = (x: number, g: number, dx: number, rows: number, ow: number, c: number) => void;

/** The kernel bound to TF.js's memory, or null (heapKernel says when). */
export const poolGradKernel = heapKernel<PoolGradFn>(poolModuleBytes, 'maxPoolGrad2x2');
