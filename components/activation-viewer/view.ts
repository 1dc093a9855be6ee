import { activations } from '../../src/lib/index.ts';
import { esc, fmt } from '../internal/format.ts';
import { heatmapLegend, renderHeatmap } from '../internal/heatmap.ts';
import type { Deflate } from '../internal/png.ts';
import { KERNELS, type ActivationViewerState, type Maps } from './state.ts';

/** Half the side of the number patch shown around the focused cell (5 x 5). */
const PATCH = 2;

/** "ReLU", "Leaky ReLU (slope 0.1)", ... */
export function activationLabel(s: ActivationViewerState): string {
  const base = activations[s.activation].label;
  return s.activation === 'leakyRelu' ? `${base} (slope ${fmt(s.alpha)})` : base;
}

function at(m: Maps, which: 'z' | 'a', row: number, col: number): number {
  return m[which].data[row * m.cols + col]!;
}

/** What the activation did to one value, in words. */
function effect(s: ActivationViewerState, z: number, a: number): string {
  if (s.activation === 'identity') return 'unchanged';
  if (z < 0 && a === 0) return 'negative, set to 0';
  if (z < 0 && s.activation === 'leakyRelu') return `negative, scaled by ${fmt(s.alpha)}`;
  if (z === a) return 'kept as it is';
  return 'squashed';
}

/** One sentence for the live region: the focused cell before and after. */
export function describeCell(s: ActivationViewerState, m: Maps): string {
  const z = at(m, 'z', s.row, s.col);
  const a = at(m, 'a', s.row, s.col);
  return `Row ${s.row}, column ${s.col}: before ${fmt(z, 2)}, after ${activationLabel(s)} ${fmt(a, 2)} (${effect(s, z, a)}).`;
}

/** How the whole map changed: how many values were negative and what happened to them. */
export function describeMap(s: ActivationViewerState, m: Maps): string {
  const n = m.z.data.length;
  let neg = 0;
  let negAfter = 0;
  for (let i = 0; i < n; i++) {
    if (m.z.data[i]! < 0) neg++;
    if (m.a.data[i]! < 0) negAfter++;
  }
  const head = `${neg} of ${n} values are negative before the activation`;
  switch (s.activation) {
    case 'relu':
      return `${head}; ReLU sets all ${neg} to 0 and keeps the other ${n - neg} unchanged.`;
    case 'leakyRelu':
      return `${head}; leaky ReLU multiplies them by ${fmt(s.alpha)}, so ${negAfter} stay negative but small.`;
    case 'sigmoid':
      return `${head}; sigmoid maps every value into (0, 1), so none is negative after it and 0 becomes 0.5.`;
    case 'tanh':
      return `${head}; tanh keeps their sign (${negAfter} negative after it) but squashes everything into (−1, 1).`;
    default:
      return `${head}; the identity changes nothing: ${negAfter} are still negative.`;
  }
}

/** A (2·PATCH+1)² window of numbers around the focused cell, coloured by sign. */
function patch(m: Maps, which: 'z' | 'a', s: ActivationViewerState, label: string): string {
  const r0 = Math.max(0, Math.min(m.rows - 2 * PATCH - 1, s.row - PATCH));
  const c0 = Math.max(0, Math.min(m.cols - 2 * PATCH - 1, s.col - PATCH));
  const size = 2 * PATCH + 1;
  const head = Array.from({ length: size }, (_, j) => `<th scope="col">${c0 + j}</th>`).join('');
  let body = '';
  for (let i = 0; i < size; i++) {
    const r = r0 + i;
    body += `<tr><th scope="row">${r}</th>`;
    for (let j = 0; j < size; j++) {
      const c = c0 + j;
      const v = at(m, which, r, c);
      const sign = v < 0 ? 'neg' : v > 0 ? 'pos' : 'zero';
      const current = r === s.row && c === s.col ? ' av-focus' : '';
      body += `<td class="m-cell av-${sign}${current}">${fmt(v, 2)}</td>`;
    }
    body += '</tr>';
  }
  return `<table class="matrix av-patch" aria-label="${esc(label)}"><thead><tr><td></td>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * The stage: the digit with the kernel window, the feature map before and after the activation (same colour rule:
 * 0 white, negative red, positive blue, each scaled by its own largest |value|), and the numbers around the focus.
 */
export function renderStage(
  s: ActivationViewerState,
  m: Maps,
  digit: { pixels: readonly number[]; size: number; label: number },
  deflate?: Deflate,
): string {
  const d = deflate ? { deflate } : {};
  const input = renderHeatmap(digit.pixels, digit.size, digit.size, {
    scale: 'rescale',
    label: `MNIST test sample ${s.digit} (a ${digit.label}), 28 by 28, with the 3 by 3 window at row ${s.row}, column ${s.col}`,
    markers: [{ row: s.row, col: s.col, height: 3, width: 3, kind: 'window' }],
    ...d,
  });
  const marker = [{ row: s.row, col: s.col, kind: 'cell' as const }];
  const before = renderHeatmap(m.z.data, m.rows, m.cols, {
    scale: 'diverging',
    label: `Feature map before the activation (${KERNELS[s.kernel].label}), ${m.rows} by ${m.cols}`,
    markers: marker,
    className: 'av-map',
    ...d,
  });
  const after = renderHeatmap(m.a.data, m.rows, m.cols, {
    scale: 'diverging',
    label: `Feature map after ${activationLabel(s)}, ${m.rows} by ${m.cols}`,
    markers: marker,
    className: 'av-map',
    ...d,
  });
  const name = activationLabel(s);
  return `<div class="av-panels">
<figure class="av-panel av-input"><figcaption>Input: sample ${s.digit} (a ${digit.label})</figcaption>${input.html}${heatmapLegend(input.stats, 'rescale')}</figure>
<figure class="av-panel"><figcaption>Before: z, ${esc(KERNELS[s.kernel].label)}${s.bias === 0 ? '' : `, b = ${fmt(s.bias)}`}</figcaption>${before.html}${heatmapLegend(before.stats, 'diverging')}</figure>
<figure class="av-panel"><figcaption>After: ${esc(name)}(z)</figcaption>${after.html}${heatmapLegend(after.stats, 'diverging')}</figure>
</div>
<p class="av-summary">${esc(describeMap(s, m))}</p>
<div class="av-patches">
<figure class="av-panel"><figcaption>Before, around row ${s.row}, column ${s.col}</figcaption><div class="av-scroll">${patch(m, 'z', s, 'Values before the activation around the focused cell')}</div></figure>
<figure class="av-panel"><figcaption>After ${esc(name)}</figcaption><div class="av-scroll">${patch(m, 'a', s, `Values after ${name} around the focused cell`)}</div></figure>
</div>`;
}
