import * as Plot from '@observablehq/plot';
import type { Tensor } from '../../src/lib/index.ts';
import { plotToSvg } from '../internal/plot-svg.ts';
import { fmt } from '../internal/format.ts';
import { UNITS } from './compute.ts';

/** One row of dots per unit: every value of the batch. */
function stripOptions(t: Tensor, domain: [number, number]): Plot.PlotOptions {
  const B = t.shape[0]!;
  const rows = Array.from({ length: B * UNITS }, (_, i) => ({ v: t.data[i]!, unit: `unit ${i % UNITS}` }));
  return {
    width: 300,
    height: 150,
    marginLeft: 48,
    style: { fontSize: '12px', background: 'transparent' },
    x: { domain, label: 'value →', grid: true },
    y: { label: null, domain: Array.from({ length: UNITS }, (_, u) => `unit ${u}`) },
    marks: [
      Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.5 }),
      Plot.dot(rows, { x: 'v', y: 'unit', r: 3, fill: 'var(--accent)', fillOpacity: 0.6 }),
    ],
  };
}

/** Before and after on one shared axis, so the change of centre and spread is visible. */
export function renderStrips(z: Tensor, y: Tensor, doc?: Document): { before: string; after: string } {
  const all = [...z.data, ...y.data];
  const lo = Math.min(-3, ...all);
  const hi = Math.max(3, ...all);
  const describe = (t: Tensor, when: string) =>
    `Dot plot of the ${t.shape[0]} values of each of ${UNITS} units ${when}, from ${fmt(Math.min(...t.data), 2)} to ${fmt(Math.max(...t.data), 2)}.`;
  return {
    before: plotToSvg(stripOptions(z, [lo, hi]), describe(z, 'before batch norm'), doc),
    after: plotToSvg(stripOptions(y, [lo, hi]), describe(y, 'after batch norm'), doc),
  };
}
