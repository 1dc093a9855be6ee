import { chromium } from '@playwright/test';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const page = await (await browser.newContext()).newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
const t0 = Date.now();
const log = async (what) =>
  console.log(
    ((Date.now() - t0) / 1000).toFixed(1),
    what,
    '|',
    await page.locator('#lab-status').textContent(),
    '|',
    await page.locator('#lab-train-text').textContent(),
  );
await page.goto(
  'http://localhost:4408/chapters/lenet-5/?lab.trainSubset=8000&lab.epochs=3&lab.evaluateEachEpoch=0&lab.backend=wasm',
);
await page.getByRole('button', { name: 'Train a new model', exact: true }).click();
await page.locator('#lab-train-text').filter({ hasText: 'images/s' }).waitFor({ timeout: 120000 });
await log('running');
await page.getByRole('button', { name: 'Pause', exact: true }).click();
await page.waitForTimeout(1000);
await log('paused');
await page.getByRole('button', { name: 'Resume', exact: true }).click();
await page.waitForTimeout(3000);
await log('resumed');
await page.getByRole('button', { name: 'Stop', exact: true }).click();
for (let i = 0; i < 20; i++) {
  await page.waitForTimeout(3000);
  await log('after stop');
  if ((await page.locator('#lab-status').textContent()).includes('Stopped')) break;
}
await browser.close();
