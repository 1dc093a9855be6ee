import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../src/ml/wasm-kernels.ts';
import { buildModel, dropoutSeed, type BuiltModel } from '../../src/ml/model.ts';
import { subSeed } from '../../src/ml/batches.ts';
import {
  averageShards,
  flatLength,
  flatWeights,
  setFlatWeights,
  shardGradients,
  shardRanges,
} from '../../src/ml/gradients.ts';
import {
  emptyStepTimes,
  OffloadPolicy,
  parallelStep,
  StepBuffers,
  type Helper,
  type ParallelOptions,
} from '../../src/ml/pool.ts';
import type { ShardBuffers, ShardJob } from '../../src/ml/replica-protocol.ts';
import { DEFAULT_TRAIN_CONFIG, workerCount } from '../../src/ml/config.ts';
import { RunControl, train } from '../../src/ml/train.ts';
import { loadMnistTestAsBoth } from './mnist-fixture.ts';
import type { MnistData } from '../../src/ml/data.ts';
import { Rng } from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

/** A helper in this thread with its own copy of the model: what a helper worker does, without the Worker. */
class LocalHelper implements Helper {
  ready = true;
  dead: string | null = null;
  jobs = 0;
  /** The buffers each job came in. */
  readonly seen: ShardBuffers[] = [];
  private readonly model: BuiltModel;
  /** Fails its job number `failOn` (1-based) as a crashed worker would. */
  private readonly failOn: number;
  /** The job time it reports, as a helper worker measures its own (none when undefined). */
  private readonly ms: number | undefined;
  constructor(failOn = Infinity, ms?: number, dropout = 0) {
    // Another seed than the runs' models: a job carries everything that decides its result.
    this.model = buildModel('lenet5', { seed: 99, dropout });
    this.failOn = failOn;
    this.ms = ms;
  }
  prepare(): void {}
  async compute(job: ShardJob) {
    if (++this.jobs >= this.failOn) {
      this.dead = 'crashed';
      throw new Error('crashed');
    }
    const b = job.buffers;
    this.seen.push(b);
    setFlatWeights(this.model, b.weights);
    const result = shardGradients(this.model, b.x, b.y, job.n, job.l2, b.grads, job.dropoutSeed);
    return { buffers: b, result, ...(this.ms === undefined ? {} : { ms: this.ms }) };
  }
  terminate(): void {}
}

function batch(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  return {
    x: Float32Array.from({ length: n * 784 }, () => rng.next()),
    y: Int32Array.from({ length: n }, () => Math.floor(rng.next() * 10)),
  };
}

/**
 * One step of a batch of 16 from `seed` in 2 shards, without L2 or dropout, ignoring lost helpers unless `opts`
 * says otherwise.
 */
function step16(
  m: BuiltModel,
  opt: tf.Optimizer,
  seed: number,
  opts: Partial<ParallelOptions> & { helpers: Helper[] },
) {
  const { x, y } = batch(16, seed);
  return parallelStep(m, opt, x, y, 16, { shards: 2, l2: 0, dropout: 0, onHelperLost() {}, ...opts });
}

let data: MnistData;

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  data = await loadMnistTestAsBoth();
});

