import { getCollection, type CollectionEntry } from 'astro:content';
import { chapterSlug } from './reading.ts';

export type Chapter = CollectionEntry<'chapters'>;

/** All chapters in course order; fails the build if two chapters claim the same `order`. */
export async function getChapters(): Promise<Chapter[]> {
  const all = await getCollection('chapters');
  all.sort((a, b) => a.data.order - b.data.order);
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.data.order === all[i - 1]!.data.order) {
      throw new Error(`Chapters "${all[i - 1]!.id}" and "${all[i]!.id}" both have order ${all[i]!.data.order}.`);
    }
  }
  return all;
}

/** Path of a chapter page, honouring the site's base path. */
export function chapterHref(chapter: Chapter): string {
  return `${import.meta.env.BASE_URL.replace(/\/$/, '')}/chapters/${chapterSlug(chapter.id)}/`;
}
