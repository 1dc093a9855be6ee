import * as Plot from '@observablehq/plot';
import { fmt } from '../internal/format.ts';
import { plotToSvg } from '../internal/plot-svg.ts';
import type { SoftmaxLossResult } from './compute.ts';
import type { SoftmaxLossState } from './state.ts';

/** Mid-tone colours that read on the light and the dark background alike. */
export const COLORS = { ce: '#3d7fc4', se: '#d9782b', other: '#7f8c99', truth: '#2f9e62' };
const LOSSES = ['cross-entropy', 'squared error'];
// A fixed width that stays legible on a 375 px phone; CSS scales it down only below that.
const WIDTH = 330;

const SUB = '₀₁₂₃₄₅₆₇₈₉';
/** z₁₂ style subscripts for chart text (Plot labels are plain text). */
function sub(n: number): string {
  return String(n).replace(/\d/g, (d) => SUB[Number(d)]!);
}

function classLabel(i: number, label: number): string {
  return i === label ? `${i} ✓` : String(i);
}

/** Bars of p_i, the true class in green and marked ✓, each labelled with its value. */
export function probabilityOptions(s: SoftmaxLossState, r: SoftmaxLossResult): Plot.PlotOptions {
  const data = r.losses.probs.map((p, i) => ({ c: classLabel(i, s.label), p, truth: i === s.label }));
  return {
    width: WIDTH,
    height: 210,
    marginLeft: 40,
    marginTop: 18,
    x: { label: 'class (✓ = true)', domain: data.map((d) => d.c), padding: 0.25 },
    y: { label: 'p', domain: [0, 1], grid: true, ticks: 5 },
    marks: [
      Plot.barY(data, { x: 'c', y: 'p', fill: (d: { truth: boolean }) => (d.truth ? COLORS.truth : COLORS.other) }),
      Plot.text(data, { x: 'c', y: 'p', text: (d: { p: number }) => fmt(d.p, 2), dy: -7, fill: 'currentColor' }),
      Plot.ruleY([0]),
    ],
  };
}

/** Grouped bars: for each logit, dL/dz_i under cross-entropy and under squared error. */
export function gradientOptions(s: SoftmaxLossState, r: SoftmaxLossResult): Plot.PlotOptions {
  const data = s.logits.flatMap((_, i) => [
    { c: classLabel(i, s.label), loss: LOSSES[0]!, g: r.losses.crossEntropy.grad[i]! },
    { c: classLabel(i, s.label), loss: LOSSES[1]!, g: r.losses.squaredError.grad[i]! },
  ]);
  const extent = Math.max(0.05, ...data.map((d) => Math.abs(d.g)));
  return {
    width: WIDTH,
    height: 210,
    marginLeft: 44,
    x: { axis: null, domain: LOSSES },
    fx: { label: 'logit zᵢ (✓ = true class)', domain: s.logits.map((_, i) => classLabel(i, s.label)), padding: 0.15 },
    y: { label: '∂L/∂zᵢ', domain: [-extent, extent], grid: true, ticks: 5, nice: true },
    color: { domain: LOSSES, range: [COLORS.ce, COLORS.se] },
    marks: [Plot.barY(data, { fx: 'c', x: 'loss', y: 'g', fill: 'loss' }), Plot.ruleY([0])],
  };
}

/** Both gradients on the true logit as that logit sweeps from confidently wrong to confidently right. */
export function sweepOptions(s: SoftmaxLossState, r: SoftmaxLossResult): Plot.PlotOptions {
  const { z, crossEntropy, squaredError } = r.sweep;
  const lines = z.flatMap((v, k) => [
    { z: v, g: crossEntropy[k]!, loss: LOSSES[0]! },
    { z: v, g: squaredError[k]!, loss: LOSSES[1]! },
  ]);
  const zy = s.logits[s.label]!;
  const now = [
    { z: zy, g: r.losses.crossEntropy.grad[s.label]!, loss: LOSSES[0]! },
    { z: zy, g: r.losses.squaredError.grad[s.label]!, loss: LOSSES[1]! },
  ];
  return {
    width: WIDTH,
    height: 220,
    marginLeft: 44,
    x: { label: `z${sub(s.label)}, the true logit →`, labelAnchor: 'right' },
    y: { label: `∂L/∂z${sub(s.label)}`, grid: true, ticks: 5 },
    color: { domain: LOSSES, range: [COLORS.ce, COLORS.se] },
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([zy], { stroke: 'currentColor', strokeOpacity: 0.35, strokeDasharray: '3,3' }),
      Plot.line(lines, { x: 'z', y: 'g', stroke: 'loss', strokeWidth: 2 }),
      Plot.dot(now, { x: 'z', y: 'g', fill: 'loss', r: 4, stroke: 'currentColor' }),
    ],
  };
}

/** The three charts as accessible SVG strings; pass a server document at build time. */
export function renderCharts(
  s: SoftmaxLossState,
  r: SoftmaxLossResult,
  doc?: Document,
): { probs: string; grads: string; sweep: string } {
  const p = r.losses.probs.map((v, i) => `p${i} = ${fmt(v, 3)}`).join(', ');
  const ce = r.losses.crossEntropy.grad.map((v) => fmt(v, 3)).join(', ');
  const se = r.losses.squaredError.grad.map((v) => fmt(v, 3)).join(', ');
  const last = r.sweep.z.length - 1;
  return {
    probs: plotToSvg(
      probabilityOptions(s, r),
      `Bar chart of the softmax probabilities: ${p}. True class ${s.label}.`,
      doc,
    ),
    grads: plotToSvg(
      gradientOptions(s, r),
      `Bar chart of the gradients per logit. Cross-entropy: ${ce}. Squared error: ${se}.`,
      doc,
    ),
    sweep: plotToSvg(
      sweepOptions(s, r),
      `Line chart of the gradient on the true logit z${s.label} from ${fmt(r.sweep.z[0]!, 1)} to ${fmt(r.sweep.z[last]!, 1)}: ` +
        `cross-entropy goes from ${fmt(r.sweep.crossEntropy[0]!, 3)} to ${fmt(r.sweep.crossEntropy[last]!, 3)}, ` +
        `squared error from ${fmt(r.sweep.squaredError[0]!, 3)} to ${fmt(r.sweep.squaredError[last]!, 3)}.`,
      doc,
    ),
  };
}
