import { test as base, expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/**
 * Every e2e test gets a page that records console errors, uncaught exceptions and any request to another
 * origin; the test fails afterwards if there were any. Import `test` and `expect` from here, not from Playwright.
 */
export const test = base.extend<{ guard: void; allowedProblems: RegExp[] }>({
  /** Problems a test expects (e.g. the 404 page's own failed load); set with test.use({ allowedProblems }). */
  allowedProblems: [[], { option: true }],
  guard: [
    async ({ page, baseURL, allowedProblems }, use) => {
      const problems: string[] = [];
      const origin = new URL(baseURL!).origin;
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
      page.on('request', (req) => {
        const url = req.url();
        if (/^(data|blob):/.test(url)) return;
        if (new URL(url).origin !== origin) problems.push(`request to another origin: ${url}`);
      });
      await use();
      const unexpected = problems.filter((p) => !allowedProblems.some((re) => re.test(p)));
      expect(unexpected, 'console errors, exceptions or cross-origin requests').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * An axe run (WCAG 2.1 A/AA and best practices) over the page, or only over `include` (CSS selectors). Legacy mode
 * runs axe.run in the page itself: the default (runPartial, then finishRun in a second, blank page) exists for
 * cross-origin iframes, which the site has none of, and costs four times as long. Only violations are reported.
 */
function axe(page: Page, include: readonly string[]): AxeBuilder {
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  for (const selector of include) builder.include(selector);
  return builder;
}

/**
 * Runs axe over the whole page and fails with a readable list of violations. Then it switches the page to dark
 * mode in place (no reload, same widget state) and runs axe's colour-contrast rule again, since dark mode changes
 * only colours; the page is left in light mode.
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const light = await axe(page, []).withTags(AXE_TAGS).analyze();
  expect(describeViolations(light.violations), 'axe violations (light mode)').toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  try {
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
    const dark = await axe(page, []).withRules(['color-contrast']).analyze();
    expect(describeViolations(dark.violations), 'axe violations (dark mode)').toEqual([]);
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
  }
}

/**
 * Runs axe (light mode) over some parts of a page only: a widget in a changed state, after a whole-page sweep
 * (`expectNoAxeViolations`) has checked the rest of the same page.
 */
export async function expectNoAxeViolationsIn(page: Page, ...include: string[]): Promise<void> {
  const scoped = await axe(page, include).withTags(AXE_TAGS).analyze();
  expect(describeViolations(scoped.violations), `axe violations in ${include.join(', ')}`).toEqual([]);
}

function describeViolations(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 5)
        .join('\n  ')}`,
  );
}

/** Whether this run saves screenshots (`npm run screenshots`); the gate only checks the phone layout. */
const SAVE_SCREENSHOTS = process.env['SCREENSHOTS'] === '1';

/**
 * Checks that nothing sticks out sideways on a 375 px phone (the page must not scroll horizontally). Under
 * `npm run screenshots` it also saves full-page screenshots at desktop (1280 px) and phone (375 px) width under
 * test-results/screenshots, for looking at; the gate does not take them, they are slow and nothing reads them.
 * The viewport is left at desktop width.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  // Sections that skip rendering while off screen (content-visibility: auto, the lab's) are drawn for these checks
  // and pictures, so that what they test and show is the whole page, not blank boxes.
  await page.addStyleTag({ content: '* { content-visibility: visible !important; }' });
  for (const [label, width] of [
    ['phone', 375],
    ['desktop', 1280],
  ] as const) {
    await page.setViewportSize({ width, height: label === 'phone' ? 812 : 900 });
    if (SAVE_SCREENSHOTS) {
      await page.screenshot({ path: `test-results/screenshots/${name}-${label}.png`, fullPage: true });
    }
    if (label === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} is wider than a 375 px phone`).toBeLessThanOrEqual(0);
      // Whatever scrolls sideways shows that it does: a fade at the edge (src/site/scroll-edges.ts, issue 15).
      await expect
        .poll(() => scrollBoxProblems(page), { message: `${name}: wide boxes without a fade or keyboard access` })
        .toEqual([]);
    }
    // Chart text too, at its size on screen: a chart wider than a phone's column scrolls rather than shrinking.
    expect(await smallText(page), `${name}: text under 12 px (${label})`).toEqual([]);
  }
}

/**
 * A widget part's HTML, for "the last good state stays" checks, without the marks src/site/scroll-edges.ts sets in
 * the animation frame after each redraw (`data-scroll-x`, and the tab stop it gives a box with none). Read at once,
 * a redraw's HTML lacks them until that frame; on a loaded machine the frame can come after the test's next read
 * (CI's run at 6fecf2e failed so in chapter 11), so a plain `innerHTML()` compared equal states unequal.
 */
export function stateHTML(part: Locator): Promise<string> {
  return part.evaluate((el) => {
    const copy = el.cloneNode(true) as Element;
    for (const box of copy.querySelectorAll('[data-scroll-x]')) box.removeAttribute('data-scroll-x');
    for (const box of copy.querySelectorAll('[data-scroll-focus]')) {
      box.removeAttribute('data-scroll-focus');
      box.removeAttribute('tabindex');
      if (box.getAttribute('aria-label')?.endsWith('(scrolls sideways)') && box.getAttribute('role') === 'group') {
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
      }
    }
    return copy.innerHTML;
  });
}

/**
 * Boxes in the page's main part that scroll sideways, are too wide to show everything, and either show no edge fade
 * or cannot be reached by keyboard (no tab stop of their own and nothing focusable inside), so arrow keys cannot
 * scroll them.
 */
export function scrollBoxProblems(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main *')].flatMap((el) => {
      const style = getComputedStyle(el);
      if (style.overflowX !== 'auto' && style.overflowX !== 'scroll') return [];
      if (el.scrollWidth <= el.clientWidth + 1 || el.closest('.cm-editor')) return [];
      const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} in #${el.closest('[id]')?.id ?? ''}`;
      const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
      const keyboard = (el as HTMLElement).tabIndex >= 0 || el.querySelector(focusable) !== null;
      return [
        ...(style.maskImage === 'none' ? [`${name}: no fade`] : []),
        ...(keyboard ? [] : [`${name}: no keyboard access`]),
      ];
    }),
  );
}

/**
 * Visible text set under 12 px, as "tag.class in #widget: size" (one line per kind). KaTeX is left out (it sizes
 * its scripts by TeX's rules); with `svg`, chart text counts at its size on screen (font size times the scale).
 */
export function smallText(page: Page, svg = true): Promise<string[]> {
  return page.evaluate((svg) => {
    const found = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || el.closest('.katex, [hidden], script, style, noscript')) continue;
      if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      let size = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGElement) {
        if (!svg) continue;
        const m = (el as unknown as SVGGraphicsElement).getScreenCTM?.();
        if (m) size *= Math.hypot(m.a, m.b);
      }
      if (size < 11.75) {
        const where = el.closest('[id]')?.id ?? '';
        found.add(
          `${el.tagName.toLowerCase()}${[...el.classList].map((c) => `.${c}`).join('')} in #${where}: ${size.toFixed(1)} px`,
        );
      }
    }
    return [...found];
  }, svg);
}

/** Saves a screenshot of one widget under test-results/screenshots, only under `npm run screenshots`. */
export async function widgetShot(widget: Locator, name: string): Promise<void> {
  if (SAVE_SCREENSHOTS) await widget.screenshot({ path: `test-results/screenshots/${name}.png` });
}
