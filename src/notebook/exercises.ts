/**
 * The notebook's view of the course's exercises, for the components: the registry and the grader live in
 * src/lib/exercises/notebook/ (pure, tested in Node); widgets reach them through this entry module.
 */
export { EXERCISES, exerciseById } from '../lib/exercises/notebook/registry.ts';
export type { ExerciseSpec, CheckReport } from '../lib/exercises/notebook/types.ts';