describe('data-parallel gradients', () => {
  it('shardRanges n=10 k=3 -> [0,4] [4,3] [7,3]; n=1 k=4 drops empty shards', () => {
    expect(shardRanges(10, 3)).toEqual([
      [0, 4],
      [4, 3],
      [7, 3],
    ]);
    expect(shardRanges(1, 4)).toEqual([[0, 1]]);
  });

  it('workerCount: one per core, capped at 4, at least 1', () => {
    expect([undefined, 0, 1, 2, 3, 4, 5, 8, 64, 2.5, NaN].map(workerCount)).toEqual([1, 1, 1, 2, 3, 4, 4, 4, 4, 2, 1]);
  });

  it('lenet5 x=[12,28,28,1]: shard gradients of 5 + 4 + 3 images weighted by size = the whole batch gradient', () => {
    const m = buildModel('lenet5', { seed: 1 });
    const { x, y } = batch(12, 3);
    const whole = shardGradients(m, x, y, 12, 1e-3);
    const parts = shardRanges(12, 3).map(([s, c]) => shardGradients(m, x.subarray(s * 784), y.subarray(s), c, 1e-3));
    const avg = averageShards([parts[0]!, parts[1]!, parts[2]!]);
    const scale = Math.max(...whole.grads.map(Math.abs));
    expectClose(
      Array.from(avg.grads, (g) => g / scale),
      Array.from(whole.grads, (g) => g / scale),
      1e-5,
    );
    expectClose(avg.lossSum, whole.lossSum, 1e-4);
    expect(avg.hits).toBe(whole.hits);
    expect(avg.n).toBe(12);
  });

  // With dropout, each shard's masks come with its job (model.ts dropoutSeed): a helper whose model was built with
  // another seed draws the same ones. Before they did, a helper's shard and the same shard computed here differed, so
  // a run's numbers depended on which steps OffloadPolicy sent out.
  it.each([0, 0.5])(
    'lenet5 (dropout %s) 3 steps of batch 16 in 2 shards: same weights, bit for bit, with a helper, without, and with one dying mid-run',
    async (dropout) => {
      const run = async (helpers: Helper[]) => {
        const m = buildModel('lenet5', { seed: 1, dropout });
        const opt = tf.train.adam(0.002);
        const lost: string[] = [];
        const byHelpers: number[] = [];
        for (let s = 0; s < 3; s++) {
          const onHelperLost = (i: number, why: string) => lost.push(`${i}: ${why}`);
          const r = await step16(m, opt, 10 + s, { helpers, dropout, masks: { runSeed: 1, step: s }, onHelperLost });
          byHelpers.push(r.byHelpers);
        }
        opt.dispose();
        return { weights: flatWeights(m), lost, byHelpers };
      };
      const alone = await run([]);
      const healthy = new LocalHelper(Infinity, undefined, dropout);
      const withHelper = await run([healthy]);
      const dying = await run([new LocalHelper(2, undefined, dropout)]);
      expect(healthy.jobs).toBe(3);
      expect(Array.from(withHelper.weights)).toEqual(Array.from(alone.weights));
      expect(Array.from(dying.weights)).toEqual(Array.from(alone.weights));
      expect(dying.lost).toEqual(['0: crashed']);
      // Shards the helper computed, per step: none without it, and none from the step whose job failed.
      expect([alone.byHelpers, withHelper.byHelpers, dying.byHelpers]).toEqual([
        [0, 0, 0],
        [1, 1, 1],
        [1, 0, 0],
      ]);
      // And the step changed the weights (a step that did nothing would also agree with itself).
      expect(Array.from(alone.weights)).not.toEqual(Array.from(flatWeights(buildModel('lenet5', { seed: 1 }))));
    },
  );

  it('dropout 0.5: a shard draws new masks for every step and shard, and the same again for the same run seed, step and shard', () => {
    const m = buildModel('lenet5', { seed: 1, dropout: 0.5 });
    const { x, y } = batch(8, 4);
    const grads = (seed: number) => Array.from(shardGradients(m, x, y, 8, 0, undefined, seed).grads);
    const first = grads(dropoutSeed(1, 0, 0));
    expect(grads(dropoutSeed(1, 0, 0))).toEqual(first);
    for (const other of [dropoutSeed(1, 1, 0), dropoutSeed(1, 0, 1), dropoutSeed(2, 0, 0)]) {
      expect(grads(other)).not.toEqual(first);
    }
  });

  it("train() with dropout reseeds the masks at every step from the run's seed (TF.js's seeded dropout alone repeats one mask)", async () => {
    const config = { ...DEFAULT_TRAIN_CONFIG, trainSubset: 96, batchSize: 32, epochs: 1, dropout: 0.5, seed: 7 };
    const built = buildModel('lenet5', { seed: 7, dropout: 0.5 });
    const result = await train(built, data, { ...config, evaluateEachEpoch: false }, new RunControl(), {});
    const seeds = result.built.model.layers
      .filter((l) => l.getClassName() === 'Dropout')
      .map((l) => (l as unknown as { seed: number }).seed);
    // LeNet-5 has two hidden dense layers, so two dropout layers; after 3 steps they hold the last step's (step 2) seeds.
    expect(seeds).toEqual([0, 1].map((i) => subSeed(dropoutSeed(7, 2, 0), i)));
  });

  it('train() on 600 MNIST images, batch 32, 2 shards with a helper that dies: reports it once and learns', async () => {
    const config = { ...DEFAULT_TRAIN_CONFIG, trainSubset: 600, batchSize: 32, epochs: 2, evaluateEachEpoch: false };
    const lost: [number, string, number][] = [];
    let helperSteps = -1;
    const workers: number[] = [];
    const result = await train(
      buildModel('lenet5', { seed: 1 }),
      data,
      config,
      new RunControl(),
      {
        onHelperLost: (...a) => lost.push(a),
        onBatch: (e) => {
          helperSteps = e.helperSteps;
          workers.push(e.workers);
        },
      },
      null,
      [new LocalHelper(5)],
    );
    expect(result.reason).toBe('completed');
    expect(lost).toEqual([[1, 'crashed', 1]]);
    // The batch reports name the workers training: 2 until the helper is lost (its 5th job, in the first report's
    // window after the first batch), then 1.
    expect(workers[0]).toBe(2);
    expect(workers.at(-1)).toBe(1);
    expect(workers.indexOf(1)).toBeGreaterThan(0);
    // Each epoch records the split, which is what a seeded run's numbers depend on: still 2 shards after the loss.
    expect(result.history.epochs.map((e) => e.shards)).toEqual([2, 2]);
    // Jobs 1 to 4 came back; the 5th failed, and its shard (like every one after it) was computed here.
    expect(helperSteps).toBe(4);
    const [first, last] = [result.history.epochs[0]!, result.history.epochs[1]!];
    expect(last.loss).toBeLessThan(first.loss);
  });
});

