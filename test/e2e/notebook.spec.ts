/**
 * The notebook in a real browser: typing by keyboard, checking, named mistakes, an endless loop stopped, every bad
 * input explained beside the cell, code kept across a reload, export and import, the capstone training, and axe
 * with a cell open and an error shown.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, screenshots } from './fixtures.ts';

const CH1 = '/chapters/convolution-1d/';

/** Replaces a cell's code by keyboard: focus the code, which loads the editor, select all, type. */
async function typeCode(page: Page, cell: Locator, code: string): Promise<void> {
  await cell.locator('[data-role="static"], .cm-content').first().focus();
  const editor = cell.locator('.cm-content');
  await expect(editor).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // Typed line by line without indentation: the editor indents as a person's typing would be.
  for (const [i, line] of code.split('\n').entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.type(line.trimStart());
  }
}

/** Puts code in a cell quickly (for long snippets), through the same editor. */
async function pasteCode(page: Page, cell: Locator, code: string): Promise<void> {
  await cell.locator('[data-role="static"], .cm-content').first().focus();
  await expect(cell.locator('.cm-content')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}

const FULL_SOLUTION = `function conv1dFull(x: number[], w: number[]): number[] {
const y = new Array(x.length + w.length - 1).fill(0);
for (let n = 0; n < y.length; n++)
for (let k = 0; k < x.length; k++) {
const j = n - k;
if (j >= 0 && j < w.length) y[n] += x[k] * w[j];
}
return y;
}`;

test('type a correct solution by keyboard, leave the editor with Escape then Tab, check it, and keep it across a reload', async ({
  page,
}) => {
  await page.goto(CH1);
  const cell = page.locator('#exercise-conv1d-full');
  await expect(cell.getByRole('button', { name: 'Check' })).toBeVisible();
  await typeCode(page, cell, FULL_SOLUTION);
  // Escape, then Tab, leaves the editor (Tab alone indents): the next stop is Run, then Check.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(cell.getByRole('button', { name: 'Run' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(cell.getByRole('button', { name: 'Check' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(cell.locator('[data-role="report"]')).toContainText(/Passed: all \d+ cases agree/);
  await expect(cell.locator('[data-role="badge"]')).toHaveText('Passed');
  await expect(cell.getByRole('status')).toContainText('Passed');
  // The sidebar counts it.
  await expect(page.locator('.sidebar a[aria-current="page"] .nb-progress')).toContainText('1/2');
  await page.reload();
  await expect(cell.locator('[data-role="badge"]')).toHaveText('Passed');
  await expect(cell.locator('[data-role="static"]')).toContainText('if (j >= 0 && j < w.length) y[n] += x[k] * w[j];');
});

test('a wrong solution gets its mistake named and the differing entries marked', async ({ page }) => {
  await page.goto(CH1);
  const cell = page.locator('#exercise-conv1d-full');
  await typeCode(
    page,
    cell,
    `function conv1dFull(x: number[], w: number[]): number[] {
const K = w.length;
const y = new Array(x.length + K - 1).fill(0);
for (let n = 0; n < y.length; n++)
for (let j = 0; j < K; j++) {
const i = n - (K - 1) + j;
if (i >= 0 && i < x.length) y[n] += x[i] * w[j];
}
return y;
}`,
  );
  await cell.getByRole('button', { name: 'Check' }).click();
  const report = cell.locator('[data-role="report"]');
  await expect(report).toContainText('Looks like: forgot to flip the kernel.');
  await expect(report).toContainText('First failure: the worked example');
  await expect(report.locator('td.nb-diff').first()).toBeVisible();
  await expect(cell.locator('[data-role="badge"]')).toHaveText('Not passed yet');
  await expectNoAxeViolations(page);
});

test('an endless loop is stopped after 3 s, the page stays responsive, and the cell still works', async ({ page }) => {
  await page.goto(CH1);
  const cell = page.locator('#cell-explore');
  await pasteCode(page, cell, 'function helper() { return 41; }\nwhile (true) {}');
  await cell.getByRole('button', { name: 'Run' }).click();
  // The main thread is free while the worker spins.
  const t0 = Date.now();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  expect(Date.now() - t0).toBeLessThan(1000);
  await expect(cell.locator('[data-role="message"]')).toContainText(
    'Stopped after 3 s: is there a loop that never ends?',
    {
      timeout: 10_000,
    },
  );
  await pasteCode(page, cell, 'show([1, 2, 3]);');
  await cell.getByRole('button', { name: 'Run' }).click();
  await expect(cell.locator('[data-role="output"] table')).toContainText('123');
  await expect(cell.locator('[data-role="message"]')).toBeHidden();
});

test('bad code of every kind gets a clear message beside the cell, with the line marked', async ({ page }) => {
  await page.goto(CH1);
  const cell = page.locator('#cell-explore');
  const message = cell.locator('[data-role="message"]');
  const cases: [string, string, RegExp][] = [
    ['a syntax error', 'const a = 1;\nconst b = a +;', /Syntax error.*line 2/],
    ['throw 42', 'throw 42;', /threw 42 \(a number\), not an Error/],
    ['a runtime error', 'const a: number[] = [];\nconst b = (a as any).foo.bar;', /TypeError.*line 2/],
    ['deep recursion', 'function f(n: number): number { return f(n + 1); }\nf(0);', /call stack overflowed/],
    ['close()', 'close();', /cannot stop its own worker/],
    ['postMessage', 'self.postMessage("hi");', /reserved for the notebook/],
    ['an import', "import x from 'https://example.com/x.js';", /cannot import/],
    ['1 MB of pasted text', `// ${'x'.repeat(1_000_000)}`, /at most 100,000/],
  ];
  for (const [what, code, expected] of cases) {
    await test.step(what, async () => {
      await pasteCode(page, cell, code);
      await cell.getByRole('button', { name: 'Run' }).click();
      await expect(message).toBeVisible();
      await expect(message).toHaveText(expected);
      await expect(cell.getByRole('button', { name: 'Run' })).toBeEnabled();
    });
  }
  await test.step('a line error is marked in the editor', async () => {
    await pasteCode(page, cell, 'const a = 1;\nconst b = a +;');
    await cell.getByRole('button', { name: 'Run' }).click();
    await expect(cell.locator('.nb-error-line')).toHaveCount(1);
  });
  await test.step('a million values print as a cut grid with a count', async () => {
    await pasteCode(page, cell, 'show(new Array(1e6).fill(2));');
    await cell.getByRole('button', { name: 'Run' }).click();
    await expect(cell.locator('[data-role="output"]')).toContainText('1000000 values; first 16 shown');
    await expect(message).toBeHidden();
  });
  await expectNoAxeViolations(page);
  await screenshots(page, 'notebook-ch01-error');
});

test('export the notebook, erase it, import it back; a bad file changes nothing', async ({ page }) => {
  await page.goto(CH1);
  const cell = page.locator('#exercise-conv1d-full');
  await pasteCode(page, cell, FULL_SOLUTION);
  await cell.getByRole('button', { name: 'Check' }).click();
  await expect(cell.locator('[data-role="badge"]')).toHaveText('Passed');
  await page.goto('/notebook/');
  await expect(page.locator('.summary')).toContainText(/1 of \d+ exercises passed/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export the notebook (.json)' }).click(),
  ]);
  const file = await download.path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { cells: Record<string, { status: string }> };
  expect(exported.cells['exercise:conv1d-full']?.status).toBe('passed');

  await page.getByRole('button', { name: 'Erase my notebook…' }).click();
  await page.getByRole('button', { name: 'Erase', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Your notebook was erased.');
  await expect(page.locator('.state[data-exercise="conv1d-full"]')).toHaveText('Not started');

  const input = page.getByLabel('Import a notebook file');
  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not json') });
  await expect(page.locator('#nb-import-msg')).toContainText('not JSON');
  await expect(page.locator('.state[data-exercise="conv1d-full"]')).toHaveText('Not started');

  await input.setInputFiles(file);
  await page.getByRole('button', { name: 'Replace my notebook' }).click();
  await expect(page.getByRole('status')).toContainText('Imported');
  await expect(page.locator('.state[data-exercise="conv1d-full"]')).toHaveText('Passed');
  await expectNoAxeViolations(page);
  await screenshots(page, 'notebook-page');
});

test('the capstone: the solution passes, then both runs train on a few hundred images and the loss falls', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/chapters/lenet-5/');
  const ex = page.locator('#exercise-capstone-train-step');
  await ex.locator('summary', { hasText: 'Show a solution' }).click();
  await ex.getByRole('button', { name: 'Put the solution in the editor' }).click();
  await ex.getByRole('button', { name: 'Discard' }).click();
  await ex.getByRole('button', { name: 'Check' }).click();
  await expect(ex.locator('[data-role="report"]')).toContainText('Passed', { timeout: 20_000 });
  const trainer = page.locator('#capstone');
  await trainer.getByLabel(/Training images/).fill('abc');
  await trainer.getByRole('button', { name: 'Train both' }).click();
  await expect(trainer.locator('#capstone-images-error')).toHaveText('“abc” is not a number.');
  await trainer.getByLabel(/Training images/).fill('300');
  await trainer.getByLabel(/Epochs/).fill('1');
  await trainer.getByRole('button', { name: 'Train both' }).click();
  await expect(trainer.getByRole('status')).toContainText(/Yours: \d+\.\d % on the test digits/, { timeout: 90_000 });
  await expect(trainer.getByRole('status')).toContainText(/The course’s: \d+\.\d %/);
  const losses = await page.evaluate(() =>
    [...document.querySelectorAll('#capstone polyline.yours')].flatMap((p) =>
      (p.getAttribute('points') ?? '').split(' ').map((xy) => Number(xy.split(',')[1])),
    ),
  );
  // SVG y grows downward: a falling loss means the last point sits lower on screen (larger y) than the first.
  expect(losses.length).toBeGreaterThan(3);
  expect(losses.at(-1)!).toBeGreaterThan(losses[0]!);
  await expect(trainer.locator('tr[data-run="yours"] td').nth(2)).toHaveText(/\d+\.\d %/);
  await expect(trainer.locator('[data-role="pieces"] li').first()).toContainText('the course’s');
});

test('a self-check takes the answer first: typed numbers are checked against the engine, and the explanation opens', async ({
  page,
}) => {
  await page.goto('/chapters/relu-and-activations/');
  const check = page.locator('self-check').filter({ hasText: 'What are ReLU(−3)' });
  const answer = check.locator('details');
  await expect(answer).not.toHaveAttribute('open');
  await check.getByRole('button', { name: 'Check my answer' }).click();
  await expect(check.getByRole('status')).toHaveText('Type a number for ReLU(−3) first.');
  await check.getByRole('textbox', { name: 'ReLU(−3)', exact: true }).fill('0');
  await check.getByRole('textbox', { name: 'ReLU(2)', exact: true }).fill('2');
  await check.getByRole('textbox', { name: 'slope at −3', exact: true }).fill('0');
  await check.getByRole('textbox', { name: 'slope at 2', exact: true }).fill('2');
  await check.getByRole('textbox', { name: 'slope at 2', exact: true }).press('Enter');
  await expect(check.getByRole('status')).toHaveText(
    'Not quite: slope at 2 should be 1. The explanation below shows how.',
  );
  await expect(check.getByRole('textbox', { name: 'slope at 2', exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(answer).toHaveAttribute('open', '');
  await check.getByRole('textbox', { name: 'slope at 2', exact: true }).fill('1');
  await check.getByRole('button', { name: 'Check my answer' }).click();
  await expect(check.getByRole('status')).toHaveText('Right: 0, 2, 0, 1. The explanation is below.');
  const choice = page.locator('self-check').filter({ hasText: 'three dense layers' });
  await choice.getByLabel('No: their product is one linear map').check();
  await choice.getByRole('button', { name: 'Check my answer' }).click();
  await expect(choice.getByRole('status')).toHaveText('Right. The explanation is below.');
});
