// The notebook part of `npm run bench`: what a chapter with code cells costs to load, before and after the reader
// opens a cell (gzipped JavaScript, measured from the bytes the page received: `astro preview` does not compress),
// the time from pressing Check to the verdict for chapter 3's corr2d exercise (warm: after one check), and the
// capstone's default run with the course's functions (time and test accuracy).
import { gzipSync } from 'node:zlib';
import { median } from './stats.mjs';

const CH3 = '/chapters/convolution-2d/';

/** Sums the gzipped size of every JavaScript response the page has received so far. */
function jsMeter(page) {
  const seen = new Map();
  page.on('response', async (res) => {
    const url = res.url();
    if (!/\.m?js(\?|$)/.test(url) || seen.has(url)) return;
    seen.set(url, 0);
    try {
      seen.set(url, gzipSync(await res.body(), { level: 9 }).length);
    } catch {
      // A response without a body (a redirect) counts as nothing.
    }
  });
  return () => [...seen.values()].reduce((a, b) => a + b, 0);
}

/** @returns {Promise<object>} figures for bench.json */
export async function notebookBench(browser, base, log) {
  const out = {};
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    const js = jsMeter(page);
    await page.goto(`${base}${CH3}`, { waitUntil: 'networkidle' });
    out.chapter = CH3;
    out.jsBeforeGzipBytes = js();
    const cell = page.locator('#exercise-corr2d');
    await cell.locator('[data-role="static"]').focus();
    await cell.locator('.cm-content').waitFor();
    await page.waitForLoadState('networkidle');
    out.jsAfterOpeningGzipBytes = js();
    const solution = await cell.locator('[data-role="solution"]').textContent();
    await cell.locator('.cm-content').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(solution ?? '');
    const check = async () => {
      await page.evaluate(() => {
        document.querySelector('#exercise-corr2d [data-role="status"]').textContent = '';
      });
      const t0 = await page.evaluate(() => performance.now());
      await cell.getByRole('button', { name: 'Check' }).click();
      await page.waitForFunction(() =>
        /Passed/.test(document.querySelector('#exercise-corr2d [data-role="status"]').textContent),
      );
      return (await page.evaluate(() => performance.now())) - t0;
    };
    out.firstCheckMs = Math.round(await check());
    // After a second check the worker has loaded everything and compiled the hot paths: the reader's usual case.
    await page.waitForLoadState('networkidle');
    out.jsAfterCheckGzipBytes = js();
    const warm = [];
    for (let i = 0; i < 7; i++) warm.push(await check());
    out.warmCheckMs = {
      median: Math.round(median(warm)),
      min: Math.round(Math.min(...warm)),
      max: Math.round(Math.max(...warm)),
    };
    await context.close();
  }
  {
    log('notebook: the capstone default run with the course’s functions');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/chapters/lenet-5/`);
    const ex = page.locator('#exercise-capstone-train-step');
    await ex.locator('summary', { hasText: 'Show a solution' }).click();
    await ex.getByRole('button', { name: 'Put the solution in the editor' }).click();
    await ex.getByRole('button', { name: 'Discard' }).click();
    await ex.getByRole('button', { name: 'Run' }).click();
    await ex.locator('[data-role="status"]').filter({ hasText: 'Ran in' }).waitFor({ timeout: 60_000 });
    const trainer = page.locator('#capstone');
    const t0 = Date.now();
    await trainer.getByRole('button', { name: 'Train both' }).click();
    await page.waitForFunction(
      () => /Yours: .*The course’s: /s.test(document.querySelector('#capstone [data-role="status"]').textContent),
      null,
      { timeout: 10 * 60_000, polling: 500 },
    );
    const status = await trainer.locator('[data-role="status"]').textContent();
    const settings = await trainer
      .locator('input[data-field]')
      .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.field, e.value])));
    const acc = (who) => Number(new RegExp(`${who}: (\\d+\\.\\d) %`).exec(status)?.[1]);
    const secs = (who) =>
      Number(new RegExp(`${who}: [\\d.]+ % on the test digits after (\\d+\\.\\d) s`).exec(status)?.[1]);
    out.capstone = {
      settings,
      // Both runs train at once, one worker each, so on 2 cores each gets one.
      wallSeconds: Math.round((Date.now() - t0) / 100) / 10,
      yours: { accuracyPct: acc('Yours'), seconds: secs('Yours') },
      course: { accuracyPct: acc('The course’s'), seconds: secs('The course’s') },
      status: status?.trim(),
    };
    await context.close();
  }
  return out;
}

/** Markdown lines for the report. */
export function notebookLines(nb) {
  if (!nb) return [];
  if (nb.error) return [`- Notebook: not measured (${nb.error}).`];
  if (nb.skipped) return [];
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const lines = [
    '',
    '## Notebook',
    '',
    `- ${nb.chapter}: ${kb(nb.jsBeforeGzipBytes)} of JavaScript (gzip) on load; ${kb(nb.jsAfterOpeningGzipBytes)} after the reader opens a cell (the editor); ${kb(nb.jsAfterCheckGzipBytes)} after the first Check (the worker).`,
    `- Check to verdict, corr2d (chapter 3): first ${nb.firstCheckMs} ms (worker start included); warm median ${nb.warmCheckMs.median} ms (${nb.warmCheckMs.min}–${nb.warmCheckMs.max}) over 7 checks.`,
  ];
  const c = nb.capstone;
  if (c) {
    lines.push(
      `- Capstone default run (${c.settings.images} images × ${c.settings.epochs} epochs, lr ${c.settings.lr}, seed ${c.settings.seed}; both runs at once, one worker each): the reader’s run (the course’s solution code) ${c.yours.accuracyPct} % in ${c.yours.seconds} s; the course’s ${c.course.accuracyPct} % in ${c.course.seconds} s; ${c.wallSeconds} s from Train to both done.`,
    );
  }
  return lines;
}
