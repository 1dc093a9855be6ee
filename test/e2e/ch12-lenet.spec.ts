import type { Download, Locator, Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { test, expect, expectNoAxeViolations, expectNoAxeViolationsIn, screenshots, stateHTML } from './fixtures.ts';
import { presetSummary } from '../../src/ml/presets.ts';
import { EXERCISES } from '../../components/lenet-lab/exercises.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/ml/config.ts';
import { labRun, percent } from '../../components/lenet-lab/numbers/runs.ts';
import { measuredNote } from '../../components/lenet-lab/numbers/exercise-notes.ts';

const URL = '/chapters/lenet-5/';
// A small run on the WebAssembly backend: 4,000 images, 2 epochs, no test pass between epochs. The test stops it
// part-way, which also exercises Stop; the stopped model is still tested and kept.
const QUICK = `${URL}?lab.trainSubset=16000&lab.epochs=2&lab.evaluateEachEpoch=0&lab.backend=wasm`;
const total = (preset: Parameters<typeof presetSummary>[0]) =>
  presetSummary(preset)
    .reduce((s, r) => s + r.params, 0)
    .toLocaleString('en-US');

/** A LeNet-5 trained for one short epoch by the lab's own code (test/fixtures/lab-model/make-lab-model.ts). */
const MODEL_FILES = ['convnotebook-lenet.json', 'convnotebook-lenet.weights.bin'].map((name) => ({
  name,
  mimeType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
  buffer: readFileSync(`test/fixtures/lab-model/${name}`),
}));

/** Imports MODEL_FILES through the lab's file input and waits until the lab says so. */
async function importModel(page: Page): Promise<void> {
  await lab(page).locator('input[type="file"][data-action="import"]').setInputFiles(MODEL_FILES);
  await expect(lab(page).locator('#lab-status')).toContainText('Imported the model from 2 files', { timeout: 60_000 });
  await expect(lab(page).locator('#lab-storage-error')).toBeHidden();
}

/** Requests that mean TensorFlow.js or the training worker was loaded. */
const TFJS = /tfjs|worker|session|\.wasm(\?|$)/i;

function lab(page: Page): Locator {
  return page.locator('#lab');
}

/** A text field of the lab's form, by its exact label. */
function field(page: Page, name: string): Locator {
  return lab(page).getByRole('textbox', { name, exact: true });
}

/** Draws a "1"-like stroke and a short flag on the pad with the mouse (which fires pointer events). */
async function drawDigit(page: Page): Promise<void> {
  const pad = lab(page).getByLabel('Drawing area: draw a digit here with a mouse, finger or pen');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  await page.mouse.move(...at(0.4, 0.3));
  await page.mouse.down();
  await page.mouse.move(...at(0.55, 0.18), { steps: 5 });
  await page.mouse.move(...at(0.55, 0.85), { steps: 12 });
  await page.mouse.up();
}

/** The numbers in the loss chart's description: "from 2.301 to 0.812 after 63 batches". */
async function lossEnds(page: Page): Promise<[number, number]> {
  const label = await lab(page).locator('#lab-loss-chart svg[role="img"]').first().getAttribute('aria-label');
  const m = /from ([\d.]+) to ([\d.]+)/.exec(label ?? '');
  expect(m, `loss chart label: ${label}`).not.toBeNull();
  return [Number(m![1]), Number(m![2])];
}

test.describe('chapter 12: LeNet-5 lab', () => {
  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('static first state: form, model summary and exercises without JavaScript', async ({ page }) => {
      await page.goto(URL);
      const w = lab(page);
      await expect(field(page, 'Learning rate')).toHaveValue(String(DEFAULT_TRAIN_CONFIG.learningRate));
      await expect(w.getByLabel('Model', { exact: true })).toHaveValue('lenet5');
      await expect(w.locator('#lab-summary tfoot')).toContainText(total('lenet5'));
      // Every exercise's Run button is in the page, hidden until the script can make it work.
      await expect(w.locator('button[data-action="exercise"]')).toHaveCount(
        EXERCISES.reduce((n, e) => n + e.runs.length, 0),
      );
      await expect(w.getByRole('button', { name: /^Run: / })).toHaveCount(0);
      // The 1998 table in the prose, and the C3 table's parameter count from the paper (1,516), computed at build time.
      await expect(page.locator('.prose')).toContainText(total('lenet5-1998'));
      await expect(page.locator('.prose')).toContainText('1,516');
    });
  });

  test('the prose computes its counts and quotes the measured runs (no JavaScript)', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(URL);
    const prose = page.locator('.prose');
    // The 1998 network counted with the engine: 60,000 trainable (S2 12, S4 32); the modern form 61,706, and the
    // lab's 1998 structure has exactly as many.
    await expect(prose).toContainText('the 1998 network has 60,000 trainable parameters');
    await expect(prose).toContainText('with 12 trainable parameters');
    await expect(prose).toContainText('with 32 trainable parameters');
    await expect(prose).toContainText(
      'Keep the two totals apart: 60,000 trainable parameters for the 1998 network, 61,706',
    );
    await expect(prose).toContainText('Its parameter count is 61,706, the modern form’s exactly');
    // MNIST's sizes from the data files and the preprocessing constants.
    await expect(prose).toContainText('over 60,000 images');
    await expect(prose).toContainText('60,000 training and 10,000 test digits');
    await expect(prose).toContainText('scaled to fit a 20 × 20 box');
    // What a good run reaches, from bench/lab-accuracy.json.
    const lenet = percent(labRun('default/lenet5').testAccuracy);
    await expect(prose).toContainText(`classified ${lenet} of the test digits correctly`);
    await expect(prose).toContainText(
      `perceptrons ${percent(labRun('default/mlp-100').testAccuracy)} (MLP 784-100-10)`,
    );
    // The exercises' measured sentences; the nonlinearity one over three seeds.
    await expect(lab(page).locator('#lab-ex-nonlinearity .measured')).toHaveText(measuredNote('nonlinearity'));
    await expect(lab(page).locator('#lab-ex-lenet-1998')).toContainText(
      'The parameter counts are identical, 61,706 each',
    );
    // Links to the two LeNets the course uses open the lab with that preset.
    await expect(prose.getByRole('link', { name: /“LeNet-5 with 3x3 kernels” preset/ })).toHaveAttribute(
      'href',
      '/chapters/lenet-5/?lab.preset=lenet5-3x3#lab',
    );
    await context.close();
  });

  test('pages that do not train load no TensorFlow.js, the lab warms it up when near; the model updates the summary', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const heavy: string[] = [];
    const requested: string[] = [];
    page.on('request', (r) => {
      requested.push(r.url());
      if (TFJS.test(r.url())) heavy.push(r.url());
    });
    await page.goto('/chapters/convolution-1d/');
    await page.goto(`${URL}?lab.preset=mlp-100`);
    await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 2000 })));
    // The lab is screens below the chapter's top: reading the top loads no TF.js.
    expect(heavy).toEqual([]);
    const w = lab(page);
    await expect(w.getByLabel('Model', { exact: true })).toHaveValue('mlp-100');
    await expect(w.locator('#lab-summary tfoot')).toContainText(total('mlp-100'));
    await w.getByLabel('Model', { exact: true }).selectOption('lenet5-3x3');
    await expect(w.locator('#lab-summary')).toContainText('26 × 26 × 6');
    await expect(w.locator('#lab-summary tfoot')).toContainText(total('lenet5-3x3'));
    expect(page.url()).toContain('lab.preset=lenet5-3x3');
    // Drawing is preprocessed on the page: still no TF.js.
    await lab(page).getByRole('button', { name: 'Predict', exact: true }).click();
    await expect(w.getByRole('alert').filter({ hasText: 'Draw a digit first' })).toBeVisible();
    await drawDigit(page);
    await expect(w.locator('#lab-seen canvas')).toHaveAttribute('aria-label', /as the model sees it/);
    await expect(w.locator('#lab-draw-status')).toContainText('Train or restore a model');
    await expect(w.getByRole('alert').filter({ hasText: 'Draw a digit first' })).toBeHidden();
    // Near the lab, the engine starts before Train is pressed, and says how many cores it trains on.
    await expect.poll(() => heavy.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const workers = Math.min(4, Math.max(1, cores));
    await expect(w.locator('#lab-backend-line')).toContainText(
      workers > 1
        ? `in ${workers} background workers training in parallel, each on a share of every batch (this device has ${cores} cores)`
        : `in a background worker (1 of this device’s ${cores} cores)`,
      { timeout: 60_000 },
    );
    // Without a GPU, WebGL is passed over before TF.js's WebGL package (two ~520 KB chunks, one per worker build)
    // is fetched: asking a 1 × 1 context first saves about 0.9 s of start-up (src/ml/backends.ts).
    if (/WebGL is software-rendered/.test((await w.locator('#lab-backend-line').textContent()) ?? '')) {
      const dir = `${process.env['ASTRO_OUT_DIR'] ?? 'dist'}/_astro`;
      const webgl = readdirSync(dir).filter(
        (f) => f.endsWith('.js') && readFileSync(`${dir}/${f}`, 'utf8').includes('WEBGL_VERSION'),
      );
      expect(webgl.length).toBeGreaterThan(0);
      expect(requested.filter((url) => webgl.some((f) => url.endsWith(`/${f}`)))).toEqual([]);
    }
    await expectNoAxeViolations(page);
  });

  const GOOD: Record<string, string> = {
    'Learning rate': '0.002',
    'Batch size': '32',
    Epochs: '3',
    'Training images': '60000',
    Dropout: '0',
  };
  const bad: [field: string, value: string, message: RegExp][] = [
    ['Learning rate', '0', /learning rate must be greater than 0/i],
    ['Learning rate', '-0.1', /learning rate must be greater than 0/i],
    ['Learning rate', 'fast', /“fast” is not a number/],
    ['Batch size', '0', /batch size must be at least 1/i],
    ['Epochs', '101', /number of epochs must be at most 100/i],
    ['Epochs', '2.5', /whole number/],
    ['Training images', '', /Enter the training images/],
    ['Dropout', '0.95', /dropout rate must be at most 0.9/i],
  ];
  test('a corrupt saved model gives a clear message and a way to reset; nothing crashes', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(URL);
    const w = lab(page);
    // With nothing saved, Delete says so (it used to say nothing).
    await w.getByRole('button', { name: 'Delete saved model', exact: true }).click();
    await expect(w.locator('#lab-saved-note')).toHaveText(
      'Nothing is saved in this browser, so there was nothing to delete.',
    );
    await expect(w.locator('#lab-status')).toContainText('nothing to delete');
    // Write an unreadable model where TF.js keeps indexeddb:// models (database "tensorflowjs", its two stores).
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('tensorflowjs', 1);
          open.onupgradeneeded = () => {
            open.result.createObjectStore('models_store', { keyPath: 'modelPath' });
            open.result.createObjectStore('model_info_store', { keyPath: 'modelPath' });
          };
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(['models_store', 'model_info_store'], 'readwrite');
            const modelPath = 'convnotebook-lenet';
            tx.objectStore('model_info_store').put({ modelPath, modelArtifactsInfo: { dateSaved: new Date() } });
            tx.objectStore('models_store').put({ modelPath, modelArtifacts: { modelTopology: { broken: true } } });
            tx.oncomplete = () => (db.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await w.getByRole('button', { name: 'Restore saved model', exact: true }).click();
    const error = w.locator('#lab-storage-error');
    await expect(error).toContainText('The saved model could not be read', { timeout: 60_000 });
    await expect(error).toContainText('Press “Delete saved model” to clear it');
    await w.getByRole('button', { name: 'Delete saved model', exact: true }).click();
    await expect(w.locator('#lab-status')).toContainText('The saved model was deleted from this browser');
    await w.getByRole('button', { name: 'Restore saved model', exact: true }).click();
    await expect(error).toContainText('No saved model yet: train one and press Save.');
    await expect(w.getByRole('button', { name: 'Train a new model', exact: true })).toHaveAttribute(
      'aria-disabled',
      'false',
    );
  });

  test('bad settings show a message beside the field, keep the last good state, and do not start', async ({ page }) => {
    await page.goto(URL);
    const w = lab(page);
    for (const [name, value, message] of bad) {
      const input = field(page, name);
      const before = await stateHTML(w.locator('#lab-summary'));
      await input.fill(value);
      const box = w.locator(`#${await input.getAttribute('id')}-error`);
      await expect(box).toHaveText(message);
      await expect(input).toHaveAttribute('aria-invalid', 'true');
      expect(await stateHTML(w.locator('#lab-summary'))).toBe(before);
      await w.getByRole('button', { name: 'Train a new model', exact: true }).click();
      await expect(w.locator('#lab-run-error')).toContainText('Some settings need fixing first');
      await expect(w).not.toContainText('NaN');
      await input.fill(GOOD[name]!);
      await expect(box).toBeHidden();
      // The refusal goes with the bad value (it stayed on screen after the fix, issue 15).
      await expect(w.locator('#lab-run-error')).toBeHidden();
    }
    // The Workers select: automatic by default; a count goes into the URL, and back to automatic leaves it.
    const workers = w.getByLabel('Workers (WebAssembly)');
    await expect(workers).toHaveValue('auto');
    await workers.selectOption('3');
    await expect.poll(() => page.url()).toContain('lab.workers=3');
    await workers.selectOption('auto');
    await expect.poll(() => page.url()).not.toContain('lab.workers');
    // A conflict between fields: a batch larger than the training images.
    await field(page, 'Training images').fill('100');
    await field(page, 'Batch size').fill('200');
    await expect(w.locator('#lab-batchSize-error')).toContainText('larger than the 100 training images');
    // Arrow keys step a field.
    await field(page, 'Batch size').fill('32');
    await field(page, 'Batch size').press('ArrowUp');
    await expect(field(page, 'Batch size')).toHaveValue('40');
    // A worker count from a link that the select does not list: a message beside it, and no run starts.
    await page.goto(`${URL}?lab.workers=9`);
    await expect(w.locator('#lab-workers-error')).toHaveText('Choose automatic or a number of workers from 1 to 4.');
    await expect(w.getByLabel('Workers (WebAssembly)')).toHaveAttribute('aria-invalid', 'true');
    await w.getByRole('button', { name: 'Train a new model', exact: true }).click();
    await expect(w.locator('#lab-run-error')).toContainText('Some settings need fixing first');
    await w.getByLabel('Workers (WebAssembly)').selectOption('1');
    await expect(w.locator('#lab-workers-error')).toBeHidden();
    await expect(w.locator('#lab-run-error')).toBeHidden();
    // The schedule: cosine restarts by default; exponential goes into the URL; an unlisted one from a link is refused.
    const schedule = w.getByLabel('Learning-rate schedule');
    await expect(schedule).toHaveValue('cosine-restarts');
    await schedule.selectOption('exponential');
    await expect.poll(() => page.url()).toContain('lab.schedule=exponential');
    await page.goto(`${URL}?lab.schedule=linear`);
    await expect(w.locator('#lab-schedule-error')).toHaveText('Choose one of the listed schedules.');
    await w.getByLabel('Learning-rate schedule').selectOption('cosine-restarts');
    await expect(w.locator('#lab-schedule-error')).toBeHidden();
    await expect.poll(() => page.url()).not.toContain('lab.schedule');
  });

  test('train on a subset: progress, pause, resume, stop, falling loss, charts, results, run table', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    // On 2 workers whatever the device's cores: each batch is split, and the run says so.
    await page.goto(`${QUICK}&lab.workers=2`);
    const w = lab(page);
    await expect(field(page, 'Training images')).toHaveValue('16000');
    await expect(w.getByLabel('Backend')).toHaveValue('wasm');
    await expect(w.getByLabel('Workers (WebAssembly)')).toHaveValue('2');
    await expect(w.getByRole('checkbox', { name: /Test on all test digits after every epoch/ })).not.toBeChecked();
    const train = w.getByRole('button', { name: 'Train a new model', exact: true });
    await train.click();
    // The download bar fills, then the run starts on wasm.
    await expect(w.locator('#lab-data-text')).toContainText('MNIST ready: 60,000 training and 10,000 test digits', {
      timeout: 120_000,
    });
    await expect(w.getByRole('progressbar', { name: 'MNIST download' })).toHaveJSProperty('value', 1);
    await expect(w.locator('#lab-backend-line')).toContainText('TensorFlow.js on wasm');
    await expect(w.locator('#lab-train-text')).toContainText('images/s', { timeout: 60_000 });
    await expect(w.locator('#lab-backend-line')).toContainText(
      /in 2 background workers training in parallel, each on a share of every batch \(this device has \d+ cores?\)/,
    );
    // The run marks the page busy, so the offline cache waits for it (src/site/page-busy.ts).
    await expect(page.locator('html')).toHaveAttribute('data-busy', '');

    // A second run cannot start while this one runs, nor the comparison; it has nothing to stop.
    await expect(train).toHaveAttribute('aria-disabled', 'true');
    await expect(w.getByRole('button', { name: 'Train both', exact: true })).toHaveAttribute('aria-disabled', 'true');
    await expect(w.getByRole('button', { name: 'Stop both', exact: true })).toHaveAttribute('aria-disabled', 'true');
    // Leaving or reloading now would lose the run: the page asks first (a cancelled beforeunload).
    expect(
      await page.evaluate(() => {
        const leave = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(leave);
        return leave.defaultPrevented;
      }),
    ).toBe(true);
    // The button is aria-disabled, so Playwright's actionable click would wait forever; a forced mouse click can come
    // before the exercises' section, skipped while off screen (content-visibility), is drawn, and miss. The click
    // event itself is what a reader's click or Enter key sends.
    await w.getByRole('button', { name: /^Run: LeNet-5$/ }).dispatchEvent('click');
    await expect(w.locator('#lab-ex-error')).toContainText('A training run is already going');

    // Pause freezes the progress; resume continues it.
    const bar = w.getByRole('progressbar', { name: 'Training', exact: true });
    await w.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(w.getByRole('button', { name: 'Resume', exact: true })).toHaveAttribute('aria-disabled', 'false');
    await expect(w.locator('#lab-train-text')).toContainText('Paused');
    const paused = await bar.evaluate((b: HTMLProgressElement) => b.value);
    await page.waitForTimeout(1500);
    expect(await bar.evaluate((b: HTMLProgressElement) => b.value)).toBe(paused);
    await w.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect(w.locator('#lab-train-text')).not.toContainText('Paused');
    // Let it learn for a while (3,200 images or more) so the loss curve has several points, then stop.
    await expect
      .poll(() => bar.evaluate((b: HTMLProgressElement) => b.value), { timeout: 120_000 })
      .toBeGreaterThan(Math.max(paused, 0.1));
    // Stop from a pause, so the run ends where the pause caught it: a Stop sent while running lands a moment later,
    // and at about 3,800 images/s a moment can be the end of an epoch.
    await w.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(w.locator('#lab-train-text')).toContainText('Paused');
    await page.waitForTimeout(300);
    const caught = await bar.evaluate((b: HTMLProgressElement) => b.value);
    await w.getByRole('button', { name: 'Stop', exact: true }).click();
    // Stopped part-way through an epoch: the lab says how far, not "after 1 epoch" (issue 15). The bar trails the
    // worker by at most one report (20 batches, 2 % of this run), so a bar below 40 % means mid-epoch 1 for sure;
    // later, the pause may have caught the end of epoch 1, or epoch 2, and the lab adds how many epochs were done.
    const ending =
      caught < 0.4
        ? /Stopped \d+ % into epoch 1: test accuracy/
        : /Stopped (\d+ % into epoch 2 \(1 epoch done in all\)|\d+ % into epoch 1|after 1 epoch): test accuracy/;
    await expect(w.locator('#lab-status')).toContainText(ending, { timeout: 150_000 });
    await expect(train).toHaveAttribute('aria-disabled', 'false');
    await expect(page.locator('html')).not.toHaveAttribute('data-busy');
    // The bar's line says how much was trained and how long it took; how the run ended is said once, below it.
    await expect(w.locator('#lab-train-text')).toHaveText(
      /^[1-9][\d,]* images trained in [^;]+(; helper workers .+)?\.$/,
    );

    // The loss fell; charts, confusion matrix, per-digit errors, gallery, summary from the model, run table.
    const [first, last] = await lossEnds(page);
    expect(last).toBeLessThan(first);
    await expect(w.locator('#lab-acc-chart svg[role="img"]')).toBeVisible();
    await expect(w.locator('#lab-confusion table')).toBeVisible();
    await expect(w.locator('#lab-perclass-chart svg[role="img"]')).toBeVisible();
    expect(await w.locator('#lab-gallery canvas').count()).toBeGreaterThan(3);
    await expect(w.locator('#lab-summary-note')).toContainText('TensorFlow.js model');
    await expect(w.locator('#lab-runs tbody tr')).toHaveCount(1);
    await expect(w.locator('#lab-runs tbody tr')).toContainText('(stopped)');
    await expect(w.locator('#lab-runs tbody tr td').last()).toHaveText(/ on wasm, 2 workers$/);
  });

  test('an imported model (no training): drawings are read, feature maps and kernels show; export gives it back', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto(`${URL}?lab.backend=wasm`);
    const w = lab(page);
    // Importing files that are not a model says why; the committed model imports cleanly.
    await w.locator('input[type="file"][data-action="import"]').setInputFiles([MODEL_FILES[0]!]);
    await expect(w.locator('#lab-storage-error')).toContainText('choose both the .json and the .weights.bin file');
    await importModel(page);
    // Its settings and curves came with it.
    await expect(field(page, 'Training images')).toHaveValue('2000');
    await expect(w.locator('#lab-loss-chart svg[role="img"]')).toBeVisible();
    // One epoch of history: the accuracy chart has no Plot warning glyph (it had "⚠" and a console warning).
    await expect(w.locator('#lab-acc-chart svg[role="img"]')).toBeVisible();
    await expect(w.locator('#lab-acc-chart')).not.toContainText('⚠');

    // The pad by keyboard: a spot, then a line drawn down with Shift + arrows, is read like a mouse drawing.
    const pad = w.getByRole('img', { name: /^Drawing area/ });
    await pad.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect(w.locator('#lab-draw-status')).toHaveText('Cursor at row 6, column 8 of 14.');
    await page.keyboard.press('Space');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowDown');
    await expect(w.locator('#lab-draw-status')).toContainText('reads your drawing as', { timeout: 60_000 });
    await w.getByRole('button', { name: 'Clear', exact: true }).click();

    await drawDigit(page);
    await expect(w.locator('#lab-draw-status')).toContainText('reads your drawing as', { timeout: 60_000 });
    await expect(w.locator('#lab-top3 li')).toHaveCount(3);
    await w.getByRole('button', { name: 'Use my drawing', exact: true }).click();
    await expect(w.locator('#lab-inside-status')).toContainText('Feature maps of your drawing', { timeout: 60_000 });
    // The kernels request can queue behind the imported model's background test pass in the worker: allow for it.
    await expect(w.locator('#lab-kernels canvas')).toHaveCount(6, { timeout: 60_000 });

    // Export: the same two files, named as the lab names them.
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await w.getByRole('button', { name: 'Export files', exact: true }).click();
    await expect.poll(() => downloads.length).toBe(2);
    // The help beside the button promises what is written: two files.
    await expect(w.getByText(/Export\s+gives you two files/)).toBeVisible();
    expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual([
      'convnotebook-lenet.json',
      'convnotebook-lenet.weights.bin',
    ]);
    const weights = downloads.find((d) => d.suggestedFilename().endsWith('.bin'))!;
    expect((await readFile((await weights.path())!)).length).toBe(MODEL_FILES[1]!.buffer.length);
    // Everything a model fills in is on the page now (its test results arrive last): axe checks the lab (the page
    // around it is swept in the no-TF.js test).
    await expect(w.locator('#lab-results-text')).toContainText('Test accuracy', { timeout: 120_000 });
    await expect(w.locator('#lab-confusion table')).toBeVisible();
    await expectNoAxeViolationsIn(page, '#lab');
    await screenshots(page, 'ch12-lenet-model');
  });

  test('save, reload and restore: the model and its settings come back; MNIST comes from the cache', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto(`${URL}?lab.backend=wasm`);
    const w = lab(page);
    await importModel(page);
    // The imported model is tested in the background, which downloads MNIST into Cache Storage.
    await expect(w.locator('#lab-results-text')).toContainText('Test accuracy', { timeout: 120_000 });
    await w.getByRole('button', { name: 'Save in this browser', exact: true }).click();
    await expect(w.locator('#lab-saved-note')).toContainText('Saved in this browser on');

    // After the reload MNIST comes from Cache Storage: no .gz file is requested again.
    const gzAfterReload: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('.gz')) gzAfterReload.push(r.url());
    });
    await page.reload();
    await expect(w.locator('#lab-saved-note')).toContainText('Saved in this browser on');
    // MNIST is cached: the download line says so, not "Not downloaded yet".
    await expect(w.locator('#lab-data-text')).toHaveText(
      'In your browser’s cache from an earlier visit: no download needed.',
    );
    await w.getByRole('button', { name: 'Restore saved model', exact: true }).click();
    await expect(w.locator('#lab-status')).toContainText('Restored the saved model', { timeout: 60_000 });
    await expect(w.locator('#lab-loss-chart svg[role="img"]')).toBeVisible();
    await expect(field(page, 'Training images')).toHaveValue('2000');
    await expect(w.locator('#lab-summary-note')).toContainText('TensorFlow.js model');
    await drawDigit(page);
    await expect(w.locator('#lab-draw-status')).toContainText('reads your drawing as', { timeout: 60_000 });
    await expect(w.locator('#lab-results-text')).toContainText(/Testing the restored model|Test accuracy/);
    await expect(w.locator('#lab-data-text')).toContainText('read from your browser cache', { timeout: 120_000 });
    await expect(w.locator('#lab-results-text')).toContainText('Test accuracy', { timeout: 60_000 });
    expect(gzAfterReload).toEqual([]);
  });

  test('the course engine trains beside TF.js on the same images; both curves plot; a failed side is explained', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto(`${URL}?lab.backend=wasm`);
    const w = lab(page);
    await field(page, 'Training images (both)').fill('200');
    await field(page, 'Test images (engine)').fill('100');
    // Issue 15: "Train both" could end with "The comparison did not finish." and no reason, and an engine worker
    // that never loads left it waiting for ever. Its script is refused once: the status gives the reason.
    await page.route('**/scratch-worker-*.js', (route) => route.abort());
    await w.getByRole('button', { name: 'Train both', exact: true }).click();
    await expect(w.locator('#lab-scratch-status')).toHaveText(
      /^The comparison did not finish: The engine's worker stopped: its script could not be loaded or run\.$/,
      { timeout: 60_000 },
    );
    await expect(w.getByRole('button', { name: 'Train both', exact: true })).toHaveAttribute('aria-disabled', 'false');
    // The TensorFlow.js side is stopped too: before its first batch, or (if it got there first) mid-epoch.
    await expect(w.locator('#lab-status')).toHaveText(/^Stopped (before training began\.|\d+ % into epoch 1)/);
    const runsBefore = await w.locator('#lab-runs tbody tr:has(th)').count();
    await page.unroute('**/scratch-worker-*.js');
    // The next run starts a new worker and finishes.
    await w.getByRole('button', { name: 'Train both', exact: true }).click();
    await expect(w.locator('#lab-scratch-status')).toContainText('Both done. Test accuracy: engine', {
      timeout: 150_000,
    });
    const label = await w.locator('#lab-scratch-chart svg[role="img"]').getAttribute('aria-label');
    const batches = Math.ceil(200 / DEFAULT_TRAIN_CONFIG.batchSize);
    expect(label).toContain(`after ${batches} batches, TensorFlow.js`);
    expect(label).toMatch(new RegExp(`TensorFlow.js [\\d.]+ after ${batches} batches`));
    await expect(w.locator('#lab-runs tbody tr:has(th)')).toHaveCount(runsBefore + 1);
    await expect(w.locator('#lab-runs')).toContainText('Beside the engine: TensorFlow.js');
    await expect(w.getByRole('button', { name: 'Train both', exact: true })).toHaveAttribute('aria-disabled', 'false');
    await expect(w.getByRole('button', { name: 'Stop both', exact: true })).toHaveAttribute('aria-disabled', 'true');
    // Bad input beside the field.
    await field(page, 'Epochs (both)').fill('9');
    await w.getByRole('button', { name: 'Train both', exact: true }).click();
    await expect(w.locator('#lab-scratch-epochs-error')).toContainText('from 1 to 5');
  });
});

