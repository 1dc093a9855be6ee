// The from-scratch run (the course's own engine beside TF.js in the lab): it reports batches and epochs in the TF.js
// worker's shapes, learns, is reproducible from its seed, and stops when told.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistTestAsBoth } from './mnist-fixture.ts';
import type { MnistData } from '../../src/ml/data.ts';
import { RunControl } from '../../src/ml/control.ts';
import { trainScratch, type ScratchEvent } from '../../src/ml/scratch-train.ts';
import type { LayerSpec } from '../../src/lib/engine/network.ts';
import type { ScratchConfig } from '../../src/ml/protocol.ts';

let data: MnistData;

beforeAll(async () => {
  data = await loadMnistTestAsBoth();
});

// A small conv net keeps this fast; the worker runs the same loop with the catalogue's lenet5.
const SMALL: LayerSpec[] = [
  { type: 'conv2d', filters: 4, kernel: 5, stride: 2, activation: 'relu' },
  { type: 'maxPool', size: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 10 },
];
const config: ScratchConfig = {
  trainSubset: 512,
  testSubset: 300,
  epochs: 3,
  batchSize: 32,
  learningRate: 0.01,
  seed: 5,
};

async function run(c: ScratchConfig, control = new RunControl(), stopAfter = Infinity): Promise<ScratchEvent[]> {
  const events: ScratchEvent[] = [];
  await trainScratch(
    data,
    c,
    control,
    (e) => {
      events.push(e);
      if (e.type === 'batch' && e.point.step >= stopAfter) control.stop();
    },
    SMALL,
  );
  return events;
}

describe('trainScratch', () => {
  it('small conv net, 512 images, 3 epochs of 16 batches: events, falling loss, better than chance', async () => {
    const events = await run(config);
    const batches = events.filter((e) => e.type === 'batch');
    const epochs = events.filter((e) => e.type === 'epoch');
    const end = events.at(-1)!;
    expect(batches).toHaveLength(3 * 16);
    expect(batches.at(-1)!.imagesSeen).toBe(3 * 512);
    expect(batches.at(-1)!.imagesTotal).toBe(3 * 512);
    expect(epochs.map((e) => e.record.epoch)).toEqual([0, 1, 2]);
    expect(epochs.every((e) => e.record.backend === 'scratch')).toBe(true);
    expect(epochs[2]!.record.loss).toBeLessThan(epochs[0]!.record.loss);
    expect(end.type).toBe('scratch-end');
    if (end.type !== 'scratch-end') return;
    expect(end.reason).toBe('completed');
    // Ten classes: chance is 10 %. A few hundred images already take a small conv net far past it.
    expect(end.testAccuracy).toBeGreaterThan(0.6);
  }, 60_000);

  it('the same seed gives the same losses; another seed gives others', async () => {
    const short = { ...config, epochs: 1, trainSubset: 128 };
    const losses = (es: ScratchEvent[]) => es.flatMap((e) => (e.type === 'batch' ? [e.point.loss] : []));
    const a = losses(await run(short));
    const b = losses(await run(short));
    const c = losses(await run({ ...short, seed: 6 }));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  }, 60_000);

  it('stop ends the run after the current batch and still reports a test accuracy', async () => {
    const events = await run(config, new RunControl(), 5);
    expect(events.filter((e) => e.type === 'batch')).toHaveLength(5);
    const end = events.at(-1)!;
    expect(end.type === 'scratch-end' && end.reason).toBe('stopped');
  }, 60_000);
});
