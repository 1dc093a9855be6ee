/**
 * Max pooling of one map [H][W] as the chapter 8 exercises need it: the engine's forward pass (argmax as the flat
 * index row·W + col into x) and backward pass, and the wrong routing rules the named mistakes stand for (the last
 * maximum on ties, every tied cell, the window's top-left, overwriting where windows overlap), built on one
 * walk over the windows.
 */
import { maxPool2d, pool2dBackward } from '../../engine/pool.ts';
import { onePlane, planeOf } from './nested.ts';

export type Pooled = { y: number[][]; argmax: number[][] };

/** The engine's max pool of one map; argmax as flat indices row·W + col (x is [1, H, W], so they coincide). */
export function pool(x: number[][], size: number, stride: number): Pooled {
  const r = maxPool2d(onePlane(x), { size, stride });
  const y = planeOf(r.y);
  const ow = y[0]!.length;
  return { y, argmax: y.map((row, i) => row.map((_, j) => r.argmax![i * ow + j]!)) };
}

export const poolBack = (
  x: number[][],
  size: number,
  stride: number,
  dy: number[][],
  kind: 'max' | 'avg' | 'sum' = 'max',
) => planeOf(pool2dBackward(onePlane(x), kind, { size, stride }, onePlane(dy)));

/** Every window's cells as flat indices, in reading order, with the output cell it belongs to. */
function windows(x: number[][], size: number, stride: number): { i: number; j: number; cells: number[] }[] {
  const W = x[0]!.length;
  const oh = Math.floor((x.length - size) / stride) + 1;
  const ow = Math.floor((W - size) / stride) + 1;
  const out: { i: number; j: number; cells: number[] }[] = [];
  for (let i = 0; i < oh; i++)
    for (let j = 0; j < ow; j++) {
      const cells: number[] = [];
      for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) cells.push((i * stride + a) * W + j * stride + b);
      out.push({ i, j, cells });
    }
  return out;
}

/** A wrong max pool whose winner in each window is `pick(cells, values)`; argmax as `index(winner, position)`. */
export function poolBy(
  x: number[][],
  size: number,
  stride: number,
  pick: (cells: number[], at: (c: number) => number) => number,
  index: (cell: number, position: number) => number = (cell) => cell,
): Pooled {
  const W = x[0]!.length;
  const at = (c: number) => x[Math.floor(c / W)]![c % W]!;
  const y = pool(x, size, stride).y;
  const argmax = y.map((row) => row.map(() => 0));
  for (const w of windows(x, size, stride)) {
    const cell = pick(w.cells, at);
    argmax[w.i]![w.j] = index(cell, w.cells.indexOf(cell));
  }
  return { y, argmax };
}

export const firstMax = (cells: number[], at: (c: number) => number) => cells.reduce((b, c) => (at(c) > at(b) ? c : b));
export const lastMax = (cells: number[], at: (c: number) => number) => cells.reduce((b, c) => (at(c) >= at(b) ? c : b));

/** A wrong backward pass that routes each window's gradient by `route` (into a flat dx). */
export function backBy(
  x: number[][],
  size: number,
  stride: number,
  dy: number[][],
  route: (cells: number[], at: (c: number) => number, g: number, dx: number[]) => void,
): number[][] {
  const W = x[0]!.length;
  const at = (c: number) => x[Math.floor(c / W)]![c % W]!;
  const dx = new Array<number>(x.length * W).fill(0);
  for (const w of windows(x, size, stride)) route(w.cells, at, dy[w.i]![w.j]!, dx);
  return x.map((row, i) => row.map((_, j) => dx[i * W + j]!));
}
