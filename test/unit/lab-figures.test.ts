/**
 * The numbers chapter 12 and the lab's exercises quote: the 1998 network's parameter counts (against the paper's
 * section II.B), the exercises' computed statements, and the measured runs in bench/lab-accuracy.json.
 */
import { describe, expect, test } from 'vitest';
import { PAPER_LENET, paperTrainableParams } from '../../components/lenet-lab/numbers/paper-lenet.ts';
import { accuracyRange, LAB_RUNS, labRun, labRuns, percent } from '../../components/lenet-lab/numbers/runs.ts';
import { measuredNote } from '../../components/lenet-lab/numbers/exercise-notes.ts';
import { EXERCISES, findRun } from '../../components/lenet-lab/exercises.ts';
import { presetSummary } from '../../src/ml/index.ts';

const byLayer = (layer: string) => PAPER_LENET.find((l) => l.layer === layer)!;

describe('LeNet-5 as the 1998 paper built it', () => {
  // LeCun et al. 1998, section II.B: C1 156, S2 12, C3 1,516, S4 32, C5 48,120, F6 10,164 trainable parameters.
  test('per layer: the counts the paper prints', () => {
    expect(PAPER_LENET.map((l) => [l.layer, l.trainable])).toEqual([
      ['C1', 156],
      ['S2', 12],
      ['C3', 1516],
      ['S4', 32],
      ['C5', 48120],
      ['F6', 10164],
      ['output', 0],
    ]);
    expect(byLayer('output').fixed).toBe(840);
  });
  test('60,000 trainable in all, not the modern form’s 61,706', () => {
    expect(paperTrainableParams()).toBe(60000);
    expect(presetSummary('lenet5').reduce((s, r) => s + r.params, 0)).toBe(61706);
  });
});

describe('the exercises state computed facts', () => {
  const ex = (id: string) => EXERCISES.find((e) => e.id === id)!;
  test('MLP against CNN: LeNet-5’s 61,706 parameters against the 784-100-10 MLP’s 79,510', () => {
    expect(ex('mlp-vs-cnn').lookFor).toContain("LeNet-5 has 61,706 parameters, fewer than the 784-100-10 MLP's 79,510");
  });
  test('3x3 kernels: the shape chain, the conv weights and the receptive fields come from the presets', () => {
    expect(ex('kernel-size').question).toContain('(28 -> 26 -> 13 -> 11 -> 5)');
    // 3x3: 6*9+6 + 16*6*9+16 = 60 + 880; 5x5: 156 + 2,416.
    expect(ex('kernel-size').lookFor).toContain('have 940 parameters against 2,572 with 5x5');
    expect(ex('kernel-size').lookFor).toContain('5x5x16 in both');
    // Receptive field after pool2 (chapter 6's rule): 3 + 1 + 2*2 + 1*2 = 10 with 3x3, 5 + 1 + 4*2 + 1*2 = 16 with 5x5.
    expect(ex('kernel-size').lookFor).toContain('a patch 10 pixels wide, against 16 with 5x5 kernels');
  });
  test('1998 against modern: the parameter counts are identical, and said so', () => {
    expect(ex('lenet-1998').lookFor).toContain('The parameter counts are identical, 61,706 each');
  });
  test('No nonlinearity: three runs, the first all linear, the second max pooling only', () => {
    const keys = ex('nonlinearity').runs.map((r) => [r.key, r.config.preset]);
    expect(keys).toEqual([
      ['linear-avg', 'lenet5-linear-avg'],
      ['linear-max', 'lenet5-linear'],
      ['relu', 'lenet5'],
    ]);
    expect(findRun('nonlinearity/linear-avg')!.run.config.validationSplit).toBeGreaterThan(0);
  });
});

describe('measured runs (bench/lab-accuracy.json)', () => {
  test('the file says how it was made, and holds every default and exercise run', () => {
    expect(LAB_RUNS.generator).toBe('bench/lab-accuracy.ts');
    expect(LAB_RUNS.command).toContain('npm run bench:accuracy');
    for (const preset of ['lenet5', 'mlp-100', 'mlp-50-20']) expect(labRun(`default/${preset}`).preset).toBe(preset);
    for (const e of EXERCISES) for (const r of e.runs) expect(labRuns(`${e.id}/${r.key}/`).length).toBeGreaterThan(0);
    expect(labRuns('nonlinearity/relu/').map((r) => r.seed)).toEqual([1, 2, 3]);
    expect(() => labRun('default/nothing')).toThrow(/npm run bench:accuracy/);
  });
  test('formatting: percent and ranges', () => {
    expect(percent(0.99123)).toBe('99.1 %');
    const runs = [
      { ...labRun('default/lenet5'), testAccuracy: 0.971 },
      { ...labRun('default/lenet5'), testAccuracy: 0.9789 },
    ];
    expect(accuracyRange(runs)).toBe('97.1–97.9 %');
    expect(accuracyRange(runs.slice(0, 1))).toBe('97.1 %');
  });
  test('a good run: LeNet-5 about 99 %, the MLPs below it', () => {
    expect(labRun('default/lenet5').testAccuracy).toBeGreaterThan(0.985);
    expect(labRun('default/mlp-100').testAccuracy).toBeLessThan(labRun('default/lenet5').testAccuracy);
    expect(labRun('default/mlp-50-20').testAccuracy).toBeLessThan(labRun('default/lenet5').testAccuracy);
  });
  test('every exercise gets a measured sentence naming each of its runs', () => {
    for (const e of EXERCISES) {
      const note = measuredNote(e.id);
      expect(note).toMatch(/^Measured with the lab's own code \(seeds? /);
      for (const r of e.runs) expect(note).toContain(`${r.label}: validation `);
    }
    expect(measuredNote('nonlinearity')).toContain('seeds 1, 2 and 3, as ranges');
  });
});
