import { renderTex } from '../internal/katex-lazy.ts';
import type { Conv2dTerm } from '../../src/lib/index.ts';
import { esc, fmt, tex } from '../internal/format.ts';
import type { Matrix, Stepper2dResult, Stepper2dState } from './state.ts';

/** "y[1,2]" for the current output cell. */
export function cellName(r: Stepper2dResult): string {
  return `y[${r.trace.oy},${r.trace.ox}]`;
}

function head(cols: number): string {
  let h = '<thead><tr><td class="corner"></td>';
  for (let c = 0; c < cols; c++) h += `<th scope="col">${c}</th>`;
  return `${h}</tr></thead>`;
}

/** A labelled matrix table; `cell` returns the inner HTML and extra class of each cell. */
function table(
  label: string,
  rows: number,
  cols: number,
  cell: (r: number, c: number) => { html: string; cls?: string },
): string {
  let body = '';
  for (let r = 0; r < rows; r++) {
    body += `<tr><th scope="row">${r}</th>`;
    for (let c = 0; c < cols; c++) {
      const { html, cls = '' } = cell(r, c);
      body += `<td class="m-cell ${cls}">${html}</td>`;
    }
    body += '</tr>';
  }
  return `<table class="matrix" aria-label="${esc(label)}">${head(cols)}<tbody>${body}</tbody></table>`;
}

function panel(title: string, content: string, cls = ''): string {
  return `<figure class="panel ${cls}"><figcaption>${title}</figcaption>${content}</figure>`;
}

function at(m: Matrix, r: number, c: number): number {
  return m.values[r * m.cols + c]!;
}

/** The terms of the trace by window cell, so the input table can show the weight over each input cell. */
function termsByInput(r: Stepper2dResult): Map<string, Conv2dTerm> {
  return new Map(r.trace.terms.map((t) => [`${t.iy},${t.ix}`, t]));
}

/** Input with the window, the kernel as it slides, the products, and the outputs so far. */
export function renderStage(state: Stepper2dState, r: Stepper2dResult): string {
  const { x, w } = state;
  const byInput = termsByInput(r);
  const input = table(`Input x, ${x.rows} by ${x.cols}`, x.rows, x.cols, (i, j) => {
    const t = byInput.get(`${i},${j}`);
    const v = fmt(at(x, i, j));
    return t ? { html: `<span class="v">${v}</span><span class="k">×${paren(t.w)}</span>`, cls: 'on' } : { html: v };
  });
  const { kh, kw } = { kh: w.rows, kw: w.cols };
  const sliding = (i: number, j: number) => r.trace.terms[i * kw + j]!;
  const kernel = table(`Kernel w, ${w.rows} by ${w.cols}`, w.rows, w.cols, (i, j) => ({ html: fmt(at(w, i, j)) }));
  const rotated =
    state.kind === 'convolution'
      ? panel(
          'Rotated 180° (what slides)',
          table('Kernel rotated 180 degrees', kh, kw, (i, j) => ({ html: fmt(sliding(i, j).w), cls: 'w' })),
        )
      : '';
  const products = table(`Products for ${cellName(r)}`, kh, kw, (i, j) => {
    const t = sliding(i, j);
    return {
      html: `<span class="v">${fmt(t.product)}</span><span class="k">${paren(t.x)}×${paren(t.w)}</span>`,
      cls: 'p',
    };
  });
  const kernelTitle = state.kind === 'convolution' ? 'Kernel w (as typed)' : 'Kernel w (slides as is)';
  return `
<div class="panels">
${panel(`Input x <span class="shape">${x.rows} × ${x.cols}</span>`, input, 'input')}
${panel(kernelTitle, kernel)}
${rotated}
${panel(`Products for ${cellName(r)}`, products)}
${panel(`Output y <span class="shape">${r.OH} × ${r.OW}</span>`, renderOutputs(r), 'outputs')}
</div>
<p class="sum-line">Sum of the ${r.trace.terms.length} products: <strong>${cellName(r)} = ${fmt(r.trace.sum)}</strong></p>
<div class="formula" tabindex="0" role="group" aria-label="Formula for ${cellName(r)} with its numbers">${renderTex(formulaTex(state, r), { displayMode: true, throwOnError: false, output: 'html' })}</div>`;
}

/**
 * The output grid: one real button per cell (click or Enter jumps there). Only the current cell is in the
 * tab order; arrow keys move between cells (roving tabindex), so the grid is one stop for the Tab key.
 */
export function renderOutputs(r: Stepper2dResult): string {
  const current = r.trace.oy * r.OW + r.trace.ox;
  let body = '';
  for (let i = 0; i < r.OH; i++) {
    body += '<tr>';
    for (let j = 0; j < r.OW; j++) {
      const s = i * r.OW + j;
      const v = r.y.data[s]!;
      const done = s <= current;
      const cls = s === current ? 'current' : done ? 'done' : 'todo';
      const label = done ? `y[${i},${j}] = ${fmt(v)}` : `y[${i},${j}], not computed yet: jump here`;
      body +=
        `<td class="m-cell ${cls}"><button type="button" class="out" data-step="${s}" tabindex="${s === current ? 0 : -1}" ` +
        `aria-label="${esc(label)}"${s === current ? ' aria-current="true"' : ''}>${done ? fmt(v) : '?'}</button></td>`;
    }
    body += '</tr>';
  }
  return `<table class="matrix out-grid" aria-label="Output y, ${r.OH} by ${r.OW}: choose a cell to jump to it"><tbody>${body}</tbody></table>`;
}

/** The general formula with this cell's indices, each product by name, then with numbers, then the sum. */
export function formulaTex(state: Stepper2dState, r: Stepper2dResult): string {
  const { oy, ox, terms, sum } = r.trace;
  const kw = state.w.cols;
  const kh = state.w.rows;
  const wIndex = state.kind === 'convolution' ? `w[${kh - 1}-m,\\,${kw - 1}-n]` : 'w[m,n]';
  const def = `y[${oy},${ox}] &= \\sum_{m=0}^{${kh - 1}} \\sum_{n=0}^{${kw - 1}} x[${oy}+m,\\,${ox}+n]\\,${wIndex}`;
  const lines = (fn: (t: Conv2dTerm) => string) => {
    const rows: string[] = [];
    for (let i = 0; i < kh; i++)
      rows.push(
        terms
          .slice(i * kw, (i + 1) * kw)
          .map(fn)
          .join(' + '),
      );
    return rows.map((row, i) => `${i === 0 ? '&= ' : '&\\quad + '}${row}`).join(' \\\\ ');
  };
  const symbolic = lines((t) => `x[${t.iy},${t.ix}]\\,w[${t.wy},${t.wx}]`);
  const numeric = lines((t) => `${tex(t.x, 3, true)} \\cdot ${tex(t.w, 3, true)}`);
  return `\\begin{aligned} ${def} \\\\ ${symbolic} \\\\ ${numeric} \\\\ &= ${tex(sum)} \\end{aligned}`;
}

function paren(v: number): string {
  return v < 0 ? `(${fmt(v)})` : fmt(v);
}

/** One sentence for screen readers: "Step 2 of 9: y[0,1] = 1 × 1 + 1 × 0 + … = 3." */
export function describeStep(r: Stepper2dResult): string {
  const n = r.OH * r.OW;
  const s = r.trace.oy * r.OW + r.trace.ox;
  const terms = r.trace.terms.map((t) => `${fmt(t.x)} × ${paren(t.w)}`).join(' + ');
  return `Step ${s + 1} of ${n}: ${cellName(r)} = ${terms} = ${fmt(r.trace.sum)}.`;
}
