import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

/** Frontmatter every chapter in `content/` must carry; the build fails with a clear message otherwise. */
export const chapterSchema = z.object({
  /** The chapter's title as shown in the sidebar, the page heading and the browser tab. */
  title: z.string().min(3),
  /** Position in the course (1-based); sets sidebar order and previous/next links. Must be unique. */
  order: z.number().int().positive(),
  /** One or two sentences for the home page's chapter list and the search index. */
  summary: z.string().min(10),
  /** What a reader can do after the chapter; shown at the top of the page. */
  objectives: z.array(z.string().min(3)).min(1),
  /** Estimated reading-and-doing time in minutes, shown beside the title. */
  minutes: z.number().int().positive().max(240),
});

export type ChapterFrontmatter = z.infer<typeof chapterSchema>;

const chapters = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content' }),
  schema: chapterSchema,
});

export const collections = { chapters };
