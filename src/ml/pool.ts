/**
 * Data-parallel training across workers. The training worker is the coordinator: it holds the model and the
 * optimizer, splits each batch into a fixed number of shards, computes shard 0 itself while its helper workers
 * (replica-worker.ts) compute the others from the same weights, averages the gradients in shard order and applies
 * them. Helpers get the new weights with their next job, so there is one copy of the truth and nothing to keep in
 * step. Broadcasting weights costs the same bytes as broadcasting the averaged gradient, and spares every helper an
 * optimizer (and the run a way to drift).
 *
 * A shard's gradient is the same bits whoever computes it (same wasm kernels, same weights, same images), so the
 * coordinator computes any shard whose helper is not ready yet or has died: a seeded run gives the same weights
 * whether 1 or all helpers took part, and a helper that dies mid-step costs time, never a wrong step.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { dropoutSeed, type BuiltModel } from './model.ts';
import {
  applyFlat,
  averageShards,
  flatLength,
  flatWeights,
  shardGradients,
  shardRanges,
  type ShardResult,
} from './gradients.ts';
import type { ShardBuffers, ShardJob } from './replica-protocol.ts';
import type { StepTimes } from './protocol.ts';

/** A helper as the coordinator sees it; WorkerHelper is the real one, tests use in-process ones. */
export interface Helper {
  /** Started and able to take jobs. */
  readonly ready: boolean;
  /** Why it stopped, once it has; it takes no more jobs. */
  readonly dead: string | null;
  prepare(preset: BuiltModel['preset'], dropout: number): void;
  /** Resolves with the shard's result and the job's buffers, handed back for the next job. */
  compute(job: ShardJob): Promise<HelperResult>;
  terminate(): void;
}

/** A helper's answer: the shard's gradient (in `buffers.grads`) and the buffers the job went out in. */
export interface HelperResult {
  result: ShardResult;
  buffers: ShardBuffers;
  /** The helper's own time for the job (weights in, gradient out), in ms, when it measured it. */
  ms?: number;
}

/** A StepTimes with every sum at zero, for a run to add its steps to. */
export function emptyStepTimes(): StepTimes {
  return {
    remoteSteps: 0,
    postMs: 0,
    ownMs: 0,
    waitMs: 0,
    applyMs: 0,
    helperMs: 0,
    helperJobs: 0,
    localSteps: 0,
    localMs: 0,
  };
}

/**
 * The buffers a run's steps reuse instead of allocating about 1.2 MB per step (in Chromium a fresh ArrayBuffer costs
 * more than filling one, heap.ts): the weights as read, a gradient per shard computed here, the average, and per
 * helper the buffers its jobs travel in, which are away (transferred) while a job is out.
 */
export class StepBuffers {
  private readonly local: Float32Array[] = [];
  private readonly travel = new Map<Helper, ShardBuffers>();
  private weights?: Float32Array;
  private average?: Float32Array;
  /** `length`: the model's flat length (gradients.ts flatLength). */
  constructor(readonly length: number) {}

  weightsBuffer(): Float32Array {
    return (this.weights ??= new Float32Array(this.length));
  }
  averageBuffer(): Float32Array {
    return (this.average ??= new Float32Array(this.length));
  }
  /** Where shard `i`'s gradient goes when it is computed here. */
  localBuffer(i: number): Float32Array {
    return (this.local[i] ??= new Float32Array(this.length));
  }

  /**
   * `helper`'s buffers, taken for a job of `count` images: new ones the first time, after a job that never came
   * back, or when the shard outgrows them.
   */
  take(helper: Helper, count: number): ShardBuffers {
    const b = this.travel.get(helper);
    this.travel.delete(helper);
    const fresh = () => new Float32Array(this.length);
    const weights = b?.weights ?? fresh();
    const grads = b?.grads ?? fresh();
    if (b && b.y.length >= count) return { weights, grads, x: b.x, y: b.y };
    return { weights, grads, x: new Float32Array(count * 784), y: new Int32Array(count) };
  }

  /** Buffers a job brought back, for `helper`'s next job. */
  giveBack(helper: Helper, b: ShardBuffers): void {
    this.travel.set(helper, b);
  }
}

