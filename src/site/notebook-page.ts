/**
 * <notebook-manager>: the notebook page's behaviour. Shows each exercise's saved state, exports the notebook as one
 * JSON file, imports one after asking (a bad file changes nothing and says why), and erases it after asking.
 */
import {
  emptyNotebook,
  exportNotebook,
  NotebookFileError,
  parseNotebook,
  readNotebook,
  STORAGE_KEY,
  type NotebookData,
} from '../notebook/store.ts';
import { renderProgress } from './progress.ts';

/** Largest file the page reads (a notebook of every exercise is a few hundred kilobytes). */
const MAX_FILE_BYTES = 5_000_000;

const STATE_TEXT: Record<string, string> = {
  passed: 'Passed',
  failed: 'Checked, not passed yet',
  error: 'Last run had an error',
  ran: 'Run, not checked',
};

class NotebookManager extends HTMLElement {
  #pending: NotebookData | 'erase' | null = null;

  connectedCallback(): void {
    for (const el of this.querySelectorAll<HTMLElement>('[data-role="actions"]')) el.hidden = false;
    this.addEventListener('click', (e) => this.#onClick(e));
    this.querySelector<HTMLInputElement>('input[type="file"]')?.addEventListener('change', (e) => {
      void this.#onFile(e.target as HTMLInputElement);
    });
    this.#refresh();
  }

  #part(role: string): HTMLElement {
    return this.querySelector<HTMLElement>(`[data-role="${role}"]`)!;
  }

  #refresh(): void {
    const data = readNotebook(localStorage.getItem(STORAGE_KEY));
    for (const el of this.querySelectorAll<HTMLElement>('.state[data-exercise]')) {
      const rec = data.cells[`exercise:${el.dataset['exercise']}`];
      const status = rec?.status;
      el.textContent = status ? (STATE_TEXT[status] ?? 'Started') : rec ? 'Started, not run' : 'Not started';
      if (status) el.dataset['status'] = status;
      else delete el.dataset['status'];
    }
    renderProgress();
  }

  #say(text: string): void {
    this.#part('status').textContent = text;
  }

  #error(text: string | null): void {
    const msg = this.#part('message');
    msg.textContent = text ?? '';
    msg.hidden = text === null;
    this.querySelector('input[type="file"]')?.setAttribute('aria-invalid', String(text !== null));
  }

  #ask(question: string, pending: NotebookData | 'erase', confirmLabel: string): void {
    this.#pending = pending;
    this.#part('question').textContent = question;
    const confirm = this.#part('confirm');
    confirm.querySelector<HTMLButtonElement>('[data-action="confirm"]')!.textContent = confirmLabel;
    confirm.hidden = false;
    confirm.querySelector<HTMLButtonElement>('[data-action="cancel"]')?.focus();
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (action === 'export') this.#export();
    if (action === 'erase') {
      const n = Object.keys(readNotebook(localStorage.getItem(STORAGE_KEY)).cells).length;
      this.#ask(
        `Erase all ${n} saved cell${n === 1 ? '' : 's'} from this browser? This cannot be undone.`,
        'erase',
        'Erase',
      );
    }
    if (action === 'cancel') {
      this.#part('confirm').hidden = true;
      this.#pending = null;
      this.#say('Nothing was changed.');
    }
    if (action === 'confirm') this.#apply();
  }

  #export(): void {
    const data = readNotebook(localStorage.getItem(STORAGE_KEY));
    const blob = new Blob([exportNotebook(data)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `convnotebook-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    const n = Object.keys(data.cells).length;
    this.#say(`Exported ${n} cell${n === 1 ? '' : 's'} to ${a.download}.`);
  }

  async #onFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    this.#part('confirm').hidden = true;
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      this.#error(
        `“${file.name}” is ${(file.size / 1e6).toFixed(1)} MB, far larger than a notebook export. Nothing was changed.`,
      );
      return;
    }
    let data: NotebookData;
    try {
      data = parseNotebook(await file.text());
    } catch (err) {
      this.#error(
        err instanceof NotebookFileError ? `“${file.name}”: ${err.message}` : `“${file.name}” could not be read.`,
      );
      return;
    }
    this.#error(null);
    const now = Object.keys(readNotebook(localStorage.getItem(STORAGE_KEY)).cells).length;
    const incoming = Object.keys(data.cells).length;
    this.#ask(
      `Replace your notebook (${now} saved cell${now === 1 ? '' : 's'}) with “${file.name}” (${incoming} cell${incoming === 1 ? '' : 's'})? Export first if you want to keep yours.`,
      data,
      'Replace my notebook',
    );
  }

  #apply(): void {
    const pending = this.#pending;
    this.#pending = null;
    this.#part('confirm').hidden = true;
    if (!pending) return;
    const data = pending === 'erase' ? emptyNotebook() : pending;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(data));
    } catch {
      this.#error('The browser refused to store the notebook (storage full or blocked). Nothing was changed.');
      return;
    }
    const n = Object.keys(data.cells).length;
    this.#say(
      pending === 'erase'
        ? 'Your notebook was erased.'
        : `Imported ${n} cell${n === 1 ? '' : 's'}. Open a chapter to see the code.`,
    );
    const input = this.querySelector<HTMLInputElement>('input[type="file"]');
    if (input) input.value = '';
    this.#refresh();
  }
}

export function defineNotebookManager(): void {
  if (!customElements.get('notebook-manager')) customElements.define('notebook-manager', NotebookManager);
}
