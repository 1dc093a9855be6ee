import { renderTex } from '../internal/katex-lazy.ts';
import {
  conv2dGemm,
  im2col,
  im2colColumn,
  matmul,
  tensor,
  type Im2colColumn,
  type Tensor,
} from '../../src/lib/index.ts';
import { esc, fmt, tex } from '../internal/format.ts';
import { tensors, type Im2colState } from './state.ts';

/** Everything one state shows, computed by the engine (the same call at build time and in the browser). */
export interface Im2colView {
  /** The patch matrix [R, P], R = C·k·k, P = OH·OW. */
  cols: Tensor;
  /** The kernels as rows [K, R]. */
  wRows: Tensor;
  /** W · cols [K, P]. */
  product: Tensor;
  /** conv2dGemm(x, w) [K, OH, OW]: the product's rows reshaped. */
  y: Tensor;
  x: Tensor;
  OH: number;
  OW: number;
  R: number;
  P: number;
  /** Every column's window (for the padding marks), the current one at `step`. */
  columns: Im2colColumn[];
}

export function computeView(s: Im2colState): Im2colView {
  const { x, w, opts } = tensors(s);
  const cols = im2col(x, s.k, opts);
  const [R, P] = cols.shape as [number, number];
  const wRows = tensor([s.K, R], w.data);
  const product = matmul(wRows, cols);
  const y = conv2dGemm(x, w, null, opts);
  const [, OH, OW] = y.shape as [number, number, number];
  const columns = Array.from({ length: P }, (_, j) => im2colColumn(x, s.k, opts, j));
  return { cols, wRows, product, y, x, OH, OW, R, P, columns };
}

/** "c,ky,kx" (or "ky,kx" for one channel): the kernel cell a patch-matrix row meets. */
function rowLabel(s: Im2colState, r: number): string {
  const c = Math.floor(r / (s.k * s.k));
  const ky = Math.floor(r / s.k) % s.k;
  const kx = r % s.k;
  return s.C === 1 ? `${ky},${kx}` : `${c},${ky},${kx}`;
}

