/**
 * docs/ENGINE.md is the engine's reference for instructors: it must name every module `src/lib/index.ts`
 * re-exports and every runtime export of each (functions, classes, constants). The module list is read from
 * index.ts itself, so a new module fails here until it is documented.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as index from '../../src/lib/index.ts';

const doc = readFileSync(new URL('../../docs/ENGINE.md', import.meta.url), 'utf8');
// src/lib/index.ts re-exports one index per folder (engine, exercises, explain); each lists its modules.
const folders = ['engine', 'exercises', 'explain'] as const;
const modulePaths = folders.flatMap((folder) => {
  const source = readFileSync(new URL(`../../src/lib/${folder}/index.ts`, import.meta.url), 'utf8');
  return [...source.matchAll(/^export \* from '\.\/([\w-]+)\.ts';$/gm)].map((m) => [folder, m[1]!] as const);
});
const moduleNames = modulePaths.map(([, name]) => name);
const modules = await Promise.all(
  modulePaths.map(
    async ([folder, name]) =>
      [name, (await import(`../../src/lib/${folder}/${name}.ts`)) as Record<string, unknown>] as const,
  ),
);

/** `name`, `new name` or `name(` in code spans: how the docs write an export. */
const mentions = (name: string): RegExp => new RegExp(`\`(new )?${name}\\b`);

describe('docs/ENGINE.md covers every module of src/lib/index.ts', () => {
  test('index.ts re-exports at least the 31 engine modules (the regex still reads it)', () => {
    expect(moduleNames.length).toBeGreaterThanOrEqual(31);
    expect(moduleNames).toContain('tiny-cnn');
    expect(moduleNames).toContain('broken-backward');
  });

  for (const [name, exports] of modules) {
    test(`${name}.ts has a section, and each of its runtime exports is documented and in index.ts`, () => {
      expect(doc, `${name}.ts is not named in docs/ENGINE.md`).toContain(`\`${name}.ts\``);
      for (const key of Object.keys(exports)) {
        expect(doc, `${key} (from ${name}.ts) is not mentioned in docs/ENGINE.md`).toMatch(mentions(key));
        expect(key in index, `${key} is not exported by src/lib/index.ts`).toBe(true);
      }
    });
  }

  test('every runtime export of index.ts is named in the docs', () => {
    const missing = Object.keys(index).filter((key) => !mentions(key).test(doc));
    expect(missing).toEqual([]);
  });
});
