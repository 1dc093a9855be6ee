/**
 * Adam's update as one WebAssembly SIMD loop over every weight of a model. TF.js's Adam runs 14 kernels per variable
 * (144 for LeNet-5, about 0.85 ms of a 7-8 ms training step on wasm); this is one call.
 *
 * The module is a few hundred bytes, assembled here (wasm-asm.ts) from the instruction list below rather than shipped
 * as a binary: there is nothing to rebuild and nothing opaque in the tree. Every operation is an IEEE float32 operation in the
 * same order as tfjs-core's AdamOptimizer (f32x4 mul, add, div and sqrt are correctly rounded, as are the wasm and cpu
 * backends' kernels), so an update gives the same bits as tf.train.adam (test/unit/ml-fused-adam.test.ts).
 *
 *   m = m*b1 + g*(1-b1);  v = v*b2 + (g*g)*(1-b2);  w = ((m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)) * -lr + w
 *
 * One difference: a subnormal m or v (below 2^-126 in size) is stored as a zero of its sign. A weight whose gradient
 * has become exactly 0 (a dead ReLU unit's) has its m shrink by b1 each step until it sticks at the smallest
 * subnormal, where rounding keeps it; in LeNet's lab run 8,718 of the 61,712 moments were there after 1,800 steps,
 * and x86 processors work on subnormals about a hundred times slower: the update went from 0.2 ms to 1.5 ms (Node,
 * 2-core machine). The weights are unchanged by it: such an m moves w by at most lr * 2^-126 / eps, about 4e-34 at
 * the lab's rate, which rounds away against any weight above about 1e-26 (the unit test checks both).
 */
import {
  F32,
  I32,
  V128,
  assemble,
  constLanes,
  get,
  i32const,
  load128,
  op,
  set,
  simd,
  store128,
  tee,
  whileLoop,
} from './wasm-asm.ts';

// Parameters: n (floats, a multiple of 4), then byte offsets of g, m, v, w; then the eight f32 constants.
const [N, G, M, V, W] = [0, 1, 2, 3, 4];
const [B1, B2, C1, C2, D1, D2, EPS, LR] = [5, 6, 7, 8, 9, 10, 11, 12];
// Locals: the byte index and its end; the constants splatted to four lanes; g, m and v of the current four weights.
const [I, END] = [13, 14];
const SPLAT = 15; // 15..22 hold B1..LR splatted, in that order
const [GI, MI, VI] = [23, 24, 25];
const [TMP, MASK] = [26, 27];

/** The vector on the stack with its subnormal lanes made zeros of their sign (NaN, infinities and normals kept). */
const flushSubnormals = [
  ...tee(TMP),
  ...simd(0xe0), // f32x4.abs
  ...constLanes(0x00800000), // 2^-126, the smallest normal float32
  ...simd(0x43), // f32x4.lt: true for subnormals and zeros, false for NaN
  ...constLanes(0x7fffffff),
  ...op.v128And,
  ...set(MASK),
  ...get(TMP),
  ...get(MASK),
  ...op.v128AndNot, // clear all but the sign bit where the mask is set
];

const at = (base: number) => [...get(base), ...get(I), ...op.i32Add];
const load = (base: number) => [...at(base), ...load128];
const splat = (p: number) => get(SPLAT + p - B1);
const { f32x4Add: ADD, f32x4Mul: MUL, f32x4Div: DIV, f32x4Sqrt: SQRT } = op;

const body = [
  // end = n * 4; each constant splatted into its v128 local
  ...get(N),
  ...i32const(4),
  ...op.i32Mul,
  ...set(END),
  ...[B1, B2, C1, C2, D1, D2, EPS, LR].flatMap((p) => [...get(p), ...op.f32x4Splat, ...set(SPLAT + p - B1)]),
  ...whileLoop(
    [...get(I), ...get(END), ...op.i32GeU],
    [
      ...load(G),
      ...set(GI),
      // m = m*b1 + g*c1
      ...at(M),
      ...load(M),
      ...splat(B1),
      ...MUL,
      ...get(GI),
      ...splat(C1),
      ...MUL,
      ...ADD,
      ...flushSubnormals,
      ...tee(MI),
      ...store128,
      // v = v*b2 + (g*g)*c2
      ...at(V),
      ...load(V),
      ...splat(B2),
      ...MUL,
      ...get(GI),
      ...get(GI),
      ...MUL,
      ...splat(C2),
      ...MUL,
      ...ADD,
      ...flushSubnormals,
      ...tee(VI),
      ...store128,
      // w = ((m/d1) / (sqrt(v/d2) + eps)) * lr + w
      ...at(W),
      ...get(MI),
      ...splat(D1),
      ...DIV,
      ...get(VI),
      ...splat(D2),
      ...DIV,
      ...SQRT,
      ...splat(EPS),
      ...ADD,
      ...DIV,
      ...splat(LR),
      ...MUL,
      ...load(W),
      ...ADD,
      ...store128,
      // i += 16
      ...get(I),
      ...i32const(16),
      ...op.i32Add,
      ...set(I),
    ],
  ),
];

