/**
 * Every code exercise of the course, in chapter order. The MDX places one with `<Exercise id="...">`; the
 * notebook's worker finds its checker here by the same id.
 */
import { CH01_EXERCISES } from './ch01-conv1d.ts';
import { CAPSTONE_PIECES, CH11_CAPSTONE } from './ch11-capstone.ts';
import type { ExerciseSpec } from './types.ts';

const ALL: ExerciseSpec[] = [...CH01_EXERCISES, ...CH11_CAPSTONE];

// The capstone builds on every exercise that teaches one of its pieces.
for (const ex of CH11_CAPSTONE) {
  ex.uses = CAPSTONE_PIECES.flatMap((fn) => ALL.filter((e) => e.fn === fn && e !== ex).map((e) => e.id));
}

export const EXERCISES: readonly ExerciseSpec[] = ALL;

/** The exercise with this id, or undefined. */
export function exerciseById(id: string): ExerciseSpec | undefined {
  return EXERCISES.find((e) => e.id === id);
}

/**
 * Every exercise `id` builds on, directly or through another, dependencies first: the order the worker loads them
 * in, so a prerequisite that calls an earlier one finds it.
 */
export function prerequisites(id: string): ExerciseSpec[] {
  const out: ExerciseSpec[] = [];
  const visit = (eid: string, seen: Set<string>) => {
    const spec = exerciseById(eid);
    if (!spec || seen.has(eid)) return;
    seen.add(eid);
    for (const u of spec.uses ?? []) visit(u, seen);
    if (eid !== id && !out.includes(spec)) out.push(spec);
  };
  visit(id, new Set());
  return out;
}
