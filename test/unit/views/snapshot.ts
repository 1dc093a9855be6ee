/**
 * View snapshots, after Observable Plot's test/plot-snapshot.js: a widget's pure view renders a state to HTML, the
 * HTML is parsed (linkedom), printed one element per line with its numbers rounded, and compared with a stored file
 * in test/unit/views/__snapshots__/ (KaTeX output is kept as its TeX, or the text it shows). Long runs of alike elements (one <rect> per pixel) are printed as their first two and a hash of the rest.
 * A missing file is written on a local run; in CI (CI=true) it fails instead.
 * After an intended change, review the diff and refresh with `npx vitest run test/unit/views -u`.
 */
import { createHash } from 'node:crypto';
import { parseHTML } from 'linkedom';
import { expect } from 'vitest';

/** Numbers are rounded to this many decimals, so float noise in the last bits does not fail a snapshot. */
const DECIMALS = 4;

function round(text: string): string {
  return text.replace(/-?\d+\.\d+(?:e[-+]?\d+)?/g, (m) => {
    const v = Number(m);
    return Number.isFinite(v) ? String(Number(v.toFixed(DECIMALS))) : m;
  });
}

/** Long data: URIs (PNG pictures) become a short content hash: a changed pixel still changes the snapshot. */
function attribute(name: string, value: string): string {
  if (value.startsWith('data:') && value.length > 80) {
    const hash = createHash('sha256').update(value).digest('hex').slice(0, 16);
    return `${name}="${value.slice(0, value.indexOf(',') + 1)}sha256:${hash}"`;
  }
  return `${name}="${round(value).replace(/"/g, '&quot;')}"`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ENTITIES[e]!);

const VOID = new Set(['br', 'img', 'input', 'col', 'hr', 'meta', 'link', 'source', 'wbr']);

function print(node: Node, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  if (node.nodeType === 3) {
    const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text) out.push(pad + round(text));
    return;
  }
  if (node.nodeType !== 1) return;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  // KaTeX's markup is long and KaTeX's own: keep the TeX it typeset (or, for HTML-only output, the text it shows).
  if (el.classList.contains('katex')) {
    const tex = /<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/.exec(el.innerHTML)?.[1];
    const text = tex === undefined ? (el.textContent ?? '') : decode(tex);
    out.push(`${pad}<katex>${round(text.replace(/\s+/g, ' ').trim())}</katex>`);
    return;
  }
  const attrs = [...el.attributes].map((a) => ' ' + attribute(a.name, a.value)).join('');
  if (VOID.has(tag)) {
    out.push(`${pad}<${tag}${attrs}>`);
    return;
  }
  const kids = [...el.childNodes];
  const onlyText = kids.every((k) => k.nodeType === 3);
  if (onlyText) {
    const text = round((el.textContent ?? '').replace(/\s+/g, ' ').trim());
    out.push(`${pad}<${tag}${attrs}>${text}</${tag}>`);
    return;
  }
  out.push(`${pad}<${tag}${attrs}>`);
  printChildren(kids, depth + 1, out);
  out.push(`${pad}</${tag}>`);
}

/** Elements with no children and the same tag and attribute names, e.g. one <rect> per pixel. */
const shapeOf = (n: Node): string | null =>
  n.nodeType === 1 && (n as Element).childNodes.length === 0
    ? `${(n as Element).tagName}:${[...(n as Element).attributes].map((a) => a.name).join(',')}`
    : null;

/** Prints children; a long run of alike empty elements (pixels) keeps its first two and a hash of the rest. */
function printChildren(kids: Node[], depth: number, out: string[]): void {
  for (let i = 0; i < kids.length;) {
    const shape = shapeOf(kids[i]!);
    let j = i + 1;
    while (shape !== null && j < kids.length && shapeOf(kids[j]!) === shape) j++;
    if (j - i > RUN) {
      for (const k of kids.slice(i, i + 2)) print(k, depth, out);
      const rest = kids.slice(i + 2, j).map((k) => (k as Element).outerHTML);
      const hash = createHash('sha256')
        .update(round(rest.join('')))
        .digest('hex')
        .slice(0, 16);
      const tag = (kids[i] as Element).tagName.toLowerCase();
      out.push(`${'  '.repeat(depth)}… ${rest.length} more <${tag}> alike, sha256:${hash}`);
    } else for (const k of kids.slice(i, j)) print(k, depth, out);
    i = j;
  }
}

/** Runs of alike elements longer than this are summarised. */
const RUN = 12;

/** An HTML fragment printed one element per line, numbers rounded, pictures hashed. */
export function normalizeHtml(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body><main>${html}</main></body></html>`);
  const out: string[] = [];
  printChildren([...document.querySelector('main')!.childNodes], 0, out);
  return out.join('\n');
}

/**
 * Compares the named parts of one widget state (stage HTML, status sentence, …) with
 * `__snapshots__/<widget>/<state>.html`.
 */
export async function expectView(widget: string, state: string, parts: Record<string, string>): Promise<void> {
  const body = Object.entries(parts)
    .map(([name, html]) => `<!-- ${name} -->\n${normalizeHtml(html)}`)
    .join('\n\n');
  await expect(body + '\n').toMatchFileSnapshot(`./__snapshots__/${widget}/${state}.html`);
}
