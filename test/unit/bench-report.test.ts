import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../bench/report.mjs';

const rate = (median: number) => ({ median, min: median - 100, max: median + 100, windows: [] });

/** A bench.json with the fields the table reads: the default run (1 worker of 2 cores), 2 workers, 2 threads. */
function report(again?: number) {
  const run = (workers: number, median: number, extra = {}) => ({
    workers,
    cores: 2,
    threads: 1,
    isolated: false,
    imagesPerSec: rate(median),
    msToFirstBatch: 1200,
    msTrainToFirstBatch: 80,
    ...extra,
  });
  return {
    date: '2026-12-06T17:00:00.000Z',
    command: 'npm run bench',
    machine: { cpus: 2, loadavgBefore: [1.2], loadavgAfter: [1.4], chromium: 'test' },
    settings: { preset: 'lenet5', batch: 32, lr: 0.003, seed: 1, reps: 3, windowSeconds: 10, epochs: 3 },
    results: [
      {
        backend: 'wasm',
        available: true,
        everyCore: 2,
        throughputRun: run(1, 4000),
        allWorkersRun: run(2, 4400, { helperShare: 0.625 }),
        threadedRun: run(1, 3300, { threads: 2, isolated: true }),
        ...(again ? { againRun: run(1, again) } : {}),
        accuracySkipped: 'test',
      },
    ],
    weights: null,
  };
}

const row = (md: string, start: string) =>
  md
    .split('\n')
    .find((l) => l.startsWith(start))!
    .split(' | ');

describe('bench report: the scaling rows', () => {
  it('without a second default run: 2 workers 4,400 / 1 worker 4,000 = 1.10x; threads 3,300 / 4,000 = 0.82x', () => {
    const md = renderMarkdown(report());
    expect(row(md, '| TF.js wasm |')[5]).toBe('1.10x');
    expect(row(md, '| TF.js wasm, 2 threads')[5]).toBe('0.82x');
    expect(row(md, '| TF.js wasm |')[4]).toBe('4,400 (4,300–4,500) on 2, helpers in 63 % of steps');
  });

  it('with the default run again at 4,800: both divide by the mean, 4,400: 1.00x and 0.75x, and the row shows it', () => {
    const md = renderMarkdown(report(4800));
    const main = row(md, '| TF.js wasm |');
    expect(main[5]).toBe('1.00x');
    expect(main[2]).toContain('again after the scaling runs: 4,800 (4,700–4,900), mean 4,400');
    expect(row(md, '| TF.js wasm, 2 threads')[5]).toBe('0.75x');
  });
});

describe('bench report: where a data-parallel step went', () => {
  const line = (md: string) => md.split('\n').find((l) => l.startsWith('- wasm: 2 workers, where a step'));
  // 100 steps with helpers: 0.2 + 5.0 + 1.0 + 0.5 = 6.7 ms each; 1 worker at 4,000 images/s takes 8 ms per 32.
  const stepTimes = {
    remoteSteps: 100,
    postMs: 20,
    ownMs: 500,
    waitMs: 100,
    applyMs: 50,
    helperMs: 520,
    helperJobs: 100,
    localSteps: 6,
    localMs: 60,
  };
  const withTimes = (t: object | null, workers = 2, batch = 32) => {
    const r = report();
    r.settings.batch = batch;
    r.results[0]!.allWorkersRun = {
      ...r.results[0]!.allWorkersRun,
      workers,
      stepTimes: t,
    } as (typeof r.results)[0]['allWorkersRun'];
    return renderMarkdown(r);
  };

  it("gives each phase per step, the step against one worker's, and the half batch's share of a whole step", () => {
    expect(line(withTimes(stepTimes))).toBe(
      '- wasm: 2 workers, where a step with helpers went (mean of 100 steps in the windows): read and post 0.20 ms, ' +
        "own shard 5.00 ms (a helper's job: 5.20 ms), wait for the helpers 1.00 ms, average and Adam 0.50 ms: " +
        "6.70 ms per step of 32, against 8.00 ms for the whole batch on 1 worker (its images/s, so with the loop's own work per step); " +
        'the own shard of 16 images took 63 % of that; 6 steps computed all 2 shards here while the helpers idled (pool.ts ' +
        'OffloadPolicy), 10.00 ms each, 5.00 ms a shard.',
    );
  });

  it('on 3 workers and a batch of 31 the own shard is the larger one, 11 images (shardRanges gives 11, 10, 10)', () => {
    const md = withTimes(stepTimes, 3, 31);
    expect(md).toContain('- wasm: 3 workers, where a step');
    expect(md).toContain('per step of 31, against 7.75 ms for the whole batch on 1 worker');
    expect(md).toContain('the own shard of 11 images took 65 % of that; 6 steps computed all 3 shards here');
  });

  it('says nothing without step times, or when no step used the helpers', () => {
    expect(line(withTimes(null))).toBeUndefined();
    expect(line(withTimes({ ...stepTimes, remoteSteps: 0 }))).toBeUndefined();
  });
});

describe('bench report: long tasks while the results are drawn', () => {
  const line = (md: string) => md.split('\n').find((l) => l.startsWith("- Lab page from a short run's last batch"))!;
  const withAfter = (afterTraining: object) => ({ ...report(), lab: { afterTraining } });

  it('several cold visits: says how many runs had long tasks and why', () => {
    const after = {
      runs: 3,
      runsWithLongTasks: 1,
      longTasks: 2,
      longestMs: 61,
      durationsMs: [52, 61],
      causes: ['52 ms: style and layout 30 ms', '61 ms: no script named'],
    };
    expect(line(renderMarkdown(withAfter(after)))).toBe(
      "- Lab page from a short run's last batch to 2 s after “Done” (test pass and results drawing), 3 cold visits: " +
        '2 main-thread tasks over 50 ms, in 1 of 3 cold visits (52 ms: style and layout 30 ms; 61 ms: no script named).',
    );
    const none = { ...after, runsWithLongTasks: 0, longTasks: 0, longestMs: 0, durationsMs: [], causes: [] };
    expect(line(renderMarkdown(withAfter(none)))).toMatch(/, 3 cold visits: 0 main-thread tasks over 50 ms\.$/);
  });

  it('an older report of one run reads as before', () => {
    const after = { longTasks: 1, longestMs: 59, durationsMs: [59], causes: ['59 ms: a script 16 ms'] };
    expect(line(renderMarkdown(withAfter(after)))).toBe(
      "- Lab page from a short run's last batch to 2 s after “Done” (test pass and results drawing): " +
        '1 main-thread tasks over 50 ms (59 ms: a script 16 ms).',
    );
  });
});
