import * as Plot from '@observablehq/plot';
import type { Evaluation, LossPoint, TrainHistory } from '../../src/ml/index.ts';
import { plotElement } from '../internal/plot-svg.ts';
import { lossText, pct } from './lab-format.ts';

/**
 * The lab's Observable Plot charts. Each `*Options` function is pure (data -> Plot options) and each `render*`
 * replaces a chart inside its holder. Rendering is cheap (a few hundred points), and the element throttles calls.
 */

const SERIES = ['train', 'validation', 'test'] as const;
const COLORS = ['var(--accent)', 'var(--neg)', 'var(--ok-fg)'];

function width(holder: HTMLElement): number {
  return Math.max(280, Math.min(640, holder.clientWidth || 560));
}

/**
 * Batch loss against batches done, one point per report; dashed rules mark epoch boundaries. `lastStep`, while a run
 * is live, is the step it will end at: the axis then spans the whole run and the line grows along it (updateLoss).
 */
export function lossOptions(losses: readonly LossPoint[], w: number, lastStep?: number): Plot.PlotOptions {
  const boundaries: number[] = [];
  for (let i = 1; i < losses.length; i++)
    if (losses[i]!.epoch !== losses[i - 1]!.epoch) boundaries.push(losses[i - 1]!.step);
  const steps = losses.map((p) => p.step);
  return {
    width: w,
    height: 220,
    marginLeft: 44,
    style: { background: 'transparent', color: 'currentColor' },
    x: {
      label: 'batches trained →',
      grid: false,
      ...(lastStep === undefined ? {} : { domain: [Math.min(...steps), Math.max(lastStep, ...steps)] }),
    },
    y: { label: '↑ batch loss (cross-entropy)', domain: [0, lossTop(losses)], grid: true },
    marks: [
      Plot.ruleX(boundaries, { stroke: 'currentColor', strokeOpacity: 0.35, strokeDasharray: '3,3' }),
      Plot.line(losses, { x: 'step', y: 'loss', stroke: 'var(--accent)', strokeWidth: 1.6 }),
      Plot.ruleY([0]),
    ],
  };
}

/** Long-form rows of the per-epoch accuracies (epochs counted from 1). */
export function accuracyRows(history: TrainHistory): { epoch: number; series: string; accuracy: number }[] {
  const rows: { epoch: number; series: string; accuracy: number }[] = [];
  for (const e of history.epochs) {
    rows.push({ epoch: e.epoch + 1, series: 'train', accuracy: e.trainAccuracy });
    if (e.valAccuracy !== undefined) rows.push({ epoch: e.epoch + 1, series: 'validation', accuracy: e.valAccuracy });
    if (e.testAccuracy !== undefined) rows.push({ epoch: e.epoch + 1, series: 'test', accuracy: e.testAccuracy });
  }
  return rows.filter((r) => Number.isFinite(r.accuracy));
}

/** Train, validation and test accuracy per epoch. */
export function accuracyOptions(history: TrainHistory, w: number): Plot.PlotOptions {
  const rows = accuracyRows(history);
  const lo = Math.min(0.9, ...rows.map((r) => r.accuracy));
  const last = Math.max(1, history.epochs.length);
  return {
    width: w,
    height: 220,
    marginLeft: 52,
    style: { background: 'transparent', color: 'currentColor' },
    x: {
      label: 'epoch →',
      domain: [history.epochs[0] ? history.epochs[0].epoch + 1 : 1, last + (history.epochs[0]?.epoch ?? 0)],
      ticks: Math.min(10, last),
      tickFormat: 'd',
    },
    y: {
      label: '↑ accuracy',
      domain: [Math.floor(lo * 20) / 20, 1],
      tickFormat: (d: number) => `${Math.round(d * 100)} %`,
      grid: true,
    },
    // No Plot legend: the holder gets a small legend of only the series shown (see below).
    color: { domain: [...SERIES], range: COLORS },
    marks: [
      // z named outright: with one or two epochs, Plot finds the implicit z (from stroke) of "high cardinality",
      // warns in the console and draws a ⚠ on the chart.
      Plot.line(rows, { x: 'epoch', y: 'accuracy', z: 'series', stroke: 'series', strokeWidth: 1.8 }),
      Plot.dot(rows, { x: 'epoch', y: 'accuracy', fill: 'series', r: 3.5 }),
    ],
  };
}

/** Test error of each digit (1 − per-class accuracy) as bars that start at zero. */
export function perClassOptions(e: Evaluation, w: number): Plot.PlotOptions {
  const rows = e.perClass.map((a, digit) => ({ digit: String(digit), error: Number.isFinite(a) ? 1 - a : 0 }));
  return {
    width: w,
    height: 200,
    marginLeft: 52,
    style: { background: 'transparent', color: 'currentColor' },
    x: { label: 'true digit', domain: rows.map((r) => r.digit) },
    y: { label: '↑ test error', tickFormat: (d: number) => `${(d * 100).toFixed(1)} %`, grid: true },
    marks: [Plot.barY(rows, { x: 'digit', y: 'error', fill: 'var(--neg)' }), Plot.ruleY([0])],
  };
}

function put(holder: HTMLElement, options: (w: number) => Plot.PlotOptions, label: string): void {
  const el = plotElement(options(width(holder)), label);
  holder.replaceChildren(el);
}

