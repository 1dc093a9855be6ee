/**
 * Matrix products as a WebAssembly SIMD loop in TF.js's own memory (wasm-asm.ts heapKernel), for the wasm kernels of
 * a training step (wasm-kernels.ts): BatchMatMul (the dense layers forward and backward) and the stride-1
 * convolutions forward, for dx and for dW. XNNPACK's loops are fast once running, but TF.js builds and packs a new
 * XNNPACK operator whenever its right-hand operand is a tensor it has not seen, which in training is every call (the
 * weights change each step, and dy is new), and its blocks suit LeNet's narrow layers (1 and 6 channels) poorly.
 *
 * One loop serves both, as a product C = A·B repeated over "lines":
 *
 *   for each line (l1, l2): C_l[i, j] = sum over k1, k2 of A_l(i, k1, k2) * B[k1 * K2 + k2, j]
 *
 * A is read through byte strides (lines, rows i, and both k levels), so a transposed operand or an image's patches
 * need no copy; B is row-major [K1·K2, N]; C has a row stride and line strides. A plain product is one line with
 * K1 = 1. A convolution is one line per output row, rows = output columns, k1 = kernel row, k2 = (kernel column,
 * input channel), a contiguous run of the padded input row: an implicit GEMM, in the order XNNPACK's convolution
 * sums (taps in row-major order, channels innermost). A weight gradient is one line per (input channel, kernel
 * row), rows = kernel columns, k1 = output row, k2 = (output column, image): the order of XNNPACK's convolution the
 * site ran it as before. `clip` lets a line skip k1 rows that are padding.
 *
 * C is done in blocks of R rows by 8 columns held in 2R v128 accumulators: for each k, each row's A value is splat
 * across a vector, multiplied into B's row k and added to the accumulator, so every C(i, j) is
 * ((A(i,0)·B(0,j) + A(i,1)·B(1,j)) + ...) in order of k, one rounding per multiply and per add: what XNNPACK's wasm
 * SIMD loops compute, to the bit (test/unit/ml-gemm-kernel.test.ts). The last block of rows and of columns is moved
 * back to end at M and at N, so overlapping values are computed twice the same way; M >= R, and N >= 8 or N = 6
 * (LeNet's first layer: a module of its own loads 6 columns and zeros, and stores 6).
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
  load64ZeroAt,
  loadSplat32,
  movedBack,
  op,
  set,
  store128At,
  store64LowAt,
  whileLoop,
  zero128,
} from './wasm-asm.ts';

const add = op.i32Add;
const mul = op.i32Mul;

// Parameters: byte addresses of A, B, C; the sizes; A's byte strides (per line l1 and l2, row, k1, k2); C's (per
// line l1 and l2, row).
const PARAMS = ['a', 'b', 'c', 'l1', 'l2', 'm', 'n', 'k1', 'k2', 'c0', 'c1'] as const;
const STRIDES = ['sAl1', 'sAl2', 'sAi', 'sAk1', 'sAk2', 'sCl1', 'sCl2', 'sCi'] as const;
const P = Object.fromEntries([...PARAMS, ...STRIDES].map((name, i) => [name, i])) as Record<
  (typeof PARAMS)[number] | (typeof STRIDES)[number],
  number
>;
const NP = PARAMS.length + STRIDES.length;
// i32 locals: line counters and bases, block counters and starts, walking addresses, k counters, B's row bytes.
const LOCALS_I32 = [
  'L1',
  'L2',
  'BA',
  'BC',
  'I0',
  'J0',
  'II',
  'JJ',
  'PA',
  'PA2',
  'PB',
  'PC',
  'K1',
  'K2',
  'N4',
  'KLO',
  'KHI',
  'BK',
];
const L = Object.fromEntries(LOCALS_I32.map((name, i) => [name, NP + i])) as Record<string, number>;
/** Row r's A offset from the block's first row, r * sAi, for r = 1 .. R-1 (locals after the named ones). */
const rowOffset = (r: number) => NP + LOCALS_I32.length + r - 1;

/** `for (counter = 0; counter < limit; counter++) body` */
const countTo = (counter: number, limit: number, body: number[]) => [
  ...i32const(0),
  ...set(counter),
  ...whileLoop([...get(counter), ...get(limit), ...op.i32GeS], [...body, ...inc(counter, 1)]),
];

/** `for (counter = from; counter < limit; counter++) body`, from and limit locals. */
const countFromTo = (counter: number, from: number, limit: number, body: number[]) => [
  ...get(from),
  ...set(counter),
  ...whileLoop([...get(counter), ...get(limit), ...op.i32GeS], [...body, ...inc(counter, 1)]),
];

