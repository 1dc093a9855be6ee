/**
 * What the notebook's worker does with each message: run a cell, check an exercise, reset. Written against a
 * `post` function rather than the worker global, so the unit tests drive it in Node exactly as the worker does.
 */
import * as lib from '../lib/index.ts';
import { checkExercise } from '../lib/exercises/notebook/check.ts';
import { exerciseById } from '../lib/exercises/notebook/registry.ts';
import { capstoneRun, type CapstoneFns } from './capstone.ts';
import { CellSyntaxError } from './compile.ts';
import { formatLog, formatValue, type OutputItem } from './format.ts';
import type { ErrorInfo, FromWorker, Prerequisite, ToWorker } from './protocol.ts';
import { CellRuntimeError, NotebookScope } from './sandbox.ts';
import { loadSubset, type Subset } from './subset.ts';

/** Most output items one job may print; the rest is summarised in one line. */
export const MAX_ITEMS = 200;

export interface Kernel {
  handle(msg: ToWorker): void;
}

/** Injectable parts, for tests: the clock and how the MNIST subset is loaded. */
export interface KernelDeps {
  now?: () => number;
  load?: (folder: string) => Promise<Subset>;
}

/** A kernel that replies through `post`. */
export function createKernel(post: (msg: FromWorker) => void, deps: KernelDeps = {}): Kernel {
  const now = deps.now ?? (() => performance.now());
  const load = deps.load ?? loadSubset;
  let subset: { url: string; data: Promise<Subset> } | null = null;
  let job = 0;
  let quiet = false;
  let printed = 0;
  let dropped = 0;

  const emit = (items: OutputItem[]) => {
    if (quiet) return;
    const room = MAX_ITEMS - printed;
    if (room <= 0) {
      dropped += items.length;
      return;
    }
    const sent = items.slice(0, room);
    printed += sent.length;
    dropped += items.length - sent.length;
    post({ type: 'output', job, items: sent });
  };

  const show = (value: unknown, opts?: { label?: string; heatmap?: boolean }) => {
    emit(formatValue(value, typeof opts === 'object' && opts !== null ? opts : {}));
  };
  const consoleLike = {
    log: (...args: unknown[]) => emit([formatLog(args)]),
    info: (...args: unknown[]) => emit([formatLog(args)]),
    warn: (...args: unknown[]) => emit([formatLog(args, 'warn')]),
    error: (...args: unknown[]) => emit([formatLog(args, 'error')]),
    table: (value: unknown) => show(value),
  };
  const scope = new NotebookScope({ lib, show, console: consoleLike });

  const describeError = (err: unknown): ErrorInfo => {
    if (err instanceof CellSyntaxError) {
      return { kind: 'syntax', message: err.message, ...(err.position ?? {}) };
    }
    const e = err instanceof CellRuntimeError ? err : scope.describe(err);
    const info: ErrorInfo = { kind: 'runtime', message: e.message, ...(e.position ?? {}) };
    if (e.cellId) info.cellId = e.cellId;
    return info;
  };

  /**
   * Puts each prerequisite's function in the scope: the reader's passed code, or the course's solution (looked up
   * here, so pages need not ship it). Their show() calls stay silent. If the reader's passed code no longer loads,
   * the course's version is used instead, and the page is told so.
   */
  const loadPrereqs = (prereqs: Prerequisite[]) => {
    const resolve = (list: Prerequisite[]) =>
      list.map((p) => ({
        ...p,
        source: p.origin === 'course' ? (exerciseById(p.exercise)?.solution ?? '') : p.source,
      }));
    const load = (list: Prerequisite[]) => {
      const wasQuiet = quiet;
      quiet = true;
      try {
        scope.setPrerequisites(
          list.map((p) => ({ label: `${p.origin}-${p.exercise}`, source: p.source, pick: [p.fn] })),
        );
      } finally {
        quiet = wasQuiet;
      }
      return list.map((p) => ({ fn: p.fn, exercise: p.exercise, origin: p.origin }));
    };
    try {
      return load(resolve(prereqs));
    } catch {
      return load(resolve(prereqs.map((p) => ({ ...p, origin: 'course' as const }))));
    }
  };

  const finish = (start: number, extra: Omit<Extract<FromWorker, { type: 'done' }>, 'type' | 'job' | 'ms'>) => {
    if (dropped > 0) {
      quiet = false;
      post({
        type: 'output',
        job,
        items: [{ kind: 'text', text: `… ${dropped} more outputs not shown (at most ${MAX_ITEMS} per run).` }],
      });
    }
    post({ type: 'done', job, ms: Math.round(now() - start), ...extra });
  };

  /** The capstone run: the cell's forward and trainStep on the subset, progress posted between slices. */
  const train = (
    msg: Extract<ToWorker, { type: 'train' }>,
    start: number,
    defined: string[],
    used: ReturnType<typeof loadPrereqs>,
  ): void => {
    const fail = (message: string) => finish(start, { defined, used, error: { kind: 'runtime', message } });
    const missing = ['forward', 'trainStep'].filter((n) => !defined.includes(n));
    if (missing.length) {
      fail(`The capstone cell must define ${missing.join(' and ')}; run the exercise above with its starter's names.`);
      return;
    }
    const fns = { forward: scope.vars['forward'], trainStep: scope.vars['trainStep'] } as unknown as CapstoneFns;
    if (!subset || subset.url !== msg.dataUrl) subset = { url: msg.dataUrl, data: load(msg.dataUrl) };
    const jobAtStart = job;
    // The download may take a while on a slow line; heartbeats keep the page's silence limit from firing.
    const beat = setInterval(() => post({ type: 'heartbeat', job: jobAtStart }), 1000);
    post({ type: 'heartbeat', job });
    subset.data.finally(() => clearInterval(beat)).catch(() => undefined);
    subset.data.then(
      (data) => {
        if (job !== jobAtStart) return;
        const run = capstoneRun(fns, data, msg.settings);
        try {
          for (;;) {
            const next = run.next();
            if (next.done) {
              finish(start, { defined, used, accuracy: next.value.accuracy });
              return;
            }
            post({ type: 'progress', job, point: next.value });
          }
        } catch (err) {
          const info = describeError(err);
          finish(start, { defined, used, error: info });
        }
      },
      (err: unknown) => {
        subset = null;
        fail(err instanceof Error ? err.message : String(err));
      },
    );
  };

  return {
    handle(msg) {
      job = msg.job;
      printed = 0;
      dropped = 0;
      quiet = msg.type === 'run' && msg.quiet === true;
      const start = now();
      if (msg.type === 'reset') {
        scope.clear();
        finish(start, { defined: [] });
        return;
      }
      let used: ReturnType<typeof loadPrereqs> = [];
      let defined: string[] = [];
      try {
        used = loadPrereqs(msg.prereqs);
        defined = scope.run(msg.cellId, msg.code).defined;
      } catch (err) {
        finish(start, { defined, used, error: describeError(err) });
        return;
      }
      if (msg.type === 'run') {
        finish(start, { defined, used });
        return;
      }
      if (msg.type === 'train') {
        train(msg, start, defined, used);
        return;
      }
      const spec = exerciseById(msg.exerciseId);
      if (!spec) {
        finish(start, { defined, used, error: { kind: 'runtime', message: `Unknown exercise "${msg.exerciseId}".` } });
        return;
      }
      // Grade the function this cell defines, not one left in the scope by another cell.
      const fn = defined.includes(spec.fn) ? scope.vars[spec.fn] : undefined;
      const report = checkExercise(spec, fn, (err) => {
        const info = describeError(err);
        const place: { message: string; line?: number; column?: number; cellId?: string } = { message: info.message };
        if (info.line !== undefined) place.line = info.line;
        if (info.column !== undefined) place.column = info.column;
        if (info.cellId !== undefined) place.cellId = info.cellId;
        return place;
      });
      finish(start, { defined, used, report });
    },
  };
}
