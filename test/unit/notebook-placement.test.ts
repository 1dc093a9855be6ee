/**
 * Every exercise in the registry is placed exactly once, in the chapter whose slug it names, and every
 * `<Exercise id>` in the chapters exists: so the progress counts on the home page and sidebar are the exercises a
 * reader can actually do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EXERCISES } from '../../src/lib/exercises/notebook/registry.ts';

const dir = new URL('../../content/', import.meta.url);
const chapters = readdirSync(dir)
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => ({ slug: f.replace(/^\d+-/, '').replace(/\.mdx$/, ''), text: readFileSync(new URL(f, dir), 'utf8') }));

describe('exercise placement', () => {
  test('at least 16 exercises, as the notebook promises', () => {
    expect(EXERCISES.length).toBeGreaterThanOrEqual(16);
  });
  for (const ex of EXERCISES) {
    test(`${ex.id} is placed once, in ${ex.chapter}`, () => {
      const places = chapters.filter((c) => c.text.includes(`<Exercise id="${ex.id}"`));
      expect(places.map((c) => c.slug)).toEqual([ex.chapter]);
      expect(places[0]!.text.split(`<Exercise id="${ex.id}"`).length - 1).toBe(1);
    });
  }
  test('every <Exercise id> in the chapters names a registered exercise', () => {
    const ids = new Set(EXERCISES.map((e) => e.id));
    for (const c of chapters) {
      for (const m of c.text.matchAll(/<Exercise id="([^"]+)"/g))
        expect(ids.has(m[1]!), `${c.slug}: ${m[1]}`).toBe(true);
    }
  });
});
