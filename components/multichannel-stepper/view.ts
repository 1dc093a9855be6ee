import { renderTex } from '../internal/katex-lazy.ts';
import { conv2d, conv2dTrace, type Conv2dTrace } from '../../src/lib/index.ts';
import { esc, fmt, tex } from '../internal/format.ts';
import { decodeStep, stepCount, tensors, type MultiChannelState } from './state.ts';

/** What one state shows: the whole output (for cells already computed) and the trace of the current cell. */
export interface StepView {
  /** Output values, row-major [K, OH, OW]. */
  y: Float64Array;
  OH: number;
  OW: number;
  /** Current output cell and sub-step: channel c, or the bias when c === C. */
  pos: { k: number; oy: number; ox: number; c: number };
  trace: Conv2dTrace;
  total: number;
}

/** Runs the engine for a state the element has already validated (the same call at build time and in the browser). */
export function computeView(s: MultiChannelState): StepView {
  const { x, w, b, opts } = tensors(s);
  const y = conv2d(x, w, b, opts);
  const [, OH, OW] = y.shape as [number, number, number];
  const total = stepCount(s, OH, OW);
  const pos = decodeStep({ ...s, step: Math.min(s.step, total - 1) }, OH, OW);
  return { y: y.data, OH, OW, pos, trace: conv2dTrace(x, w, b, opts, pos.k, pos.oy, pos.ox), total };
}

/** A value as an announcement reads it: negative numbers in parentheses after an operator. */
function paren(v: number): string {
  return v < 0 ? `(${fmt(v)})` : fmt(v);
}

/** "y[0, 1, 2]": filter (output channel), row, column. */
export function cellName(k: number, oy: number, ox: number): string {
  return `y[${k}, ${oy}, ${ox}]`;
}

/** The running total after the current sub-step: partial sums of channels 0..c, plus the bias on the last step. */
function runningTotal(v: StepView, C: number): number {
  const { trace, pos } = v;
  const partials = trace.partialSums.slice(0, Math.min(pos.c + 1, C)).reduce((a, p) => a + p, 0);
  return pos.c === C ? partials + trace.bias : partials;
}

/** One sentence for screen readers, with every number of the current sub-step. */
export function describeStep(s: MultiChannelState, v: StepView): string {
  const { pos, trace } = v;
  const head = `Step ${s.step + 1} of ${v.total}: ${cellName(pos.k, pos.oy, pos.ox)}`;
  if (pos.c < s.C) {
    const terms = trace.terms.filter((t) => t.c === pos.c);
    const products = terms.map((t) => `${fmt(t.x)} × ${paren(t.w)}`).join(' + ');
    const partial = trace.partialSums[pos.c]!;
    const running = pos.c > 0 ? ` Running total ${fmt(runningTotal(v, s.C))}.` : '';
    return `${head}, input channel ${pos.c}: ${products} = ${fmt(partial)}.${running}`;
  }
  const sums = trace.partialSums.map(paren).join(' + ');
  return `${head} = ${sums} + bias ${paren(trace.bias)} = ${fmt(trace.sum)}.`;
}

interface GridOptions {
  label: string;
  /** Index shown above column j / beside row i (the input's own coordinates, so padding reads -1). */
  rowBase?: number;
  colBase?: number;
  cls?: (r: number, c: number) => string;
  text?: (r: number, c: number, v: number) => string;
}

