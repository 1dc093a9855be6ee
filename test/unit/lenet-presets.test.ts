import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESET_NAMES, PRESETS, engineModel, presetSummary, tfLayers } from '../../src/ml/presets.ts';
import { buildModel, summarize } from '../../src/ml/model.ts';
import { Sequential, channelsLast, summaryParams } from '../../src/lib/index.ts';
import { C3_CONNECTIONS, c3FullParams, c3PartialParams } from '../../components/lenet-lab/numbers/c3.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The catalogue's summary (the engine's arithmetic, no TF.js) must agree with TensorFlow.js's own model, a second
// engine, and with the engine's own built model.
describe('the model catalogue (src/ml/presets.ts)', () => {
  it('names each preset once, in menu order', () => {
    expect(PRESETS.map((p) => p.name)).toEqual([...PRESET_NAMES]);
  });

  for (const name of PRESET_NAMES) {
    for (const dropout of [0, 0.5]) {
      it(`${name} x=[28,28,1] dropout=${dropout}: layer, kind, output shape and params equal TF.js`, () => {
        const built = buildModel(name, { seed: 1, dropout });
        const fromTf = summarize(built.model);
        const pure = presetSummary(name, dropout);
        expect(pure).toEqual(fromTf);
        expect(pure.map((r) => r.layer)).toEqual(tfLayers(name, dropout).map((l) => l.name));
        expect(summaryParams(pure)).toBe(built.model.countParams());
        built.model.dispose();
      });
    }

    it(`${name}: the engine builds the same layers (shapes channels-first) with the same parameters`, () => {
      const { inputShape, layers } = engineModel(name);
      const rows = new Sequential(inputShape, layers, { seed: 1 }).summary();
      const tfRows = presetSummary(name).filter((r) => layers.some((l) => l.name === r.layer));
      expect(rows.map((r) => ({ ...r, outputShape: channelsLast(r.outputShape) }))).toEqual(tfRows);
    });
  }

  it('lenet5 x=[28,28,1]: 61,706 parameters, the classic count for LeNet-5 with a 10-way output', () => {
    // 156 + 2,416 + 48,120 + 10,164 + 850, each a weights-plus-biases count derived by hand.
    expect(summaryParams(presetSummary('lenet5'))).toBe(156 + 2416 + 48120 + 10164 + 850);
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
