/**
 * What a cell draws from its output and its check report: text escaped, grids cut with a count, differing entries
 * marked in colour and in words (so the mark does not rely on colour alone), the named mistake and the line button.
 */
import { describe, expect, test } from 'vitest';
import { itemsHtml, reportHtml } from '../../components/notebook/output-view.ts';
import { formatValue } from '../../src/notebook/format.ts';
import { checkSource } from './notebook-kit.ts';

describe('notebook output view', () => {
  test('text is escaped; a long vector is cut with a count and a Show all button', () => {
    const html = itemsHtml([{ kind: 'text', text: '<b>&' }, ...formatValue(new Array(40).fill(1.23456789))]);
    expect(html).toContain('&lt;b&gt;&amp;');
    expect(html).toContain('1.2346');
    expect(html).toContain('40 values; first 16 shown');
    expect(html).toContain('data-action="show-all"');
  });

  test('a report of the known "forgot the flip" mistake names it and marks the differing entries', () => {
    const report = checkSource(
      'conv1d-full',
      `function conv1dFull(x: number[], w: number[]): number[] {
  const y: number[] = [];
  for (let n = 0; n < x.length + w.length - 1; n++) {
    let s = 0;
    for (let j = 0; j < w.length; j++) { const i = n - (w.length - 1) + j; if (i >= 0 && i < x.length) s += x[i] * w[j]; }
    y.push(s);
  }
  return y;
}`,
    );
    const html = reportHtml(report, { fn: 'conv1dFull', lineButton: true });
    expect(html).toContain('Looks like: forgot to flip the kernel.');
    expect(html).toContain('First failure:</strong> the worked example');
    const marked = html.match(/class="nb-diff"/g) ?? [];
    expect(marked.length).toBe(report.failure!.diffs.length);
    expect(html.match(/\(differs\)/g)?.length).toBe(marked.length);
  });

  test('an error at a line gets a button that goes to it', () => {
    const report = checkSource(
      'conv1d-full',
      'function conv1dFull(x: number[], w: number[]): number[] {\n  return (null as any).y;\n}',
    );
    expect(report.failure?.error?.line).toBe(2);
    expect(reportHtml(report, { fn: 'conv1dFull', lineButton: true })).toContain(
      'data-action="goto-line" data-line="2"',
    );
  });
});
