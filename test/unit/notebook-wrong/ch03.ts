/** Chapter 3's wrong solutions: 2D cross-correlation and true 2D convolution. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

/**
 * The valid 2D loops of a learner, with the kernel entry each pixel meets (`kernel`, in terms of m, n, kh, kw),
 * the output loop bounds (`rows`, `cols`) and the place the sum is written (`write`) left open.
 */
function loops(
  fn: string,
  kernel: string,
  { rows = 'x.length - kh + 1', cols = 'x[0].length - kw + 1', transposed = false } = {},
): string {
  const out = transposed
    ? `const y: number[][] = Array.from({ length: ${cols} }, () => new Array(${rows}).fill(0));`
    : `const y: number[][] = Array.from({ length: ${rows} }, () => new Array(${cols}).fill(0));`;
  return `function ${fn}(x: number[][], k: number[][]): number[][] {
  const kh = k.length;
  const kw = k[0].length;
  ${out}
  for (let i = 0; i < ${rows}; i++)
    for (let j = 0; j < ${cols}; j++) {
      let s = 0;
      for (let m = 0; m < kh; m++) for (let n = 0; n < kw; n++) s += x[i + m][j + n] * ${kernel};
      ${transposed ? 'y[j][i]' : 'y[i][j]'} = s;
    }
  return y;
}`;
}

const PLAIN = 'k[m][n]';
const ROTATED = 'k[kh - 1 - m][kw - 1 - n]';

export const CH03_WRONG: WrongSolution[] = [
  { id: 'corr2d', mistake: 'flipped the kernel when it should not', source: loops('corr2d', ROTATED) },
  { id: 'corr2d', mistake: 'flipped only one axis', source: loops('corr2d', 'k[kh - 1 - m][n]') },
  { id: 'corr2d', mistake: 'flipped only one axis', source: loops('corr2d', 'k[m][kw - 1 - n]') },
  { id: 'corr2d', mistake: 'transposed result', source: loops('corr2d', PLAIN, { transposed: true }) },
  {
    id: 'corr2d',
    mistake: 'output size off by one',
    source: loops('corr2d', PLAIN, { rows: 'x.length - kh', cols: 'x[0].length - kw' }),
  },
  { id: 'conv2d-true', mistake: 'forgot the flip', source: loops('conv2dTrue', PLAIN) },
  { id: 'conv2d-true', mistake: 'flipped only one axis', source: loops('conv2dTrue', 'k[m][kw - 1 - n]') },
  { id: 'conv2d-true', mistake: 'flipped only one axis', source: loops('conv2dTrue', 'k[kh - 1 - m][n]') },
  { id: 'conv2d-true', mistake: 'transposed result', source: loops('conv2dTrue', ROTATED, { transposed: true }) },
  {
    id: 'conv2d-true',
    mistake: 'output size off by one',
    source: loops('conv2dTrue', ROTATED, { rows: 'x.length - kh' }),
  },
  {
    id: 'conv2d-true',
    mistake: 'changed its input',
    source: `function conv2dTrue(x: number[][], k: number[][]): number[][] {
  k.reverse(); // rotates the caller's kernel in place
  for (const row of k) row.reverse();
  const y: number[][] = [];
  for (let i = 0; i + k.length <= x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j + k[0].length <= x[0].length; j++) {
      let s = 0;
      for (let m = 0; m < k.length; m++) for (let n = 0; n < k[0].length; n++) s += x[i + m][j + n] * k[m][n];
      row.push(s);
    }
    y.push(row);
  }
  return y;
}`,
  },
];
