/**
 * The notebook's Web Worker: every cell a reader runs executes here, never on the page's main thread. The page
 * (runner.ts) stops and replaces this worker when a job overruns its time limit.
 * Create it with `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
 */
import { createKernel } from './kernel.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as {
  postMessage(msg: FromWorker): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToWorker>) => void): void;
  close(): void;
};
// Keep the real messaging for the kernel, then take it away from cells: code that reaches the worker global
// (self.postMessage, globalThis.close) gets a message instead of breaking the notebook.
const post = scope.postMessage.bind(scope);
for (const name of ['postMessage', 'close', 'importScripts'] as const) {
  Object.defineProperty(self, name, {
    value: () => {
      throw new Error(`${name} is reserved for the notebook; print with show(...) or console.log(...).`);
    },
    configurable: false,
    writable: false,
  });
}

const kernel = createKernel(post);
scope.addEventListener('message', (e) => kernel.handle(e.data));
post({ type: 'ready' });
