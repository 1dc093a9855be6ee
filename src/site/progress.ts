/**
 * Fills every `[data-nb-progress]` placeholder (home page, sidebar, notebook page) with how many of its
 * exercises pass, from the notebook kept in localStorage. Tiny and import-free apart from the storage key, so
 * every page can afford it; updates when a cell reports a new result (`notebook-progress` event).
 */
import { STORAGE_KEY } from '../notebook/constants.ts';

function passed(): Set<string> {
  try {
    const data = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as {
      cells?: Record<string, { status?: unknown }>;
    };
    return new Set(
      Object.entries(data.cells ?? {})
        .filter(([k, c]) => k.startsWith('exercise:') && c?.status === 'passed')
        .map(([k]) => k.slice('exercise:'.length)),
    );
  } catch {
    return new Set();
  }
}

/** Writes "n of m" into each placeholder; hidden while nothing has passed, unless `data-always` is set. */
export function renderProgress(): void {
  const done = passed();
  for (const el of document.querySelectorAll<HTMLElement>('[data-nb-progress]')) {
    const ids = (el.dataset['nbProgress'] ?? '').split(' ').filter(Boolean);
    const n = ids.filter((id) => done.has(id)).length;
    const short = el.querySelector<HTMLElement>('[data-short]');
    const long = el.querySelector<HTMLElement>('[data-long]');
    const hidden = ids.length === 0 || (n === 0 && el.dataset['always'] === undefined);
    // A hidden placeholder holds no text, so the link it sits in reads exactly as before anything passed.
    const text = hidden ? '' : `${n} of ${ids.length} exercise${ids.length === 1 ? '' : 's'} passed`;
    if (short) short.textContent = hidden ? '' : `${n}/${ids.length}${n === ids.length ? ' ✓' : ''}`;
    if (long) long.textContent = text;
    el.dataset['complete'] = String(n === ids.length && n > 0);
    el.hidden = hidden;
  }
}

export function watchProgress(): void {
  renderProgress();
  document.addEventListener('notebook-progress', renderProgress);
  window.addEventListener('storage', (e) => {
    if (e.key === STORAGE_KEY) renderProgress();
  });
}