describe('OffloadPolicy', () => {
  const T = OffloadPolicy.TRIAL; // 9

  it('keeps to the faster way, switching after two trials of 9 steps in a row find the other faster', () => {
    const p = new OffloadPolicy();
    const used: boolean[] = [];
    for (let s = 0; s < 300; s++) {
      const remote = p.useHelpers();
      used.push(remote);
      // Helpers are slower here (a machine whose other cores are busy).
      p.record(remote, remote ? 0.5 : 0.3);
    }
    expect(used.slice(0, 20).every((u) => u)).toBe(true);
    // The first trial (steps 20-28) finds local steps faster; helpers again for 2 x 9 steps, then a second trial
    // (47-55) finds the same: local is preferred from then on, and remote is the trial, 150 steps later.
    expect(used.slice(20, 20 + T).every((u) => !u)).toBe(true);
    expect(used.slice(29, 47).every((u) => u)).toBe(true);
    expect(used.slice(47, 206).every((u) => !u)).toBe(true);
    expect(used.slice(206, 206 + T).every((u) => u)).toBe(true);
    expect(used.filter((u) => u).length).toBe(20 + 18 + T);
  });

  /** The steps at which each run of helper steps starts, over `steps` steps, with per-image ms from `ms`. */
  function remoteStarts(steps: number, ms: (remote: boolean, step: number) => number): number[] {
    const p = new OffloadPolicy();
    const starts: number[] = [];
    let last = false;
    for (let s = 0; s < steps; s++) {
      const remote = p.useHelpers();
      if (remote && !last) starts.push(s);
      last = remote;
      p.record(remote, ms(remote, s));
    }
    return starts;
  }

  it('helpers clearly slower (0.5 against 0.3 ms per image): the gap between trials doubles, 150 to 1200 steps', () => {
    // Local from step 47 (two trials); trials of helper steps end at 214, 523, 1132, 2341: the next comes 300, 600,
    // 1200, 1200 steps later.
    expect(remoteStarts(4000, (r) => (r ? 0.5 : 0.3))).toEqual([0, 29, 206, 515, 1124, 2333, 3542]);
  });

  it('helpers only a little slower (0.33 against 0.3, under the 1.25x a clear trial needs): a trial every 150 steps', () => {
    expect(remoteStarts(700, (r) => (r ? 0.33 : 0.3))).toEqual([0, 29, 206, 365, 524, 683]);
  });

  it('helpers 3 % slower, within the hysteresis: they stay in use, trials of local steps every 150 steps', () => {
    const p = new OffloadPolicy();
    let local = 0;
    for (let s = 0; s < 1000; s++) {
      const remote = p.useHelpers();
      if (!remote) local++;
      p.record(remote, remote ? 0.309 : 0.3);
    }
    // Trials at 20, 179, 338, 497, 656, 815, 974.
    expect(local).toBe(7 * T);
  });

  it('local steps turn slow after the trials spread out (0.6 from step 1200): helpers for good 38 steps later', () => {
    const starts = remoteStarts(1400, (r, s) => (r ? 0.5 : s >= 1200 ? 0.6 : 0.3));
    expect(starts.slice(0, 5)).toEqual([0, 29, 206, 515, 1124]);
    // The median of the last 21 local steps passes 0.5 / 0.93 once 11 of them are slow (step 1210): trials of
    // helper steps from 1211 and, 18 steps later, 1238 switch to them; local trials come every 150 steps again.
    expect(starts.slice(5)).toEqual([1211, 1238]);
  });

  /**
   * A run of 6000 steps under `OffloadPolicy` whose steps cost `remoteMs` or `localMs` per image times noise: a
   * lognormal factor of sigma 0.2, 3 % of steps 2.5 times slower, and a drift of the whole machine's speed (AR(1)
   * over about 100 steps, of standard deviation `drift` in log terms). The share of steps that used the helpers, and
   * the run's time against always taking the faster way.
   */
  function simulate(seed: number, remoteMs: number, localMs: number, drift = 0) {
    const rng = new Rng(seed);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const p = new OffloadPolicy();
    let remoteSteps = 0;
    let total = 0;
    let best = 0;
    let speed = 0;
    for (let s = 0; s < 6000; s++) {
      speed = 0.99 * speed + drift * Math.sqrt(1 - 0.99 ** 2) * gauss();
      const remote = p.useHelpers();
      if (remote) remoteSteps++;
      const noise = Math.exp(speed + 0.2 * gauss()) * (rng.next() < 0.03 ? 2.5 : 1);
      const ms = (remote ? remoteMs : localMs) * noise;
      total += ms;
      best += Math.min(remoteMs, localMs) * noise;
      p.record(remote, ms);
    }
    return { share: remoteSteps / 6000, cost: total / best };
  }
  // The bench's 2-worker step breakdown: 6.7 ms with helpers, 7.66 ms without (per 32 images).
  const seeds = [1, 2, 3, 4, 5, 6];
  const helpersFaster = (drift: number) => seeds.map((s) => simulate(s, 6.7 / 32, 7.66 / 32, drift));
  const helpersSlower = (drift: number) => seeds.map((s) => simulate(s, 7.66 / 32, 6.7 / 32, drift));

  it('noisy steps, 6 seeds: helpers 12.5 % faster are used in >= 90 % of the steps, 14 % slower in <= 25 %', () => {
    // This policy: 95-96 % and 4-21 %, at most 3.1 % over the best. With one trial deciding: 86-96 % and 5-15 %.
    // The running-mean policy it replaced: 68-78 % and 36-49 %, 3-7 % over.
    for (const r of helpersFaster(0)) expect(r.share).toBeGreaterThanOrEqual(0.9);
    for (const r of helpersSlower(0)) expect(r.share).toBeLessThanOrEqual(0.25);
    for (const r of [...helpersFaster(0), ...helpersSlower(0)]) expect(r.cost).toBeLessThan(1.035);
  });

  it("the same with the machine's speed drifting (sd 0.3): >= 80 % and <= 25 %, under 3.5 % over the best", () => {
    // This policy: 81-95 % and 6-24 %, at most 3.5 % over. A single trial switches on a fast moment: with one trial
    // deciding, 76-88 % and 13-25 %, 3.8 % over; the running-mean policy 66-78 % and 27-41 %, 3-6 % over.
    for (const r of helpersFaster(0.3)) expect(r.share).toBeGreaterThanOrEqual(0.8);
    for (const r of helpersSlower(0.3)) expect(r.share).toBeLessThanOrEqual(0.25);
    for (const r of [...helpersFaster(0.3), ...helpersSlower(0.3)]) expect(r.cost).toBeLessThan(1.035);
  });
});

