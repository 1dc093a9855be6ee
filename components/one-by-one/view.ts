import { renderTex } from '../internal/katex-lazy.ts';
import { esc, fmt, tex } from '../internal/format.ts';
import type { OneByOneState, OneByOneView } from './state.ts';

function grid(label: string, values: ArrayLike<number>, n: number, on: number, cls = 'on'): string {
  let body = '';
  for (let r = 0; r < n; r++) {
    body += '<tr>';
    for (let c = 0; c < n; c++) {
      const k = r * n + c;
      body += `<td class="m-cell${k === on ? ` ${cls}` : ''}">${esc(fmt(values[k]!))}</td>`;
    }
    body += '</tr>';
  }
  return `<table class="matrix ob-grid" aria-label="${esc(label)}"><tbody>${body}</tbody></table>`;
}

const column = (v: readonly number[]) => `\\begin{bmatrix}${v.map((x) => tex(x)).join(' \\\\ ')}\\end{bmatrix}`;

/** The input channels, W, the per-pixel product and the output channels, with the pixel in focus marked. */
export function renderStage(s: OneByOneState, v: OneByOneView): string {
  const plane = s.n * s.n;
  const inputs = Array.from(
    { length: s.C },
    (_, c) =>
      `<figure class="ob-slice"><figcaption>x, channel ${c}</figcaption>${grid(`Input channel ${c}`, v.x.data.subarray(c * plane, (c + 1) * plane), s.n, s.step)}</figure>`,
  ).join('');
  const outputs = Array.from(
    { length: s.K },
    (_, k) =>
      `<figure class="ob-slice"><figcaption>y, channel ${k}</figcaption>${grid(`Output channel ${k}`, v.y.data.subarray(k * plane, (k + 1) * plane), s.n, s.step, 'current')}</figure>`,
  ).join('');
  const rows: string[] = [];
  for (let k = 0; k < s.K; k++)
    rows.push(Array.from({ length: s.C }, (_, c) => tex(v.wMatrix.data[k * s.C + c]!)).join(' & '));
  const W = `\\begin{bmatrix}${rows.join(' \\\\ ')}\\end{bmatrix}`;
  const { i, j } = v.pixel;
  const formula = `y[:, ${i}, ${j}] = W \\, x[:, ${i}, ${j}] = ${W} ${column(v.pixel.vector)} = ${column(v.pixel.dense)}`;
  return `<div class="ob-row"><section aria-label="Input"><p class="ob-head">Input: ${s.C} channel${s.C === 1 ? '' : 's'} of ${s.n} × ${s.n}</p><div class="ob-stack">${inputs}</div></section>
<section aria-label="Output"><p class="ob-head">Output: ${s.K} channel${s.K === 1 ? '' : 's'} of ${s.n} × ${s.n}</p><div class="ob-stack">${outputs}</div></section></div>
<p class="ob-head">The 1×1 kernels as a ${s.K} × ${s.C} matrix W, applied to the pixel’s channel vector</p>
<div class="formula">${renderTex(formula, { displayMode: true, throwOnError: false, output: 'html' })}</div>`;
}

/** One sentence for screen readers. */
export function describe(s: OneByOneState, v: OneByOneView): string {
  const { i, j, vector } = v.pixel;
  const plane = s.n * s.n;
  const conv = Array.from({ length: s.K }, (_, k) => v.y.data[k * plane + s.step]!);
  const same = conv.every((c, k) => c === v.pixel.dense[k]);
  return (
    `Pixel ${s.step + 1} of ${plane}, row ${i}, column ${j}: channel vector (${vector.map((x) => fmt(x)).join(', ')}); ` +
    `W times it gives (${conv.map((x) => fmt(x)).join(', ')}), one value per output channel` +
    `${same ? ', the same as a dense layer with weights W applied to this pixel' : ''}.`
  );
}
