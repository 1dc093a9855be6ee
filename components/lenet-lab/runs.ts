import { type BackendName, presetShort, scheduleOf, type TrainConfig, type TrainHistory } from '../../src/ml/index.ts';
import { esc } from '../internal/format.ts';
import { pct, seconds } from './lab-format.ts';

/** One finished run in the comparison table (serializable; kept in localStorage). */
export interface RunRecord {
  /** 1-based run number. */
  n: number;
  /** Exercise and run label, or "Your settings". */
  tag: string;
  config: TrainConfig;
  epochsDone: number;
  reason: 'completed' | 'stopped' | 'early-stopping';
  trainAccuracy: number | null;
  valAccuracy: number | null;
  testAccuracy: number;
  seconds: number;
  backend: BackendName | null;
  /** Shards each batch was split into, when more than 1 (older records lack it). */
  shards?: number;
}

/** Builds the record of a run from its history and final test accuracy. */
export function makeRecord(
  n: number,
  tag: string,
  history: TrainHistory,
  reason: RunRecord['reason'],
  testAccuracy: number,
  epochsBefore: number,
): RunRecord {
  const mine = history.epochs.slice(epochsBefore);
  const last = mine.at(-1);
  return {
    n,
    tag,
    config: history.config,
    // A stop mid-epoch counts the share of that epoch done, not a whole epoch.
    epochsDone: Math.round(mine.reduce((s, e) => s + (e.partial ?? 1), 0) * 100) / 100,
    reason,
    trainAccuracy: last?.trainAccuracy ?? null,
    valAccuracy: last?.valAccuracy ?? null,
    testAccuracy,
    seconds: mine.reduce((s, e) => s + e.seconds, 0),
    backend: last?.backend ?? null,
    ...(last?.shards ? { shards: last.shards } : {}),
  };
}

function settings(c: TrainConfig): string {
  // Short: the column is narrow, and on a phone the table scrolls.
  const decay = scheduleOf(c) === 'cosine-restarts' ? `cosine ×${c.lrDecay}` : `decay ${c.lrDecay}`;
  const parts = [`${c.optimizer} ${c.learningRate}`, decay, `batch ${c.batchSize}`];
  if (c.l2 > 0) parts.push(`L2 ${c.l2}`);
  if (c.dropout > 0) parts.push(`dropout ${c.dropout}`);
  if (c.patience > 0) parts.push(`patience ${c.patience}`);
  if (c.augment.shift > 0) parts.push(`shift ±${c.augment.shift} px`);
  if (c.augment.rotate > 0) parts.push(`rotate ±${c.augment.rotate}°`);
  return parts.join(', ');
}

const REASONS: Record<RunRecord['reason'], string> = {
  completed: '',
  stopped: ' (stopped)',
  'early-stopping': ' (stopped early)',
};

/** The comparison table as HTML; an empty table says how to fill it. */
export function renderRunsTable(runs: readonly RunRecord[], captionId: string): string {
  const head =
    '<thead><tr><th scope="col">#</th><th scope="col">Run</th><th scope="col">Model</th><th scope="col">Settings</th>' +
    '<th scope="col">Images</th><th scope="col">Epochs</th><th scope="col">Train acc.</th>' +
    '<th scope="col">Val. acc.</th><th scope="col">Test acc.</th><th scope="col">Time</th></tr></thead>';
  const body =
    runs.length === 0
      ? '<tr><td colspan="10" class="empty-row">No runs yet. Train a model or press a Run button in an exercise.</td></tr>'
      : runs
          .map(
            (r) =>
              `<tr><td>${r.n}</td><th scope="row">${esc(r.tag)}</th><td>${esc(presetShort(r.config.preset))}</td>` +
              `<td>${esc(settings(r.config))}</td><td class="num">${r.config.trainSubset.toLocaleString('en-US')}</td>` +
              `<td class="num">${r.epochsDone}${REASONS[r.reason]}</td>` +
              `<td class="num">${r.trainAccuracy === null ? '—' : pct(r.trainAccuracy)}</td>` +
              `<td class="num">${r.valAccuracy === null ? '—' : pct(r.valAccuracy)}</td>` +
              `<td class="num"><strong>${pct(r.testAccuracy)}</strong></td>` +
              `<td class="num">${seconds(r.seconds)}${r.backend ? ` on ${r.backend}` : ''}${
                r.shards ? `, ${r.shards} workers` : ''
              }</td></tr>`,
          )
          .join('');
  return `<table class="runs" aria-labelledby="${esc(captionId)}">${head}<tbody>${body}</tbody></table>`;
}

/** localStorage key of a lab's runs. */
export function runsKey(id: string): string {
  return `convnotebook:${id}:runs`;
}

/** Reads saved runs; anything unreadable counts as none (a corrupt entry must not break the page). */
export function loadRuns(id: string): RunRecord[] {
  try {
    const raw = localStorage.getItem(runsKey(id));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as RunRecord[]).filter((r) => typeof r?.testAccuracy === 'number') : [];
  } catch {
    return [];
  }
}

/** Saves runs; returns false when storage is full or blocked (the table still works for this visit). */
export function saveRuns(id: string, runs: readonly RunRecord[]): boolean {
  try {
    localStorage.setItem(runsKey(id), JSON.stringify(runs));
    return true;
  } catch {
    return false;
  }
}

/** The comparison table on the page: numbers the runs, keeps them in localStorage, re-renders. */
export class RunsTable {
  private runs: RunRecord[];
  private readonly id: string;
  private readonly holder: HTMLElement;

  constructor(id: string, holder: HTMLElement) {
    this.id = id;
    this.holder = holder;
    this.runs = loadRuns(id);
    this.render();
  }

  /** Adds a finished run; returns false when it could not be kept in storage. */
  add(r: RunRecord): boolean {
    this.runs.push({ ...r, n: (this.runs.at(-1)?.n ?? 0) + 1 });
    this.render();
    return saveRuns(this.id, this.runs);
  }

  clear(): void {
    this.runs = [];
    saveRuns(this.id, this.runs);
    this.render();
  }

  private render(): void {
    this.holder.innerHTML = renderRunsTable(this.runs, `${this.id}-runs-heading`);
  }
}