function body(R: number, six: boolean): number[] {
  const firstV128 = NP + LOCALS_I32.length + R - 1;
  const acc = (r: number, v: number) => firstV128 + 2 * r + v;
  const [B0, B1, S] = [firstV128 + 2 * R, firstV128 + 2 * R + 1, firstV128 + 2 * R + 2];
  const madd = (a: number, b: number) => [...get(a), ...get(S), ...get(b), ...op.f32x4Mul, ...op.f32x4Add, ...set(a)];
  const rowStep = (r: number) => [
    ...get(L.PA2!),
    ...(r === 0 ? [] : [...get(rowOffset(r)), ...add]),
    ...loadSplat32,
    ...set(S),
    ...madd(acc(r, 0), B0),
    ...madd(acc(r, 1), B1),
  ];
  // Row r's values to C at PC + r * sCi: 8 of them, or 6.
  const rowStore = (r: number) => [
    ...get(L.PC!),
    ...(r === 0 ? [] : [...get(P.sCi), ...i32const(r), ...mul, ...add]),
    ...set(L.PA2!), // reused as the row's address
    ...get(L.PA2!),
    ...get(acc(r, 0)),
    ...store128At(0),
    ...get(L.PA2!),
    ...get(acc(r, 1)),
    ...(six ? store64LowAt(16) : store128At(16)),
  ];
  return [
    ...get(P.n),
    ...i32const(4),
    ...mul,
    ...set(L.N4!),
    ...Array.from({ length: R - 1 }, (_, i) => [
      ...get(P.sAi),
      ...i32const(i + 1),
      ...mul,
      ...set(rowOffset(i + 1)),
    ]).flat(),
    ...countTo(L.L1!, P.l1, [
      ...countTo(L.L2!, P.l2, [
        // BA = a + l1 * sAl1 + l2 * sAl2; BC likewise in C
        ...get(P.a),
        ...get(L.L1!),
        ...get(P.sAl1),
        ...mul,
        ...add,
        ...get(L.L2!),
        ...get(P.sAl2),
        ...mul,
        ...add,
        ...set(L.BA!),
        ...get(P.c),
        ...get(L.L1!),
        ...get(P.sCl1),
        ...mul,
        ...add,
        ...get(L.L2!),
        ...get(P.sCl2),
        ...mul,
        ...add,
        ...set(L.BC!),
        // This line's k1 range: KLO = max(0, c0 - l2), KHI = min(K1, c1 - l2); BK = B's bytes per k1 step.
        ...get(P.c0),
        ...get(L.L2!),
        ...op.i32Sub,
        ...set(L.KLO!),
        ...get(L.KLO!),
        ...i32const(0),
        ...get(L.KLO!),
        ...i32const(0),
        ...op.i32GeS,
        ...op.select,
        ...set(L.KLO!),
        ...get(P.c1),
        ...get(L.L2!),
        ...op.i32Sub,
        ...set(L.KHI!),
        ...get(L.KHI!),
        ...get(P.k1),
        ...get(L.KHI!),
        ...get(P.k1),
        ...op.i32LeS,
        ...op.select,
        ...set(L.KHI!),
        ...get(P.k2),
        ...get(L.N4!),
        ...mul,
        ...set(L.BK!),
        ...i32const(0),
        ...set(L.I0!),
        ...whileLoop(
          [...get(L.I0!), ...get(P.m), ...op.i32GeS],
          [
            ...movedBack(L.I0!, P.m, R, L.II!),
            ...i32const(0),
            ...set(L.J0!),
            ...whileLoop(
              [...get(L.J0!), ...get(P.n), ...op.i32GeS],
              [
                // JJ = max(0, min(J0, N - 8)): N = 6 has one block, at 0.
                ...movedBack(L.J0!, P.n, 8, L.JJ!),
                ...get(L.JJ!),
                ...i32const(0),
                ...get(L.JJ!),
                ...i32const(0),
                ...op.i32GeS,
                ...op.select,
                ...set(L.JJ!),
                ...Array.from({ length: R }, (_, r) => [
                  ...zero128,
                  ...set(acc(r, 0)),
                  ...zero128,
                  ...set(acc(r, 1)),
                ]).flat(),
                // PA = BA + II * sAi + KLO * sAk1; PB = b + JJ * 4 + KLO * BK
                ...get(L.BA!),
                ...get(L.II!),
                ...get(P.sAi),
                ...mul,
                ...add,
                ...get(L.KLO!),
                ...get(P.sAk1),
                ...mul,
                ...add,
                ...set(L.PA!),
                ...get(P.b),
                ...get(L.JJ!),
                ...i32const(4),
                ...mul,
                ...add,
                ...get(L.KLO!),
                ...get(L.BK!),
                ...mul,
                ...add,
                ...set(L.PB!),
                ...countFromTo(L.K1!, L.KLO!, L.KHI!, [
                  ...get(L.PA!),
                  ...set(L.PA2!),
                  ...countTo(L.K2!, P.k2, [
                    ...get(L.PB!),
                    ...load128At(0),
                    ...set(B0),
                    ...get(L.PB!),
                    // N = 6: columns 4 and 5, and zeros (not the next row's values, nor what lies past B's end)
                    ...(six ? load64ZeroAt(16) : load128At(16)),
                    ...set(B1),
                    ...Array.from({ length: R }, (_, r) => rowStep(r)).flat(),
                    ...get(L.PA2!),
                    ...get(P.sAk2),
                    ...add,
                    ...set(L.PA2!),
                    ...get(L.PB!),
                    ...get(L.N4!),
                    ...add,
                    ...set(L.PB!),
                  ]),
                  ...get(L.PA!),
                  ...get(P.sAk1),
                  ...add,
                  ...set(L.PA!),
                ]),
                // PC = BC + II * sCi + JJ * 4
                ...get(L.BC!),
                ...get(L.II!),
                ...get(P.sCi),
                ...mul,
                ...add,
                ...get(L.JJ!),
                ...i32const(4),
                ...mul,
                ...add,
                ...set(L.PC!),
                ...Array.from({ length: R }, (_, r) => rowStore(r)).flat(),
                ...inc(L.J0!, 8),
              ],
            ),
            ...inc(L.I0!, R),
          ],
        ),
      ]),
    ]),
  ];
}

