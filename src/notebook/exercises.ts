/**
 * The notebook's view of the course's exercises, for the components: the registry and the grader live in
 * src/lib/exercises/notebook/ (pure, tested in Node); widgets reach them through this entry module.
 */
export { EXERCISES, exerciseById, prerequisites } from '../lib/exercises/notebook/registry.ts';
export type { ExerciseSpec, CheckReport } from '../lib/exercises/notebook/types.ts';

import { prerequisites as prereqsOf } from '../lib/exercises/notebook/registry.ts';

/**
 * Every function the capstone's step relies on, directly or through another (conv2dMulti on conv2dPadStride),
 * dependencies first, each with the exercise that teaches it: the order the worker loads them in.
 */
export function capstonePieces(): { fn: string; exercise: string; title: string }[] {
  return prereqsOf('capstone-train-step').map((e) => ({ fn: e.fn, exercise: e.id, title: e.title }));
}
