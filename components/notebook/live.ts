/**
 * A cell once the reader has touched it: the editor in place of the static code, Run/Check/Reset wired to the
 * page's notebook runner (one worker per page), output and check reports drawn below, the code and result saved.
 * Loaded on demand by boot.ts, so chapters pay for CodeMirror only when a reader starts writing code.
 */
import { NotebookRunner, timeoutMessage, type JobResult } from '../../src/notebook/runner.ts';
import type { OutputItem } from '../../src/notebook/format.ts';
import type { ErrorInfo, Prerequisite } from '../../src/notebook/protocol.ts';
import {
  exerciseKey,
  readNotebook,
  STORAGE_KEY,
  updateCell,
  type CellRecord,
  type CellStatus,
} from '../../src/notebook/store.ts';
import { createEditor, type CellEditor } from './editor.ts';
import { fullText, itemsHtml, reportHtml } from './output-view.ts';
import { spawnNotebookWorker } from './spawn.ts';
import { esc } from '../internal/format.ts';

let runner: NotebookRunner | null = null;

/** One worker per page, shared by every cell: the chapter's notebook scope. */
function pageRunner(): NotebookRunner {
  runner ??= new NotebookRunner(() => spawnNotebookWorker('convnotebook-cells'));
  return runner;
}

/** Same mangling the sandbox applies to a cell id in its stack traces. */
const safeId = (id: string) => id.replace(/[^\w]/g, '_');

const BADGE: Record<CellStatus, string> = {
  passed: 'Passed',
  failed: 'Not passed yet',
  error: 'Not passed yet',
  ran: 'Not checked yet',
};

class LiveCell {
  private readonly editor: CellEditor;
  private readonly key: string;
  private readonly isExercise: boolean;
  private readonly limitMs: number;
  private readonly starter: string;
  private items: OutputItem[] = [];
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private pending: (() => void) | null = null;
  private busy = false;

  constructor(private readonly el: HTMLElement) {
    this.key = el.dataset['key'] ?? '';
    this.isExercise = el.dataset['kind'] === 'exercise';
    this.limitMs = Number(el.dataset['limit']) || 3000;
    this.starter = el.dataset['starter'] ?? '';
    const host = this.part('code');
    const doc = this.part('static').textContent ?? this.starter;
    const title = el.querySelector('.nb-title')?.textContent ?? 'Code cell';
    this.editor = createEditor(host, {
      doc,
      label: `${title}: code editor`,
      describedBy: `${el.id}-keys`,
      onRun: () => void this.execute('run'),
      onChange: (code) => this.scheduleSave(code),
    });
    el.addEventListener('click', (e) => this.onClick(e));
  }

  private part(role: string): HTMLElement {
    return this.el.querySelector<HTMLElement>(`[data-role="${role}"]`)!;
  }

  focus(): void {
    this.editor.focus();
  }

  onClick(e: MouseEvent): void {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    if (!button || !this.el.contains(button)) return;
    this.act(button.dataset['action'] ?? '', button);
  }

  act(action: string, button?: HTMLButtonElement): void {
    switch (action) {
      case 'run':
      case 'check':
        void this.execute(action);
        break;
      case 'reset':
        this.confirm('Discard your code and go back to the starter?', () => this.replaceCode(this.starter));
        break;
      case 'use-solution':
        this.confirm('Replace your code with the solution?', () => {
          this.replaceCode(this.part('solution').textContent ?? this.starter);
        });
        break;
      case 'confirm-reset':
        this.pending?.();
        this.closeConfirm();
        this.editor.focus();
        break;
      case 'cancel-reset':
        this.closeConfirm();
        this.el.querySelector<HTMLButtonElement>('[data-action="reset"]')?.focus();
        break;
      case 'show-all':
        this.showAll(Number(button?.dataset['item']), button);
        break;
      case 'goto-line':
        this.gotoLine(Number(button?.dataset['line']));
        break;
      default:
        break;
    }
  }

  private confirm(question: string, then: () => void): void {
    const bar = this.part('confirm');
    bar.querySelector('span')!.textContent = question;
    bar.hidden = false;
    this.pending = then;
    bar.querySelector<HTMLButtonElement>('[data-action="cancel-reset"]')?.focus();
  }

  private closeConfirm(): void {
    this.part('confirm').hidden = true;
    this.pending = null;
  }

