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
  const query = params.toString().replace(/%2C/g, ',');
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}

/** The shareable link to the widget: the current URL with the widget's anchor. */
export function shareUrl(id: string): string {
  return `${location.origin}${location.pathname}${location.search}#${id}`;
}
