/**
 * The LeNet-5 lab's views in Node: the summary tables of every preset (as the page builds them and as the form
 * redraws them), the lines the render draws from the state, the results of an evaluation, the top-3 list and the
 * comparison table, compared with stored snapshots (see snapshot.ts).
 */
import { describe, test } from 'vitest';
import {
  DEFAULT_TRAIN_CONFIG,
  PRESET_NAMES,
  preset,
  presetSummary,
  type Evaluation,
  type TrainHistory,
} from '../../../src/ml/index.ts';
import { initialDisplay, initialState, type LabState } from '../../../components/lenet-lab/state.ts';
import {
  describeEvaluation,
  describeProgress,
  displayLines,
  renderConfusion,
  renderSummaryTable,
  renderTop3,
} from '../../../components/lenet-lab/view.ts';
import { makeRecord, renderRunsTable } from '../../../components/lenet-lab/runs.ts';
import { expectView } from './snapshot.ts';

describe('lenet-lab summary tables', () => {
  for (const name of PRESET_NAMES) {
    test(`${name}: the table the page builds`, async () => {
      const caption = `${preset(name).label}: layers, output shapes and parameters`;
      await expectView('lenet-lab', `summary-${name}`, { table: renderSummaryTable(presetSummary(name), caption) });
    });
  }
  test('lenet5 with dropout 0.5: the dropout layers the form adds', async () => {
    await expectView('lenet-lab', 'summary-lenet5-dropout', {
      table: renderSummaryTable(presetSummary('lenet5', 0.5), 'x'),
    });
  });
});

describe('lenet-lab lines drawn from the state', () => {
  const state = (patch: Partial<LabState>): LabState => ({
    ...initialState(),
    summary: { rows: [], fromModel: false },
    display: initialDisplay(),
    ...patch,
  });
  const lines = (s: LabState) => ({
    lines: `<dl>${Object.entries(displayLines(s))
      .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
      .join('')}</dl>`,
  });
  test('first state: nothing said yet, every line keeps its build-time text', async () => {
    await expectView('lenet-lab', 'lines-first', lines(state({})));
  });
  test('training on wasm (webgpu refused), then paused', async () => {
    const progress = describeProgress({ imagesSeen: 1200, imagesTotal: 8000, imagesPerSec: 1650 });
    const display = { ...initialDisplay(), lines: { 'train-text': `${progress} · loss 0.812`, status: 'Training…' } };
    const backends = [
      { name: 'webgpu' as const, ok: false, reason: 'no WebGPU adapter' },
      { name: 'wasm' as const, ok: true },
    ];
    const training = state({ phase: 'training', activeBackend: 'wasm', backends, display });
    await expectView('lenet-lab', 'lines-training', lines(training));
    await expectView('lenet-lab', 'lines-paused', lines({ ...training, phase: 'paused' }));
  });
});

describe('lenet-lab results', () => {
  // A made-up evaluation on 100 digits: 90 right, 4 taken for 9, 3 of 7 taken for 2, and so on.
  const confusion: number[][] = Array.from({ length: 10 }, (_, t) =>
    Array.from({ length: 10 }, (_, p) => (t === p ? 9 : 0)),
  );
  confusion[4]![9] = 4;
  confusion[7]![2] = 3;
  confusion[5]![3] = 2;
  confusion[8]![3] = 1;
  const evaluation: Evaluation = {
    accuracy: 0.9,
    confusion,
    perClass: confusion.map((row, t) => row[t]! / row.reduce((a, b) => a + b, 0)),
    misclassified: [],
  };
  test('confusion matrix and the sentence that sums it up', async () => {
    await expectView('lenet-lab', 'results', {
      text: describeEvaluation(evaluation),
      confusion: renderConfusion(evaluation),
    });
  });
  test('top-3 of a prediction', async () => {
    const probs = [0.01, 0.02, 0.6, 0.05, 0.01, 0.01, 0.01, 0.25, 0.03, 0.01];
    await expectView('lenet-lab', 'top3', { top3: renderTop3(probs) });
  });
  test('the comparison table of two runs', async () => {
    const history = (config = DEFAULT_TRAIN_CONFIG): TrainHistory => ({
      config,
      epochs: [0, 1].map((epoch) => ({
        epoch,
        loss: 0.3 / (epoch + 1),
        trainAccuracy: 0.95 + epoch / 100,
        testAccuracy: 0.96 + epoch / 100,
        learningRate: 0.002,
        seconds: 31.5,
        backend: 'wasm' as const,
      })),
      losses: [],
      updatedAt: '2026-12-05T10:00:00.000Z',
    });
    const runs = [
      makeRecord(1, 'Your settings', history(), 'completed', 0.9712, 0),
      makeRecord(
        2,
        'MLP vs CNN: MLP 784-100-10',
        history({ ...DEFAULT_TRAIN_CONFIG, preset: 'mlp-100', dropout: 0.2 }),
        'stopped',
        0.9501,
        1,
      ),
    ];
    await expectView('lenet-lab', 'runs', { table: renderRunsTable(runs, 'lab-runs-heading') });
  });
});
