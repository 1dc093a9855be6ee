// Renders the benchmark report (scripts/bench.mjs) as a markdown table.
import { notebookLines } from './notebook.mjs';
import { median } from './stats.mjs';
import { weightLines } from './page-budgets.mjs';

const pct = (x) => (typeof x === 'number' ? `${(100 * x).toFixed(2)} %` : '–');
const int = (x) => (typeof x === 'number' ? Math.round(x).toLocaleString('en-US') : '–');

function accuracyAfter(run, epoch) {
  return run?.epochs?.find((e) => e.epoch === epoch - 1)?.testAccuracy;
}

const COLUMNS = [
  'engine',
  'workers (lab default)',
  'images/s',
  'images/s on 1 worker',
  'images/s on every core',
  'scaling (every core / 1)',
  'ratio to PyTorch',
  'first batch after page load',
  'Train → first batch (warmed up)',
  'page load → 99 % test acc.',
  'Train → 99 % test acc. (data loaded)',
  'test acc. 1 epoch',
  'test acc. 3 epochs',
];

/** One markdown table row of the results table; cells not given are left empty. */
function tableRow(cells) {
  return `| ${COLUMNS.map((_, i) => cells[i] ?? '').join(' | ')} |`;
}

const millis = (ms) => (typeof ms === 'number' ? `${Math.round(ms)} ms` : '–');
const secs = (ms) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '–');
const secs2 = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** The first-batch cell: the median of the cold page loads (with their range), or the throughput run's own. */
function firstBatchText(r) {
  const ms = (r.coldLoads ?? []).map((l) => l.msToFirstBatch).filter((x) => typeof x === 'number');
  if (ms.length === 0) return secs(r.throughputRun?.msToFirstBatch);
  return `${secs2(median(ms))} (${secs2(Math.min(...ms))}–${secs2(Math.max(...ms))}, median of ${ms.length} loads)`;
}

/**
 * The threaded-wasm row: one worker whose backend computes on several threads, on a cross-origin isolated host. Its
 * scaling is against `one`, the single-threaded worker's images/s (the mean of the default's runs when bracketed);
 * its first batch is this one load's.
 */
function threadedRow(th, one, torchRate, rateText) {
  if (th.error || !th.imagesPerSec) {
    return tableRow([`TF.js wasm, threaded`, '', `failed: ${th.error ?? 'no images/s'}`]);
  }
  const ips = th.imagesPerSec;
  return tableRow([
    `TF.js wasm, ${th.threads} threads${th.isolated ? ' (cross-origin isolated)' : ' (not isolated: 1 thread)'}`,
    `1 worker, ${th.threads} threads`,
    '–',
    '–',
    `${rateText(ips)} on ${th.threads} threads`,
    one ? `${(ips.median / one).toFixed(2)}x` : '–',
    torchRate ? (ips.median / torchRate).toFixed(2) : '–',
    `${secs(th.msToFirstBatch)} (one load)`,
    millis(th.msTrainToFirstBatch),
  ]);
}

/**
 * How often a data-parallel run's helpers took part in its windows: the coordinator computes every shard itself while
 * that is faster (pool.ts OffloadPolicy), so a scaling figure near 1 can mean helpers that were seldom used.
 */
function shareText(run) {
  return typeof run?.helperShare === 'number' ? `, helpers in ${Math.round(run.helperShare * 100)} % of steps` : '';
}

/**
 * Where a data-parallel run's steps went (its StepTimes over the throughput windows, bench/page.ts), beside a step
 * on one worker (from that run's images/s): what limits the scaling, measured in the run. Null without them. The
 * own shard is the first, the larger one when the batch does not split evenly (gradients.ts shardRanges).
 */
