import type { KatexOptions } from 'katex';

type Katex = typeof import('katex').default;

/**
 * KaTeX for the views that run both at build time and in the browser (steppers' live formulas).
 *
 * At build time (and in unit tests) KaTeX loads with this module, so server rendering stays synchronous and the
 * first state ships as finished HTML. Browser bundles drop that branch (Vite sets `import.meta.env.SSR` to false):
 * KaTeX (76 KB gzipped) loads only when a widget is about to change (`primeTex`) or first renders a formula, so a
 * chapter costs no KaTeX until the reader interacts.
 */
let katex: Katex | undefined;
let loading: Promise<Katex> | undefined;
if (import.meta.env.SSR) katex = (await import('katex')).default;

/** Starts loading KaTeX (once) and resolves when formulas render; then upgrades any placeholder already on screen. */
export function loadKatex(): Promise<Katex> {
  if (katex) return Promise.resolve(katex);
  loading ??= import('katex').then((m) => {
    katex = m.default;
    upgradePending();
    return katex;
  });
  return loading;
}

/**
 * Loads KaTeX as soon as the reader comes near `widget` (pointer over it, focus or touch inside it), so by the time a
 * click or key changes its state the formulas render at once.
 */
export function primeTex(widget: HTMLElement): void {
  if (katex) return;
  // A widget defined lazily (lazy-define.ts) connects while the reader is already there.
  if (widget.matches(':hover, :focus-within')) {
    void loadKatex();
    return;
  }
  const go = (): void => {
    for (const type of PRIME_EVENTS) widget.removeEventListener(type, go);
    void loadKatex();
  };
  for (const type of PRIME_EVENTS) widget.addEventListener(type, go, { passive: true });
}
const PRIME_EVENTS = ['pointerenter', 'focusin', 'touchstart'] as const;

/**
 * Runs `paint` at once when KaTeX is loaded, else as soon as it has loaded: a widget's first change waits a moment
 * rather than showing a formula's TeX source. The widget's state has already changed, so a later paint shows the
 * latest state, and several waiting paints end in the same picture. While it waits the widget is `aria-busy`.
 */
export function whenTex(widget: HTMLElement, paint: () => void): void {
  if (katex) {
    paint();
    return;
  }
  widget.setAttribute('aria-busy', 'true');
  void loadKatex().then(() => {
    paint();
    widget.removeAttribute('aria-busy');
  });
}

/**
 * `katex.renderToString(src, options)`. Before KaTeX has loaded in the browser (a state restored from the URL before
 * any interaction, or a key pressed at once) it returns the TeX source in a placeholder that `loadKatex` replaces
 * with the formula a moment later.
 */
export function renderTex(src: string, options: KatexOptions): string {
  if (katex) return katex.renderToString(src, options);
  void loadKatex();
  const opts = JSON.stringify(options);
  return `<span data-tex-pending="${attr(src)}" data-tex-options="${attr(opts)}">${attr(src)}</span>`;
}

function upgradePending(): void {
  if (!katex || typeof document === 'undefined') return;
  for (const el of document.querySelectorAll<HTMLElement>('[data-tex-pending]')) {
    const options = JSON.parse(el.dataset['texOptions'] ?? '{}') as KatexOptions;
    el.outerHTML = katex.renderToString(el.dataset['texPending'] ?? '', options);
  }
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