/** A small number table with index headers (headers keep large tables readable by screen readers too). */
function grid(values: ArrayLike<number>, rows: number, cols: number, o: GridOptions): string {
  const rb = o.rowBase ?? 0;
  const cb = o.colBase ?? 0;
  const head = Array.from({ length: cols }, (_, c) => `<th scope="col">${fmt(c + cb)}</th>`).join('');
  let body = '';
  for (let r = 0; r < rows; r++) {
    body += `<tr><th scope="row">${fmt(r + rb)}</th>`;
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c]!;
      const text = o.text ? o.text(r, c, v) : fmt(v);
      body += `<td class="m-cell ${o.cls?.(r, c) ?? ''}">${esc(text)}</td>`;
    }
    body += '</tr>';
  }
  return `<table class="matrix mc-grid" aria-label="${esc(o.label)}"><thead><tr><td></td>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function inputVolume(s: MultiChannelState, v: StepView): string {
  const { trace, pos } = v;
  const p = s.padding;
  const size = s.n + 2 * p;
  const inWindow = (r: number, c: number) => {
    const iy = r - p - trace.top;
    const ix = c - p - trace.left;
    return iy >= 0 && iy < s.k && ix >= 0 && ix < s.k;
  };
  const slices = Array.from({ length: s.C }, (_, ch) => {
    const padded = new Float64Array(size * size);
    for (let i = 0; i < s.n; i++)
      for (let j = 0; j < s.n; j++) padded[(i + p) * size + j + p] = s.x[(ch * s.n + i) * s.n + j]!;
    const state = ch === pos.c ? 'on' : ch < pos.c ? 'was' : '';
    const table = grid(padded, size, size, {
      label: `Input channel ${ch}${p > 0 ? ` with padding ${p}` : ''}`,
      rowBase: -p,
      colBase: -p,
      cls: (r, c) => {
        const isPad = r < p || r >= p + s.n || c < p || c >= p + s.n;
        return [isPad ? 'pad' : '', inWindow(r, c) ? state : ''].join(' ');
      },
    });
    return `<figure class="mc-slice${ch === pos.c ? ' active' : ''}"><figcaption>channel ${ch}</figcaption>${table}</figure>`;
  }).join('');
  return `<section class="mc-vol" aria-label="Input volume"><p class="mc-head">Input x: ${s.n}×${s.n}×${s.C}${p > 0 ? `, padding ${p}` : ''}</p><div class="mc-stack">${slices}</div></section>`;
}

function filters(s: MultiChannelState, v: StepView): string {
  const { pos } = v;
  const plane = s.k * s.k;
  return Array.from({ length: s.K }, (_, f) => {
    const kernels = Array.from({ length: s.C }, (_, ch) => {
      const values = s.w.slice((f * s.C + ch) * plane, (f * s.C + ch + 1) * plane);
      const state = f !== pos.k ? '' : ch === pos.c ? 'on' : ch < pos.c ? 'was' : '';
      const table = grid(values, s.k, s.k, { label: `Filter ${f}, kernel for channel ${ch}`, cls: () => state });
      return `<figure class="mc-slice${f === pos.k && ch === pos.c ? ' active' : ''}"><figcaption>w${f} · channel ${ch}</figcaption>${table}</figure>`;
    }).join('');
    const biasOn = f === pos.k && pos.c === s.C;
    return `<div class="mc-filter${f === pos.k ? ' current' : ''}"><p class="mc-head">Filter ${f} (${s.k}×${s.k}×${s.C}) <span class="mc-bias${biasOn ? ' on' : ''}">bias b${f} = ${fmt(s.b[f]!)}</span></p><div class="mc-stack">${kernels}</div></div>`;
  }).join('');
}

function outputVolume(s: MultiChannelState, v: StepView): string {
  const { OH, OW, pos } = v;
  const current = (pos.k * OH + pos.oy) * OW + pos.ox;
  const running = runningTotal(v, s.C);
  const slices = Array.from({ length: s.K }, (_, f) => {
    const values = v.y.subarray(f * OH * OW, (f + 1) * OH * OW);
    const index = (r: number, c: number) => (f * OH + r) * OW + c;
    const table = grid(values, OH, OW, {
      label: `Output channel ${f} (from filter ${f})`,
      cls: (r, c) => (index(r, c) === current ? 'current' : index(r, c) > current ? 'todo' : ''),
      text: (r, c, val) => (index(r, c) === current ? fmt(running) : index(r, c) > current ? '?' : fmt(val)),
    });
    return `<figure class="mc-slice${f === pos.k ? ' active' : ''}"><figcaption>channel ${f}</figcaption>${table}</figure>`;
  }).join('');
  return `<section class="mc-vol" aria-label="Output volume"><p class="mc-head">Output y: ${OH}×${OW}×${s.K}</p><div class="mc-stack">${slices}</div></section>`;
}

/** The partial sum of each channel, the bias and the total, filled in as the walk reaches them. */
function sumTable(s: MultiChannelState, v: StepView): string {
  const { trace, pos } = v;
  // Short headers (the caption says what they are) so the table fits a phone without scrolling.
  const heads = trace.partialSums.map((_, c) => `<th scope="col">ch ${c}</th>`).join('');
  const cells = trace.partialSums
    .map((p, c) => `<td class="cell${c === pos.c ? ' now' : ''}">${c <= pos.c ? fmt(p) : '…'}</td>`)
    .join('');
  const done = pos.c === s.C;
  return `<div class="mc-sum-wrap"><table class="mc-sum"><caption>${esc(cellName(pos.k, pos.oy, pos.ox))}: one partial sum per input channel, then the bias</caption>
