/**
 * Draws what a cell printed and what the checker said, as HTML strings (escaped): text, grids, heatmaps, and the
 * report with inputs, expected and got side by side and the differing entries marked (colour, outline and words,
 * so the mark does not depend on colour alone).
 */
import type { CheckReport } from '../../src/notebook/exercises.ts';
import { formatNumber, inspect, type OutputItem } from '../../src/notebook/format.ts';
import { esc } from '../internal/format.ts';

/** Output items as HTML. Items cut for length get a "Show all" button carrying their index. */
export function itemsHtml(items: readonly OutputItem[], offset = 0): string {
  return items.map((item, i) => itemHtml(item, offset + i)).join('');
}

function showAll(index: number, has: boolean): string {
  return has
    ? ` <button type="button" class="nb-more" data-action="show-all" data-item="${index}">Show all</button>`
    : '';
}

function itemHtml(item: OutputItem, index: number): string {
  if (item.kind === 'text') {
    const stream = item.stream && item.stream !== 'log' ? ` data-stream="${item.stream}"` : '';
    return `<p class="nb-out-text"${stream}>${esc(item.text)}${showAll(index, item.full !== undefined)}</p>`;
  }
  if (item.kind === 'grid') {
    // The label sits above the table, not in a caption, so a narrow table does not squeeze it into a column.
    const label = item.label ? `<div class="nb-out-label">${esc(item.label)}</div>` : '';
    const named = item.label ? ` aria-label="${esc(item.label)}"` : '';
    const rows = item.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
    const note = item.note ? `<p class="nb-note">${esc(item.note)}${showAll(index, item.full !== undefined)}</p>` : '';
    return `${label}<div class="nb-scroll"><table class="nb-grid"${named}><tbody>${rows}</tbody></table></div>${note}`;
  }
  const span = Math.max(Math.abs(item.min), Math.abs(item.max)) || 1;
  const rows = item.values
    .map(
      (r) =>
        `<tr>${r
          .map((v) => {
            const t = Math.min(1, Math.abs(v) / span);
            const colour = v >= 0 ? 'var(--pos)' : 'var(--neg)';
            return `<td style="background:color-mix(in srgb, ${colour} ${Math.round(t * 85)}%, var(--bg))" title="${esc(formatNumber(v))}"><span class="visually-hidden">${esc(formatNumber(v))}</span></td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  const label = `${item.label ? `${item.label}: ` : ''}heatmap, ${item.values.length}×${item.values[0]?.length ?? 0}, from ${formatNumber(item.min)} to ${formatNumber(item.max)}`;
  const note = item.note ? `<p class="nb-note">${esc(item.note)}</p>` : '';
  return `<div class="nb-out-label">${esc(label)}</div><div class="nb-scroll"><table class="nb-grid nb-heat" aria-label="${esc(label)}"><tbody>${rows}</tbody></table></div>${note}`;
}

/** Full text of a cut item (for "Show all"). */
export function fullText(item: OutputItem): string | undefined {
  return item.kind === 'heatmap' ? undefined : item.full;
}

type Marks = (path: number[]) => boolean;

/** A checker preview value as HTML: numbers, vectors and matrices as grids, records as labelled parts. */
export function valueHtml(value: unknown, marks: Marks = () => false, path: number[] = []): string {
  if (typeof value === 'number')
    return `<code class="${marks(path) ? 'nb-diff-text' : ''}">${esc(formatNumber(value))}</code>`;
  if (Array.isArray(value) && value.length === 0) return '<code>[] (an empty array)</code>';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number' || v === '…'))
      return gridHtml([value], (_r, c) => marks([...path, c]), true);
    if (value.every((r) => Array.isArray(r) && r.every((v) => typeof v === 'number' || v === '…'))) {
      return gridHtml(value as unknown[][], (r, c) => marks([...path, r, c]));
    }
    if (value.every(Array.isArray)) {
      return value.map((v, i) => `<div class="nb-out-label">[${i}]</div>${valueHtml(v, marks, [...path, i])}`).join('');
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value)
      .map(([k, v]) => `<div class="nb-out-label">${esc(k)}</div>${valueHtml(v, () => false)}`)
      .join('');
  }
  return `<code>${esc(inspect(value, 1))}</code>`;
}

function gridHtml(rows: unknown[][], mark: (r: number, c: number) => boolean, vector = false): string {
  const body = rows
    .map(
      (row, r) =>
        `<tr>${row
          .map((v, c) => {
            const text = typeof v === 'number' ? formatNumber(v) : String(v);
            const bad = mark(vector ? 0 : r, c);
            return bad
              ? `<td class="nb-diff">${esc(text)}<span class="visually-hidden"> (differs)</span></td>`
              : `<td>${esc(text)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<div class="nb-scroll"><table class="nb-grid"><tbody>${body}</tbody></table></div>`;
}

export interface ReportContext {
  fn: string;
  /** Jump to a line of the reader's code: rendered as a button when the error has a line. */
  lineButton: boolean;
}

/** The checker's report as HTML. */
export function reportHtml(r: CheckReport, ctx: ReportContext): string {
  if (r.passed) {
    return `<h4 class="nb-verdict-ok">Passed: all ${r.total} cases agree with the course’s engine.</h4><p>Later exercises and the capstone that build on <code>${esc(ctx.fn)}</code> will now use yours.</p>`;
  }
  const f = r.failure;
  let html = `<h4 class="nb-verdict-bad">${r.total ? `${r.passedCount} of ${r.total} cases passed.` : 'Not checked.'}</h4>`;
  if (r.mistake) {
    html += `<div class="nb-mistake"><strong>Looks like: ${esc(r.mistake.name)}.</strong> ${esc(r.mistake.advice)}</div>`;
  }
  if (!f) return html;
  if (f.label !== 'before any case') html += `<p><strong>First failure:</strong> ${esc(f.label)}.</p>`;
  html += `<p>${esc(f.message)}</p>`;
  if (f.error?.line !== undefined) {
    const where = `line ${f.error.line}${f.error.column !== undefined ? `, column ${f.error.column}` : ''}`;
    html += ctx.lineButton
      ? `<p><button type="button" data-action="goto-line" data-line="${f.error.line}">Go to ${where}</button></p>`
      : `<p>At ${where}.</p>`;
  }
  if (f.inputs.length) {
    html += '<div class="nb-side">';
    for (const input of f.inputs)
      html += `<div><div class="nb-out-label">${esc(input.name)}</div>${valueHtml(input.value.value)}</div>`;
    html += '</div>';
  }
  const diffSet = new Set(f.diffs.map((p) => p.join(',')));
  const marks: Marks = (p) => diffSet.has(p.join(','));
  if (f.expected || f.got) {
    html += '<div class="nb-side">';
    if (f.expected)
      html += `<div><div class="nb-out-label">expected (the engine)</div>${valueHtml(f.expected.value)}</div>`;
    if (f.got)
      html += `<div><div class="nb-out-label">yours${f.diffs.length ? `, ${f.diffs.length} differing marked` : ''}</div>${valueHtml(f.got.value, marks)}</div>`;
    html += '</div>';
    const cut = f.got?.cut ?? f.expected?.cut;
    if (cut) html += `<p class="nb-note">Values ${esc(cut)}.</p>`;
  }
  return html;
}
