// Renders the app icons in public/icons/ from public/favicon.svg with the system Chromium (as the e2e tests use it),
// so the installable app's icons are the favicon, drawn by a browser, not files from elsewhere. Run after changing the
// favicon: `node scripts/make-icons.mjs` (through npm exec, for the project's Node).
//   icon-192.png, icon-512.png: the favicon as is (purpose "any").
//   icon-maskable-512.png: the favicon's squares on a full-bleed background inside the 80 % safe zone ("maskable").
import { chromium } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';

const svg = readFileSync('public/favicon.svg', 'utf8');
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: ['--no-sandbox'] });
const page = await browser.newPage();
const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

async function render(file, size, maskable) {
  await page.setViewportSize({ width: size, height: size });
  // Maskable: launchers crop to a circle or squircle, so the artwork shrinks to the safe zone on its own blue.
  const inner = maskable ? Math.round(size * 0.8) : size;
  await page.setContent(
    `<body style="margin:0;background:${maskable ? '#0b5cad' : 'transparent'};display:grid;place-items:center;height:100vh">` +
      `<img src="${src}" width="${inner}" height="${inner}"></body>`,
  );
  await page.locator('img').evaluate((img) => img.decode());
  await page.screenshot({ path: `public/icons/${file}`, omitBackground: !maskable });
}

await render('icon-192.png', 192, false);
await render('icon-512.png', 512, false);
await render('icon-maskable-512.png', 512, true);
await browser.close();
