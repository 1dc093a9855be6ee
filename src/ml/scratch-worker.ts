/**
 * The from-scratch run's worker: loads MNIST once, runs scratch-train.ts's loop, relays its events to the page.
 * client.ts's `createScratchTrainer` starts it.
 */
import type { ScratchConfig, ScratchRequest, ScratchResponse } from './protocol.ts';
import { loadMnist, type MnistData } from './data.ts';
import { RunControl } from './control.ts';
import { trainScratch, type ScratchEvent } from './scratch-train.ts';

let data: Promise<MnistData> | null = null;
let control: RunControl | null = null;

function post(replyTo: number, msg: ScratchEvent): void {
  self.postMessage({ ...msg, replyTo } as ScratchResponse);
}

async function runScratch(id: number, c: ScratchConfig, baseUrl?: string): Promise<void> {
  data ??= loadMnist(baseUrl === undefined ? {} : { baseUrl }).then((r) => r.data);
  const d = await data;
  const run = (control = new RunControl());
  await trainScratch(d, c, run, (e) => post(id, e));
  control = null;
}

self.addEventListener('message', (e: MessageEvent<ScratchRequest>) => {
  const req = e.data;
  if (req.type === 'stop') {
    control?.stop();
    post(req.id, { type: 'ok' });
    return;
  }
  if (control) {
    post(req.id, { type: 'error', code: 'busy', message: 'The from-scratch run is already going: stop it first.' });
    return;
  }
  runScratch(req.id, req.config, req.baseUrl).catch((err: unknown) => {
    control = null;
    post(req.id, { type: 'error', code: 'internal', message: err instanceof Error ? err.message : String(err) });
  });
});
