/**
 * Just enough of the WebAssembly binary format to assemble the site's few SIMD loops (adam-kernel.ts,
 * pool-kernel.ts) from readable instruction lists, instead of shipping opaque .wasm files or a compiler. Opcodes are
 * the spec's (https://webassembly.github.io/spec/core/binary/instructions.html); a wrong one fails validation, and
 * each kernel's tests compare its results with the code it replaces, bit for bit.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128, as the binary format writes counts, sizes and indices. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128, for i32.const. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

function name(s: string): number[] {
  return [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

// Instructions used by the kernels.
export const get = (i: number) => [0x20, ...leb(i)];
export const set = (i: number) => [0x21, ...leb(i)];
export const tee = (i: number) => [0x22, ...leb(i)];
export const i32const = (n: number) => [0x41, ...sleb(n)];
export const simd = (op: number) => [0xfd, ...leb(op)];
/** v128.load / v128.store of the address on the stack, 16-byte alignment hint, no offset. */
export const load128 = [...simd(0x00), 4, 0];
export const store128 = [...simd(0x0b), 4, 0];
/** v128.load / v128.store at the address on the stack plus a constant byte offset (16-byte alignment hint). */
export const load128At = (offset: number) => [...simd(0x00), 4, ...leb(offset)];
export const store128At = (offset: number) => [...simd(0x0b), 4, ...leb(offset)];
/** v128.store64_lane 0: the vector's first two f32 lanes to the address below it on the stack (plus `offset`). */
export const store64LowAt = (offset: number) => [...simd(0x5b), 3, ...leb(offset), 0];
/** v128.load64_zero: two f32 from the address on the stack (plus `offset`) in the low lanes, zeros in the high. */
export const load64ZeroAt = (offset: number) => [...simd(0x5d), 3, ...leb(offset)];
/** v128.load32_splat: the f32 at the address on the stack in all four lanes. */
export const loadSplat32 = [...simd(0x09), 2, 0];
export const op = {
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32LeS: [0x4c],
  i32GeS: [0x4e],
  i32GeU: [0x4f],
  select: [0x1b],
  f32x4Splat: simd(0x13),
  f32x4DemoteF64x2Zero: simd(0x5e),
  f64x2PromoteLowF32x4: simd(0x5f),
  f64x2Add: simd(0xf0),
  f32x4Gt: simd(0x44),
  f32x4Sqrt: simd(0xe3),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  v128Not: simd(0x4d),
  v128And: simd(0x4e),
  v128AndNot: simd(0x4f),
  v128Or: simd(0x50),
  v128Bitselect: simd(0x52),
};

/** local += by (i32). */
export const inc = (local: number, by: number) => [...get(local), ...i32const(by), 0x6a, ...set(local)];
/** v128.const of 16 zero bytes. */
export const zero128 = [...simd(0x0c), ...Array<number>(16).fill(0)];
/** i8x16.shuffle of the two v128 on the stack: byte i of the result is byte lanes[i] of (first ++ second). */
export const shuffle = (lanes: number[]) => [...simd(0x0d), ...lanes];
/** v128.const of four equal 32-bit lanes (`bits` as an unsigned 32-bit pattern, e.g. 0x3f800000 for 1.0f). */
export const constLanes = (bits: number) => [
  ...simd(0x0c),
  ...Array.from({ length: 4 }, () => [0, 8, 16, 24].map((s) => (bits >>> s) & 0xff)).flat(),
];

/**
 * OUT = min(V, LIM - n): the start of a block of n at V, the last block moved back to end at LIM (locals V, LIM,
 * OUT). The kernels' blocks of channels, rows and columns all start this way.
 */
export function movedBack(v: number, lim: number, n: number, out: number): number[] {
  const last = [...get(lim), ...i32const(n), ...op.i32Sub];
  return [...get(v), ...last, ...get(v), ...last, ...op.i32LeS, ...op.select, ...set(out)];
}

