import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, rateAt, validateConfig } from '../../src/ml/config.ts';
import {
  NUMERIC_FIELDS,
  besideEngineConfig,
  configToUrl,
  fieldText,
  getNumeric,
  initialDisplay,
  readConfig,
  type FormValues,
  type NumericKey,
} from '../../components/lenet-lab/state.ts';
import { describeProgress, displayLines, topConfusions, topK, workersText } from '../../components/lenet-lab/view.ts';
import { epochDoneText, runEndText, runTimingText } from '../../components/lenet-lab/lab-format.ts';
import { makeRecord, renderRunsTable } from '../../components/lenet-lab/runs.ts';
import type { EpochRecord, TrainConfig, TrainHistory } from '../../src/ml/index.ts';

/** The form as it first renders: every field holds the default. */
function defaults(): FormValues {
  const numbers = Object.fromEntries(
    NUMERIC_FIELDS.map((f) => [f.key, fieldText(getNumeric(DEFAULT_TRAIN_CONFIG, f.key))]),
  ) as Record<NumericKey, string>;
  return {
    numbers,
    preset: 'lenet5',
    optimizer: 'adam',
    schedule: 'cosine-restarts',
    evaluateEachEpoch: true,
    workers: 'auto',
  };
}

function withField(key: NumericKey, text: string): FormValues {
  const v = defaults();
  v.numbers[key] = text;
  return v;
}

describe('lab form -> TrainConfig', () => {
  it('the default form reads back as DEFAULT_TRAIN_CONFIG', () => {
    const r = readConfig(defaults(), DEFAULT_TRAIN_CONFIG);
    expect(r).toEqual({ ok: true, config: DEFAULT_TRAIN_CONFIG });
  });

  const bad: [NumericKey, string, RegExp][] = [
    ['learningRate', '0', /greater than 0/],
    ['learningRate', '-1', /greater than 0/],
    ['learningRate', 'abc', /“abc” is not a number/],
    ['learningRate', 'NaN', /not a number/],
    ['batchSize', '0', /at least 1/],
    ['epochs', '101', /at most 100/],
    ['epochs', '', /Enter the epochs/],
    ['dropout', '1', /at most 0.9/],
  ];
  for (const [key, text, message] of bad) {
    it(`${key}="${text}": a message for that field only`, () => {
      const r = readConfig(withField(key, text), DEFAULT_TRAIN_CONFIG);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect([...r.errors.keys()]).toEqual([key]);
      expect(r.errors.get(key)).toMatch(message);
    });
  }

  it('two bad fields get two messages', () => {
    const v = withField('batchSize', '0');
    v.numbers.epochs = '500';
    const r = readConfig(v, DEFAULT_TRAIN_CONFIG);
    expect(r.ok ? [] : [...r.errors.keys()].sort()).toEqual(['batchSize', 'epochs']);
  });

  it('a batch larger than the training images is a conflict reported on the batch size', () => {
    const v = withField('trainSubset', '100');
    v.numbers.batchSize = '200';
    const r = readConfig(v, DEFAULT_TRAIN_CONFIG);
    expect(r.ok ? null : r.errors.get('batchSize')).toMatch(/larger than the 100 training images/);
  });

  it('augmentation fields map to config.augment; the URL keeps only what differs from the defaults', () => {
    const v = withField('shift', '2');
    v.evaluateEachEpoch = false;
    const r = readConfig(v, DEFAULT_TRAIN_CONFIG);
    expect(r.ok && r.config.augment).toEqual({ shift: 2, rotate: 0 });
    expect(r.ok && configToUrl(r.config, 'wasm', 7)).toEqual({
      shift: '2',
      evaluateEachEpoch: '0',
      backend: 'wasm',
      digit: '7',
    });
  });
});

