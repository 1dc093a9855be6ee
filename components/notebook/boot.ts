/**
 * <nb-cell>'s first, tiny part: every chapter with a cell loads only this. It shows the buttons, restores the
 * reader's saved code and badge from localStorage, and loads the editor, the runner and the worker (live.ts) the
 * first time the reader focuses or clicks the cell. Nothing here runs the reader's code.
 */
import { STORAGE_KEY } from '../../src/notebook/constants.ts';

interface Saved {
  code?: unknown;
  status?: unknown;
  summary?: unknown;
}

/** The saved record of one cell, or undefined (a missing or unreadable store counts as empty). */
export function savedCell(key: string): Saved | undefined {
  try {
    const data = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as { cells?: Record<string, Saved> };
    const cell = data.cells?.[key];
    return cell && typeof cell === 'object' ? cell : undefined;
  } catch {
    return undefined;
  }
}

const BADGE: Record<string, string> = {
  passed: 'Passed',
  failed: 'Not passed yet',
  error: 'Not passed yet',
  ran: 'Not checked yet',
};

class NotebookCellElement extends HTMLElement {
  #live: Promise<void> | null = null;

  connectedCallback(): void {
    const key = this.dataset['key'] ?? '';
    const saved = savedCell(key);
    const pre = this.querySelector<HTMLElement>('[data-role="static"]');
    const starter = pre?.textContent ?? '';
    this.dataset['starter'] = starter;
    if (pre && typeof saved?.code === 'string' && saved.code !== starter) {
      // The reader's own code, shown plain until the editor (which colours it) loads.
      pre.textContent = saved.code;
      pre.dataset['saved'] = 'true';
    }
    const badge = this.querySelector<HTMLElement>('[data-role="badge"]');
    if (badge && typeof saved?.status === 'string' && BADGE[saved.status]) {
      badge.textContent = BADGE[saved.status]!;
      badge.dataset['status'] = saved.status;
    }
    for (const role of ['actions', 'keys'])
      this.querySelector<HTMLElement>(`[data-role="${role}"]`)?.removeAttribute('hidden');
    this.querySelector<HTMLElement>('[data-action="use-solution"]')?.removeAttribute('hidden');
    pre?.addEventListener('focus', () => void this.activate(null), { once: true });
    pre?.addEventListener('pointerdown', () => void this.activate(null), { once: true });
    this.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
      if (button && !this.#live) void this.activate(button.dataset['action'] ?? null);
    });
  }

  /** Loads the live cell once; the action that triggered it (Run, Check, …) is replayed when it is ready. */
  activate(action: string | null): Promise<void> {
    this.#live ??= import('./live.ts')
      .then((m) => m.goLive(this, action))
      .catch(() => {
        const msg = this.querySelector<HTMLElement>('[data-role="message"]');
        if (msg) {
          msg.textContent =
            'The editor could not be loaded (offline, or the site was updated). Reload the page to try again.';
          msg.hidden = false;
        }
        this.#live = null;
      });
    return this.#live;
  }
}

export function defineNotebookCell(): void {
  if (!customElements.get('nb-cell')) customElements.define('nb-cell', NotebookCellElement);
}