/**
 * The module's bytes for blocks of R rows, 8 columns wide (N >= 8) or 6 (`six`, N = 6): imports env.memory (shared or
 * not), exports `gemm`.
 */
export function gemmModuleBytes(R: number, six: boolean, shared = false): Uint8Array<ArrayBuffer> {
  const fn = {
    params: Array<number>(NP).fill(I32),
    locals: [LOCALS_I32.length + R - 1, I32, 2 * R + 3, V128],
    body: body(R, six),
  };
  return assemble('gemm', fn, shared ? 'import-shared' : 'import');
}

/** A product's shape and strides (bytes), as the loop above reads them. */
export interface GemmArgs {
  a: number;
  b: number;
  c: number;
  lines: [number, number];
  m: number;
  n: number;
  k: [number, number];
  /**
   * Line l2 sums only over k1 in [c0 - l2, c1 - l2) (within [0, K1)): the rows of a padded image that are not
   * padding, whose products are zeros. Absent: every k1.
   */
  clip?: [number, number];
  /** A's strides: per line l1, per line l2, per row, per k1, per k2. */
  sA: [number, number, number, number, number];
  /** C's strides: per line l1, per line l2, per row. */
  sC: [number, number, number];
}

type RawGemm = (...args: number[]) => void;
const kernels = new Map<string, (memory: unknown) => RawGemm | null>();

/**
 * The product in blocks of R rows for N columns, bound to TF.js's memory, or null (heapKernel says when). R = 4 suits
 * long products; R = 5 fits a 5-wide kernel's rows in one block.
 */
export function gemmKernel(memory: unknown, n: number, R = 4): ((g: GemmArgs) => void) | null {
  const six = n === 6;
  const key = `${R} ${six}`;
  let bind = kernels.get(key);
  if (!bind) kernels.set(key, (bind = heapKernel<RawGemm>((shared) => gemmModuleBytes(R, six, shared), 'gemm')));
  const raw = bind(memory);
  if (!raw) return null;
  return (g) => {
    if (g.n !== n) throw new Error(`gemm: a product of ${g.n} columns through the kernel for ${n}.`);
    const [c0, c1] = g.clip ?? [0, g.k[0] + g.lines[1]];
    raw(g.a, g.b, g.c, g.lines[0], g.lines[1], g.m, g.n, g.k[0], g.k[1], c0, c1, ...g.sA, ...g.sC);
  };
}

/** Whether the blocks fit M rows and N columns (any K, lines >= 0). */
export function gemmFits(m: number, n: number, R = 4): boolean {
  return m >= R && (n >= 8 || n === 6);
}
