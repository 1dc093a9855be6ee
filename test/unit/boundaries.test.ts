/**
 * The house's import boundaries, checked on the real import graph (every relative import, export-from and dynamic
 * import in content/, components/ and src/), so a change that crosses a boundary fails the gate:
 * - a chapter imports only the barrel, components/index.ts;
 * - a widget imports only its own folder, components/internal/, the src/lib index and the entry modules of src/ml
 *   and src/notebook (the lab trains, the notebook runs code); components/internal/ only itself and the src/lib index;
 * - src/lib imports nothing outside itself, and src/lib/engine nothing outside engine/; neither imports a package;
 * - src/ml imports only itself and the src/lib index;
 * - no import circles anywhere.
 * The rules are data (RULES, ENTRIES): a new widget folder, src/lib folder or entry module fits without a new test.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What other areas may import from a folder: its public entry modules (repo paths). */
const ENTRIES: Record<string, readonly string[]> = {
  'src/lib/': ['src/lib/index.ts'],
  // index.ts is what a page may load without TF.js; client.ts starts the workers, loaded lazily.
  'src/ml/': ['src/ml/index.ts', 'src/ml/client.ts'],
  // The notebook's runtime is split so each stage loads only what it needs: a chapter's first load takes the
  // constants alone, the editor stage the runner, store and formatting, the worker the rest; the Astro components
  // read the exercises and the capstone's settings at build time.
  'src/notebook/': [
    'src/notebook/constants.ts',
    'src/notebook/runner.ts',
    'src/notebook/store.ts',
    'src/notebook/format.ts',
    'src/notebook/protocol.ts',
    'src/notebook/capstone.ts',
    'src/notebook/exercises.ts',
    'src/notebook/worker.ts',
  ],
  // The references the Cite component links to; the busy mark the lab sets and the offline cache waits for.
  'src/site/': ['src/site/references.ts', 'src/site/page-busy.ts'],
  // Measured runs that chapter 12 and the lab quote (written by npm run bench:accuracy).
  'bench/': ['bench/lab-accuracy.json'],
};
const entries = (...folders: string[]) => folders.flatMap((f) => ENTRIES[f] ?? []);

interface Rule {
  /** Who the rule is for. */
  name: string;
  /** The files it covers (repo paths); the first rule that matches a file applies. */
  files: RegExp;
  /**
   * What those files may import: repo paths or folder prefixes (ending in /). `$own` is the file's own widget
   * folder, components/<name>/.
   */
  may: readonly string[];
  /** Whether npm packages and node: modules may be imported. */
  packages: boolean;
}

