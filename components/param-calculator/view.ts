import { conv2dParamCount, denseParamCount, outputSize, receptiveField } from '../../src/lib/index.ts';
import { esc } from '../internal/format.ts';
import type { ParamCalcState } from './state.ts';

/** A section's result: the HTML shown under its fields and the sentence announced when it changes. */
export interface SectionView {
  html: string;
  sentence: string;
}

/** Whole numbers with thousands separators, the same at build time and in every browser. */
export function int(n: number): string {
  return n.toLocaleString('en-US');
}

function ratio(a: number, b: number): string {
  const r = a / b;
  return r >= 10 ? int(Math.round(r)) : r.toFixed(1);
}

/** Two bars to scale; the numbers are in the text beside them, so the bars are decoration for the eye. */
function bars(items: readonly { label: string; value: number; cls: string }[]): string {
  const max = Math.max(...items.map((i) => i.value));
  const rows = items
    .map(
      (i) =>
        `<div class="pc-bar-row"><span class="pc-bar-label">${esc(i.label)}</span><span class="pc-bar-track"><span class="pc-bar ${i.cls}" style="width:${Math.max(0.4, (100 * i.value) / max).toFixed(2)}%"></span></span></div>`,
    )
    .join('');
  return `<div class="pc-bars" aria-hidden="true">${rows}</div>`;
}

/** Dense layer: one weight per (input, unit) pair plus a bias per unit. */
export function denseView(s: ParamCalcState): SectionView {
  const total = denseParamCount(s.inputs, s.units);
  const sentence = `A dense layer from ${int(s.inputs)} inputs to ${int(s.units)} units has ${int(s.inputs)} × ${int(s.units)} + ${int(s.units)} = ${int(total)} parameters.`;
  return {
    sentence,
    html: `<p class="pc-result">${int(s.inputs)} × ${int(s.units)} weights + ${int(s.units)} biases = <strong class="pc-total">${int(total)}</strong> parameters</p>`,
  };
}

/**
 * Conv layer: K filters of C·k·k weights plus one bias each, whatever the image size. For contrast, a dense layer
 * joining the same input volume to the same output volume (valid padding, stride 1).
 */
export function convView(s: ParamCalcState): SectionView {
  const conv = conv2dParamCount(s.C, s.K, s.k, s.k);
  const out = outputSize(s.size, s.k).size;
  const ins = s.size * s.size * s.C;
  const outs = out * out * s.K;
  const dense = denseParamCount(ins, outs);
  const sentence =
    `A conv layer with ${int(s.K)} filters of ${s.k}×${s.k}×${int(s.C)} has ${int(s.K)} × (${int(s.C)} × ${s.k} × ${s.k} + 1) = ${int(conv)} parameters. ` +
    `On a ${s.size}×${s.size}×${int(s.C)} input it makes a ${out}×${out}×${int(s.K)} output; a dense layer between those shapes would need ${int(dense)}, ${ratio(dense, conv)} times as many.`;
  return {
    sentence,
    html: `<p class="pc-result">K × (C·k·k + 1) = ${int(s.K)} × (${int(s.C)}·${s.k}·${s.k} + 1) = <strong class="pc-total">${int(conv)}</strong> parameters</p>
<p class="pc-note">It maps ${s.size}×${s.size}×${int(s.C)} to ${out}×${out}×${int(s.K)} (valid padding, stride 1). A dense layer between the same shapes: ${int(ins)} × ${int(outs)} + ${int(outs)} = <strong>${int(dense)}</strong>, ${ratio(dense, conv)} times as many.</p>
${bars([
  { label: 'conv', value: conv, cls: 'a' },
  { label: 'dense', value: dense, cls: 'b' },
])}`,
  };
}

/** Stacked k x k layers (stride 1) against the single layer with the same receptive field. */
export function receptiveView(s: ParamCalcState): SectionView {
  const r = receptiveField(Array.from({ length: s.layers }, () => ({ kernel: s.rk }))).size;
  const one = conv2dParamCount(s.rC, s.rC, s.rk, s.rk);
  const stacked = s.layers * one;
  const single = conv2dParamCount(s.rC, s.rC, r, r);
  const plural = s.layers === 1 ? 'layer' : 'stacked layers';
  const sentence =
    `${s.layers} ${plural} of ${s.rk}×${s.rk} see ${r}×${r} input pixels with ${int(stacked)} parameters; ` +
    `one ${r}×${r} layer sees the same with ${int(single)}.`;
  return {
    sentence,
    html: `<p class="pc-result">Receptive field: <strong class="pc-total">${r}×${r}</strong> input pixels</p>
<p class="pc-note">${s.layers} × ${int(s.rC)} × (${int(s.rC)}·${s.rk}·${s.rk} + 1) = <strong>${int(stacked)}</strong> parameters for the stack; one ${r}×${r} layer: ${int(s.rC)} × (${int(s.rC)}·${r}·${r} + 1) = <strong>${int(single)}</strong>. The stack needs ${Math.round((100 * stacked) / single)}% as many${s.layers > 1 ? ` and puts ${s.layers - 1} more nonlinearit${s.layers === 2 ? 'y' : 'ies'} in between` : ''}.</p>
${bars([
  { label: `${s.layers} × ${s.rk}×${s.rk}`, value: stacked, cls: 'a' },
  { label: `1 × ${r}×${r}`, value: single, cls: 'b' },
])}`,
  };
}
