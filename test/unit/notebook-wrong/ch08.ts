/** Chapter 8's wrong solutions: max pooling forward (with the argmax) and backward. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

/** A learner's max pool; `better` decides when value v beats the best so far, `index` is what argmax records. */
const forward = ({
  better = 'v > best',
  index = 'r * W + c',
  rows = 'Math.floor((x.length - size) / stride) + 1',
} = {}) =>
  `function maxPool(x: number[][], size: number, stride: number): { y: number[][]; argmax: number[][] } {
  const W = x[0].length;
  const y: number[][] = [];
  const argmax: number[][] = [];
  for (let i = 0; i < ${rows}; i++) {
    y.push([]);
    argmax.push([]);
    for (let j = 0; j < Math.floor((W - size) / stride) + 1; j++) {
      let best = -Infinity;
      let at = -1;
      for (let a = 0; a < size; a++)
        for (let b = 0; b < size; b++) {
          const r = i * stride + a;
          const c = j * stride + b;
          const v = x[r][c];
          if (${better}) {
            best = v;
            at = ${index};
          }
        }
      y[i].push(best);
      argmax[i].push(at);
    }
  }
  return { y, argmax };
}`;

/** A learner's max-pool backward that hands window (i, j)'s gradient g out with `route` (r0, c0 = window corner). */
const backward = (
  route: string,
) => `function maxPoolBackward(x: number[][], size: number, stride: number, dy: number[][]): number[][] {
  const dx = x.map((row) => row.map(() => 0));
  for (let i = 0; i < dy.length; i++)
    for (let j = 0; j < dy[0].length; j++) {
      const g = dy[i][j];
      const r0 = i * stride;
      const c0 = j * stride;
      let best = -Infinity;
      for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) best = Math.max(best, x[r0 + a][c0 + b]);
      ${route}
    }
  return dx;
}`;

const EACH_CELL = 'for (let a = 0; a < size; a++) for (let b = 0; b < size; b++)';

export const CH08_WRONG: WrongSolution[] = [
  {
    id: 'max-pool',
    mistake: 'ties broken differently (the last maximum, not the first)',
    source: forward({ better: 'v >= best' }),
  },
  {
    id: 'max-pool',
    mistake: 'argmax counted inside the window, not as an index into x',
    source: forward({ index: 'a * size + b' }),
  },
  {
    id: 'max-pool',
    mistake: 'took the max without remembering where',
    source: `function maxPool(x: number[][], size: number, stride: number): { y: number[][]; argmax: number[][] } {
  const y: number[][] = [];
  for (let i = 0; i + size <= x.length; i += stride) {
    const row: number[] = [];
    for (let j = 0; j + size <= x[0].length; j += stride)
      row.push(Math.max(...x.slice(i, i + size).flatMap((r) => r.slice(j, j + size))));
    y.push(row);
  }
  return { y, argmax: [] };
}`,
  },
  {
    id: 'max-pool',
    mistake: 'took the max without remembering where',
    source: forward({ index: '[r, c] as unknown as number' }),
  },
  {
    id: 'max-pool',
    mistake: 'output size off by one',
    source: forward({ rows: 'Math.floor((x.length - size) / stride)' }),
  },
  {
    id: 'max-pool-backward',
    mistake: 'sent the gradient to every cell of the window',
    source: backward(`${EACH_CELL} dx[r0 + a][c0 + b] += g;`),
  },
  {
    id: 'max-pool-backward',
    mistake: 'spread the gradient evenly over the window',
    source: backward(`${EACH_CELL} dx[r0 + a][c0 + b] += g / (size * size);`),
  },
  {
    id: 'max-pool-backward',
    mistake: "sent it to the window's top-left",
    source: backward('dx[r0][c0] += g;'),
  },
  {
    id: 'max-pool-backward',
    mistake: 'sent the gradient to every tied maximum',
    source: backward(`${EACH_CELL} if (x[r0 + a][c0 + b] === best) dx[r0 + a][c0 + b] += g;`),
  },
  {
    id: 'max-pool-backward',
    mistake: 'ties broken differently (the last maximum, not the first)',
    source: backward(`let at = [r0, c0];
      ${EACH_CELL} if (x[r0 + a][c0 + b] >= x[at[0]][at[1]]) at = [r0 + a, c0 + b];
      dx[at[0]][at[1]] += g;`),
  },
  {
    id: 'max-pool-backward',
    mistake: 'overwrote instead of adding where windows overlap',
    source: `function maxPoolBackward(x: number[][], size: number, stride: number, dy: number[][]): number[][] {
  const W = x[0].length;
  const dx = x.map((row) => row.map(() => 0));
  const { argmax } = maxPool(x, size, stride);
  for (let i = 0; i < dy.length; i++)
    for (let j = 0; j < dy[0].length; j++) dx[Math.floor(argmax[i][j] / W)][argmax[i][j] % W] = dy[i][j];
  return dx;
}`,
  },
];
