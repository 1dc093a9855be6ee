import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESET_LABELS, presetSummary } from '../../components/lenet-lab/presets.ts';
import { buildModel, PRESETS, summarize } from '../../src/ml/model.ts';
import { summarizeLayers, summaryParams } from '../../src/lib/engine/model-summary.ts';
import { EngineError } from '../../src/lib/engine/errors.ts';
import { C3_CONNECTIONS, c3FullParams, c3PartialParams } from '../../components/lenet-lab/c3.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The pure summary (build time, no TF.js) must agree with TensorFlow.js's own model, which is a second engine.
describe('lab preset summaries match the TF.js models', () => {
  it('lists the same presets, in the same order, as src/ml/model.ts', () => {
    expect(PRESET_LABELS).toEqual(PRESETS);
  });

  for (const { name } of PRESET_LABELS) {
    for (const dropout of [0, 0.5]) {
      it(`${name} x=[28,28,1] dropout=${dropout}: layer, kind, output shape and params equal TF.js`, () => {
        const built = buildModel(name, { seed: 1, dropout });
        const fromTf = summarize(built.model);
        const pure = presetSummary(name, dropout);
        expect(pure).toEqual(fromTf);
        expect(summaryParams(pure)).toBe(built.model.countParams());
        built.model.dispose();
      });
    }
  }
});

describe('summarizeLayers', () => {
  it('lenet5 x=[28,28,1]: 61,706 parameters, the classic count for LeNet-5 with a 10-way output', () => {
    // 156 + 2,416 + 48,120 + 10,164 + 850, each a weights-plus-biases count derived by hand.
    expect(summaryParams(presetSummary('lenet5'))).toBe(156 + 2416 + 48120 + 10164 + 850);
  });

  it('x=[4,4,1] conv 5x5 valid: the kernel does not fit, EngineError', () => {
    expect(() =>
      summarizeLayers(
        [4, 4, 1],
        [{ type: 'conv2d', name: 'c', filters: 1, kernel: 5, padding: 'valid', activation: 'relu' }],
      ),
    ).toThrow(EngineError);
  });

  it('x=[28,28,1] dense before flatten: EngineError asking for a flatten layer', () => {
    expect(() => summarizeLayers([28, 28, 1], [{ type: 'dense', name: 'd', units: 3, activation: 'relu' }])).toThrow(
      /flatten/,
    );
  });
});

describe('LeNet-5 C3 connection table (LeCun et al. 1998, Table I)', () => {
  it('C3 x=[14,14,6] k=[16,5,5,*]: 60 map-to-map connections, 1,516 parameters as the paper states; 2,416 when full', () => {
    // The paper: "Layer C3 has 1,516 trainable parameters"; full connection is 16 * (6 * 25 + 1).
    expect(C3_CONNECTIONS.reduce((s, c) => s + c.length, 0)).toBe(60);
    expect(c3PartialParams()).toBe(1516);
    expect(c3FullParams()).toBe(16 * (6 * 25 + 1));
  });

  it('every C3 map reads distinct S2 maps; map 15 reads all six', () => {
    for (const c of C3_CONNECTIONS) expect(new Set(c).size).toBe(c.length);
    expect([...C3_CONNECTIONS[15]!].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // Paper Table I, row 0 (S2 map 0): read by C3 maps 0, 4, 5, 6, 9, 10, 11, 12, 14, 15.
    const readers = C3_CONNECTIONS.flatMap((c, j) => (c.includes(0) ? [j] : []));
    expect(readers).toEqual([0, 4, 5, 6, 9, 10, 11, 12, 14, 15]);
  });
});