/**
 * Whether sending shards to helpers pays, measured as the run goes: on a machine whose other cores are busy (other
 * programs), waiting for a helper can cost more than computing its shard here. Either way the step's numbers are the
 * same, so the choice only moves time. Steps use one way and try the other for a few steps now and then, as the
 * machine's load changes.
 *
 * Steps are noisy (a shard took 3.5 to 7 ms, tenth to ninetieth percentile, in a Chromium trace) and now and then
 * one is several times slower (a garbage collection, a helper woken late), so the ways are compared by the median of
 * their last steps, and only two trials in a row switch. An earlier version kept a running mean of each and switched
 * on any step: one slow helper step could make local steps look faster, and the helpers' mean then stayed frozen at
 * that value until the next trial. On 2 cores, helper steps took 6.7 ms and local ones 7.7 ms (bench step breakdown,
 * 2026-12-06), yet only 54 % of the steps used the helpers. Simulated with that noise (each step's time times a
 * lognormal factor of sigma 0.2, and 3 % of steps 2.5 times slower; six seeds) and those two means, that policy used
 * the helpers in 68-78 % of the steps, and in 36-49 % with the two means swapped, taking 3-7 % longer than always
 * choosing the faster way would; this one uses them in 95-96 % and 4-21 %, at most 3 % longer. The second trial is
 * for the machine's speed, which drifts over seconds: with that drift added, one trial deciding gave 76-88 % and
 * 13-25 %, two 81-95 % and 6-24 % (the simulations are tests in ml-parallel.test.ts).
 *
 * A trial of local steps computes every shard here, one after another: with k workers about k times a remote step's
 * work (in Node a shard of 11 images takes 2.7 ms and a step of 32 6.1 ms, so on 3 workers a local trial step costs
 * about twice a remote one). So while trials keep finding the other way clearly slower, they come less often.
 */
export class OffloadPolicy {
  /** Steps between trials at first and at most, and how many steps a trial lasts. */
  static readonly EVERY = 150;
  static readonly MAX_EVERY = 1200;
  static readonly TRIAL = 9;
  /** How many of the latest steps of each way the comparison reads. */
  static readonly RECENT = 21;
  /** A trial switches when the other way's median is this much below the way in use's (hysteresis: noise). */
  private static readonly SWITCH = 0.93;
  /** A trial is clear when the way not in use measured at least this much slower per image. */
  private static readonly CLEAR = 1.25;
  /** The latest steps' ms per image, each way, oldest first. */
  private readonly recent = { remote: [] as number[], local: [] as number[] };
  private preferRemote = true;
  /** Steps until the next trial (the first after 20, so a run on busy cores finds out early), and trial steps left. */
  private untilTrial = 20;
  private trialLeft = 0;
  /** Steps between trials: EVERY, doubled after each trial that confirms the preference clearly, up to MAX_EVERY. */
  private every = OffloadPolicy.EVERY;
  /** The last trial found the other way faster: a second one in a row switches. */
  private wonLast = false;

  /** Whether this step should use the helpers. */
  useHelpers(): boolean {
    if (this.trialLeft === 0 && this.untilTrial <= 0) {
      this.trialLeft = OffloadPolicy.TRIAL;
      // The trial alone speaks for the way it tries: older steps of that way ran under another load.
      this.recent[this.preferRemote ? 'local' : 'remote'].length = 0;
    }
    return this.trialLeft > 0 ? !this.preferRemote : this.preferRemote;
  }

  /** Records a step's duration per image, in ms, for the way it used. */
  record(remote: boolean, msPerImage: number): void {
    const list = this.recent[remote ? 'remote' : 'local'];
    list.push(msPerImage);
    if (list.length > OffloadPolicy.RECENT) list.shift();
    if (this.trialLeft > 0) {
      if (--this.trialLeft === 0) this.endTrial();
      return;
    }
    this.untilTrial--;
    // Once trials have spread out: the way in use has slowed past what the other measured at its last trial (the
    // load changed), so a trial now, and often again. Its median over the latest steps, so one slow step does not.
    if (this.every === OffloadPolicy.EVERY || list.length < OffloadPolicy.RECENT) return;
    const [inUse, other] = this.medians();
    if (other < inUse * OffloadPolicy.SWITCH) {
      this.every = OffloadPolicy.EVERY;
      this.untilTrial = 0;
    }
  }

  /** Medians of the latest steps: the way in use, the other (NaN for a way not measured yet). */
  private medians(): [number, number] {
    const m = (xs: number[]) => {
      if (xs.length === 0) return NaN;
      const s = [...xs].sort((a, b) => a - b);
      const h = s.length >> 1;
      return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
    };
    const { remote, local } = this.recent;
    return this.preferRemote ? [m(remote), m(local)] : [m(local), m(remote)];
  }

  private endTrial(): void {
    const [inUse, tried] = this.medians();
    const won = tried < inUse * OffloadPolicy.SWITCH;
    if (won && !this.wonLast) {
      // One trial for the other way may be a fast moment of the machine (its speed drifts over seconds): another
      // trial soon decides.
      this.wonLast = true;
      this.untilTrial = 2 * OffloadPolicy.TRIAL;
      return;
    }
    this.wonLast = false;
    if (won) {
      this.preferRemote = !this.preferRemote;
      this.every = OffloadPolicy.EVERY;
    } else {
      const clear = tried > inUse * OffloadPolicy.CLEAR;
      this.every = clear ? Math.min(OffloadPolicy.MAX_EVERY, this.every * 2) : OffloadPolicy.EVERY;
    }
    this.untilTrial = this.every;
  }
}