/** The module's bytes: one memory (exported), one function `adam` (exported). */
export function adamModuleBytes(): Uint8Array<ArrayBuffer> {
  const params = [I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32];
  return assemble('adam', { params, locals: [2, I32, 13, V128], body }, 'own');
}

/** Adam's constants for one step, as float32 values (the optimizer rounds them as tfjs-core's scalars are). */
export interface AdamStep {
  beta1: number;
  beta2: number;
  /** 1 - beta1 and 1 - beta2. */
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  /** 1 - beta1^t and 1 - beta2^t: the bias corrections. */
  correction1: number;
  correction2: number;
  epsilon: number;
  /** Minus the learning rate. */
  minusLr: number;
}

/** The compiled module, once per page (null without WebAssembly SIMD); every optimizer instantiates it. */
let compiled: WebAssembly.Module | null | undefined;

type AdamFn = (n: number, g: number, m: number, v: number, w: number, ...c: number[]) => void;

/**
 * The compiled loop and its memory. Weights are laid out once, each slot padded to 4 floats; m and v live in the
 * module's memory for the whole run, g and w are copied in for each step and w copied out.
 */
export class AdamKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly fn: AdamFn;
  /** Floats per region (g, m, v, w): the padded total of the slots. */
  private size = 0;
  private readonly slots = new Map<string, { at: number; length: number }>();

  /** Null where WebAssembly SIMD is missing (an old browser): the caller uses TF.js's Adam there. */
  static create(): AdamKernel | null {
    if (compiled === undefined) {
      const bytes = adamModuleBytes();
      compiled =
        typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    }
    // One instance (and memory) per optimizer: each run has its own moments.
    return compiled ? new AdamKernel(new WebAssembly.Instance(compiled)) : null;
  }

  private constructor(instance: WebAssembly.Instance) {
    this.memory = instance.exports['memory'] as WebAssembly.Memory;
    this.fn = instance.exports['adam'] as unknown as AdamFn;
  }

  /** The slot of a weight named `key` of `length` floats, made (with m = v = 0) on first use. */
  slot(key: string, length: number): { at: number; length: number } {
    let s = this.slots.get(key);
    if (s && s.length !== length) throw new Error(`Adam: ${key} changed size from ${s.length} to ${length}.`);
    if (!s) {
      const old = this.size;
      s = { at: old, length };
      this.slots.set(key, s);
      this.resize(old + Math.ceil(length / 4) * 4, old);
    }
    return s;
  }

  /** Region views: [g, m, v, w], each `size` floats. Taken afresh after any growth. */
  regions(): [Float32Array, Float32Array, Float32Array, Float32Array] {
    const buf = this.memory.buffer;
    const r = (k: number) => new Float32Array(buf, k * this.size * 4, this.size);
    return [r(0), r(1), r(2), r(3)];
  }

  /** One update of every slot from the g and w regions; m and v are updated in place, w holds the result. */
  step(c: AdamStep): void {
    const s = this.size * 4;
    this.fn(
      this.size,
      0,
      s,
      2 * s,
      3 * s,
      c.beta1,
      c.beta2,
      c.oneMinusBeta1,
      c.oneMinusBeta2,
      c.correction1,
      c.correction2,
      c.epsilon,
      c.minusLr,
    );
  }

  /** Grows the four regions to `size` floats each, keeping the first `keep` floats of m and v. */
  private resize(size: number, keep: number): void {
    const old = this.size > 0 ? this.regions() : null;
    const m = old ? old[1].slice(0, keep) : new Float32Array(0);
    const v = old ? old[2].slice(0, keep) : new Float32Array(0);
    const bytes = 4 * size * 4;
    const pages = Math.ceil(bytes / 65536) - this.memory.buffer.byteLength / 65536;
    if (pages > 0) this.memory.grow(pages);
    this.size = size;
    const [, m2, v2] = this.regions();
    m2.fill(0).set(m);
    v2.fill(0).set(v);
  }
}
