import { isRealMatch } from './search-match.ts';

/** The subset of Pagefind's JS API the search page uses. */
interface PagefindResult {
  data(): Promise<{ url: string; excerpt: string; meta: { title?: string } }>;
}
interface Pagefind {
  search(query: string): Promise<{ results: PagefindResult[] }>;
}

/**
 * <search-box>: queries the Pagefind index that `npm run build` writes next to the site.
 * The index only exists in a built site, so in `astro dev` the box explains that instead of failing.
 */
export function defineSearchBox(): void {
  if (customElements.get('search-box')) return;
  customElements.define(
    'search-box',
    class extends HTMLElement {
      #pagefind: Promise<Pagefind | null> | null = null;
      #seq = 0;

      connectedCallback(): void {
        const input = this.querySelector('input');
        input?.addEventListener('input', () => void this.#run(input.value));
        const q = new URLSearchParams(location.search).get('q');
        if (input && q && !input.value) input.value = q;
        // Text already in the box gets its results too: typed before this script ran (a slow connection), or put
        // back by the browser when the reader returns to the page.
        if (input?.value) void this.#run(input.value);
      }

      #load(): Promise<Pagefind | null> {
        const bundle = this.dataset['bundle'] ?? `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}pagefind/`;
        // A variable specifier keeps Vite from trying to bundle the index, which is generated after the build.
        const url = `${bundle}pagefind.js`;
        this.#pagefind ??= import(/* @vite-ignore */ url).catch(() => null) as Promise<Pagefind | null>;
        return this.#pagefind;
      }

      async #run(query: string): Promise<void> {
        const seq = ++this.#seq;
        const status = this.querySelector('.status')!;
        const list = this.querySelector('.results')!;
        if (query.trim().length < 2) {
          status.textContent = 'Type at least two letters.';
          list.replaceChildren();
          return;
        }
        const pagefind = await this.#load();
        if (!pagefind) {
          status.textContent = 'The search index is built with the site (npm run build); it is not available here.';
          return;
        }
        const { results: found } = await pagefind.search(query);
        // The course has a dozen pages, so every match is listed (a top-10 cut hid real hits); Pagefind's typo
        // tolerance also returns pages for made-up words, which are dropped (see isRealMatch).
        const top = (await Promise.all(found.map((r) => r.data()))).filter((r) => isRealMatch(query, r.excerpt));
        const results = top;
        if (seq !== this.#seq) return; // a newer query has started; drop this one
        status.textContent = `${results.length} ${results.length === 1 ? 'result' : 'results'} for “${query}”.`;
        list.replaceChildren(
          ...top.map((r) => {
            const li = document.createElement('li');
            const a = document.createElement('a');
            a.href = r.url;
            a.textContent = r.meta.title ?? r.url;
            const p = document.createElement('p');
            // Pagefind's excerpt is escaped text with <mark> around matches.
            p.innerHTML = r.excerpt;
            li.append(a, p);
            return li;
          }),
        );
      }
    },
  );
}