function table(
  label: string,
  rows: number,
  cols: number,
  cell: (r: number, c: number) => { text: string; cls: string },
  rowHead: (r: number) => string,
  colHead: (c: number) => string,
): string {
  const head = Array.from({ length: cols }, (_, c) => `<th scope="col">${esc(colHead(c))}</th>`).join('');
  let body = '';
  for (let r = 0; r < rows; r++) {
    body += `<tr><th scope="row">${esc(rowHead(r))}</th>`;
    for (let c = 0; c < cols; c++) {
      const { text, cls } = cell(r, c);
      body += `<td class="m-cell ${cls}">${esc(text)}</td>`;
    }
    body += '</tr>';
  }
  return `<table class="matrix ic-grid" aria-label="${esc(label)}"><thead><tr><td></td>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A wide matrix scrolls sideways in its own box, focusable so a keyboard can scroll it too. */
function scroller(label: string, inner: string): string {
  return `<div class="ic-scroll" tabindex="0" role="group" aria-label="${esc(label)}">${inner}</div>`;
}

function inputVolume(s: Im2colState, v: Im2colView): string {
  const col = v.columns[s.step]!;
  const taps = new Set(col.entries.map((e) => `${e.c}:${e.iy}:${e.ix}`));
  const p = s.padding;
  const size = s.n + 2 * p;
  const slices = Array.from({ length: s.C }, (_, c) => {
    const grid = table(
      `Input channel ${c}${p ? ` with padding ${p}` : ''}`,
      size,
      size,
      (r, q) => {
        const iy = r - p;
        const ix = q - p;
        const pad = iy < 0 || iy >= s.n || ix < 0 || ix >= s.n;
        const on = taps.has(`${c}:${iy}:${ix}`);
        return {
          text: pad ? '0' : fmt(v.x.data[(c * s.n + iy) * s.n + ix]!),
          cls: `${pad ? 'pad' : ''} ${on ? 'on' : ''}`,
        };
      },
      (r) => fmt(r - p),
      (q) => fmt(q - p),
    );
    return `<figure class="ic-slice"><figcaption>x, channel ${c}</figcaption>${grid}</figure>`;
  }).join('');
  return `<section class="ic-part" aria-label="Input"><p class="ic-head">Input x: ${s.C} × ${s.n} × ${s.n}${p ? `, padding ${p}` : ''}</p><div class="ic-stack">${slices}</div></section>`;
}

function patchMatrix(s: Im2colState, v: Im2colView): string {
  return table(
    `Patch matrix, ${v.R} rows by ${v.P} columns`,
    v.R,
    v.P,
    (r, j) => {
      if (j > s.step) return { text: '·', cls: 'todo' };
      const pad = v.columns[j]!.entries[r]!.inPadding;
      return { text: fmt(v.cols.data[r * v.P + j]!), cls: `${pad ? 'pad' : ''} ${j === s.step ? 'on' : ''}` };
    },
    (r) => rowLabel(s, r),
    (j) => String(j),
  );
}

function kernelRows(s: Im2colState, v: Im2colView): string {
  return table(
    `Kernels as rows, ${s.K} by ${v.R}`,
    s.K,
    v.R,
    (k, r) => ({ text: fmt(v.wRows.data[k * v.R + r]!), cls: '' }),
    (k) => `w${k}`,
    (r) => rowLabel(s, r),
  );
}

function productMatrix(s: Im2colState, v: Im2colView): string {
  return table(
    `Product W times cols, ${s.K} by ${v.P}`,
    s.K,
    v.P,
    (k, j) =>
      j > s.step
        ? { text: '?', cls: 'todo' }
        : { text: fmt(v.product.data[k * v.P + j]!), cls: j === s.step ? 'current' : '' },
    (k) => `w${k}`,
    (j) => String(j),
  );
}

function outputMaps(s: Im2colState, v: Im2colView): string {
  const maps = Array.from({ length: s.K }, (_, k) => {
    const grid = table(
      `Output map ${k}, ${v.OH} by ${v.OW}`,
      v.OH,
      v.OW,
      (r, c) => {
        const j = r * v.OW + c;
        return j > s.step
          ? { text: '?', cls: 'todo' }
          : { text: fmt(v.y.data[k * v.P + j]!), cls: j === s.step ? 'current' : '' };
      },
      (r) => String(r),
      (c) => String(c),
    );
    return `<figure class="ic-slice"><figcaption>y, map ${k}</figcaption>${grid}</figure>`;
  }).join('');
  return `<div class="ic-stack">${maps}</div>`;
}

/** Each filter's dot product with the current column, nonzero products written out, one line per filter. */
function formulaLines(s: Im2colState, v: Im2colView): string[] {
  const j = s.step;
  return Array.from({ length: s.K }, (_, k) => {
    const terms: string[] = [];
    for (let r = 0; r < v.R; r++) {
      const a = v.wRows.data[k * v.R + r]!;
      const b = v.cols.data[r * v.P + j]!;
      if (a !== 0 && b !== 0) terms.push(`${tex(a, 3, true)}\\cdot${tex(b, 3, true)}`);
    }
    const sum = terms.length ? terms.join(' + ') : '0';
    return `y[${k},${j}] = w_{${k}} \\cdot \\mathrm{cols}[:,${j}] = ${sum} = ${tex(v.product.data[k * v.P + j]!)}`;
  });
}

/** One sentence for screen readers with the numbers of the current step. */
export function describeStep(s: Im2colState, v: Im2colView): string {
  const col = v.columns[s.step]!;
  const pads = col.entries.filter((e) => e.inPadding).length;
  const outs = Array.from(
    { length: s.K },
    (_, k) => `filter ${k} gives ${fmt(v.product.data[k * v.P + s.step]!)}`,
  ).join(', ');
  return (
    `Column ${s.step + 1} of ${v.P}: the window of output row ${col.oy}, column ${col.ox} becomes column ${s.step} of the patch matrix ` +
    `(${v.R} values${pads ? `, ${pads} from the padding` : ''}); ${outs}.`
  );
}

/** The stage: input with the window, the patch matrix filling column by column, the kernels, the product, the maps. */
export function renderStage(s: Im2colState, v: Im2colView): string {
  // Inline KaTeX on purpose: it may break after + and =, so a long dot product wraps on a phone.
  const formula = formulaLines(s, v)
    .map((line) => `<p>${renderTex(line, { displayMode: false, throwOnError: false, output: 'html' })}</p>`)
    .join('');
  const shapes =
    `Patch matrix [C·kh·kw, OH·OW] = [${v.R}, ${v.P}] · kernels as rows [K, C·kh·kw] = [${s.K}, ${v.R}] · ` +
    `product [${s.K}, ${v.P}], each row reshaped to a ${v.OH} × ${v.OW} map.`;
  return `<p class="ic-shapes">${esc(shapes)}</p>
<p class="ic-legend"><span class="key on"></span> the current window and its column <span class="key pad"></span> zero padding (multiplied like any other entry) <span class="key todo"></span> not computed yet</p>
${inputVolume(s, v)}
<section class="ic-part" aria-label="Patch matrix"><p class="ic-head">Patch matrix cols = im2col(x): one column per window, rows labelled ${s.C === 1 ? 'ky,kx' : 'c,ky,kx'}</p>${scroller('Patch matrix (scrolls sideways)', patchMatrix(s, v))}</section>
<section class="ic-part" aria-label="Kernels"><p class="ic-head">Kernels as rows W (each filter flattened in the same order)</p>${scroller('Kernel rows (scrolls sideways)', kernelRows(s, v))}</section>
<section class="ic-part" aria-label="Product"><p class="ic-head">W · cols, one column per output position</p>${scroller('Product (scrolls sideways)', productMatrix(s, v))}</section>
<section class="ic-part" aria-label="Output maps"><p class="ic-head">Output y: ${s.K} × ${v.OH} × ${v.OW} (the rows of the product, reshaped)</p>${outputMaps(s, v)}</section>
<div class="formula ic-formula">${formula}</div>
<p class="hint">Products with a zero factor are left out of the sums.</p>`;
}
