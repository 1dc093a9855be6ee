import { chromium } from '@playwright/test';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const page = await (await browser.newContext({ viewport: { width: 375, height: 812 } })).newPage();
await page.goto('http://localhost:4408/chapters/lenet-5/');
console.log('scrollWidth', await page.evaluate(() => document.documentElement.scrollWidth));
await page.locator('#lab').screenshot({ path: '/tmp/h8/lab-phone.png' });
await browser.close();
