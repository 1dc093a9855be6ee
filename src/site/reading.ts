/** Words a learner reads per minute in technical prose (a conservative figure; math slows reading). */
const WORDS_PER_MINUTE = 200;

/**
 * Estimated reading minutes of an MDX body: counts words of prose, ignoring import lines,
 * JSX tags and the inside of math, so a widget or a formula does not inflate the figure.
 */
export function readingMinutes(body: string): number {
  const prose = body
    .replace(/^import .*$/gm, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/\$[^$\n]*\$/g, ' x ')
    .replace(/<[^>]*>/g, ' ');
  const words = prose.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}

/** URL slug of a chapter file id: "01-convolution-1d" -> "convolution-1d" (the number only orders files). */
export function chapterSlug(id: string): string {
  return id.replace(/^\d+-/, '');
}
