import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
const server = spawn('npm', ['exec', '--', 'astro', 'preview', '--ignore-lock', '--port', '4405'], { stdio: 'ignore', detached: true });
const base = 'http://localhost:4405';
for (let i = 0; i < 60; i++) { if (await fetch(base).then((r) => r.ok, () => false)) break; await new Promise((r) => setTimeout(r, 300)); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  for (const [name, width] of [['desktop', 1280], ['phone', 375]]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${base}/chapters/lenet-5/#lab`);
    await page.locator('#lab-backend-line').filter({ hasText: 'Engine: TensorFlow.js on' }).waitFor({ timeout: 60000 });
    await page.locator('#lab-backend-line').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/tmp/x/lab-${name}.png` });
    console.log(name, await page.locator('#lab-backend-line').textContent(), '|', await page.locator('#lab-data-text').textContent());
    await page.close();
  }
} finally {
  await browser.close();
  process.kill(-server.pid, 'SIGTERM');
}
