import { readdirSync, readFileSync } from 'node:fs';
import { test, expect, expectNoAxeViolations, screenshots } from './fixtures.ts';

/** Every page of the site: the chrome pages plus one per chapter file, so new chapters are covered automatically. */
const chapterPaths = readdirSync('content')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => `/chapters/${f.replace(/\.mdx$/, '').replace(/^\d+-/, '')}/`);
const allPages = ['/', '/search/', '/404.html', ...chapterPaths];

/**
 * Chapters whose own spec (test/e2e/chNN-*.spec.ts) already runs axe over the whole page and takes the phone and
 * desktop screenshots (with the overflow check): sweeping them again here would double the slowest tests in CI.
 * Read from the spec files, so a chapter whose spec lacks either call is swept here automatically.
 */
const coveredByChapterSpec = new Set(
  readdirSync('test/e2e')
    .filter((f) => /^ch\d+-.*\.spec\.ts$/.test(f))
    .filter((f) => {
      const src = readFileSync(`test/e2e/${f}`, 'utf8');
      return src.includes('expectNoAxeViolations(page)') && src.includes('screenshots(page');
    })
    .map((f) => Number(/^ch(\d+)/.exec(f)![1])),
);
const chapterNumber = new Map(
  readdirSync('content')
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => [`/chapters/${f.replace(/\.mdx$/, '').replace(/^\d+-/, '')}/`, Number(/^(\d+)/.exec(f)?.[1])]),
);
const sweptHere = allPages.filter((p) => !coveredByChapterSpec.has(chapterNumber.get(p) ?? -1));

test('home page lists every chapter in order with summaries', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('convolutional neural networks');
  const items = page.locator('.chapter-list > li');
  expect(await items.count()).toBeGreaterThanOrEqual(1);
  await expect(items.first()).toContainText('Convolution in one dimension');
});

for (const path of sweptHere) {
  test(`axe finds no violations and nothing overflows a phone: ${path}`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(path);
    await expectNoAxeViolations(page);
    const name = path === '/' ? 'home' : path.replace(/^\/|\/$/g, '').replace(/[/.]/g, '-');
    await screenshots(page, name);
  });
}

test('chapter pages have a sidebar, table of contents and previous/next links', async ({ page }) => {
  await page.goto('/chapters/convolution-1d/');
  const chapters = page.getByRole('navigation', { name: 'Chapters' });
  await expect(chapters.getByRole('link', { name: /Convolution in one dimension/ })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByRole('navigation', { name: 'On this page' }).first()).toContainText('Full, same and valid');
  await expect(page.getByText(/min read/)).toBeVisible();
});

test.describe('404', () => {
  test.use({ allowedProblems: [/status of 404/] });
  test('unknown addresses get the 404 page', async ({ page }) => {
    const response = await page.goto('/no-such-page/');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });
});

test('search finds chapters by their content', async ({ page }) => {
  await page.goto('/search/');
  await page.getByLabel('Search all chapters').fill('cross-correlation');
  await expect(page.getByRole('status')).toContainText(/\d+ results? for/);
  // Pagefind ranks by term frequency, which shifts as chapters grow: assert membership, not rank.
  const titles = page.locator('.results li a');
  await expect(titles.filter({ hasText: 'Convolution in one dimension' })).toHaveCount(1);
  await expect(titles.filter({ hasText: '2D convolution by hand' })).toHaveCount(1);
  // A word from one chapter only finds that chapter.
  await page.getByLabel('Search all chapters').fill('commutative');
  await expect(page.getByRole('status')).toContainText(/\d+ results? for “commutative”/);
  await expect(titles.first()).toContainText('Convolution in one dimension');
});
