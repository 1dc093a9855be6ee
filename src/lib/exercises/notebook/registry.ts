/**
 * Every code exercise of the course, in chapter order. The MDX places one with `<Exercise id="...">`; the
 * notebook's worker finds its checker here by the same id.
 */
import { CH01_EXERCISES } from './ch01-conv1d.ts';
import type { ExerciseSpec } from './types.ts';

export const EXERCISES: readonly ExerciseSpec[] = [...CH01_EXERCISES];

/** The exercise with this id, or undefined. */
export function exerciseById(id: string): ExerciseSpec | undefined {
  return EXERCISES.find((e) => e.id === id);
}
