/**
 * The notebook's view of the course's exercises, for the components: the registry and the grader live in
 * src/lib/exercises/notebook/ (pure, tested in Node); widgets reach them through this entry module.
 */
export { EXERCISES, exerciseById, prerequisites } from '../lib/exercises/notebook/registry.ts';
export type { ExerciseSpec, CheckReport } from '../lib/exercises/notebook/types.ts';

import { CAPSTONE_PIECES } from '../lib/exercises/notebook/ch11-capstone.ts';
import { EXERCISES as ALL } from '../lib/exercises/notebook/registry.ts';

/** The functions the capstone chains, each with the exercise that teaches it (pieces without one are left out). */
export function capstonePieces(): { fn: string; exercise: string; title: string }[] {
  return CAPSTONE_PIECES.flatMap((fn) => {
    const ex = ALL.find((e) => e.fn === fn);
    return ex ? [{ fn, exercise: ex.id, title: ex.title }] : [];
  });
}
