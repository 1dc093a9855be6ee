import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const ctx = await browser.newContext({ viewport: { width: 375, height: 812 } });
const page = await ctx.newPage();
page.on('pageerror', (e) => console.log('pageerror:', e.message));
for (const u of ['kernels-as-feature-detectors', 'padding-stride-output-size']) {
  await page.goto(`http://localhost:4405/chapters/${u}/`);
  const r = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const cs = getComputedStyle(el);
      if (!['auto', 'scroll'].includes(cs.overflowX)) continue;
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
    }
    return { out, page: document.documentElement.scrollWidth };
  });
  console.log(u, r.page, r.out);
}
await browser.close();
