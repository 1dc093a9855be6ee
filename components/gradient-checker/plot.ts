import * as Plot from '@observablehq/plot';
import type { EpsilonErrorPoint } from '../../src/lib/index.ts';
import { sig, sigText } from './numbers.ts';

/** For the element, which loads this module lazily: one import brings Plot and the chart helper. */
export { plotElement } from '../internal/plot-svg.ts';

export type Precision = 'float64' | 'float32';

/** Relative errors of exactly 0 cannot sit on a log axis; they are drawn at this floor. */
const FLOOR = 1e-17;

const power = (d: number): string => {
  const e = Math.round(Math.log10(d));
  return e === 0 ? '1' : `1e${e}`.replace('-', '−');
};

/** The step with the smallest error for one precision. */
export function best(points: readonly EpsilonErrorPoint[], precision: Precision): EpsilonErrorPoint {
  return points.reduce((a, p) => (p[precision] < a[precision] ? p : a));
}

/** Both panels share one y range so float32's higher floor is visible at a glance. */
function yDomain(points: readonly EpsilonErrorPoint[]): [number, number] {
  const lo = Math.min(...points.flatMap((p) => [p.float64, p.float32]).map((v) => Math.max(v, FLOOR)));
  return [10 ** Math.floor(Math.log10(Math.min(lo, 1e-8))), 1];
}

/**
 * One panel of the error-versus-step chart: relative error of the central difference against ε (shrinking to the
 * right), the tolerance 1e-7 as a dashed line, the checker's ε as a vertical rule, and the best ε labelled.
 */
export function epsilonPlotOptions(
  points: readonly EpsilonErrorPoint[],
  precision: Precision,
  eps: number,
): Plot.PlotOptions {
  const rows = points.map((p) => ({ eps: p.eps, err: Math.max(p[precision], FLOOR) }));
  const b = best(points, precision);
  const [lo, hi] = yDomain(points);
  const yTicks: number[] = [];
  for (let e = 0; 10 ** e >= lo; e -= 4) yTicks.push(10 ** e);
  return {
    width: 340,
    height: 240,
    marginLeft: 48,
    marginRight: 26,
    marginBottom: 40,
    style: { fontSize: '12px', background: 'transparent' },
    x: {
      type: 'log',
      domain: [0.1, 1e-12],
      label: 'step ε (smaller →)',
      ticks: [1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12],
      tickFormat: power,
    },
    y: { type: 'log', domain: [lo, hi], label: 'relative error', ticks: yTicks, tickFormat: power, grid: true },
    marks: [
      Plot.ruleY([1e-7], { stroke: 'currentColor', strokeDasharray: '4,3', strokeOpacity: 0.6 }),
      Plot.text([{ x: 1e-12, y: 1e-7 }], {
        x: 'x',
        y: 'y',
        text: () => 'tolerance',
        textAnchor: 'end',
        dy: -6,
        fill: 'currentColor',
      }),
      Plot.ruleX([eps], { stroke: 'var(--accent)', strokeWidth: 2 }),
      Plot.line(rows, {
        x: 'eps',
        y: 'err',
        stroke: precision === 'float64' ? 'var(--pos)' : 'var(--neg)',
        strokeWidth: 2,
      }),
      Plot.dot(rows, { x: 'eps', y: 'err', fill: precision === 'float64' ? 'var(--pos)' : 'var(--neg)', r: 3 }),
      // The best step: a ring on its point (the panel's caption names it).
      Plot.dot([{ x: b.eps, y: Math.max(b[precision], FLOOR) }], {
        x: 'x',
        y: 'y',
        r: 7,
        stroke: 'currentColor',
        strokeWidth: 1.5,
      }),
    ],
  };
}

/** The chart's accessible description, with the numbers. */
export function epsilonPlotLabel(points: readonly EpsilonErrorPoint[], precision: Precision, eps: number): string {
  const b = best(points, precision);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  return `Relative error of the central difference in ${precision} against the step ε, from ${sigText(first.eps, 1)} to ${sigText(last.eps, 1)}: ${sigText(first[precision], 2)} at the largest step, smallest ${sigText(b[precision], 2)} at ε = ${sigText(b.eps, 1)}, ${sigText(last[precision], 2)} at the smallest step. The checker's ε = ${sigText(eps, 2)} is marked.`;
}

/** The panel caption's note on the best step, as HTML: "best ε ≈ 1e−5, error 2.9 × 10<sup>−11</sup>". */
export function bestCaption(points: readonly EpsilonErrorPoint[], precision: Precision): string {
  const b = best(points, precision);
  return `best ε ≈ ${power(b.eps)} (ringed), error ${sig(b[precision], 2)}`;
}