  private replaceCode(code: string): void {
    this.editor.setCode(code);
    this.editor.markError(null);
    this.setOutput([]);
    this.part('report').hidden = true;
    this.part('used').hidden = true;
    this.announce(code === this.starter ? 'Back to the starter code.' : 'The solution is in the editor.');
    this.save((old) => {
      const rec: CellRecord = { ...(old ?? { updated: 0 }), code, updated: Date.now() };
      return rec;
    });
  }

  private gotoLine(line: number): void {
    if (!Number.isInteger(line) || line < 1) return;
    this.editor.markError(line);
    const view = this.editor.view;
    const at = view.state.doc.line(Math.min(line, view.state.doc.lines)).from;
    view.dispatch({ selection: { anchor: at } });
    this.editor.focus();
  }

  private showAll(index: number, button?: HTMLButtonElement): void {
    const item = this.items[index];
    const text = item ? fullText(item) : undefined;
    if (!text || !button) return;
    const pre = document.createElement('pre');
    pre.className = 'nb-out-text';
    pre.textContent = text;
    pre.tabIndex = 0;
    button.closest('p')?.after(pre);
    button.remove();
    pre.focus();
  }

  private scheduleSave(code: string): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.save((old) => ({ ...(old ?? {}), code, updated: Date.now() }));
    }, 400);
  }

  private save(change: (old: CellRecord | undefined) => CellRecord | undefined): void {
    const r = updateCell(localStorage, this.key, change);
    const msg = this.part('storage');
    msg.textContent = r.ok ? '' : r.message;
    msg.hidden = r.ok;
  }

  /** The reader's passed version of each prerequisite, else the course's (the worker fills in its source). */
  private prereqs(): Prerequisite[] {
    const uses = JSON.parse(this.el.dataset['uses'] ?? '[]') as { exercise: string; fn: string }[];
    const data = readNotebook(localStorage.getItem(STORAGE_KEY));
    return uses.map((u) => {
      const rec = data.cells[exerciseKey(u.exercise)];
      return rec?.passedCode
        ? { exercise: u.exercise, fn: u.fn, source: rec.passedCode, origin: 'yours' as const }
        : { exercise: u.exercise, fn: u.fn, source: '', origin: 'course' as const };
    });
  }

  private setOutput(items: OutputItem[]): void {
    this.items = items;
    const out = this.part('output');
    out.innerHTML = itemsHtml(items);
    out.hidden = items.length === 0;
  }

  private appendOutput(items: OutputItem[]): void {
    const out = this.part('output');
    out.insertAdjacentHTML('beforeend', itemsHtml(items, this.items.length));
    this.items.push(...items);
    out.hidden = false;
  }

  private announce(text: string): void {
    this.part('status').textContent = text;
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    for (const b of this.el.querySelectorAll<HTMLButtonElement>('[data-action="run"], [data-action="check"]')) {
      b.disabled = busy;
    }
  }

  async execute(mode: 'run' | 'check'): Promise<void> {
    if (this.busy) return;
    if (mode === 'check' && !this.isExercise) return;
    const code = this.editor.code();
    clearTimeout(this.saveTimer);
    this.save((old) => ({ ...(old ?? {}), code, updated: Date.now() }));
    this.setBusy(true);
    this.part('message').hidden = true;
    this.editor.markError(null);
    this.setOutput([]);
    this.part('report').hidden = true;
    this.announce('Waiting for another cell to finish…');
    const prereqs = this.prereqs();
    const exerciseId = this.el.dataset['exercise'] ?? '';
    const req =
      mode === 'check'
        ? { type: 'check' as const, cellId: this.key, exerciseId, code, prereqs }
        : { type: 'run' as const, cellId: this.key, code, prereqs };
    const result = await pageRunner().submit(req, {
      limitMs: this.limitMs,
      onOutput: (items) => this.appendOutput(items),
      onStart: () => this.announce(mode === 'check' ? 'Checking…' : 'Running…'),
    });
    this.finish(mode, code, result);
    this.setBusy(false);
  }

  private finish(mode: 'run' | 'check', code: string, r: JobResult): void {
    const msg = this.part('message');
    if (r.type !== 'done') {
      const text =
        r.type === 'timeout'
          ? `${timeoutMessage(r.limitMs)} The cell was stopped; you can edit and run it again.`
          : r.type === 'crashed'
            ? r.message
            : 'Stopped.';
      msg.textContent = text;
      msg.hidden = false;
      this.announce(text);
      this.record(mode === 'check' ? 'failed' : 'error', text, code);
      return;
    }
    this.showUsed(r.used ?? []);
    if (r.error) {
      const text = this.errorText(r.error);
      msg.textContent = text;
      msg.hidden = false;
      if (r.error.line !== undefined && (!r.error.cellId || r.error.cellId === safeId(this.key))) {
        this.editor.markError(r.error.line);
      }
      this.announce(text);
      this.record('error', text, code);
      return;
    }
    if (mode === 'run' || !r.report) {
      const n = this.items.length;
      const text = `Ran in ${r.ms} ms${n ? `; ${n} output${n === 1 ? '' : 's'} below` : ''}.${r.defined.length ? ` Defined: ${r.defined.slice(0, 6).join(', ')}${r.defined.length > 6 ? ', …' : ''}.` : ''}`;
      this.announce(text);
      if (!this.isExercise) this.record('ran', text, code);
      return;
    }
    const report = r.report;
    const box = this.part('report');
    box.innerHTML = reportHtml(report, { fn: this.el.dataset['fn'] ?? '', lineButton: true });
    box.dataset['passed'] = String(report.passed);
    box.hidden = false;
    const err = report.failure?.error;
    if (err?.line !== undefined && (!err.cellId || err.cellId === safeId(this.key))) this.editor.markError(err.line);
    const text = report.passed
      ? `Passed: all ${report.total} cases.`
      : `${report.passedCount} of ${report.total} cases passed.${report.mistake ? ` Looks like: ${report.mistake.name}.` : ''} ${report.failure?.message ?? ''}`.trim();
    this.announce(text);
    this.record(report.passed ? 'passed' : 'failed', text, code);
  }

  private errorText(e: ErrorInfo): string {
    const where =
      e.line !== undefined
        ? ` (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''}${
            e.cellId && e.cellId !== safeId(this.key) ? ` of ${this.cellName(e.cellId)}` : ''
          })`
        : '';
    return `${e.kind === 'syntax' ? '' : 'Error: '}${e.message}${where}`;
  }

  /** The title of the cell a mangled id belongs to, for "line 3 of Exercise: …". */
  private cellName(safe: string): string {
    for (const cell of document.querySelectorAll<HTMLElement>('nb-cell')) {
      if (safeId(cell.dataset['key'] ?? '') === safe)
        return `“${cell.querySelector('.nb-title')?.textContent ?? 'another cell'}”`;
    }
    return 'another cell';
  }

  private showUsed(used: { fn: string; exercise: string; origin: 'yours' | 'course' }[]): void {
    const box = this.part('used');
    if (used.length === 0) {
      box.hidden = true;
      return;
    }
    box.innerHTML = used
      .map((u) =>
        u.origin === 'yours'
          ? `Using <strong>your</strong> <code>${esc(u.fn)}</code> (the version that passed its exercise).`
          : `Using the <strong>course’s</strong> <code>${esc(u.fn)}</code>: yours has not passed its exercise yet.`,
      )
      .join('<br>');
    box.hidden = false;
  }

  private record(status: CellStatus, summary: string, code: string): void {
    this.save((old) => {
      const rec: CellRecord = { ...(old ?? {}), code, updated: old?.updated ?? Date.now(), status, summary };
      if (status === 'passed') rec.passedCode = code;
      // A cell that passed once keeps its passed code for later exercises until it passes with new code.
      if (old?.status === 'passed' && status !== 'passed' && this.isExercise && old.passedCode) {
        rec.passedCode = old.passedCode;
      }
      return rec;
    });
    const badge = this.el.querySelector<HTMLElement>('[data-role="badge"]');
    if (badge && (this.isExercise ? status !== 'ran' : false)) {
      badge.textContent = BADGE[status];
      badge.dataset['status'] = status;
    }
    document.dispatchEvent(new CustomEvent('notebook-progress'));
  }
}

/** Turns a server-rendered cell live; runs the action (Run, Check, …) that triggered it, else focuses the editor. */
export function goLive(el: HTMLElement, action: string | null): void {
  const cell = new LiveCell(el);
  if (action) {
    const button = el.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`) ?? undefined;
    cell.act(action, button);
  } else {
    cell.focus();
  }
}