describe('step times (what the bench reports as limiting the scaling)', () => {
  it('5 steps, the helper failing in the 4th: 4 steps that posted jobs (3 answered), 1 local, no more time than passed', async () => {
    const m = buildModel('lenet5', { seed: 1 });
    const opt = tf.train.adam(0.002);
    const helper = new LocalHelper(4, 2.5);
    const times = emptyStepTimes();
    const t0 = performance.now();
    for (let s = 0; s < 5; s++) {
      await step16(m, opt, 30 + s, { helpers: [helper], times });
    }
    const wall = performance.now() - t0;
    opt.dispose();
    expect([times.remoteSteps, times.helperJobs, times.helperMs, times.localSteps]).toEqual([4, 3, 7.5, 1]);
    // The 4th job failed inside its step, whose shard was then computed here while waiting: that step had posted, so
    // it counts as one with helpers (its helper time unknown); only the 5th computed every shard here from the start.
    for (const k of ['postMs', 'ownMs', 'applyMs', 'localMs'] as const) expect(times[k]).toBeGreaterThan(0);
    expect(times.waitMs).toBeGreaterThanOrEqual(0);
    const phases = times.postMs + times.ownMs + times.waitMs + times.applyMs + times.localMs;
    expect(phases).toBeLessThanOrEqual(wall);
  });
});

