import * as Plot from '@observablehq/plot';
import { fmt } from '../internal/format.ts';
import { plotToSvg } from '../internal/plot-svg.ts';
import fixture from './runs/learning-curves.json';

/** One stored run of a lab exercise (see runs/README.md). */
export interface StoredRun {
  ref: string;
  exercise: string;
  label: string;
  shows: string;
  reason: string;
  config: { trainSubset: number; validationSplit: number; epochs: number; learningRate: number; optimizer: string };
  epochs: {
    epoch: number;
    loss: number;
    trainAccuracy: number;
    valLoss?: number;
    valAccuracy?: number;
    testAccuracy?: number;
  }[];
  losses: { step: number; epoch: number; loss: number }[];
}

export const RUNS = fixture.runs as StoredRun[];

export function run(ref: string): StoredRun {
  const r = RUNS.find((x) => x.ref === ref);
  if (!r) throw new Error(`learning-curves.json has no run "${ref}"; re-run make_learning_curves.ts`);
  return r;
}

export const COLORS = { train: '#3d7fc4', val: '#d9782b', test: '#2f9e62', a: '#d9782b', b: '#3d7fc4' };
const pct = (v: number) => `${fmt(100 * v, 1)} %`;

/** The lowest accuracy a run's chart shows (training, validation or test), for a y axis shared by a pair. */
export function lowestAccuracy(r: StoredRun): number {
  return Math.min(...r.epochs.flatMap((e) => [e.trainAccuracy, e.valAccuracy ?? 1, e.testAccuracy ?? 1]));
}

/** Training and validation (or test) accuracy per epoch of one run, y from `lo` (rounded down) to 100 %. */
export function accuracyChart(r: StoredRun, doc: Document, lo = lowestAccuracy(r)): string {
  const rows = r.epochs.flatMap((e) => [
    { epoch: e.epoch + 1, acc: e.trainAccuracy, set: 'training' },
    ...(e.valAccuracy !== undefined ? [{ epoch: e.epoch + 1, acc: e.valAccuracy, set: 'validation' }] : []),
    ...(e.testAccuracy !== undefined && e.valAccuracy === undefined
      ? [{ epoch: e.epoch + 1, acc: e.testAccuracy, set: 'test' }]
      : []),
  ]);
  const last = r.epochs[r.epochs.length - 1]!;
  const other = last.valAccuracy ?? last.testAccuracy;
  return plotToSvg(
    {
      width: 320,
      height: 200,
      marginLeft: 44,
      style: { fontSize: '12px', background: 'transparent' },
      x: { label: 'epoch →', tickFormat: 'd', ticks: Math.min(r.epochs.length, 6) },
      y: {
        label: 'accuracy',
        domain: [Math.max(0, Math.floor(lo * 10) / 10), 1],
        grid: true,
        tickFormat: (v: number) => `${Math.round(v * 100)}%`,
      },
      color: { domain: ['training', 'validation', 'test'], range: [COLORS.train, COLORS.val, COLORS.test] },
      marks: [
        Plot.line(rows, { x: 'epoch', y: 'acc', stroke: 'set', strokeWidth: 2 }),
        Plot.dot(rows, { x: 'epoch', y: 'acc', fill: 'set', r: 2.5 }),
      ],
    },
    `Line chart of accuracy per epoch, ${r.label}: training accuracy ends at ${pct(last.trainAccuracy)}${other !== undefined ? `, ${last.valAccuracy !== undefined ? 'validation' : 'test'} accuracy at ${pct(other)}` : ''}.`,
    doc,
  );
}

/** The batch loss of two runs against the batches seen, with ln 10 (guessing) marked. */
export function lossChart(a: StoredRun, b: StoredRun, doc: Document): string {
  const rows = [a, b].flatMap((r, i) =>
    r.losses.map((p) => ({ step: p.step, loss: p.loss, run: i === 0 ? a.label : b.label })),
  );
  const hi = Math.max(3, ...rows.map((d) => d.loss));
  const top = Math.min(hi, 10);
  const peak = rows.reduce((m, d) => (d.loss > m.loss ? d : m));
  const lastStep = Math.max(...rows.map((d) => d.step));
  return plotToSvg(
    {
      width: 440,
      height: 220,
      marginLeft: 44,
      style: { fontSize: '12px', background: 'transparent' },
      x: { label: 'batches →' },
      y: { label: 'batch loss', domain: [0, top], grid: true },
      color: { domain: [a.label, b.label], range: [COLORS.a, COLORS.b] },
      marks: [
        Plot.ruleY([Math.LN10], { stroke: 'currentColor', strokeDasharray: '4,3', strokeOpacity: 0.7 }),
        Plot.text([{ x: lastStep, y: Math.LN10 }], {
          x: 'x',
          y: 'y',
          text: () => 'ln 10: guessing',
          textAnchor: 'end',
          dy: 12,
          fill: 'currentColor',
        }),
        // A spike above the axis is cut off; say how high it went.
        ...(hi > top
          ? [
              Plot.text([{ x: peak.step, y: top }], {
                x: 'x',
                y: 'y',
                text: () => `peak ${fmt(peak.loss, 1)} ↑`,
                textAnchor: 'start',
                dx: 6,
                dy: 8,
                fill: 'currentColor',
              }),
            ]
          : []),
        Plot.line(rows, { x: 'step', y: 'loss', stroke: 'run', strokeWidth: 1.5, clip: true }),
      ],
    },
    `Line chart of the batch loss (highest ${fmt(peak.loss, 1)}): ${a.label} ends at ${fmt(a.losses[a.losses.length - 1]!.loss, 2)}, ${b.label} at ${fmt(b.losses[b.losses.length - 1]!.loss, 2)}; ln 10 is about 2.3.`,
    doc,
  );
}
