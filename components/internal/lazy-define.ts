/**
 * Defines the custom element `tag` only when the reader first comes near one of its instances (pointer over it,
 * focus or touch inside it), or at once when the URL carries state for one (a shared link). Until then the page shows
 * the widget's server-rendered first state and loads none of its code: for widgets whose behaviour is large (the
 * gradient checker runs the engine's backward passes), this keeps a chapter light before the reader interacts.
 *
 * Events that reach a widget before its module has loaded (a click or key right after the pointer arrived) are kept
 * and dispatched again on their targets once the element is defined, so the first interaction is not lost. A click
 * on a form control is not replayed (its own default already toggled it; its `input`/`change` events are replayed).
 *
 * @param load imports the widget's module and returns its define function, e.g.
 *   `() => import('./element.ts').then((m) => m.defineGradientChecker)`
 */
export function defineOnIntent(tag: string, load: () => Promise<() => void>): void {
  const widgets = [...document.querySelectorAll<HTMLElement>(tag)];
  if (widgets.length === 0) return;
  const early: Event[] = [];
  const keep = (e: Event): void => void early.push(e);
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    for (const w of widgets) for (const type of INTENT) w.removeEventListener(type, start);
    void load().then((define) => {
      define();
      for (const w of widgets) for (const type of KEPT) w.removeEventListener(type, keep, true);
      for (const e of early.splice(0)) replay(e);
    });
  };
  for (const w of widgets) {
    for (const type of KEPT) w.addEventListener(type, keep, true);
    for (const type of INTENT) w.addEventListener(type, start, { passive: true });
  }
  const params = [...new URLSearchParams(location.search).keys()];
  if (widgets.some((w) => w.id && params.some((k) => k.startsWith(`${w.id}.`)))) start();
}

const INTENT = ['pointerenter', 'focusin', 'touchstart'] as const;
const KEPT = ['click', 'keydown', 'input', 'change'] as const;

function replay(e: Event): void {
  const target = e.target;
  if (!(target instanceof HTMLElement) || !target.isConnected) return;
  if (e instanceof KeyboardEvent) {
    const { key, code, shiftKey, ctrlKey, altKey, metaKey, repeat } = e;
    const init = { key, code, shiftKey, ctrlKey, altKey, metaKey, repeat, bubbles: true, cancelable: true };
    target.dispatchEvent(new KeyboardEvent(e.type, init));
  } else if (e.type === 'click') {
    if (target.closest('input, select, textarea, label')) return;
    target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  } else {
    target.dispatchEvent(new Event(e.type, { bubbles: true }));
  }
}