/** One data-parallel step's inputs besides the model and the batch. */
export interface ParallelOptions {
  helpers: readonly Helper[];
  /** Decides per step whether helpers take part; absent: always when ready. */
  policy?: OffloadPolicy;
  /** Shards per batch, fixed for the run (1 + helpers at its start). */
  shards: number;
  /** The run's reusable buffers; absent: fresh ones for this step. */
  buffers?: StepBuffers;
  /** Where this step's time goes is added here, when given. */
  times?: StepTimes;
  l2: number;
  dropout: number;
  /** The run's seed and this step's number, for each shard's dropout masks (model.ts dropoutSeed); absent: seed 0. */
  masks?: { runSeed: number; step: number };
  /** Told once per helper that fails during a step; the step still completes. */
  onHelperLost(index: number, reason: string): void;
}

/**
 * One optimisation step over the first `n` images of `x`/`y`, split into `opts.shards` shards: shard i > 0 goes to
 * helper i - 1 when it is ready, anything else is computed here. Resolves with the batch's loss sum, hits and size,
 * and how many shards helpers computed.
 */
export async function parallelStep(
  built: BuiltModel,
  optimizer: tf.Optimizer,
  x: Float32Array,
  y: Int32Array,
  n: number,
  opts: ParallelOptions,
): Promise<Omit<ShardResult, 'grads'> & { byHelpers: number }> {
  const t0 = performance.now();
  const ranges = shardRanges(n, opts.shards);
  const offload = opts.policy?.useHelpers() ?? true;
  const usable = (i: number) =>
    offload && i > 0 && opts.helpers[i - 1]?.ready === true && opts.helpers[i - 1]?.dead === null;
  const bufs = opts.buffers ?? new StepBuffers(flatLength(built));
  const seedOf = (i: number) => (opts.masks ? dropoutSeed(opts.masks.runSeed, opts.masks.step, i) : 0);
  const weights = ranges.some((_, i) => usable(i)) ? flatWeights(built, bufs.weightsBuffer()) : null;
  const remote = ranges.map(([start, count], i) => {
    if (!usable(i) || !weights) return null;
    const helper = opts.helpers[i - 1]!;
    const buffers = bufs.take(helper, count);
    buffers.weights.set(weights);
    buffers.x.set(x.subarray(start * 784, (start + count) * 784));
    buffers.y.set(y.subarray(start, start + count));
    const job: ShardJob = {
      preset: built.preset,
      dropout: opts.dropout,
      dropoutSeed: seedOf(i),
      buffers,
      n: count,
      l2: opts.l2,
    };
    return helper.compute(job).then(
      (r) => {
        bufs.giveBack(helper, r.buffers);
        if (opts.times && r.ms !== undefined) {
          opts.times.helperMs += r.ms;
          opts.times.helperJobs++;
        }
        return r.result;
      },
      (err: unknown) => {
        opts.onHelperLost(i - 1, err instanceof Error ? err.message : String(err));
        return null;
      },
    );
  });
  const local = (i: number) => {
    const [start, count] = ranges[i]!;
    const into = bufs.localBuffer(i);
    return shardGradients(built, x.subarray(start * 784), y.subarray(start), count, opts.l2, into, seedOf(i));
  };
  const tPosted = performance.now();
  const results: (ShardResult | null)[] = ranges.map((_, i) => (remote[i] ? null : local(i)));
  const tOwn = performance.now();
  let byHelpers = 0;
  for (let i = 0; i < ranges.length; i++) {
    if (!remote[i]) continue;
    const r = await remote[i];
    if (r) byHelpers++;
    // A helper lost mid-step: its shard is computed here from the same weights, so the step is the same.
    results[i] = r ?? local(i);
  }
  const tBack = performance.now();
  const avg = averageShards(results as ShardResult[], bufs.averageBuffer());
  applyFlat(built, optimizer, avg.grads);
  const tEnd = performance.now();
  opts.policy?.record(weights !== null, (tEnd - t0) / n);
  const t = opts.times;
  if (t && weights) {
    t.remoteSteps++;
    t.postMs += tPosted - t0;
    t.ownMs += tOwn - tPosted;
    t.waitMs += tBack - tOwn;
    t.applyMs += tEnd - tBack;
  } else if (t) {
    t.localSteps++;
    t.localMs += tEnd - t0;
  }
  return { lossSum: avg.lossSum, hits: avg.hits, n: avg.n, byHelpers };
}
