/**
 * Pagefind has typo tolerance: a word it does not know is shortened until something matches, so "qwertyuiop" once
 * found a chapter through a stray "qw…" and "zzzzqq" found every "z". A result counts here only when, for every
 * word typed, a highlighted word of its excerpt shares at least the word's first four letters (or all of a shorter
 * word): stems still match ("derivative" finds "deriving"), made-up words find nothing.
 */
export function isRealMatch(query: string, excerptHtml: string): boolean {
  const marked = [...excerptHtml.matchAll(/<mark>(.*?)<\/mark>/g)].flatMap((m) => wordsOf(m[1]!));
  const words = wordsOf(query);
  if (words.length === 0) return excerptHtml.includes('<mark>');
  return words.every((w) => marked.some((m) => sharedPrefix(w, m) >= Math.min(w.length, 4)));
}

/** Lower-case words of two or more letters or digits ("cross-correlation" is two). */
function wordsOf(s: string): string[] {
  return s
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