export function stepTimesText(run, oneRate, batch) {
  const t = run?.stepTimes;
  if (!t || t.remoteSteps === 0) return null;
  const per = (ms) => (ms / t.remoteSteps).toFixed(2);
  const step = (t.postMs + t.ownMs + t.waitMs + t.applyMs) / t.remoteSteps;
  const helper = t.helperJobs ? ` (a helper's job: ${(t.helperMs / t.helperJobs).toFixed(2)} ms)` : '';
  const one = oneRate ? (batch / oneRate) * 1000 : null;
  const versus = one
    ? `, against ${one.toFixed(2)} ms for the whole batch on 1 worker (its images/s, so with the loop's own work per step); ` +
      `the own shard of ${Math.ceil(batch / run.workers)} images took ${((t.ownMs / t.remoteSteps / one) * 100).toFixed(0)} % of that`
    : '';
  const localMs = t.localSteps ? t.localMs / t.localSteps : 0;
  const local = t.localSteps
    ? `; ${t.localSteps} steps computed all ${run.workers} shards here while the helpers idled (pool.ts OffloadPolicy), ` +
      `${localMs.toFixed(2)} ms each, ${(localMs / run.workers).toFixed(2)} ms a shard`
    : '';
  return (
    `${run.workers} workers, where a step with helpers went (mean of ${t.remoteSteps} steps in the windows): read ` +
    `and post ${per(t.postMs)} ms, own shard ${per(t.ownMs)} ms${helper}, wait for the helpers ${per(t.waitMs)} ms, ` +
    `average and Adam ${per(t.applyMs)} ms: ${step.toFixed(2)} ms per step of ${batch}${versus}${local}.`
  );
}

/** Each long task with what its animation frame spent the time on, or just the durations (older reports). */
function causesText(watch) {
  return watch.causes?.length ? watch.causes.join('; ') : `all: ${watch.durationsMs.join(', ')} ms`;
}