// The bench's threaded row (scripts/bench.mjs) and any host that wants TF.js's threaded wasm rely on its pthread
// bootstrap surviving the minified build (scripts/vite-wasm-threads.mjs); `astro preview` sends COOP/COEP.
test('threaded wasm: in the built site, on a cross-origin isolated page, the engine trains on 2 threads', async ({
  page,
}) => {
  // The fixture fails the test on any console error or page exception (a pthread that cannot start logs one).
  test.setTimeout(120_000);
  await page.goto('/bench/?backend=wasm&epochs=0&window=1&reps=1&workers=1&threads=2');
  const result = () => (window as unknown as { __benchResult?: Record<string, unknown> }).__benchResult;
  await page.waitForFunction(result, null, { timeout: 100_000 });
  const r = (await page.evaluate(result))!;
  expect(r['isolated']).toBe(true);
  expect(r['error']).toBeUndefined();
  expect(r['backend']).toBe('wasm');
  expect(r['threads']).toBe(2);
  expect((r['imagesPerSec'] as { median: number }).median).toBeGreaterThan(0);
});

// A data-parallel run's buffers go to each helper worker and come back with its gradient every step
// (src/ml/pool.ts StepBuffers); only a browser has real workers to transfer them between. A helper whose job fails
// is reported as lost, and the run goes on without it: the bench page lists those.
test('data-parallel: in the built site, 2 workers train, and no helper is lost', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/bench/?backend=wasm&epochs=0&window=1&reps=2&workers=2');
  const result = () => (window as unknown as { __benchResult?: Record<string, unknown> }).__benchResult;
  await page.waitForFunction(result, null, { timeout: 100_000 });
  const r = (await page.evaluate(result))!;
  expect(r['error']).toBeUndefined();
  expect(r['backend']).toBe('wasm');
  expect(r['workers']).toBe(2);
  expect(r['helpersLost']).toEqual([]);
  expect((r['imagesPerSec'] as { median: number }).median).toBeGreaterThan(0);
  // How often helpers took part is the machine's to decide (pool.ts OffloadPolicy); that it is counted is checked.
  expect(r['helperShare']).toBeGreaterThanOrEqual(0);
  expect(r['helperShare']).toBeLessThanOrEqual(1);
});
