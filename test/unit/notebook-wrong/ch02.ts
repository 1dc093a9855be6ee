/** Chapter 2's wrong solutions: grayscale from RGB. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

/** A grayscale with these three weights on R, G, B, written the way a learner would. */
const weights = (wr: string, wg: string, wb: string) => `function grayscale(rgb: number[][][]): number[][] {
  const [r, g, b] = rgb;
  const out: number[][] = [];
  for (let i = 0; i < r.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < r[0].length; j++) row.push(${wr} * r[i][j] + ${wg} * g[i][j] + ${wb} * b[i][j]);
    out.push(row);
  }
  return out;
}`;

export const CH02_WRONG: WrongSolution[] = [
  {
    id: 'grayscale',
    mistake: 'plain average of the channels',
    source: `function grayscale(rgb: number[][][]): number[][] {
  const [r, g, b] = rgb;
  return r.map((row, i) => row.map((v, j) => (v + g[i][j] + b[i][j]) / 3));
}`,
  },
  { id: 'grayscale', mistake: 'channels in the wrong order (BGR)', source: weights('0.114', '0.587', '0.299') },
  { id: 'grayscale', mistake: 'the BT.709 weights instead of BT.601', source: weights('0.2126', '0.7152', '0.0722') },
  { id: 'grayscale', mistake: 'the BT.709 weights instead of BT.601', source: weights('0.2125', '0.7154', '0.0721') },
  {
    id: 'grayscale',
    mistake: 'rounded to whole numbers',
    source: `function grayscale(rgb: number[][][]): number[][] {
  const [r, g, b] = rgb;
  return r.map((row, i) => row.map((v, j) => Math.round(0.299 * v + 0.587 * g[i][j] + 0.114 * b[i][j])));
}`,
  },
  {
    id: 'grayscale',
    mistake: 'rows and columns swapped',
    source: `function grayscale(rgb: number[][][]): number[][] {
  const [r, g, b] = rgb;
  const out: number[][] = [];
  for (let j = 0; j < r[0].length; j++) {
    const col: number[] = [];
    for (let i = 0; i < r.length; i++) col.push(0.299 * r[i][j] + 0.587 * g[i][j] + 0.114 * b[i][j]);
    out.push(col);
  }
  return out;
}`,
  },
  {
    id: 'grayscale',
    mistake: 'kept the channel axis ([1][H][W])',
    source: `function grayscale(rgb: number[][][]): number[][][] {
  const [r, g, b] = rgb;
  return [r.map((row, i) => row.map((v, j) => 0.299 * v + 0.587 * g[i][j] + 0.114 * b[i][j]))];
}`,
  },
];
