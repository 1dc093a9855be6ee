// The lab's link to the training worker: the MNIST download starts beside the engine's start-up, not after it, and
// an engine that fails to start takes its worker (and the download) down with a message that says so.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A fake TrainerClient: each request waits until the test settles it. */
interface Call {
  type: string;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}
const calls: Call[] = [];
/** The worker's errors arrive as TrainerError (client.ts), whose message the lab shows as it is. */
const trainerError = (message: string) => Object.assign(new Error(message), { name: 'TrainerError' });
const terminated: number[] = [];
let clients = 0;

vi.mock('../../src/ml/client.ts', () => ({
  createTrainer: () => {
    const id = ++clients;
    return {
      request: (body: { type: string }) =>
        new Promise((resolve, reject) => {
          calls.push({ type: body.type, resolve, reject });
        }),
      terminate: () => {
        terminated.push(id);
        for (const c of calls.splice(0)) c.reject(trainerError('The training worker was closed.'));
      },
    };
  },
}));
vi.mock('../../src/ml/index.ts', () => ({ mnistIsCached: async () => false }));

const { WorkerLink } = await import('../../components/lenet-lab/worker-link.ts');

function host() {
  const lines: Record<string, string> = {};
  return {
    lines,
    state: { backend: 'auto' as const },
    set: vi.fn(),
    say: (line: string, text: string) => {
      lines[line] = text;
    },
    setProgress: vi.fn(),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('WorkerLink', () => {
  beforeEach(() => {
    calls.length = 0;
    terminated.length = 0;
    clients = 0;
  });
  afterEach(() => vi.clearAllMocks());

  it('warm() asks for the data while the engine is still starting', async () => {
    const h = host();
    const link = new WorkerLink(h);
    link.warm();
    await settle();
    expect(calls.map((c) => c.type)).toEqual(['init', 'load-data']);
    expect(clients).toBe(1);
    calls[1]!.resolve({ type: 'data-ready', train: 60000, test: 10000, fromCache: false, seconds: 1.2 });
    await settle();
    expect(h.lines['data-text']).toBe('MNIST ready: 60,000 training and 10,000 test digits, downloaded in 1.2 s.');
    calls[0]!.resolve({ type: 'ready', backend: 'wasm', backends: [], workers: 1, cores: 2, threads: 1 });
    await expect(link.client()).resolves.toBeDefined();
    expect(clients).toBe(1);
  });

  it('an engine that fails to start closes its worker; the data line says why, and a retry starts afresh', async () => {
    const h = host();
    const link = new WorkerLink(h);
    const data = link.ensureData();
    const client = link.client();
    await settle();
    expect(calls.map((c) => c.type)).toEqual(['load-data', 'init']);
    calls[1]!.reject(trainerError('wasm did not start'));
    await expect(client).rejects.toThrow('wasm did not start');
    await expect(data).rejects.toThrow();
    expect(terminated).toEqual([1]);
    expect(h.lines['backend-line']).toBe('Engine: could not start. Press Train to try again.');
    expect(h.lines['data-text']).toBe('MNIST could not be loaded: the engine did not start. Press Train to try again.');

    void link.client();
    void link.ensureData();
    await settle();
    expect(clients).toBe(2);
    expect(calls.map((c) => c.type)).toEqual(['init', 'load-data']);
  });

  it('a download that fails on its own says what went wrong', async () => {
    const h = host();
    const link = new WorkerLink(h);
    const data = link.ensureData();
    await settle();
    calls[0]!.reject(trainerError('Downloading train-images-idx3-ubyte.gz failed: HTTP 404.'));
    await expect(data).rejects.toThrow();
    expect(h.lines['data-text']).toBe(
      'MNIST could not be loaded: Downloading train-images-idx3-ubyte.gz failed: HTTP 404.',
    );
  });
});
