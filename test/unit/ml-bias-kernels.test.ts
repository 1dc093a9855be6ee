import { describe, expect, it } from 'vitest';
import { addRowsKernel, addRowsModuleBytes, sumRowsKernel, sumRowsModuleBytes } from '../../src/ml/bias-kernels.ts';
import { addRows, sumRows } from '../../src/ml/heap-kernels.ts';
import { Rng } from '../../src/lib/index.ts';
import { float32Bits as bits } from './helpers.ts';

/** Bits of a Float32Array, so -0 against +0 counts as a difference. */

/** Values over many magnitudes (so float64 sums differ from float32 ones), with -0, infinities and zeros mixed in. */
function values(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const special = [-0, 0, Infinity, -Infinity];
  return Float32Array.from({ length: n }, () =>
    rng.next() < 0.03
      ? special[Math.floor(rng.next() * 4)]!
      : (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12 - 6),
  );
}

/** A memory holding `parts` one after another at odd float offsets; returns it and each part's byte address. */
function place(parts: Float32Array[], shared = false): { memory: WebAssembly.Memory; at: number[] } {
  const total = parts.reduce((s, p) => s + p.length + 3, 8);
  const pages = Math.ceil((total * 4) / 65536) + 1;
  const memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared } : { initial: pages });
  const f32 = new Float32Array(memory.buffer);
  let next = 1;
  const at = parts.map((p) => {
    f32.set(p, next);
    const byte = next * 4;
    next += p.length + 3;
    return byte;
  });
  return { memory, at };
}

const view = (m: WebAssembly.Memory, byte: number, n: number) => new Float32Array(m.buffer, byte, n).slice();

describe('the SIMD bias kernels', () => {
  it('are valid WebAssembly importing env.memory', () => {
    for (const [bytes, name] of [
      [addRowsModuleBytes(), 'addRows'],
      [sumRowsModuleBytes(), 'sumRows'],
    ] as const) {
      const m = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`)).toEqual(['env.memory']);
      expect(WebAssembly.Module.exports(m).map((e) => e.name)).toEqual([name]);
    }
  });

  // LeNet's conv biases (6, 16 channels), a dense layer's (120), and widths that are not multiples of 4.
  for (const [rows, c] of [
    [32 * 28 * 28, 6],
    [32 * 10 * 10, 16],
    [32, 120],
    [7, 4],
    [5, 5],
    [3, 10],
  ] as const) {
    it(`addRows [${rows}, ${c}] + [${c}]: the plain-JS loop's bits`, () => {
      const x = values(rows * c, c);
      const v = values(c, c + 1);
      const expected = new Float32Array(rows * c);
      addRows(x, v, expected);
      const { memory, at } = place([x, v, new Float32Array(rows * c).fill(7)]);
      addRowsKernel(memory)!(at[0]!, at[1]!, at[2]!, rows, c);
      expect(bits(view(memory, at[2]!, rows * c))).toEqual(bits(expected));
    });

    it(`sumRows of [${rows}, ${c}] in float64, rounded once: the plain-JS loop's bits`, () => {
      const x = values(rows * c, c + 2).map((v) => (Number.isFinite(v) ? v : 1));
      const expected = new Float32Array(c);
      sumRows(x, expected);
      const { memory, at } = place([x, new Float32Array(c).fill(7)]);
      sumRowsKernel(memory)!(at[0]!, at[1]!, rows, c);
      expect(bits(view(memory, at[1]!, c))).toEqual(bits(expected));
      // And float64 mattered: summing in float32 gives different bits for at least one channel of a long column.
      if (rows > 1000) {
        const f32 = new Float32Array(c);
        for (let i = 0; i < x.length; i += c) for (let k = 0; k < c; k++) f32[k] = f32[k]! + x[i + k]!;
        expect(bits(f32)).not.toEqual(bits(expected));
      }
    });
  }

  it("in a shared memory (the threaded backend's) too: the same bits; not a memory: null", () => {
    const [rows, c] = [500, 6];
    const x = values(rows * c, 3);
    const v = values(c, 4);
    const run = (shared: boolean) => {
      const { memory, at } = place([x, v, new Float32Array(rows * c), new Float32Array(c)], shared);
      addRowsKernel(memory)!(at[0]!, at[1]!, at[2]!, rows, c);
      sumRowsKernel(memory)!(at[0]!, at[3]!, rows, c);
      return [...bits(view(memory, at[2]!, rows * c)), ...bits(view(memory, at[3]!, c))];
    };
    expect(run(true)).toEqual(run(false));
    expect(sumRowsKernel(null)).toBeNull();
  });
});
