/**
 * Finds typed numbers in a chapter's prose. Every number a page shows must be computed by the course's code from
 * the inputs on screen, so a digit in prose is allowed only where it is not a computed result:
 * - inside a math span ($...$, $$...$$), a code span or block, or a component tag (its props are inputs);
 * - in an allow-list of plain facts that no code computes: years, chapter numbers, and names that contain digits.
 * Everything else (component children included: a callout's or a self-check's text is prose) is reported.
 */

/** A digit sequence found in prose, with its line and the text around it. */
export interface TypedNumber {
  line: number;
  number: string;
  context: string;
}

/**
 * Plain facts: each pattern matches a whole phrase whose digits are not a computed number. Order does not matter;
 * a digit is allowed when any pattern's match covers it.
 */
export const PLAIN_FACTS: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\b(1[89]\d\d|20\d\d)s?\b/g, why: 'a year (of a paper, a data set, an architecture)' },
  {
    pattern: /\b[Cc]hapters? \d+((, | and | or | to |–|-)\d+)*/g,
    why: 'a chapter number: the course is numbered by hand, in the frontmatter',
  },
  { pattern: /\b[Ss]ections? \d+(\.\d+)*/g, why: 'a section number of a cited paper' },
  { pattern: /\b[Aa]ppendix [A-Z]\b|\bApp\. [A-Z]\b/g, why: 'an appendix letter of a cited paper' },
  { pattern: /\b[Ee]q(uation)?\.? ?\(?\d+\)?/g, why: 'an equation number of a cited paper' },
  { pattern: /\b[Ff]ig(ure|\.)? ?\d+/g, why: 'a figure number of a cited paper' },
  {
    pattern: /\b(LeNet|float|int|uint|BT\.|CS|F|C|S|L)-?\d+n?\b/g,
    why: 'a name with digits: LeNet-5, float32, uint8, ITU-R BT.601, CS231n, an L2 penalty, the paper’s layers C1 … F6',
  },
  {
    pattern: /\b(D2L|im2col|col2im|(ResNet|VGG|CIFAR)-\d+|top-\d)\b/g,
    why: 'a name with digits: Dive into Deep Learning (D2L), im2col and col2im, ResNet-50, VGG-16, CIFAR-10, top-5 error',
  },
  {
    pattern: /\b(conv|pool|fc|norm)\d+(_\d+)?\b|\b([Ii]nception|[Bb]lock) \(\d[a-e]\)/g,
    why: 'a layer’s name in a paper or its reference implementation: conv2, pool5, fc6, conv1_2, inception (3a)',
  },
  {
    pattern: /(?<![\d.,])\b[01]\b(?![.,]\d)/g,
    why: '0 and 1 alone: zero and one as values (an empty cell, a weight sum, a derivative), never a computed count worth a component',
  },
  {
    pattern: /\b(255|(modulo|mod) 256|256 (levels|values)|8 bits|(8|16|32|64)-bit)\b/g,
    why: 'the 8-bit pixel format (0 to 255, 256 levels, arithmetic modulo 256) and the names of number formats',
  },
  { pattern: /\b180 ?(°|degrees?\b|-degree\b)/g, why: 'a half turn, the 2D flip of a kernel (rot180)' },
  { pattern: /\b[1-4]D\b/g, why: '1D, 2D, 3D, 4D: the number of axes, a name' },
  { pattern: /\b4K\b/g, why: 'a kind of photo (4K), a name' },
  { pattern: /\b\d+(st|nd|rd|th)[- ]century\b/g, why: 'a century' },
];

/** Blanks out a match but keeps its newlines, so line numbers stay right. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

/**
 * The prose of an MDX file with everything that is not prose blanked out (same length, same line breaks):
 * frontmatter, import/export blocks, fenced code, math, code spans, HTML comments, component tags with their
 * props, and link targets. Component children (callout and self-check text) stay: they are prose.
 */
export function proseOf(mdx: string): string {
  let t = mdx;
  t = t.replace(/^---\n[\s\S]*?\n---\n/, blank);
  t = t.replace(/^```[\s\S]*?^```/gm, blank);
  // import/export statements run until a line that ends the statement (';' or a closing bracket at column 0).
  t = t.replace(/^(import|export) [\s\S]*?(;|^\])\s*$/gm, blank);
  t = t.replace(/<!--[\s\S]*?-->/g, blank);
  t = t.replace(/\$\$[\s\S]*?\$\$/g, blank);
  t = t.replace(/(?<![\\$])\$(?!\$)(?:\\.|[^$\\\n])+?\$/g, blank);
  t = t.replace(/`[^`\n]+`/g, blank);
  // Component tags: <Name ...> or <Name .../> (props may span lines and hold {...} expressions), and </Name>.
  t = t.replace(/<\/?[A-Za-z][\w.]*(?:\s(?:[^<>{}]|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*)?\/?>/g, blank);
  // Ordered-list markers ("1. ") number the list, they are not values.
  t = t.replace(/^(\s*)\d+\. /gm, (m) => blank(m));
  // Markdown links keep their text and drop the target.
  t = t.replace(/\]\([^)\s]*\)/g, (m) => ']' + blank(m.slice(1)));
  return t;
}

/** Every digit sequence of the prose that no plain-fact pattern covers. */
export function typedNumbers(mdx: string): TypedNumber[] {
  const prose = proseOf(mdx);
  const allowed = new Uint8Array(prose.length);
  for (const { pattern } of PLAIN_FACTS) {
    for (const m of prose.matchAll(pattern)) allowed.fill(1, m.index, m.index + m[0].length);
  }
  const found: TypedNumber[] = [];
  for (const m of prose.matchAll(/\d+([.,]\d+)*/g)) {
    const start = m.index;
    let covered = true;
    for (let i = start; i < start + m[0].length; i++) if (!allowed[i]) covered = false;
    if (covered) continue;
    const line = prose.slice(0, start).split('\n').length;
    const from = prose.lastIndexOf('\n', start) + 1;
    const to = prose.indexOf('\n', start);
    found.push({ line, number: m[0], context: prose.slice(from, to < 0 ? undefined : to).trim() });
  }
  return found;
}
