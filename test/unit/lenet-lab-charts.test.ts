import { parseHTML } from 'linkedom';
import * as Plot from '@observablehq/plot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LossPoint } from '../../src/ml/index.ts';

// The lab's live loss chart grows its line in place between Plot redraws; the line must be the one Plot would draw.
// Plot and the chart code run on linkedom's DOM here, as the site's build-time charts do.
const { window, document } = parseHTML('<!doctype html><html><body><div id="h"></div></body></html>');
const g = globalThis as unknown as Record<string, unknown>;
beforeAll(() => {
  g['window'] = window;
  g['document'] = document;
});
afterAll(() => {
  delete g['window'];
  delete g['document'];
});
const charts = () => import('../../components/lenet-lab/charts.ts');

/** A falling, noisy loss: a report every 20 steps, `perEpoch` reports an epoch. */
function losses(n: number, perEpoch = 100): LossPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    step: (i + 1) * 20,
    epoch: Math.floor(i / perEpoch),
    loss: 2.3 / (1 + i / 3) + 0.05 * Math.sin(i * 1.7),
    accuracy: 0.5,
  }));
}

/** The `d` of the line Plot itself draws for these points (the lab's chart options, width 560 as in the holder). */
async function plotLine(points: LossPoint[], lastStep: number): Promise<string> {
  const { lossOptions } = await charts();
  const svg = Plot.plot({ ...lossOptions(points, 560, lastStep), document } as Plot.PlotOptions) as unknown as Element;
  return svg.querySelector('g[stroke="var(--accent)"] > path')!.getAttribute('d')!;
}

/** The chart as a live run first draws it: these points, an axis to step 2,000. */
async function liveChart(points: LossPoint[]) {
  const c = await charts();
  const holder = document.getElementById('h') as unknown as HTMLElement;
  c.renderLoss(holder, points, 2000);
  return { ...c, holder };
}

describe('the live loss chart (components/lenet-lab/charts.ts)', () => {
  it('grows the line in place to exactly what a Plot redraw would draw, with the label updated', async () => {
    const all = losses(40);
    const { holder, updateLoss } = await liveChart(all.slice(0, 5));
    const svg = holder.querySelector('svg[role="img"]')!;
    expect(updateLoss(holder, all)).toBe(true);
    // Same element, new line: no redraw.
    expect(holder.querySelector('svg[role="img"]')).toBe(svg);
    const drawn = svg.querySelector('g[stroke="var(--accent)"] > path')!.getAttribute('d');
    expect(drawn).toBe(await plotLine(all, 2000));
    expect(drawn!.match(/L/g)).toHaveLength(39);
    expect(svg.getAttribute('aria-label')).toBe(
      `Batch loss over 40 reports: from ${all[0]!.loss.toFixed(3)} to ${all[39]!.loss.toFixed(3)} after 800 batches.`,
    );
  });

  it('asks for a redraw (and changes nothing) for a new epoch, a loss above the axis or a step past it', async () => {
    const all = losses(120);
    const { holder, renderLoss, updateLoss } = await liveChart(all.slice(0, 5));
    const path = holder.querySelector('g[stroke="var(--accent)"] > path')!;
    const before = path.getAttribute('d');
    // Report 101 starts epoch 2, whose dashed rule needs Plot.
    expect(updateLoss(holder, all.slice(0, 101))).toBe(false);
    const spike = [...all.slice(0, 6), { ...all[6]!, loss: 9 }];
    expect(updateLoss(holder, spike)).toBe(false);
    const late = losses(100).map((p) => ({ ...p, step: p.step * 3 }));
    expect(updateLoss(holder, late)).toBe(false);
    expect(path.getAttribute('d')).toBe(before);
    // A chart drawn for a finished run (no last step) is never grown.
    renderLoss(holder, all.slice(0, 5));
    expect(updateLoss(holder, all.slice(0, 10))).toBe(false);
  });

  it('spans the whole run while live; a finished run spans its data', async () => {
    const { lossOptions } = await charts();
    const pts = losses(5);
    expect((lossOptions(pts, 560, 2000).x as { domain?: number[] }).domain).toEqual([20, 2000]);
    expect((lossOptions(pts, 560).x as { domain?: number[] }).domain).toBeUndefined();
  });
});
