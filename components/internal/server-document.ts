import { parseHTML } from 'linkedom';

/**
 * A server-side DOM for build-time charts (`plotToSvg(options, label, await serverDocument())`).
 *
 * Build-time only: import it from `.astro` frontmatter and tests, never from a widget's `element.ts` or anything it
 * imports. It lives apart from plot-svg.ts because a browser bundle that can reach linkedom, even through a dynamic
 * import, ships it as a 356 KB chunk; `scripts/check-page-weight.mjs` fails the build when one does.
 */
export async function serverDocument(): Promise<Document> {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}
