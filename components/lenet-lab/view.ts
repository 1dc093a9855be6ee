import type { SummaryRow } from '../../src/lib/index.ts';
import { workerCount, type Evaluation } from '../../src/ml/index.ts';
import { isBusy, type LabLine, type LabState } from './state.ts';
import { esc } from '../internal/format.ts';
import { count, pct, seconds } from './lab-format.ts';

/**
 * HTML renderers of the lab's tables and texts. They take plain data and return strings, so the same code renders
 * the static first state at build time and every update in the browser.
 */

const shapeText = (s: readonly number[]) => (s.length === 0 ? '—' : s.join(' × '));

/** The model summary: layer, kind, output shape, parameters, and the total in the footer. */
export function renderSummaryTable(rows: readonly SummaryRow[], caption: string): string {
  const total = rows.reduce((s, r) => s + r.params, 0);
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row"><code>${esc(r.layer)}</code></th><td>${esc(r.kind)}</td>` +
        `<td class="num">${esc(shapeText(r.outputShape))}</td><td class="num">${count(r.params)}</td></tr>`,
    )
    .join('');
  return (
    `<table class="summary"><caption>${esc(caption)}</caption>` +
    '<thead><tr><th scope="col">Layer</th><th scope="col">Kind</th><th scope="col">Output shape</th>' +
    '<th scope="col">Parameters</th></tr></thead>' +
    `<tbody>${body}</tbody><tfoot><tr><th scope="row" colspan="3">Total</th>` +
    `<td class="num"><strong>${count(total)}</strong></td></tr></tfoot></table>`
  );
}

/**
 * The text of every line the lab has said something on, from its state. Two lines are derived: the backend line
 * names the backend once the worker runs, and the training line starts with "Paused · " while the run is paused.
 */
export function displayLines(
  state: Pick<LabState, 'display' | 'phase' | 'activeBackend' | 'backends'> &
    Partial<Pick<LabState, 'workers' | 'config'>>,
): Partial<Record<LabLine, string>> {
  const lines = { ...state.display.lines };
  const { activeBackend, backends } = state;
  if (activeBackend) {
    const others = backends
      .filter((b) => b.name !== activeBackend && !b.ok && b.reason)
      .map((b) => `${b.name}: ${b.reason}`);
    lines['backend-line'] =
      `Engine: TensorFlow.js on ${activeBackend}, ${workersText(plannedWorkers(state))}.` +
      (others.length ? ` Not used: ${others.join('; ')}.` : '');
  }
  if (state.phase === 'paused' && lines['train-text'] !== undefined)
    lines['train-text'] = `Paused · ${lines['train-text']}`;
  return lines;
}

/**
 * The workers the backend line names. During a run, those training (the worker reports them, and a lost helper
 * lowers the count); between runs on wasm, those the next run will use, from the Workers setting, so the line and
 * the select never disagree. A GPU backend trains in one worker whatever the setting.
 */
function plannedWorkers(
  state: Pick<LabState, 'phase' | 'activeBackend'> & Partial<Pick<LabState, 'workers' | 'config'>>,
): LabState['workers'] {
  const w = state.workers ?? null;
  if (!w || isBusy(state.phase) || state.activeBackend !== 'wasm') return w;
  return { used: state.config?.workers ?? workerCount(w.cores), cores: w.cores };
}

/**
 * How many workers the lab trains on: "in 3 background workers training in parallel, each on a share of every batch
 * (this device has 4 cores)", or "in a background worker (1 of this device’s 2 cores)". By default one worker per
 * core, up to 4 (src/ml/config.ts workerCount); the reader may choose another count (the Workers setting).
 */
export function workersText(w: LabState['workers']): string {
  if (!w || w.used <= 1) {
    if (!w) return 'in a background worker';
    return `in a background worker (${w.cores > 1 ? `1 of this device’s ${count(w.cores)} cores` : 'this device’s only core'})`;
  }
  return (
    `in ${w.used} background workers training in parallel, each on a share of every batch ` +
    `(this device has ${count(w.cores)} ${w.cores === 1 ? 'core' : 'cores'})`
  );
}

