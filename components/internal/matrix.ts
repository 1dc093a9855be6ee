import { esc, fmt } from './format.ts';

export interface MatrixOptions {
  /** Accessible name of the table ("input image", "kernel"). */
  label: string;
  /** Extra CSS class per cell, e.g. to mark the window under the kernel: (row, col) -> class or ''. */
  cellClass?: (row: number, col: number) => string;
  /** Replaces a cell's text (e.g. '?' for outputs not computed yet). */
  cellText?: (row: number, col: number, value: number) => string;
  /** Adds data-row/data-col and makes cells focusable buttons-in-a-grid for "jump to cell" widgets. */
  interactive?: boolean;
  /** Decimals for non-integers. */
  digits?: number;
  /** Show row/column index headers. */
  indices?: boolean;
}

/**
 * Renders a matrix of numbers as an HTML table string (used at build time and in the browser).
 * @param values row-major values, shape [rows, cols]
 */
export function renderMatrix(values: ArrayLike<number>, rows: number, cols: number, opts: MatrixOptions): string {
  const head = opts.indices
    ? `<thead><tr><td></td>${Array.from({ length: cols }, (_, c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>`
    : '';
  let body = '';
  for (let r = 0; r < rows; r++) {
    body += '<tr>';
    if (opts.indices) body += `<th scope="row">${r}</th>`;
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c]!;
      const cls = opts.cellClass?.(r, c) ?? '';
      const text = opts.cellText ? opts.cellText(r, c, v) : fmt(v, opts.digits ?? 3);
      const attrs = opts.interactive ? ` data-row="${r}" data-col="${c}" tabindex="-1"` : '';
      body += `<td class="m-cell ${cls}"${attrs}>${esc(text)}</td>`;
    }
    body += '</tr>';
  }
  return `<table class="matrix" aria-label="${esc(opts.label)}">${head}<tbody>${body}</tbody></table>`;
}