/**
 * Draws a small loss chart that is never attached, so that Plot's code is compiled before a run needs it. The first
 * chart Plot draws on a page takes several times as long as later ones (about 40 ms against 2-11 ms, measured in the lab), and without
 * this it fell in the first second of training, on a main thread sharing the CPU with the training worker.
 */
export function warmUp(): void {
  const points: LossPoint[] = [
    { step: 1, epoch: 0, loss: 2.3, accuracy: 0.1 },
    { step: 2, epoch: 1, loss: 1.2, accuracy: 0.6 },
  ];
  plotElement(lossOptions(points, 320), 'warm-up');
}

/** The top of the loss axis. */
function lossTop(losses: readonly LossPoint[]): number {
  return Math.max(0.5, ...losses.map((p) => p.loss));
}

function lossLabel(losses: readonly LossPoint[]): string {
  const last = losses.at(-1)!;
  return `Batch loss over ${losses.length} reports: from ${lossText(losses[0]!.loss)} to ${lossText(last.loss)} after ${last.step} batches.`;
}

/** What a live loss chart needs to grow its line without Plot: the line, the scales, and what they were drawn for. */
interface LiveLoss {
  svg: Element;
  path: Element;
  x: (v: number) => number;
  y: (v: number) => number;
  xMax: number;
  yMax: number;
  epoch: number;
}
const liveLoss = new WeakMap<HTMLElement, LiveLoss>();

/** A line's SVG path through the points, as Plot writes it (linear curve, 3 decimals). */
export function linePath(points: readonly LossPoint[], x: (v: number) => number, y: (v: number) => number): string {
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return points.map((p, i) => `${i ? 'L' : 'M'}${r(x(p.step))},${r(y(p.loss))}`).join('');
}

/**
 * Draws the loss chart with Plot. With `lastStep` (a live run) it remembers the line and scales, so that updateLoss
 * can grow the line in place until the run needs a new axis or an epoch rule.
 */
export function renderLoss(holder: HTMLElement, losses: readonly LossPoint[], lastStep?: number): void {
  liveLoss.delete(holder);
  if (losses.length === 0) return;
  put(holder, (w) => lossOptions(losses, w, lastStep), lossLabel(losses));
  if (lastStep === undefined) return;
  const svg = holder.querySelector('svg[role="img"]') as (Element & { scale?: PlotScale }) | null;
  const path = svg?.querySelector('g[stroke="var(--accent)"] > path');
  const x = svg?.scale?.('x');
  const y = svg?.scale?.('y');
  if (!svg || !path || !x || !y) return;
  // The axes' ends are the ones Plot drew (lossOptions), read back rather than worked out again.
  liveLoss.set(holder, {
    svg,
    path,
    x: x.apply,
    y: y.apply,
    xMax: x.domain[1]!,
    yMax: y.domain[1]!,
    epoch: losses.at(-1)!.epoch,
  });
}
type PlotScale = (name: string) => { apply: (v: number) => number; domain: number[] } | undefined;

/**
 * Grows a live loss chart's line to `losses` by rewriting its path (well under a millisecond, against 2-20 ms for a
 * Plot redraw on the main thread while training shares the CPU). Returns false, changing nothing, when the chart needs
 * redrawing: a new epoch (its rule), a loss above the axis, a step past it, or no live chart in the holder.
 */
export function updateLoss(holder: HTMLElement, losses: readonly LossPoint[]): boolean {
  const live = liveLoss.get(holder);
  const last = losses.at(-1);
  if (!live || !last || !live.svg.isConnected || last.epoch !== live.epoch || last.step > live.xMax) return false;
  if (lossTop(losses) > live.yMax) return false;
  live.path.setAttribute('d', linePath(losses, live.x, live.y));
  live.svg.setAttribute('aria-label', lossLabel(losses));
  return true;
}

export function renderAccuracy(holder: HTMLElement, history: TrainHistory): void {
  if (history.epochs.length === 0) return;
  const e = history.epochs.at(-1)!;
  const parts = [`train ${pct(e.trainAccuracy)}`];
  if (e.valAccuracy !== undefined) parts.push(`validation ${pct(e.valAccuracy)}`);
  if (e.testAccuracy !== undefined) parts.push(`test ${pct(e.testAccuracy)}`);
  put(
    holder,
    (w) => accuracyOptions(history, w),
    `Accuracy per epoch; after epoch ${e.epoch + 1}: ${parts.join(', ')}.`,
  );
  const shown = new Set(accuracyRows(history).map((r) => r.series));
  const legend = document.createElement('p');
  legend.className = 'legend';
  legend.setAttribute('aria-hidden', 'true');
  legend.innerHTML = SERIES.filter((s) => shown.has(s))
    .map((s) => `<span><i style="background:${COLORS[SERIES.indexOf(s)]}"></i>${s}</span>`)
    .join('');
  holder.prepend(legend);
}

export function renderPerClass(holder: HTMLElement, e: Evaluation): void {
  const text = e.perClass.map((a, d) => `${d}: ${pct(1 - a, 1)}`).join(', ');
  put(holder, (w) => perClassOptions(e, w), `Test error per digit: ${text}.`);
}
