/**
 * The coordinator's handle on one helper worker (replica-worker.ts): jobs out with their buffers transferred, shard
 * gradients back. Any failure (an error event, a failed job, no answer in time) marks the helper dead; pool.ts then
 * computes its shards in the coordinator. Kept apart from pool.ts so code that trains without workers (Node) does
 * not reference the worker's URL.
 */
import type { BuiltModel } from './model.ts';
import type { Helper, HelperResult } from './pool.ts';
import { transferList, type ReplicaReply, type ReplicaRequest, type ShardJob } from './replica-protocol.ts';

/** A job that takes this long means a hung helper (a step is ~10 ms): the coordinator stops waiting for it. */
const JOB_TIMEOUT_MS = 15_000;

/** A helper in its own Web Worker. */
export class WorkerHelper implements Helper {
  ready = false;
  dead: string | null = null;
  private readonly worker: Worker;
  private nextJob = 1;
  private readonly pending = new Map<number, { resolve: (r: HelperResult) => void; reject: (e: Error) => void }>();

  constructor(index: number) {
    this.worker = new Worker(new URL('./replica-worker.ts', import.meta.url), {
      type: 'module',
      name: `convnotebook-helper-${index}`,
    });
    this.worker.addEventListener('message', (e: MessageEvent<ReplicaReply>) => this.receive(e.data));
    this.worker.addEventListener('error', (e: ErrorEvent) => this.die(e.message || 'it stopped with an error'));
    this.worker.addEventListener('messageerror', () => this.die('a message to it could not be read'));
  }

  prepare(preset: BuiltModel['preset'], dropout: number): void {
    if (!this.dead) this.send({ type: 'prepare', preset, dropout });
  }

  compute(job: ShardJob): Promise<HelperResult> {
    if (this.dead) return Promise.reject(new Error(this.dead));
    const id = this.nextJob++;
    return new Promise<HelperResult>((resolve, reject) => {
      const timer = setTimeout(() => this.die(`it did not answer within ${JOB_TIMEOUT_MS / 1000} s`), JOB_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.send({ type: 'job', job: id, ...job }, transferList(job.buffers));
    });
  }

  terminate(): void {
    this.die('it was closed');
  }

  private send(msg: ReplicaRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private receive(msg: ReplicaReply): void {
    if (msg.type === 'ready') this.ready = true;
    else if (msg.type === 'result') {
      const p = this.pending.get(msg.job);
      this.pending.delete(msg.job);
      const { buffers, lossSum, hits, n, ms } = msg;
      p?.resolve({ buffers, result: { grads: buffers.grads, lossSum, hits, n }, ms });
    } else {
      // A helper that failed once (no wasm, out of memory) is not trusted with another job.
      this.die(msg.message);
    }
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = reason;
    this.ready = false;
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }
}
