import { test, expect, expectNoAxeViolations, screenshots } from './fixtures.ts';
import { REFERENCES } from '../../src/site/references.ts';

test.describe('references page', () => {
  test('linked from the site header; every entry has an anchor, a link to its source and the chapters citing it', async ({
    page,
  }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'References' }).click();
    await expect(page).toHaveURL(/\/references\/$/);
    await expect(page.getByRole('heading', { level: 1, name: 'References' })).toBeVisible();
    const entries = page.locator('ol.refs > li');
    await expect(entries).toHaveCount(REFERENCES.length);
    for (const r of REFERENCES) {
      const entry = page.locator(`li[id="${r.id}"]`);
      // The title opens the source itself; nothing is fetched from it (the guard fails any cross-origin request).
      await expect(entry.getByRole('link', { name: r.title })).toHaveAttribute('href', r.url);
      await expect(entry.getByRole('link', { name: /^chapter \d+$/ }).first()).toBeVisible();
    }
    await expectNoAxeViolations(page);
    await screenshots(page, 'references');
  });

  test('a chapter citation links to its entry on the references page', async ({ page }) => {
    await page.goto('/chapters/lenet-5/');
    const cite = page.locator('a.cite', { hasText: 'LeCun et al., 1998a, Table I' });
    await expect(cite).toHaveAttribute('href', '/references/#lecun1998');
    await cite.click();
    await expect(page).toHaveURL(/\/references\/#lecun1998$/);
    await expect(page.locator('li#lecun1998')).toContainText('Gradient-based learning applied to document recognition');
  });
});
