/**
 * A helper worker of a data-parallel run (pool.ts): it holds a copy of the model on the single-threaded wasm
 * backend and answers each job with the gradient of one shard of the batch, computed from the weights the job
 * carries. It keeps no optimizer and no state between jobs beyond the built model, so the coordinator alone decides
 * the weights and a helper that dies loses nothing.
 */
import { trySetBackend } from './backends.ts';
import { buildModel, type BuiltModel } from './model.ts';
import { setFlatWeights, shardGradients } from './gradients.ts';
import { transferList, type ReplicaReply, type ReplicaRequest } from './replica-protocol.ts';

let built: { key: string; model: BuiltModel } | null = null;

function post(msg: ReplicaReply, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

function model(preset: BuiltModel['preset'], dropout: number): BuiltModel {
  const key = `${preset}/${dropout}`;
  if (built?.key !== key) {
    built?.model.model.dispose();
    // The seed does not matter: every job overwrites the weights.
    built = { key, model: buildModel(preset, { seed: 0, dropout }) };
  }
  return built.model;
}

const started = trySetBackend('wasm').then((s) => {
  if (!s.ok) throw new Error(`wasm did not start in a helper worker: ${s.reason}`);
  post({ type: 'ready' });
});
started.catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));

self.addEventListener('message', (e: MessageEvent<ReplicaRequest>) => {
  const req = e.data;
  if (req.type === 'prepare') {
    void started.then(() => model(req.preset, req.dropout));
    return;
  }
  void started
    .then(() => {
      const t0 = performance.now();
      const m = model(req.preset, req.dropout);
      const b = req.buffers;
      setFlatWeights(m, b.weights);
      const r = shardGradients(m, b.x, b.y, req.n, req.l2, b.grads, req.dropoutSeed);
      const ms = performance.now() - t0;
      post({ type: 'result', job: req.job, buffers: b, lossSum: r.lossSum, hits: r.hits, n: r.n, ms }, transferList(b));
    })
    .catch((err: unknown) =>
      post({ type: 'failed', job: req.job, message: err instanceof Error ? err.message : String(err) }),
    );
});
