import { readdirSync, readFileSync } from 'node:fs';
import { test, expect, expectNoAxeViolations, expectNoAxeViolationsIn, screenshots } from './fixtures.ts';

/** Every page of the site: the chrome pages plus one per chapter file, so new chapters are covered automatically. */
const chapterPaths = readdirSync('content')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => `/chapters/${f.replace(/\.mdx$/, '').replace(/^\d+-/, '')}/`);
// The benchmark page is part of the build (unlinked); `mode=idle` renders it without starting a training run.
const allPages = ['/', '/search/', '/404.html', '/bench/?mode=idle', ...chapterPaths];

/** Each chapter's frontmatter fields the chrome shows, read from the MDX files, in course order. */
const chapters = readdirSync('content')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(`content/${f}`, 'utf8'))![1]!;
    const field = (name: string) => {
      const raw = new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(front)![1]!.trim();
      return /^["']/.test(raw) ? raw.slice(1, -1).replace(/\\"/g, '"').replace(/''/g, "'") : raw;
    };
    return {
      path: `/chapters/${f.replace(/\.mdx$/, '').replace(/^\d+-/, '')}/`,
      title: field('title'),
      summary: field('summary'),
      order: Number(field('order')),
    };
  })
  .sort((a, b) => a.order - b.order);

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
  await expect(items).toHaveCount(chapters.length);
  for (const [i, c] of chapters.entries()) {
    await expect(items.nth(i).getByRole('link')).toHaveText(`${c.order}${c.title}`);
    await expect(items.nth(i).getByRole('link')).toHaveAttribute('href', c.path);
    await expect(items.nth(i)).toContainText(c.summary);
  }
});

for (const path of sweptHere) {
  test(`axe finds no violations and nothing overflows a phone: ${path}`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(path);
    await expectNoAxeViolations(page);
    const name =
      path === '/'
        ? 'home'
        : path
            .replace(/\?.*$/, '')
            .replace(/^\/|\/$/g, '')
            .replace(/[/.]/g, '-');
    await screenshots(page, name);
  });
}

test('chapter pages have a sidebar in course order, a table of contents and reading time', async ({ page }) => {
  await page.goto('/chapters/convolution-1d/');
  const sidebar = page.getByRole('navigation', { name: 'Chapters' });
  await expect(sidebar.getByRole('link', { name: /Convolution in one dimension/ })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByRole('navigation', { name: 'On this page' }).first()).toContainText('Full, same and valid');
  await expect(page.getByText(/min read/)).toBeVisible();
  // The sidebar lists every chapter in course order.
  await expect(sidebar.getByRole('link')).toHaveText(chapters.map((c) => `${c.order}. ${c.title}`));
});

