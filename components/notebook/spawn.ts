import type { WorkerLike } from '../../src/notebook/runner.ts';

/** A new notebook worker (Vite bundles the worker module and resolves its URL under the site's base path). */
export function spawnNotebookWorker(name: string): WorkerLike {
  return new Worker(new URL('../../src/notebook/worker.ts', import.meta.url), {
    type: 'module',
    name,
  }) as unknown as WorkerLike;
}