describe('the schedule setting', () => {
  it('exponential goes into the config and the URL; the default schedule stays out of the URL', () => {
    const r = readConfig({ ...defaults(), schedule: 'exponential' }, DEFAULT_TRAIN_CONFIG);
    expect(r.ok && r.config.schedule).toBe('exponential');
    expect(r.ok && configToUrl(r.config, 'auto', 0)).toEqual({ schedule: 'exponential' });
    expect(configToUrl(DEFAULT_TRAIN_CONFIG, 'auto', 0)).toEqual({});
  });

  // A select set from a URL to a value it does not list reads as "" in a browser.
  for (const bad of ['', 'cosine', 'step']) {
    it(`"${bad}" is refused beside the schedule field only`, () => {
      const r = readConfig({ ...defaults(), schedule: bad }, DEFAULT_TRAIN_CONFIG);
      expect(r.ok ? [] : [...r.errors.entries()]).toEqual([['schedule', 'Choose one of the listed schedules.']]);
    });
  }

  it('the worker checks it too; a config saved before the choice (no schedule) is valid and exponential', () => {
    const bad = { ...DEFAULT_TRAIN_CONFIG, schedule: 'linear' } as unknown as TrainConfig;
    expect(() => validateConfig(bad)).toThrow(/Unknown schedule "linear"/);
    const { schedule, ...saved } = DEFAULT_TRAIN_CONFIG;
    expect(schedule).toBe('cosine-restarts');
    expect(validateConfig(saved)).toEqual(saved);
    expect(configToUrl(saved, 'auto', 0)).toEqual({ schedule: 'exponential' });
  });
});

describe('"From scratch, beside TensorFlow.js": the TF.js side trains as the engine does', () => {
  it('a constant rate whatever the form’s schedule and decay, no shift, the form’s batch, rate and seed', () => {
    const form = { ...DEFAULT_TRAIN_CONFIG, learningRate: 0.01, lrDecay: 0.3, batchSize: 16, seed: 7, l2: 0.001 };
    const c = besideEngineConfig(form, 2000, 2);
    expect(validateConfig(c)).toBe(c);
    const rates = [0, 1].flatMap((e) => [0, 0.25, 0.5, 0.99].map((f) => rateAt(c, e, f)));
    expect(new Set(rates)).toEqual(new Set([0.01]));
    expect([c.batchSize, c.seed, c.trainSubset, c.epochs, c.l2]).toEqual([16, 7, 2000, 2, 0]);
    expect(c.augment).toEqual({ shift: 0, rotate: 0 });
  });
});