/** @param {any} report the object bench.json holds */
export function renderMarkdown(report) {
  if (!report.settings) {
    // `--only-weight`: no training runs, just the pages.
    const load = report.machine.loadavgBefore?.[0]?.toFixed(1);
    const head = `# ConvNotebook page weight\n\n${report.date} · command: \`${report.command}\` · load ${load}`;
    return [head, ...weightLines(report.weights), ''].join('\n');
  }
  const s = report.settings;
  // PyTorch's throughput from the two runs that bracket the first TF.js windows, averaged (scripts/bench.mjs says
  // why); reports older than that bracket used the runs before and after the browser. One if only one.
  const bracketed = typeof report.pytorchBeside?.imagesPerSec?.median === 'number';
  const torchRates = [report.pytorchBefore, bracketed ? report.pytorchBeside : report.pytorch]
    .map((p) => p?.imagesPerSec?.median)
    .filter((x) => typeof x === 'number');
  const torchRate = torchRates.length ? torchRates.reduce((a, b) => a + b, 0) / torchRates.length : undefined;
  const lines = [
    `# LeNet-5 training benchmark`,
    '',
    `${report.date} · ${report.machine.cpus} CPUs, load average ${report.machine.loadavgBefore?.[0]?.toFixed(1)} before / ${report.machine.loadavgAfter?.[0]?.toFixed(1)} after · Chromium ${report.machine.chromium} · preset ${s.preset}, Adam, batch ${s.batch}, lr ${s.lr}, seed ${s.seed} · ` +
      `images/s = median (min–max) of ${s.reps} windows of ${s.windowSeconds} s after a 2 s warm-up · command: \`${report.command}\``,
    '',
    ...(Math.max(report.machine.loadavgBefore?.[0] ?? 0, report.machine.loadavgAfter?.[0] ?? 0) > report.machine.cpus
      ? [
          `**Warning:** the load average exceeded the ${report.machine.cpus} cores: other processes shared the CPU, so ` +
            'these figures measure contention, and ratios between runs taken at different moments mean little.',
          '',
        ]
      : []),
    `\`uptime\` before: ${report.machine.uptimeBefore ?? '?'}; after: ${report.machine.uptimeAfter ?? '?'}`,
    '',
    tableRow(COLUMNS),
    tableRow(COLUMNS.map(() => '---')),
  ];
  const rateText = (ips) => (ips ? `${int(ips.median)} (${int(ips.min)}–${int(ips.max)})` : '–');
  /** Lines under the table that belong to a backend's rows. */
  const notes = [];
  for (const r of report.results) {
    if (!r.available) {
      lines.push(tableRow([`TF.js ${r.backend}`, '', `not available: ${r.reason ?? r.throughputRun?.error ?? '?'}`]));
      continue;
    }
    const t = r.throughputRun;
    const ips = t.imagesPerSec;
    const one = r.oneWorkerRun?.imagesPerSec ?? (t.workers === 1 ? ips : null);
    const all = r.allWorkersRun?.imagesPerSec ?? (t.workers === r.everyCore ? ips : null);
    // The default run again after the scaling runs (scripts/bench.mjs): the scaling divides by the mean of the two.
    const again = r.againRun?.imagesPerSec;
    const defaultRate = ips && again ? (ips.median + again.median) / 2 : ips?.median;
    const oneRate = r.oneWorkerRun ? one?.median : t.workers === 1 ? defaultRate : undefined;
    const allRate = r.allWorkersRun ? all?.median : t.workers === r.everyCore ? defaultRate : undefined;
    const allRun = r.allWorkersRun ?? (t.workers === r.everyCore ? t : null);
    const againText = again ? `; again after the scaling runs: ${rateText(again)}, mean ${int(defaultRate)}` : '';
    const acc = r.accuracyRun;
    const accAfter = (epoch) => (acc ? pct(accuracyAfter(acc, epoch)) : r.accuracySkipped ? 'skipped' : '–');
    const reached = (ms) => (!acc ? '–' : ms === null ? 'not reached' : secs(ms));
    lines.push(
      tableRow([
        `TF.js ${r.backend}${t.isolated ? ' (cross-origin isolated)' : ''}`,
        t.workers ? `${t.workers} of ${t.cores} cores` : '–',
        rateText(ips) + againText,
        rateText(one),
        all ? `${rateText(all)} on ${r.allWorkersRun?.workers ?? t.workers}${shareText(allRun)}` : '–',
        allRate && oneRate ? `${(allRate / oneRate).toFixed(2)}x` : '–',
        ips && torchRate ? (ips.median / torchRate).toFixed(2) : '–',
        firstBatchText(r),
        millis(t.msTrainToFirstBatch),
        reached(acc?.msTo99),
        reached(acc?.msTrainTo99),
        accAfter(1),
        accAfter(s.epochs),
      ]),
    );
    const th = r.threadedRun;
    if (th) lines.push(threadedRow(th, oneRate, torchRate, rateText));
    const where = stepTimesText(allRun, oneRate, s.batch);
    if (where) notes.push(`- ${r.backend}: ${where}`);
  }
  const p = report.pytorch;
  if (p?.imagesPerSec) {
    const before = report.pytorchBefore?.imagesPerSec;
    const beside = bracketed ? report.pytorchBeside.imagesPerSec : null;
    const acc = (n) => pct(p.epochs?.[n - 1]?.testAccuracy);
    const mean =
      torchRates.length < 2
        ? ''
        : bracketed
          ? ` (ratios against the mean of its runs just before and just after TF.js's first windows, ${int(torchRate)})`
          : ` (ratios against the mean of its runs before and after the browser's, ${int(torchRate)})`;
    const others = [
      before ? `just before TF.js's windows: ${rateText(before)}` : '',
      beside ? `just after them: ${rateText(beside)}` : '',
    ].filter(Boolean);
    lines.push(
      tableRow([
        `${p.engine}, ${p.threads} threads${mean}`,
        '–',
        [`after the browser: ${rateText(p.imagesPerSec)}`, ...others].join('; '),
        '–',
        '–',
        '–',
        '1.00',
        ...Array(4).fill('–'),
        acc(1),
        acc(s.epochs),
      ]),
    );
  } else {
    lines.push(tableRow(['PyTorch', '', p?.skipped ?? p?.error ?? 'not run']));
  }
  const p1 = report.pytorchOneThread;
  if (p1?.imagesPerSec && torchRate) {
    const ips = p1.imagesPerSec;
    const tfjsOne = report.results.find((r) => r.available)?.throughputRun?.imagesPerSec?.median;
    const perCore = tfjsOne ? ` (TF.js wasm on 1 worker: ${(tfjsOne / ips.median).toFixed(2)}x this)` : '';
    const ratio = (ips.median / torchRate).toFixed(2);
    lines.push(
      tableRow([`${p1.engine}, 1 thread, throughput only${perCore}`, '–', rateText(ips), '–', '–', '–', ratio]),
    );
  }
  lines.push('', ...notes);
  for (const r of report.results) {
    if (r.accuracySkipped) lines.push(`- ${r.backend}: accuracy not measured (${r.accuracySkipped}).`);
    if (r.coldLoads?.length) {
      const each = r.coldLoads.map((l) =>
        l.error ? `failed (${l.error})` : `${secs2(l.msToReady)} / ${secs2(l.msToData)} / ${secs2(l.msToFirstBatch)}`,
      );
      lines.push(
        `- ${r.backend}: cold page loads (fresh context each; files as stored), engine ready / data in / first ` +
          `batch after navigation: ${each.join('; ')}. The throughput run's own page load: ` +
          `${secs2(r.throughputRun.msToFirstBatch)}.`,
      );
    }
    const foreign = [...(r.throughputRun?.foreignRequests ?? []), ...(r.accuracyRun?.foreignRequests ?? [])];
    if (foreign.length) lines.push(`- ${r.backend}: requests to other origins: ${foreign.join(', ')}`);
    const runs = [r.throughputRun, r.oneWorkerRun, r.allWorkersRun, r.accuracyRun].filter(Boolean);
    const lost = runs.flatMap((run) => run.helpersLost ?? []);
    if (lost.length)
      lines.push(`- ${r.backend}: helper workers lost (their shards computed by the coordinator): ${lost.join('; ')}`);
  }
  if (p?.command)
    lines.push(
      `- PyTorch command: \`${p.command}\` (constant learning rate and no augmentation: the throughput is compared, not the recipe).`,
    );
  const lab = report.lab;
  if (lab?.error) lines.push(`- Lab page responsiveness: not measured (${lab.error}).`);
  else if (lab && typeof lab.longTasks === 'number') {
    lines.push(
      `- Lab page while training (${lab.backend}, ${lab.seconds} s): ${lab.longTasks} main-thread tasks over 50 ms` +
        (lab.longTasks ? `, longest ${Math.round(lab.longestMs)} ms (${causesText(lab)})` : '') +
        `; the lab then read “${lab.progressText}”.`,
    );
  }
  const after = lab?.afterTraining;
  if (after?.error) lines.push(`- Lab page while drawing the results: not measured (${after.error}).`);
  else if (after && typeof after.longTasks === 'number') {
    // Older reports measured one run and have no `runs`.
    const runs = after.runs ?? 1;
    const inRuns = runs > 1 ? `, in ${after.runsWithLongTasks} of ${runs} cold visits` : '';
    lines.push(
      `- Lab page from a short run's last batch to 2 s after “Done” (test pass and results drawing)` +
        `${runs > 1 ? `, ${runs} cold visits` : ''}: ${after.longTasks} main-thread tasks over 50 ms` +
        (after.longTasks ? `${inRuns} (${causesText(after)})` : '') +
        '.',
    );
  }
  lines.push(...notebookLines(report.notebook));
  lines.push(...weightLines(report.weights));
  lines.push('');
  return lines.join('\n');
}