describe('reused buffers (a step allocates none once warm)', () => {
  it('3 steps with one StepBuffers: every job travels in the same 4 arrays, and the weights match flatWeights', async () => {
    const m = buildModel('lenet5', { seed: 1 });
    const opt = tf.train.adam(0.002);
    const helper = new LocalHelper();
    const buffers = new StepBuffers(flatLength(m));
    const sent: Float32Array[] = [];
    for (let s = 0; s < 3; s++) {
      sent.push(flatWeights(m));
      await step16(m, opt, 20 + s, { helpers: [helper], buffers });
    }
    opt.dispose();
    expect(helper.seen).toHaveLength(3);
    for (const key of ['weights', 'x', 'y', 'grads'] as const) {
      expect(helper.seen[1]![key]).toBe(helper.seen[0]![key]);
      expect(helper.seen[2]![key]).toBe(helper.seen[0]![key]);
    }
    // The shared weights buffer holds the last job's weights: the model's before the third step.
    expect(Array.from(helper.seen[2]!.weights)).toEqual(Array.from(sent[2]!));
    expect(Array.from(sent[2]!)).not.toEqual(Array.from(sent[1]!));
  });

  it('StepBuffers.take: the same set back for a shard that fits, new x and y (same weights, grads) for a larger one', () => {
    const b = new StepBuffers(10);
    const h = new LocalHelper();
    const first = b.take(h, 8);
    expect([first.weights.length, first.grads.length, first.x.length, first.y.length]).toEqual([10, 10, 8 * 784, 8]);
    b.giveBack(h, first);
    const again = b.take(h, 8);
    expect(again.x).toBe(first.x);
    expect(again.weights).toBe(first.weights);
    b.giveBack(h, again);
    const larger = b.take(h, 9);
    expect(larger.weights).toBe(first.weights);
    expect(larger.grads).toBe(first.grads);
    expect([larger.x.length, larger.y.length]).toEqual([9 * 784, 9]);
    // Taken and not given back (a job that never returned): the next take starts afresh.
    expect(b.take(h, 9).weights).not.toBe(first.weights);
  });

  it('averageShards into a used buffer: the same bits as into a fresh one, -0 + -0 summed to +0 as from fresh', () => {
    const g = (vals: number[]) => Float32Array.from(vals);
    const shards = [
      { grads: g([-0, 1.1, -2.5e-8, 3]), lossSum: 1, hits: 1, n: 3 },
      { grads: g([-0, 0.7, 1e-8, -3]), lossSum: 2, hits: 0, n: 2 },
    ];
    const fresh = averageShards(shards);
    const used = averageShards(shards, g([7, NaN, -1, 5]));
    expect(Array.from(used.grads)).toEqual(Array.from(fresh.grads));
    expect(Object.is(used.grads[0], 0)).toBe(true);
    expect([used.lossSum, used.hits, used.n]).toEqual([3, 1, 5]);
    expect(() => averageShards(shards, new Float32Array(3))).toThrow('A buffer of 3 values for gradients of 4.');
  });

  it('flatWeights into a buffer returns it filled; a buffer of the wrong length is refused, by setFlatWeights too', () => {
    const m = buildModel('lenet5', { seed: 1 });
    const len = flatLength(m);
    const out = new Float32Array(len).fill(9);
    expect(flatWeights(m, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(flatWeights(m)));
    expect(() => flatWeights(m, new Float32Array(len - 1))).toThrow(
      `A buffer of ${len - 1} values for a model of ${len}.`,
    );
    expect(() => setFlatWeights(m, new Float32Array(len + 1))).toThrow(
      `A buffer of ${len + 1} values for a model of ${len}.`,
    );
  });

  it('setFlatWeights on the cpu backend copies: changing the buffer afterwards leaves the weights as set', async () => {
    await tf.setBackend('cpu');
    try {
      const m = buildModel('lenet5', { seed: 1 });
      const w = flatWeights(m).map((v, i) => v + (i % 7) * 1e-3);
      setFlatWeights(m, w);
      const set = Array.from(w);
      w.fill(0);
      expect(Array.from(flatWeights(m))).toEqual(set);
      m.model.dispose();
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