/** Progress of a run in words: "1,200 of 2,000 images (60 %) · 1,650 images/s · about 1 s left". */
export function describeProgress(p: { imagesSeen: number; imagesTotal: number; imagesPerSec: number }): string {
  const frac = p.imagesTotal > 0 ? p.imagesSeen / p.imagesTotal : 0;
  const left = p.imagesPerSec > 0 ? (p.imagesTotal - p.imagesSeen) / p.imagesPerSec : NaN;
  const parts = [`${count(p.imagesSeen)} of ${count(p.imagesTotal)} images (${Math.round(frac * 100)} %)`];
  if (p.imagesPerSec > 0) parts.push(`${count(p.imagesPerSec)} images/s`);
  if (Number.isFinite(left)) parts.push(`about ${seconds(left)} left`);
  return parts.join(' · ');
}

/**
 * The 10x10 confusion matrix as a table: rows are true digits, columns predicted; the shade of a cell grows with
 * its share of the row, so the diagonal is dark and each mistake stands out by how common it is.
 */
export function renderConfusion(e: Evaluation): string {
  const head = `<thead><tr><td></td>${Array.from({ length: 10 }, (_, c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>`;
  const body = e.confusion
    .map((row, t) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const cells = row
        .map((n, p) => {
          const share = n / total;
          const cls = t === p ? 'diag' : n > 0 ? 'miss' : 'zero';
          // Shade from the share of the row: 0 -> none, 1 -> full; mistakes get a floor so a single one is visible.
          const strength = n === 0 ? 0 : t === p ? share : Math.max(0.12, Math.min(1, share * 8));
          return `<td class="${cls}" style="--s:${strength.toFixed(3)}" title="true ${t}, predicted ${p}: ${n}">${n}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${t}</th>${cells}</tr>`;
    })
    .join('');
  return (
    '<table class="confusion"><caption>Confusion matrix on the test set: rows are the true digit, columns the ' +
    `prediction</caption>${head}<tbody>${body}</tbody></table>`
  );
}

/** The most frequent confusions in words: "4 taken for 9 (12 times), 7 taken for 2 (9 times)". */
export function topConfusions(e: Evaluation, k = 3): string {
  const pairs: { t: number; p: number; n: number }[] = [];
  e.confusion.forEach((row, t) => row.forEach((n, p) => t !== p && n > 0 && pairs.push({ t, p, n })));
  pairs.sort((a, b) => b.n - a.n || a.t - b.t);
  if (pairs.length === 0) return 'no mistakes at all';
  return pairs
    .slice(0, k)
    .map((x) => `${x.t} taken for ${x.p} (${x.n} ${x.n === 1 ? 'time' : 'times'})`)
    .join(', ');
}

/** One sentence summing up an evaluation, for the status line and screen readers. */
export function describeEvaluation(e: Evaluation): string {
  const worst = e.perClass.reduce((w, a, i) => (a < e.perClass[w]! ? i : w), 0);
  const wrong = e.confusion.reduce((s, row, t) => s + row.reduce((a, n, p) => a + (p === t ? 0 : n), 0), 0);
  return (
    `Test accuracy ${pct(e.accuracy)}: ${count(wrong)} of the test digits are wrong. Hardest digit: ${worst} ` +
    `(${pct(e.perClass[worst]!, 1)}). Most common mistakes: ${topConfusions(e)}.`
  );
}

/** Top-k classes of a probability vector, most likely first. */
export function topK(probs: readonly number[], k = 3): { digit: number; p: number }[] {
  return probs
    .map((p, digit) => ({ digit, p: Number.isFinite(p) ? p : 0 }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k);
}

/** Top-3 probabilities as a list with bars. */
export function renderTop3(probs: readonly number[]): string {
  return `<ol class="top3">${topK(probs)
    .map(
      (x) =>
        `<li><span class="digit">${x.digit}</span><span class="bar" style="--p:${x.p.toFixed(4)}"></span>` +
        `<span class="p">${pct(x.p, 1)}</span></li>`,
    )
    .join('')}</ol>`;
}
