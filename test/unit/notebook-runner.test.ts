/**
 * The runner against the real worker code (bundled with esbuild and started in a Node worker thread): an endless
 * loop is stopped within the limit, the worker is replaced, the scope survives through the replay, and the cell
 * stays usable.
 */
import { build } from 'esbuild';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NotebookRunner, timeoutMessage, type JobResult, type WorkerLike } from '../../src/notebook/runner.ts';
import type { OutputItem } from '../../src/notebook/format.ts';

// Node's worker threads have no `self`: give the bundle the few globals a browser worker has.
const SHIM = `
const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
globalThis.addEventListener = (type, fn) => parentPort.on(type, (data) => fn({ data }));
`;

let bundle = '';
const live: Worker[] = [];

beforeAll(async () => {
  const out = await build({
    entryPoints: ['src/notebook/worker.ts'],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    banner: { js: SHIM },
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0]!.text;
}, 30_000);

afterAll(async () => {
  await Promise.all(live.map((w) => w.terminate()));
});

function spawn(): WorkerLike {
  const w = new Worker(bundle, { eval: true });
  live.push(w);
  const like: WorkerLike = {
    postMessage: (m) => w.postMessage(m),
    terminate: () => void w.terminate(),
    onmessage: null,
    onerror: null,
  };
  w.on('message', (data) => like.onmessage?.({ data }));
  w.on('error', (err) => like.onerror?.({ message: String(err) }));
  return like;
}

function texts(items: OutputItem[]): string[] {
  return items.map((i) =>
    i.kind === 'text' ? i.text : i.kind === 'grid' ? i.rows.map((r) => r.join(' ')).join('/') : 'heatmap',
  );
}

describe('NotebookRunner with the real worker', () => {
  test('runs a cell, prints, and keeps its definitions for the next cell', async () => {
    const runner = new NotebookRunner(spawn);
    const out: OutputItem[] = [];
    const r1 = await runner.submit(
      {
        type: 'run',
        cellId: 'a',
        code: 'function sq(x: number): number { return x * x; }\nshow([1, 2, 3]);',
        prereqs: [],
      },
      { onOutput: (items) => out.push(...items) },
    );
    expect(r1.type).toBe('done');
    expect(texts(out)).toEqual(['1 2 3']);
    const out2: OutputItem[] = [];
    await runner.submit(
      { type: 'run', cellId: 'b', code: 'console.log("sq(4) =", sq(4));', prereqs: [] },
      { onOutput: (i) => out2.push(...i) },
    );
    expect(texts(out2)).toEqual(['sq(4) = 16']);
    runner.dispose();
  });

  test('an endless loop is stopped within the limit, and the scope is replayed into the new worker', async () => {
    const runner = new NotebookRunner(spawn);
    await runner.submit({ type: 'run', cellId: 'a', code: 'function kept() { return 42; }', prereqs: [] });
    const t0 = performance.now();
    const r: JobResult = await runner.submit(
      { type: 'run', cellId: 'b', code: 'while (true) {}', prereqs: [] },
      { limitMs: 500 },
    );
    const elapsed = performance.now() - t0;
    expect(r).toEqual({ type: 'timeout', limitMs: 500 });
    expect(elapsed).toBeLessThan(500 + 2_000);
    expect(runner.restarts).toBe(1);
    expect(timeoutMessage(3000)).toBe('Stopped after 3 s: is there a loop that never ends?');
    const out: OutputItem[] = [];
    const after = await runner.submit(
      { type: 'run', cellId: 'c', code: 'show(kept());', prereqs: [] },
      { onOutput: (i) => out.push(...i) },
    );
    expect(after.type).toBe('done');
    expect(texts(out)).toEqual(['42']);
    runner.dispose();
  }, 20_000);

  test('a check reports a verdict and which prerequisite version was used', async () => {
    const runner = new NotebookRunner(spawn);
    const r = await runner.submit({
      type: 'check',
      cellId: 'exercise:conv1d-valid',
      exerciseId: 'conv1d-valid',
      code: 'function conv1dValid(x: number[], w: number[]): number[] { return []; }',
      prereqs: [],
    });
    expect(r.type).toBe('done');
    if (r.type !== 'done') return;
    expect(r.report?.passed).toBe(false);
    expect(r.report?.failure?.label).toMatch(/worked example/);
    runner.dispose();
  });

  test('a syntax error and a runtime error carry the reader’s line', async () => {
    const runner = new NotebookRunner(spawn);
    const a = await runner.submit({ type: 'run', cellId: 'a', code: 'let x = 1;\nlet y = x +;', prereqs: [] });
    expect(a.type === 'done' && a.error).toMatchObject({ kind: 'syntax', line: 2 });
    const b = await runner.submit({ type: 'run', cellId: 'b', code: 'const a: number = 1;\nnull.x;', prereqs: [] });
    expect(b.type === 'done' && b.error).toMatchObject({ kind: 'runtime', line: 2 });
    runner.dispose();
  });

  test('a million printed values become a few hundred items, and self.postMessage is blocked', async () => {
    const runner = new NotebookRunner(spawn);
    const out: OutputItem[] = [];
    const r = await runner.submit(
      {
        type: 'run',
        cellId: 'a',
        code: 'for (let i = 0; i < 1000; i++) console.log(i);\nshow(new Array(1e6).fill(1));',
        prereqs: [],
      },
      { onOutput: (i) => out.push(...i) },
    );
    expect(r.type).toBe('done');
    expect(out.length).toBeLessThanOrEqual(201);
    expect(texts(out).at(-1)).toMatch(/more outputs not shown/);
    const blocked = await runner.submit({ type: 'run', cellId: 'b', code: 'self.postMessage("x");', prereqs: [] });
    expect(blocked.type === 'done' && blocked.error?.message).toMatch(/reserved for the notebook/);
    runner.dispose();
  });
});