describe('the Workers setting (how many workers split each batch; the split is part of what repeats a run)', () => {
  it('automatic leaves the count to the device: no workers in the config, none in the URL', () => {
    const r = readConfig(defaults(), { ...DEFAULT_TRAIN_CONFIG, workers: 3 });
    expect(r.ok && 'workers' in r.config).toBe(false);
    expect(r.ok && configToUrl(r.config, 'auto', 0)).toEqual({});
  });

  it('a count from 1 to 4 goes into the config and the URL', () => {
    for (const n of [1, 2, 3, 4]) {
      const r = readConfig({ ...defaults(), workers: String(n) }, DEFAULT_TRAIN_CONFIG);
      expect(r.ok && r.config.workers).toBe(n);
      expect(r.ok && configToUrl(r.config, 'auto', 0)).toEqual({ workers: String(n) });
    }
  });

  // A select set from a URL to a value it does not list reads as "" in a browser.
  for (const bad of ['', '0', '5', '2.5', 'many']) {
    it(`"${bad}" is refused beside the Workers field only`, () => {
      const r = readConfig({ ...defaults(), workers: bad }, DEFAULT_TRAIN_CONFIG);
      expect(r.ok ? [] : [...r.errors.entries()]).toEqual([
        ['workers', 'Choose automatic or a number of workers from 1 to 4.'],
      ]);
    });
  }

  it('the worker checks a count itself, as it does every setting', () => {
    expect(() => validateConfig({ ...DEFAULT_TRAIN_CONFIG, workers: 0 })).toThrow(/at least 1, got 0/);
    expect(() => validateConfig({ ...DEFAULT_TRAIN_CONFIG, workers: 5 })).toThrow(/at most 4, got 5/);
    expect(() => validateConfig({ ...DEFAULT_TRAIN_CONFIG, workers: 1.5 })).toThrow(/whole number/);
    expect(validateConfig({ ...DEFAULT_TRAIN_CONFIG, workers: 2 }).workers).toBe(2);
  });

  it('the engine line names the workers and the cores, also for a count the reader chose above the cores', () => {
    expect(workersText(null)).toBe('in a background worker');
    expect(workersText({ used: 1, cores: 2 })).toBe('in a background worker (1 of this device’s 2 cores)');
    expect(workersText({ used: 1, cores: 1 })).toBe('in a background worker (this device’s only core)');
    expect(workersText({ used: 3, cores: 2 })).toBe(
      'in 3 background workers training in parallel, each on a share of every batch (this device has 2 cores)',
    );
  });

  it('between runs the engine line names the workers the next run will use, so it and the select agree', () => {
    const line = (patch: Partial<Parameters<typeof displayLines>[0]>) =>
      displayLines({
        display: initialDisplay(),
        phase: 'idle',
        activeBackend: 'wasm',
        backends: [],
        workers: { used: 1, cores: 2 },
        config: DEFAULT_TRAIN_CONFIG,
        ...patch,
      })['backend-line'];
    // Automatic: one per core.
    expect(line({ workers: { used: 1, cores: 1 } })).toBe(
      'Engine: TensorFlow.js on wasm, in a background worker (this device’s only core).',
    );
    expect(line({})).toMatch(/, in 2 background workers training in parallel.*\(this device has 2 cores\)\.$/);
    expect(line({ workers: { used: 1, cores: 8 } })).toMatch(/, in 4 background workers training in parallel/);
    // A chosen count shows at once, before Train.
    expect(line({ config: { ...DEFAULT_TRAIN_CONFIG, workers: 3 } })).toMatch(
      /, in 3 background workers training in parallel, each on a share of every batch \(this device has 2 cores\)\.$/,
    );
    // During a run the line names the workers training (a lost helper lowers it), whatever the select says now.
    const running = { phase: 'training' as const, workers: { used: 2, cores: 4 } };
    expect(line({ ...running, config: { ...DEFAULT_TRAIN_CONFIG, workers: 4 } })).toMatch(/, in 2 background workers/);
    // A GPU backend trains in one worker whatever the setting.
    expect(line({ activeBackend: 'webgl', config: { ...DEFAULT_TRAIN_CONFIG, workers: 3 } })).toMatch(
      /on webgl, in a background worker/,
    );
  });

  it('the comparison table says how many workers a split run used; older records without it read as before', () => {
    const epoch: EpochRecord = {
      epoch: 0,
      loss: 0.3,
      trainAccuracy: 0.9,
      learningRate: 0.001,
      seconds: 6,
      backend: 'wasm',
    };
    const history = (epochs: EpochRecord[]) =>
      ({ config: DEFAULT_TRAIN_CONFIG, epochs, losses: [], updatedAt: '' }) as TrainHistory;
    const split = makeRecord(1, 'Your settings', history([{ ...epoch, shards: 2 }]), 'completed', 0.99, 0);
    const alone = makeRecord(2, 'Your settings', history([epoch]), 'completed', 0.99, 0);
    expect(split.shards).toBe(2);
    expect('shards' in alone).toBe(false);
    const html = renderRunsTable([split, alone], 'cap');
    expect(html).toContain('<td class="num">6.0 s on wasm, 2 workers</td>');
    expect(html).toContain('<td class="num">6.0 s on wasm</td>');
  });
});

describe('lab view helpers', () => {
  it('topK of 10 probabilities: most likely first, NaN counted as 0', () => {
    const p = [0.1, 0.5, NaN, 0.2, 0, 0, 0, 0.15, 0.05, 0];
    expect(topK(p, 3)).toEqual([
      { digit: 1, p: 0.5 },
      { digit: 3, p: 0.2 },
      { digit: 7, p: 0.15 },
    ]);
  });

  it('describeProgress: counts, percentage, speed and time left', () => {
    expect(describeProgress({ imagesSeen: 1000, imagesTotal: 4000, imagesPerSec: 500 })).toBe(
      '1,000 of 4,000 images (25 %) · 500 images/s · about 6.0 s left',
    );
    // No speed yet: no rate, no time left, and never NaN.
    expect(describeProgress({ imagesSeen: 0, imagesTotal: 4000, imagesPerSec: 0 })).toBe('0 of 4,000 images (0 %)');
  });

  it('topConfusions of a 10x10 matrix: off-diagonal counts, largest first', () => {
    const confusion: number[][] = Array.from({ length: 10 }, (_, t) =>
      Array.from({ length: 10 }, (_, p) => (t === p ? 100 : 0)),
    );
    confusion[4]![9] = 12;
    confusion[7]![2] = 5;
    confusion[3]![5] = 1;
    const e = { accuracy: 0.98, confusion, perClass: new Array<number>(10).fill(1), misclassified: [] };
    expect(topConfusions(e)).toBe('4 taken for 9 (12 times), 7 taken for 2 (5 times), 3 taken for 5 (1 time)');
  });
});

