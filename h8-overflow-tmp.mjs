import { chromium } from '@playwright/test';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const page = await (await browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();
await page.goto('http://localhost:4408/chapters/lenet-5/');
const out = await page.evaluate(() => {
  const res = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && r.width > 0)
      res.push(`${el.tagName}.${el.className} #${el.id} right=${Math.round(r.right)} w=${Math.round(r.width)}`);
  }
  return [document.documentElement.scrollWidth, ...res.slice(0, 30)];
});
console.log(out.join('\n'));
await browser.close();