/** OFF = 4 * min(ch, c - 4): the byte offset of the 4-channel block at `ch`, the last one moved back to end at c. */
function blockOffset(ch: number, c: number, off: number): number[] {
  return [...movedBack(ch, c, 4, off), ...get(off), ...i32const(4), ...op.i32Mul, ...set(off)];
}

/**
 * `for (ch = 0; ch < c; ch += 4)` over the 4-channel blocks of c channels, with OFF set by blockOffset before `body`
 * (locals ch, c, off): the channel loop every kernel here runs.
 */
export function channelBlocks(ch: number, c: number, off: number, body: number[]): number[] {
  return [
    ...i32const(0),
    ...set(ch),
    ...whileLoop([...get(ch), ...get(c), ...op.i32GeS], [...blockOffset(ch, c, off), ...body, ...inc(ch, 4)]),
  ];
}

/** `block loop (if cond: exit) body; br loop end end`: a while loop; `exitIf` leaves a non-zero i32 to stop. */
export function whileLoop(exitIf: number[], body: number[]): number[] {
  return [0x02, 0x40, 0x03, 0x40, ...exitIf, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
}

export interface FunctionSpec {
  params: number[];
  /** [count, type] pairs. */
  locals: number[];
  body: number[];
}

/**
 * A module with one exported function `name`, and either its own exported memory (`memory: 'own'`) or the
 * memory imported as env.memory (another module's, such as TF.js's wasm heap): 'import' for an ordinary memory,
 * 'import-shared' for a shared one (the threaded backend's), which must declare a maximum: 65,536 pages, the most
 * a 32-bit memory can have, so any shared memory fits.
 */
export function assemble(
  fnName: string,
  fn: FunctionSpec,
  memory: 'own' | 'import' | 'import-shared',
): Uint8Array<ArrayBuffer> {
  const code = [...leb(fn.locals.length / 2), ...fn.locals, ...fn.body, 0x0b];
  const limits = memory === 'import-shared' ? [0x03, 1, ...leb(65536)] : [0x00, 1];
  const imports = memory === 'own' ? [] : section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]);
  const memories = memory === 'own' ? section(5, [1, 0x00, 1]) : [];
  const exportsList =
    memory === 'own' ? [2, ...name(fnName), 0x00, 0, ...name('memory'), 0x02, 0] : [1, ...name(fnName), 0x00, 0];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, ...leb(fn.params.length), ...fn.params, 0]),
    ...imports,
    ...section(3, [1, 0]),
    ...memories,
    ...section(7, exportsList),
    ...section(10, [1, ...leb(code.length), ...code]),
  ]);
}

/**
 * A binder for a kernel module that imports env.memory: the export `fnName` bound to `memory` (cached per memory),
 * or null when it cannot be: no WebAssembly SIMD (or threads, for a shared memory), or not a WebAssembly.Memory.
 * `bytes(shared)` assembles the module for an ordinary or a shared memory. The caller then runs its plain-JS loop.
 */
export function heapKernel<F>(
  bytes: (shared: boolean) => Uint8Array<ArrayBuffer>,
  fnName: string,
): (memory: unknown) => F | null {
  const bound = new WeakMap<WebAssembly.Memory, F | null>();
  const modules = new Map<boolean, WebAssembly.Module | null>();
  const compiled = (shared: boolean) => {
    if (!modules.has(shared)) {
      const b = bytes(shared);
      modules.set(shared, WebAssembly.validate(b) ? new WebAssembly.Module(b) : null);
    }
    return modules.get(shared)!;
  };
  return (memory) => {
    if (typeof WebAssembly === 'undefined' || !(memory instanceof WebAssembly.Memory)) return null;
    if (bound.has(memory)) return bound.get(memory)!;
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    let fn: F | null = null;
    try {
      const module = compiled(shared);
      if (module) fn = new WebAssembly.Instance(module, { env: { memory } }).exports[fnName] as F;
    } catch {
      fn = null;
    }
    bound.set(memory, fn);
    return fn;
  };
}
