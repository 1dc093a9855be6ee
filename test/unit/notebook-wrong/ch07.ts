/** Chapter 7's wrong solutions: ReLU forward and backward. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

const forward = (rule: string) => `function relu(x: number[][][]): number[][][] {
  return x.map((map) => map.map((row) => row.map((v) => ${rule})));
}`;

const backward = (rule: string) => `function reluBackward(x: number[][][], dy: number[][][]): number[][][] {
  return x.map((map, c) =>
    map.map((row, i) =>
      row.map((v, j) => {
        const g = dy[c][i][j];
        return ${rule};
      }),
    ),
  );
}`;

export const CH07_WRONG: WrongSolution[] = [
  { id: 'relu', mistake: 'used Math.min instead of Math.max', source: forward('Math.min(0, v)') },
  { id: 'relu', mistake: 'returned the mask instead of the values', source: forward('(v > 0 ? 1 : 0)') },
  {
    id: 'relu',
    mistake: 'changed its input',
    source: `function relu(x: number[][][]): number[][][] {
  // in place, like x[x < 0] = 0 in NumPy
  for (const map of x) for (const row of map) for (let j = 0; j < row.length; j++) if (row[j] < 0) row[j] = 0;
  return x;
}`,
  },
  { id: 'relu-backward', mistake: 'masked by dy instead of x', source: backward('g > 0 ? g : 0') },
  { id: 'relu-backward', mistake: 'passed the gradient through unmasked', source: backward('g') },
  { id: 'relu-backward', mistake: 'gradient 1 at x = 0', source: backward('v >= 0 ? g : 0') },
  { id: 'relu-backward', mistake: 'returned the mask without multiplying by dy', source: backward('v > 0 ? 1 : 0') },
  {
    id: 'relu-backward',
    mistake: 'changed its input',
    source: `function reluBackward(x: number[][][], dy: number[][][]): number[][][] {
  dy.forEach((map, c) => map.forEach((row, i) => row.forEach((_, j) => { if (x[c][i][j] <= 0) row[j] = 0; })));
  return dy;
}`,
  },
];
