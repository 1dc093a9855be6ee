/**
 * Widget state in the page URL, so a reader can share exactly what they see. Each widget owns the
 * query parameters that start with its id and a dot ("s1.x=0,1,2"), so widgets on one page never collide.
 */
export function readUrlState(id: string): Map<string, string> {
  const out = new Map<string, string>();
  const prefix = `${id}.`;
  for (const [key, value] of new URLSearchParams(location.search)) {
    if (key.startsWith(prefix)) out.set(key.slice(prefix.length), value);
  }
  return out;
}

/** Replaces this widget's parameters in the URL without adding a history entry or reloading. */
export function writeUrlState(id: string, state: Record<string, string>): void {
  const params = new URLSearchParams(location.search);
  const prefix = `${id}.`;
  for (const key of [...params.keys()]) if (key.startsWith(prefix)) params.delete(key);
  for (const [key, value] of Object.entries(state)) params.set(prefix + key, value);
  // Commas and semicolons separate numbers and matrix rows; URLSearchParams reads them back literally, so keep
  // them readable in shared links.
  const query = params.toString().replace(/%2C/g, ',').replace(/%3B/g, ';');
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}

/** The shareable link to the widget: the current URL with the widget's anchor. */
export function shareUrl(id: string): string {
  return `${location.origin}${location.pathname}${location.search}#${id}`;
}

/** A saved position (step, row): a whole number from 0, or 0 when missing or malformed in the link. */
export function savedIndex(saved: Map<string, string>, key = 'step'): number {
  const n = Number(saved.get(key) ?? '0');
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** What a widget's status says about its link; each part left out keeps the generic wording. */
export interface ShareWording {
  /** The whole message once the link is on the clipboard. */
  copied?: string;
  /** What the hand-copied link shares, as in "Copy this link to share the current state: …". */
  shares?: string;
}

/**
 * Copies the link to the widget as it is now and says so in its status region. Where the clipboard is refused
 * (a plain-http host, a denied permission), the status shows the link so the reader can copy it by hand.
 */
export async function copyShareLink(element: HTMLElement, status: Element, wording: ShareWording = {}): Promise<void> {
  const { copied = 'Link copied: it opens this widget in its current state.', shares = 'the current state' } = wording;
  const url = shareUrl(element.id);
  try {
    await navigator.clipboard.writeText(url);
    status.textContent = copied;
  } catch {
    status.textContent = `Copy this link to share ${shares}: ${url}`;
  }
}
