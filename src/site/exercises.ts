import { EXERCISES } from '../notebook/exercises.ts';
import { chapterSlug } from './reading.ts';
import type { Chapter } from './chapters.ts';

/** Ids of the exercises a chapter teaches (their `chapter` field is the chapter's slug). */
export function chapterExercises(chapter: Chapter): string[] {
  const slug = chapterSlug(chapter.id);
  return EXERCISES.filter((e) => e.chapter === slug).map((e) => e.id);
}

/** Every exercise id, in course order. */
export function allExercises(): string[] {
  return EXERCISES.map((e) => e.id);
}
