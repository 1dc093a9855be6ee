import * as Plot from '@observablehq/plot';
import type { InitVarianceResult } from '../../src/lib/index.ts';
import { plotToSvg } from '../internal/plot-svg.ts';
import { sciText } from '../internal/sci.ts';

/** Mid-tone colours that read on the light and the dark background alike. */
export const COLORS = { activation: '#3d7fc4', gradient: '#d9782b' };
const SERIES = ['activations', 'gradients'];
// Variances of exactly 0 (a dead stack) cannot sit on a log axis; they are drawn at this floor.
const FLOOR = 1e-30;

const power = (d: number): string => {
  const e = Math.round(Math.log10(d));
  return e === 0 ? '1' : `1e${e}`.replace('-', '−');
};

/** Both variances against the layer, log scale, one line each. */
export function varianceOptions(r: InitVarianceResult): Plot.PlotOptions {
  const rows = r.layers.flatMap((l) => [
    { layer: l.layer, v: Math.max(l.activation, FLOOR), series: SERIES[0]! },
    { layer: l.layer, v: Math.max(l.gradient, FLOOR), series: SERIES[1]! },
  ]);
  const values = rows.map((d) => d.v);
  // Whole decades, so the grid has one line per power of 10 (Plot's default log ticks draw every digit).
  const lo = 10 ** Math.floor(Math.log10(Math.min(1e-2, ...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(1e2, ...values)));
  const decades = Math.round(Math.log10(hi / lo));
  const every = Math.max(1, Math.ceil(decades / 6));
  const ticks: number[] = [];
  for (let e = Math.log10(lo); e <= Math.log10(hi); e += every) ticks.push(10 ** e);
  return {
    width: 400,
    height: 250,
    marginLeft: 52,
    style: { fontSize: '12px', background: 'transparent' },
    x: { label: 'layer →', ticks: Math.min(r.layers.length, 10), tickFormat: 'd' },
    y: { type: 'log', label: 'variance', domain: [lo, hi], grid: true, tickFormat: power, ticks },
    color: { domain: SERIES, range: [COLORS.activation, COLORS.gradient] },
    marks: [
      Plot.ruleY([1], { stroke: 'currentColor', strokeDasharray: '4,3', strokeOpacity: 0.6 }),
      Plot.line(rows, { x: 'layer', y: 'v', stroke: 'series', strokeWidth: 2 }),
      Plot.dot(rows, { x: 'layer', y: 'v', fill: 'series', r: 3 }),
    ],
  };
}

/** The chart as an accessible SVG string, with the first and last values in its description. */
export function renderChart(r: InitVarianceResult, doc?: Document): string {
  const first = r.layers[0]!;
  const last = r.layers[r.layers.length - 1]!;
  return plotToSvg(
    varianceOptions(r),
    `Line chart, log scale, of the variance per layer over ${r.layers.length} layers: activations from ${sciText(first.activation, 2)} to ${sciText(last.activation, 2)}; gradients from ${sciText(last.gradient, 2)} at the top to ${sciText(first.gradient, 2)} at layer 1.`,
    doc,
  );
}
