/**
 * The references page (src/site/references.ts) and the chapters' <Cite> tags agree: every cited id exists, every
 * reference is cited somewhere, ids are unique, and every link opens a source over http(s) (nothing is fetched).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { REFERENCES, citeLabel, reference } from '../../src/site/references.ts';

const dir = new URL('../../content/', import.meta.url);
const cited = new Map<string, string[]>();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
  for (const m of readFileSync(new URL(file, dir), 'utf8').matchAll(/<Cite\s+id="([^"]+)"/g)) {
    cited.set(m[1]!, [...(cited.get(m[1]!) ?? []), file]);
  }
}

describe('references', () => {
  test('the chapters cite at least the six sources the course rests on', () => {
    for (const id of ['lecun1998', 'dumoulin2016', 'd2l', 'cs231n', 'glorot2010', 'he2015']) {
      expect(cited.has(id), `${id} is never cited`).toBe(true);
    }
  });
  test('every cited id is a reference, and every reference is cited', () => {
    for (const id of cited.keys()) expect(() => reference(id), `cited in ${cited.get(id)!.join(', ')}`).not.toThrow();
    for (const r of REFERENCES) expect(cited.has(r.id), `${r.id} is on the references page but never cited`).toBe(true);
  });
  test('ids are unique and every link is an http(s) address', () => {
    expect(new Set(REFERENCES.map((r) => r.id)).size).toBe(REFERENCES.length);
    for (const r of REFERENCES) expect(r.url, r.id).toMatch(/^https?:\/\/[^\s]+$/);
  });
  test('author-year twins get letters: LeCun et al., 1998a and 1998b', () => {
    expect(citeLabel(reference('lecun1998'))).toBe('LeCun et al., 1998a');
    expect(citeLabel(reference('lecun1998efficient'))).toBe('LeCun et al., 1998b');
    expect(citeLabel(reference('cs231n'))).toBe('CS231n');
    expect(() => reference('nobody2099')).toThrow(/Unknown reference "nobody2099"/);
  });
});
