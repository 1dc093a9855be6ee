/**
 * What a reader sees first must work: every starter's show(...) line runs without throwing in the notebook's own
 * scope, and every starter and solution type-checks under strict TypeScript (lib es2022, no
 * noUncheckedIndexedAccess, `show` and `lib` ambient), with its function matching the signature the help shows.
 */
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as lib from '../../src/lib/index.ts';
import { NotebookScope } from '../../src/notebook/sandbox.ts';
import { EXERCISES, prerequisites, type ExerciseSpec } from '../../src/lib/exercises/notebook/index.ts';
import { spec } from './notebook-kit.ts';

/** The exercise's prerequisites as the worker injects them when the reader has not passed them: the solutions. */
function withPrereqs(ex: ExerciseSpec, shown: unknown[]): NotebookScope {
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const scope = new NotebookScope({ lib, show: (v: unknown) => shown.push(v), console: quiet });
  scope.setPrerequisites(prerequisites(ex.id).map((u) => ({ label: u.id, source: u.solution, pick: [u.fn] })));
  return scope;
}

describe("every starter's show(...) line runs", () => {
  for (const ex of EXERCISES) {
    test(`${ex.id}: the starter runs and shows something`, () => {
      const shown: unknown[] = [];
      expect(() => withPrereqs(ex, shown).run(ex.id, ex.starter)).not.toThrow();
      expect(ex.starter).toMatch(/show\(/);
      expect(shown.length).toBeGreaterThan(0);
    });
  }
});

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  lib: ['lib.es2022.d.ts'],
  types: [],
  noEmit: true,
  skipLibCheck: true,
};

const AMBIENT = `declare const show: any;
declare const lib: any;
declare const console: { log(...values: unknown[]): void; warn(...values: unknown[]): void; error(...values: unknown[]): void };
`;

/**
 * One module per snippet (so top-level names do not clash): the prerequisites' signatures declared, the code as
 * the reader sees it (on its own lines), and a check that the function fits the exercise's signature.
 */
function snippetFile(ex: ExerciseSpec, code: string): string {
  const uses = (ex.uses ?? []).map((u) => `declare function ${spec(u).signature};`).join(' ');
  const fits = `declare function __signature${ex.signature.slice(ex.fn.length)};\nconst __fits: typeof __signature = ${ex.fn};`;
  return `${uses}\n${code}\n${fits}\nexport {};\n`;
}

/** Type-checks virtual files in one program; returns "file:line message" for every error in them. */
function typeErrors(files: Map<string, string>): string[] {
  const host = ts.createCompilerHost(OPTIONS);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const text = files.get(name);
    return text === undefined ? read(name, version, onError, create) : ts.createSourceFile(name, text, version);
  };
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || exists(name);
  const program = ts.createProgram([...files.keys()], OPTIONS, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || files.has(d.file.fileName))
    .map((d) => {
      if (!d.file) return `(options) ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      // Line 1 of each snippet file is the prerequisites' declarations, so the reader's line is line - 1.
      return `${d.file.fileName}:${line} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('starters and solutions type-check', () => {
  test('every starter and solution, strict, lib es2022', () => {
    const files = new Map<string, string>([['/notebook/ambient.d.ts', AMBIENT]]);
    for (const ex of EXERCISES) {
      files.set(`/notebook/${ex.id}.starter.ts`, snippetFile(ex, ex.starter));
      files.set(`/notebook/${ex.id}.solution.ts`, snippetFile(ex, ex.solution));
    }
    expect(typeErrors(files)).toEqual([]);
  }, 60_000);

  test('the type check finds a type error in a snippet (it can fail)', () => {
    const ex = spec('corr2d');
    const files = new Map<string, string>([
      ['/notebook/ambient.d.ts', AMBIENT],
      [
        '/notebook/bad.ts',
        snippetFile(ex, 'function corr2d(x: number[][], k: number[][]): number[][] {\n  return x[0];\n}'),
      ],
    ]);
    const errors = typeErrors(files);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/bad\.ts:2 Type 'number\[\]' is not assignable/);
  }, 60_000);
});