const RULES: readonly Rule[] = [
  { name: 'a chapter', files: /^content\//, may: ['components/index.ts'], packages: false },
  // A script that generates a fixture beside the data it writes (make_*.ts): it runs in Node, not in a page.
  {
    name: 'a generating script',
    files: /(^|\/)make[_-][^/]*\.(ts|mjs)$/,
    may: ['src/', 'components/', 'bench/'],
    packages: true,
  },
  // The barrel re-exports the widgets' components, and only those.
  { name: 'the barrel', files: /^components\/index\.ts$/, may: ['components/'], packages: false },
  {
    name: 'a shared widget part',
    files: /^components\/internal\//,
    may: ['components/internal/', ...entries('src/lib/')],
    packages: true,
  },
  {
    name: 'a widget',
    files: /^components\/[^/]+\//,
    may: ['$own', 'components/internal/', ...entries('src/lib/', 'src/ml/', 'src/notebook/', 'src/site/', 'bench/')],
    packages: true,
  },
  { name: 'the engine', files: /^src\/lib\/engine\//, may: ['src/lib/engine/'], packages: false },
  { name: 'src/lib', files: /^src\/lib\//, may: ['src/lib/'], packages: false },
  { name: 'src/ml', files: /^src\/ml\//, may: ['src/ml/', ...entries('src/lib/')], packages: true },
];

const SOURCE_DIRS = ['content', 'components', 'src'];
const SOURCE = /\.(ts|astro|mdx|mjs|js|css)$/;

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return walk(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

/** The module specifiers a file imports: static, export-from, side-effect and dynamic imports, and worker URLs. */
function specifiers(path: string, text: string): string[] {
  // Comments may show imports as examples; in MDX only the ESM lines count (code blocks show other languages).
  let code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  if (path.endsWith('.mdx')) code = code.replace(/^```[\s\S]*?^```/gm, '');
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"\n]+)['"]/gm,
    /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g,
    /new URL\(\s*['"]([^'"\n]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]!);
  return out;
}

interface Edge {
  from: string;
  /** A repo path for a relative import, or the package name. */
  to: string;
  relative: boolean;
}

function edgesOf(path: string): Edge[] {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return specifiers(path, text).map((spec) => {
    if (!spec.startsWith('.')) return { from: path, to: spec, relative: false };
    const target = relative(ROOT, resolve(join(ROOT, dirname(path)), spec.replace(/\?.*$/, '')));
    return { from: path, to: target, relative: true };
  });
}

const files = SOURCE_DIRS.flatMap(walk);
const edges = files.flatMap(edgesOf);

function allowed(rule: Rule, edge: Edge): boolean {
  if (!edge.relative) return rule.packages;
  const own = /^components\/[^/]+\//.exec(edge.from)?.[0];
  return rule.may.some((m) => {
    const target = m === '$own' ? own : m;
    return target !== undefined && (target.endsWith('/') ? edge.to.startsWith(target) : edge.to === target);
  });
}

/** Import circles: Tarjan's strongly connected components of two or more files, or a file that imports itself. */
function findCircles(nodes: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || next.get(v)?.includes(v)) circles.push(scc.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return circles;
}

describe('import boundaries', () => {
  test('the graph is read: it has the chapters, the barrel and the widgets, and every relative import resolves', () => {
    expect(files.filter((f) => f.startsWith('content/')).length).toBeGreaterThanOrEqual(11);
    expect(edges.some((e) => e.from.startsWith('content/') && e.to === 'components/index.ts')).toBe(true);
    expect(edges.filter((e) => e.from === 'components/index.ts').length).toBeGreaterThan(30);
    const broken = edges.filter((e) => e.relative && !existsSync(join(ROOT, e.to)));
    expect(broken.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  test('the rules catch what they should (a reach into another widget, a chapter past the barrel)', () => {
    const widget = RULES.find((r) => r.name === 'a widget')!;
    const chapter = RULES.find((r) => r.name === 'a chapter')!;
    const lib = RULES.find((r) => r.name === 'the engine')!;
    const edge = (from: string, to: string): Edge => ({ from, to, relative: true });
    expect(allowed(widget, edge('components/a/view.ts', 'components/b/state.ts'))).toBe(false);
    expect(allowed(widget, edge('components/a/x/A.astro', 'components/a/state.ts'))).toBe(true);
    expect(allowed(widget, edge('components/a/view.ts', 'src/lib/engine/conv2d.ts'))).toBe(false);
    expect(allowed(widget, edge('components/a/view.ts', 'src/ml/model.ts'))).toBe(false);
    expect(allowed(chapter, edge('content/01-a.mdx', 'components/a/A.astro'))).toBe(false);
    expect(allowed(lib, edge('src/lib/engine/a.ts', 'src/lib/explain/b.ts'))).toBe(false);
    expect(allowed(lib, { from: 'src/lib/engine/a.ts', to: 'katex', relative: false })).toBe(false);
  });

  for (const rule of RULES) {
    test(`${rule.name} imports only ${rule.may.join(', ')}${rule.packages ? ' and packages' : ''}`, () => {
      const covered = files.filter((f) => RULES.find((r) => r.files.test(f)) === rule);
      expect(covered.length, `no file matches ${rule.files}`).toBeGreaterThan(0);
      const bad = edges.filter((e) => covered.includes(e.from) && !allowed(rule, e));
      expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
    });
  }

  test('no import circles (and the circle finder finds a planted one)', () => {
    const planted = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(findCircles(['e', 'a', 'b', 'c', 'd'], planted)).toEqual([['a', 'b', 'c'], ['d']]);
    const next = new Map<string, string[]>();
    for (const e of edges) if (e.relative) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    expect(findCircles(files, next)).toEqual([]);
  });
});
