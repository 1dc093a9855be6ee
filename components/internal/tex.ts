import { renderTex } from './katex-lazy.ts';
import { tex } from './format.ts';

/**
 * A matrix in TeX (bmatrix); `boxed(i)` frames entry i (flat, row-major), e.g. the cells that receive a gradient.
 * @param values row-major, shape [rows, cols]
 */
export function texMatrix(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  boxed?: (i: number) => boolean,
): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < cols; c++) {
      const s = tex(values[r * cols + c]!);
      row.push(boxed?.(r * cols + c) ? `\\boxed{${s}}` : s);
    }
    lines.push(row.join(' & '));
  }
  return `\\begin{bmatrix}${lines.join(' \\\\ ')}\\end{bmatrix}`;
}

/** KaTeX to HTML at build time (display style). */
export function display(src: string): string {
  return renderTex(src, { displayMode: true, throwOnError: true, output: 'html' });
}

/** Largest absolute difference between two equally long arrays (0 means the two routes agree exactly). */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxDifference: lengths ${a.length} and ${b.length} differ.`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