<thead><tr>${heads}<th scope="col">bias</th><th scope="col">sum</th></tr></thead>
<tbody><tr>${cells}<td class="cell${done ? ' now' : ''}">${done ? fmt(trace.bias) : '…'}</td><td class="cell${done ? ' now' : ''}">${done ? fmt(trace.sum) : '…'}</td></tr></tbody></table></div>`;
}

function formulaTex(s: MultiChannelState, v: StepView): string {
  const { trace, pos } = v;
  const name = `y[${pos.k},${pos.oy},${pos.ox}]`;
  if (pos.c < s.C) {
    const terms = trace.terms.filter((t) => t.c === pos.c);
    const numeric = terms.map((t) => `${tex(t.x, 3, true)}\\cdot${tex(t.w, 3, true)}`).join(' + ');
    const at = `x[${pos.c},\\,${shifted('i', trace.top)},\\,${shifted('j', trace.left)}]`;
    return `p_{${pos.c}} = \\sum_{i,j} ${at}\\,w_{${pos.k}}[${pos.c},i,j] = ${numeric} = ${tex(trace.partialSums[pos.c]!)}`;
  }
  const sums = trace.partialSums.map((p) => tex(p, 3, true)).join(' + ');
  const symbols = trace.partialSums.map((_, c) => `p_{${c}}`).join(' + ');
  return `${name} = ${symbols} + b_{${pos.k}} = ${sums} + ${tex(trace.bias, 3, true)} = ${tex(trace.sum)}`;
}

/** "i - 1", "i", "i + 2": a window index shifted to input coordinates. */
function shifted(sym: string, offset: number): string {
  return offset === 0 ? sym : offset > 0 ? `${sym}+${offset}` : `${sym}-${-offset}`;
}

/** The stage: input volume with the window, the filters with the active kernel, the output volume, and the sums. */
export function renderStage(s: MultiChannelState, v: StepView): string {
  // Inline mode on purpose: KaTeX may break an inline formula after + and =, so nine products wrap on a phone.
  const formula = renderTex(formulaTex(s, v), { displayMode: false, throwOnError: false, output: 'html' });
  return `<div class="mc-volumes">${inputVolume(s, v)}<section class="mc-vol" aria-label="Filters">${filters(s, v)}</section>${outputVolume(s, v)}</div>
${sumTable(s, v)}<div class="formula">${formula}</div>`;
}

/** A k x k block of numbers as the editor shows it: one row per line. */
export function matrixText(values: readonly number[], rows: number, cols: number): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++)
    lines.push(
      values
        .slice(r * cols, (r + 1) * cols)
        .map((x) => fmt(x).replace('\u2212', '-'))
        .join(' '),
    );
  return lines.join('\n');
}

function textarea(id: string, label: string, value: string, rows: number, data: string): string {
  return `<div class="field mc-edit"><label for="${id}">${esc(label)}</label><textarea id="${id}" rows="${rows}" spellcheck="false" autocomplete="off" ${data} aria-describedby="${id}-error">${esc(value)}</textarea><p class="field-error" id="${id}-error" role="alert" hidden></p></div>`;
}

/** Text areas for every input channel, every kernel and the biases, filled from the state. */
export function renderEditor(id: string, s: MultiChannelState): string {
  const plane = s.n * s.n;
  const kplane = s.k * s.k;
  const inputs = Array.from({ length: s.C }, (_, c) =>
    textarea(
      `${id}-x${c}`,
      `Input channel ${c}`,
      matrixText(s.x.slice(c * plane, (c + 1) * plane), s.n, s.n),
      s.n,
      `data-field="x" data-c="${c}"`,
    ),
  ).join('');
  const kernels = Array.from({ length: s.K * s.C }, (_, i) => {
    const f = Math.floor(i / s.C);
    const c = i % s.C;
    return textarea(
      `${id}-w${f}-${c}`,
      `Filter ${f}, channel ${c}`,
      matrixText(s.w.slice(i * kplane, (i + 1) * kplane), s.k, s.k),
      s.k,
      `data-field="w" data-k="${f}" data-c="${c}"`,
    );
  }).join('');
  const bias = `<div class="field mc-edit"><label for="${id}-b">Biases b0…b${s.K - 1}</label><input type="text" id="${id}-b" value="${esc(s.b.map((x) => fmt(x).replace('\u2212', '-')).join(', '))}" data-field="b" autocomplete="off" spellcheck="false" aria-describedby="${id}-b-error"><p class="field-error" id="${id}-b-error" role="alert" hidden></p></div>`;
  return `<div class="mc-editor-group"><p class="mc-head">Input x (${s.n} rows of ${s.n} per channel)</p><div class="mc-editor-grid">${inputs}</div></div>
<div class="mc-editor-group"><p class="mc-head">Filters (${s.k} rows of ${s.k} per channel) and biases</p><div class="mc-editor-grid">${kernels}${bias}</div></div>`;
}