test('previous/next links walk the course in order and stop at both ends', async ({ page }) => {
  for (const [i, c] of chapters.entries()) {
    if (i !== 0 && i !== 1 && i !== chapters.length - 1) continue; // first, an inner one and the last
    await page.goto(c.path);
    const pager = page.getByRole('navigation', { name: 'Previous and next chapter' });
    const prev = pager.locator('a[rel="prev"]');
    const next = pager.locator('a[rel="next"]');
    if (i === 0) await expect(prev).toHaveCount(0);
    else {
      await expect(prev).toHaveAttribute('href', chapters[i - 1]!.path);
      await expect(prev).toContainText(chapters[i - 1]!.title);
    }
    if (i === chapters.length - 1) await expect(next).toHaveCount(0);
    else {
      await expect(next).toHaveAttribute('href', chapters[i + 1]!.path);
      await expect(next).toContainText(chapters[i + 1]!.title);
    }
  }
  // Following Next from chapter 1 lands on chapter 2.
  await page.goto(chapters[0]!.path);
  await page.locator('a[rel="next"]').click();
  await expect(page).toHaveURL(new RegExp(`${chapters[1]!.path}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(chapters[1]!.title);
});

test('the axe checks fail on planted violations: light mode, dark mode only, and inside a scoped part', async ({
  page,
}) => {
  await page.goto('/search/');
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = '@media (prefers-color-scheme: dark) { .planted-dark { color: #222; background: #000; } }';
    document.head.append(style);
    const main = document.querySelector('main')!;
    main.insertAdjacentHTML('beforeend', '<p class="planted-dark" style="padding: 4px">Dark mode only</p>');
  });
  await expect(expectNoAxeViolations(page)).rejects.toThrow(/dark mode[\s\S]*color-contrast/);
  await page.evaluate(() => {
    const main = document.querySelector('main')!;
    main.insertAdjacentHTML('beforeend', '<p id="planted" style="color: #aaa; background: #bbb">Pale</p>');
  });
  await expect(expectNoAxeViolationsIn(page, '#planted')).rejects.toThrow(/color-contrast/);
  await expect(expectNoAxeViolations(page)).rejects.toThrow(/light mode[\s\S]*color-contrast/);
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
  // Excerpts are prose: each formula once (not its MathML and TeX copies too), no button labels.
  await page.getByLabel('Search all chapters').fill('derivative');
  await expect(page.getByRole('status')).toContainText(/\d+ results? for “derivative”/);
  const excerpts = (await page.locator('.results li p').allInnerTexts()).join(' ');
  expect(excerpts).not.toMatch(/\\(frac|sigma|partial|begin)|Copy link/);
  // A made-up word finds nothing (Pagefind's typo tolerance used to turn it into a page through a stray prefix).
  await page.getByLabel('Search all chapters').fill('qwertyuiop');
  await expect(page.getByRole('status')).toHaveText('0 results for “qwertyuiop”.');
  await expect(titles).toHaveCount(0);
});

test('search: words typed before the page’s script has run still get their results', async ({ page }) => {
  // A slow connection: the scripts arrive 1.5 s after the page, and the reader types at once.
  await page.route(/\/_astro\/.*\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto('/search/', { waitUntil: 'commit' });
  await page.getByLabel('Search all chapters').fill('commutative');
  await expect(page.getByRole('status')).toContainText(/\d+ results? for “commutative”/);
  await expect(page.locator('.results li a').first()).toContainText('Convolution in one dimension');
});

// src/site/scroll-edges.ts reads every element's style to find the boxes that scroll sideways. Doing that again each
// time the page merely grew (a widget drawing its results) cost the LeNet lab a 36 ms frame per redraw; only a new
// width can switch a media query that makes a box scroll.
test('scroll edges: a page that grows is not searched again, a narrower one is (and its wide boxes marked)', async ({
  page,
}) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __styleReads: number };
    w.__styleReads = 0;
    const read = window.getComputedStyle.bind(window);
    window.getComputedStyle = (...a: Parameters<typeof read>) => (w.__styleReads++, read(...a));
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/chapters/lenet-5/', { waitUntil: 'load' });
  // The script's work runs in animation frames: a resize is observed in one and searched in the next.
  const frames = (n: number) =>
    page.evaluate(
      (count) =>
        new Promise<void>((done) => {
          let left = count;
          const tick = () => (--left <= 0 ? done() : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        }),
      n,
    );
  await frames(4);
  const reads = () => page.evaluate(() => (window as unknown as { __styleReads: number }).__styleReads);
  const elements = await page.evaluate(() => document.querySelectorAll('main *').length);
  expect(elements).toBeGreaterThan(1000);
  const before = await reads();
  // 2,000 px of new content, no new width: only the added element is read.
  await page.evaluate(() => {
    const tall = document.createElement('div');
    tall.style.height = '2000px';
    document.querySelector('main')!.append(tall);
  });
  await frames(4);
  expect((await reads()) - before).toBeLessThan(10);
  // A phone's width: the whole page again, and what now scrolls sideways is marked.
  await page.setViewportSize({ width: 375, height: 800 });
  await expect.poll(async () => (await reads()) - before).toBeGreaterThan(elements / 2);
  await expect.poll(() => page.locator('main [data-scroll-x]').count()).toBeGreaterThan(0);
});
