// plotToSvg labels the chart itself, also when Plot wraps it in a <figure> with a swatch legend before it.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { plotToSvg } from '../../components/internal/plot-svg.ts';
import { serverDocument } from '../../components/internal/server-document.ts';

const data = [
  { x: 1, y: 2, k: 'cross-entropy' },
  { x: 2, y: 1, k: 'squared error' },
];

describe('plotToSvg', () => {
  it('a chart with a swatch legend: the chart svg (with the dots) is the one labelled role="img"', async () => {
    const doc = await serverDocument();
    const html = plotToSvg(
      { color: { legend: true }, marks: [Plot.dot(data, { x: 'x', y: 'y', fill: 'k' })] },
      'Two losses',
      doc,
    );
    const { document } = parseHTML(`<div>${html}</div>`);
    expect(document.querySelector('figure')).not.toBeNull();
    const labelled = document.querySelectorAll('[role="img"]');
    expect(labelled).toHaveLength(1);
    expect(labelled[0]!.getAttribute('aria-label')).toBe('Two losses');
    expect(labelled[0]!.querySelectorAll('circle')).toHaveLength(2);
    // The legend's words stay readable as text.
    expect(document.querySelector('figure')!.textContent).toContain('squared error');
    // Only the chart scrolls sideways on a narrow screen (global.css styles the parent of svg.plot-chart): its box
    // is inside the figure, with the legend outside it.
    const box = labelled[0]!.parentElement!;
    expect(box.tagName.toLowerCase()).toBe('div');
    expect(box.getAttribute('class')).toBe('plot-scroll');
    expect(box.parentElement!.tagName.toLowerCase()).toBe('figure');
    expect(box.textContent).not.toContain('squared error');
  });

  it('a plain chart: the svg itself is labelled and no inner <g> keeps an aria-label', async () => {
    const doc = await serverDocument();
    const html = plotToSvg({ marks: [Plot.dot(data, { x: 'x', y: 'y' })] }, 'Dots', doc);
    const { document } = parseHTML(`<div>${html}</div>`);
    const svg = document.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Dots');
    expect(svg.querySelectorAll('g[aria-label]')).toHaveLength(0);
  });
});
