/**
 * Every exercise's solution passes its checker, and every named mistake, written as the wrong solution a learner
 * would write, fails with that name. This is how we know the grader teaches the right thing.
 */
import { describe, expect, test } from 'vitest';
import { EXERCISES, prerequisites } from '../../src/lib/exercises/notebook/index.ts';
import { checkSource } from './notebook-kit.ts';
import { WRONG_SOLUTIONS } from './notebook-wrong-solutions.ts';

/** Solutions of the exercises each one builds on (what the worker injects when the reader has not passed them). */
function prereqs(id: string): Record<string, string> {
  return Object.fromEntries(prerequisites(id).map((u) => [u.id, u.solution]));
}

describe('every exercise solution passes its checker', () => {
  test('there are exercises and their ids are unique', () => {
    expect(EXERCISES.length).toBeGreaterThanOrEqual(2);
    expect(new Set(EXERCISES.map((e) => e.id)).size).toBe(EXERCISES.length);
  });
  for (const ex of EXERCISES) {
    test(`${ex.id}: the solution passes every case`, () => {
      const r = checkSource(ex.id, ex.solution, prereqs(ex.id));
      expect(r.failure?.message ?? '').toBe('');
      expect(r.passed).toBe(true);
      expect(r.passedCount).toBe(r.total);
    });
    test(`${ex.id}: the starter code does not pass`, () => {
      const r = checkSource(ex.id, ex.starter, prereqs(ex.id));
      expect(r.passed).toBe(false);
    });
    test(`${ex.id}: 1 to 3 hints, and every mistake has a name and advice`, () => {
      expect(ex.hints.length).toBeGreaterThanOrEqual(1);
      expect(ex.hints.length).toBeLessThanOrEqual(3);
      for (const m of ex.mistakes ?? []) {
        expect(m.name.length).toBeGreaterThan(3);
        expect(m.advice.length).toBeGreaterThan(20);
      }
    });
  }
});

describe('every named mistake is recognised by name', () => {
  for (const w of WRONG_SOLUTIONS) {
    test(`${w.id}: "${w.mistake}"`, () => {
      const r = checkSource(w.id, w.source, prereqs(w.id));
      expect(r.passed).toBe(false);
      expect(r.mistake?.name).toBe(w.mistake);
    });
  }
  test('each exercise with mistakes has a wrong solution for every one of them', () => {
    for (const ex of EXERCISES) {
      for (const m of ex.mistakes ?? []) {
        const covered = WRONG_SOLUTIONS.some((w) => w.id === ex.id && w.mistake === m.name);
        expect(covered, `${ex.id}: no wrong solution shows "${m.name}"`).toBe(true);
      }
    }
  });
});