describe('how a run ends, in words (issue 15: "Stopped after 1 epoch" 6 s into the first)', () => {
  const rec = (epoch: number, partial?: number): EpochRecord => ({
    epoch,
    loss: 0.3,
    trainAccuracy: 0.9,
    learningRate: 0.001,
    seconds: 6,
    backend: 'wasm',
    ...(partial === undefined ? {} : { partial }),
  });

  it('a stop mid-epoch names the epoch and how far it got, never a whole epoch', () => {
    const end = { reason: 'stopped' as const, records: [rec(0, 0.31)], before: 0, testAccuracy: 0.9 };
    expect(runEndText(end)).toBe('Stopped 31 % into epoch 1: test accuracy 90.00 % on all test digits.');
    expect(epochDoneText(rec(0, 0.31))).toBe(
      'Epoch 1 stopped 31 % of the way through in 6.0 s: train accuracy 90.00 %.',
    );
  });

  it('Continue training counts its own epochs and the total, as the "Epoch 2 done" line does', () => {
    const end = { reason: 'completed' as const, records: [rec(1)], before: 1, testAccuracy: 0.98 };
    expect(epochDoneText(rec(1))).toMatch(/^Epoch 2 done in 6\.0 s/);
    expect(runEndText(end)).toBe('Done: 1 more epoch, 2 in all: test accuracy 98.00 % on all test digits.');
    const stopped = { reason: 'stopped' as const, records: [rec(2), rec(3, 0.5)], before: 2, testAccuracy: 0.98 };
    expect(runEndText(stopped)).toBe(
      'Stopped 50 % into epoch 4 (3 epochs done in all): test accuracy 98.00 % on all test digits.',
    );
  });

  it('a fresh run that completes says how many epochs', () => {
    const end = { reason: 'completed' as const, records: [rec(0), rec(1)], before: 0, testAccuracy: 0.99 };
    expect(runEndText(end)).toBe('Done after 2 epochs: test accuracy 99.00 % on all test digits.');
  });

  it("the bar's closing line gives the run's size and time, not the status line's sentence again", () => {
    const t = { imagesSeen: 180_000, elapsedMs: 36_400, steps: 5625, helperSteps: 0, workers: 1 };
    expect(runTimingText(t)).toBe('180,000 images trained in 36 s.');
    // With helpers it says how often they took part: the policy may keep every shard in the coordinator.
    expect(runTimingText({ ...t, workers: 2, helperSteps: 2306 })).toBe(
      '180,000 images trained in 36 s; helper workers computed part of the batch in 41 % of the steps.',
    );
    expect(runTimingText({ ...t, workers: 2, helperSteps: 0 })).toMatch(/in 0 % of the steps\.$/);
    expect(runTimingText({ ...t, imagesSeen: 0, steps: 0 })).toBe('No images were trained.');
    expect(runTimingText({ ...t, imagesSeen: NaN })).toBe('No images were trained.');
    expect(runTimingText(null)).toBe('No images were trained.'); // Stopped before its first batch.
    const end = { reason: 'completed' as const, records: [rec(0)], before: 0, testAccuracy: 0.99 };
    expect(runTimingText(t)).not.toBe(runEndText(end));
  });

  it('the comparison table counts a cut epoch by the share done', () => {
    const history = { config: DEFAULT_TRAIN_CONFIG, epochs: [rec(0), rec(1, 0.25)], losses: [], updatedAt: '' };
    expect(makeRecord(0, 'x', history as TrainHistory, 'stopped', 0.9, 0).epochsDone).toBe(1.25);
  });
});
