/**
 * The page's side of the notebook: one worker per page, one job at a time, and a time limit on each job. A job
 * that overruns (an endless loop) gets its worker terminated and replaced; the new worker replays the cells that
 * had run, quietly, so the notebook scope survives. Nothing here runs the reader's code itself.
 */
import type { CapstonePoint } from './capstone.ts';
import type { OutputItem } from './format.ts';
import type { FromWorker, Prerequisite, ToWorker } from './protocol.ts';

/** Default time limit for one Run or Check. */
export const DEFAULT_LIMIT_MS = 3_000;

/** The parts of a Worker the runner uses (a browser Worker fits; tests adapt Node's worker_threads). */
export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  terminate(): void;
  onmessage: ((e: { data: FromWorker }) => void) | null;
  onerror: ((e: { message?: string; preventDefault?: () => void }) => void) | null;
}

export type Done = Extract<FromWorker, { type: 'done' }>;

/** How a job ended: the worker's answer, stopped at the time limit, or the worker could not run at all. */
export type JobResult =
  Done | { type: 'timeout'; limitMs: number } | { type: 'crashed'; message: string } | { type: 'cancelled' };

/** A job as a cell asks for it; the runner numbers it. */
export type JobRequest =
  | Omit<Extract<ToWorker, { type: 'run' }>, 'job'>
  | Omit<Extract<ToWorker, { type: 'check' }>, 'job'>
  | Omit<Extract<ToWorker, { type: 'train' }>, 'job'>;

export interface JobOptions {
  limitMs?: number;
  onOutput?: (items: OutputItem[]) => void;
  onProgress?: (point: CapstonePoint) => void;
  /** Called when the job starts (it may have waited behind another). */
  onStart?: () => void;
}

/** Words for a stopped job, shared by every cell. */
export function timeoutMessage(limitMs: number): string {
  const s = limitMs / 1000;
  return `Stopped after ${Number.isInteger(s) ? s : s.toFixed(1)} s: is there a loop that never ends?`;
}

/** How long a new worker may take to load its code (a slow network) before the cell says so. */
export const START_LIMIT_MS = 30_000;

export class NotebookRunner {
  private worker: WorkerLike | null = null;
  private ready: Promise<boolean> | null = null;
  private onReady: ((ok: boolean) => void) | null = null;
  private jobNo = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last code each cell ran, oldest first: what a replacement worker replays. */
  private readonly history = new Map<string, { code: string; prereqs: Prerequisite[] }>();
  private current: {
    job: number;
    resolve: (r: JobResult) => void;
    onOutput?: (items: OutputItem[]) => void;
    onProgress?: (point: CapstonePoint) => void;
    arm: () => void;
  } | null = null;
  /** Times the worker was replaced (shown in tests and diagnostics). */
  restarts = 0;

  constructor(private readonly spawn: () => WorkerLike) {}

  /** Queues a job; resolves when it ends, whatever happens inside the worker. */
  submit(req: JobRequest, opts: JobOptions = {}): Promise<JobResult> {
    const next = this.queue.then(() => this.execute(req, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Forgets every definition and the replay history. */
  reset(): Promise<JobResult> {
    this.history.clear();
    const next = this.queue.then(() => this.send({ type: 'reset', job: 0 }, DEFAULT_LIMIT_MS));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stops the worker for good (page unload). */
  dispose(): void {
    this.drop();
  }

  private drop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    this.onReady = null;
  }

  private async execute(req: JobRequest, opts: JobOptions): Promise<JobResult> {
    opts.onStart?.();
    const limit = opts.limitMs ?? DEFAULT_LIMIT_MS;
    const msg = { ...req, job: 0 } as ToWorker;
    const result = await this.send(msg, limit, opts.onOutput, opts.onProgress);
    if (result.type === 'done' && req.type !== 'train') {
      this.history.delete(req.cellId);
      this.history.set(req.cellId, { code: req.code, prereqs: req.prereqs });
    } else if (result.type === 'timeout' || result.type === 'cancelled') {
      await this.restart(req.cellId);
    }
    return result;
  }

  /** Starts a worker if none is running; resolves false if it does not load within START_LIMIT_MS. */
  private start(): Promise<boolean> {
    if (this.worker && this.ready) return this.ready;
    this.ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), START_LIMIT_MS);
      this.onReady = (ok) => {
        clearTimeout(timer);
        resolve(ok);
      };
    });
    try {
      this.ensureWorker();
    } catch {
      this.onReady?.(false);
    }
    return this.ready;
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.spawn();
    w.onmessage = (e) => this.onMessage(e.data);
    w.onerror = (e) => {
      // An error the kernel did not catch: a script that failed to load, or a reader's timer that threw after
      // its job ended. Only the first kind concerns the current job.
      e.preventDefault?.();
      this.onReady?.(false);
      if (this.current && /load|import|fetch|script/i.test(e.message ?? '')) {
        const cur = this.current;
        this.current = null;
        this.drop();
        cur.resolve({
          type: 'crashed',
          message: `The notebook could not start its worker (${e.message ?? 'unknown error'}).`,
        });
      }
    };
    this.worker = w;
    return w;
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready') {
      this.onReady?.(true);
      this.onReady = null;
      return;
    }
    const cur = this.current;
    if (!cur) return;
    if (m.job !== cur.job) return;
    if (m.type === 'output') {
      cur.onOutput?.(m.items);
      cur.arm();
    } else if (m.type === 'heartbeat') {
      cur.arm();
    } else if (m.type === 'progress') {
      cur.onProgress?.(m.point);
      cur.arm();
    } else {
      this.current = null;
      cur.resolve(m);
    }
  }

  /** Posts one message and waits for its answer; the limit is on silence (output and heartbeats re-arm it). */
  /** Stops the running job at once (its worker is replaced and the scope replayed); it resolves as cancelled. */
  cancel(): void {
    const cur = this.current;
    if (!cur) return;
    this.current = null;
    this.drop();
    cur.resolve({ type: 'cancelled' });
  }

  private async send(
    msg: ToWorker,
    limitMs: number,
    onOutput?: (items: OutputItem[]) => void,
    onProgress?: (point: CapstonePoint) => void,
  ): Promise<JobResult> {
    if (!(await this.start())) {
      this.drop();
      return {
        type: 'crashed',
        message:
          'The notebook could not start its worker: its code did not load. Check the connection and reload the page.',
      };
    }
    const job = ++this.jobNo;
    return new Promise<JobResult>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (r: JobResult) => {
        clearTimeout(timer);
        resolve(r);
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (this.current?.job !== job) return;
          this.current = null;
          this.drop();
          settle({ type: 'timeout', limitMs });
        }, limitMs);
      };
      this.current = {
        job,
        resolve: settle,
        arm,
        ...(onOutput ? { onOutput } : {}),
        ...(onProgress ? { onProgress } : {}),
      };
      arm();
      try {
        this.ensureWorker().postMessage({ ...msg, job });
      } catch (err) {
        this.current = null;
        settle({ type: 'crashed', message: `The notebook could not start its worker (${String(err)}).` });
      }
    });
  }

  /** A fresh worker that replays, quietly, every cell that had run (except the one that overran). */
  private async restart(culprit: string): Promise<void> {
    this.restarts++;
    this.history.delete(culprit);
    for (const [cellId, h] of [...this.history]) {
      const r = await this.send(
        { type: 'run', job: 0, cellId, code: h.code, prereqs: h.prereqs, quiet: true },
        DEFAULT_LIMIT_MS,
      );
      if (r.type !== 'done') this.history.delete(cellId);
    }
  }
}
