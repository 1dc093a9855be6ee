import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterLoadWhenIdle, setPageBusy, whenPageIdle } from '../../src/site/page-busy.ts';

// The lab marks the page busy while it trains; the offline cache waits for the mark to go (src/site/page-busy.ts).
const { window, document, MutationObserver } = parseHTML('<!doctype html><html><body></body></html>');
const g = globalThis as unknown as Record<string, unknown>;
beforeAll(() => {
  g['window'] = window;
  g['document'] = document;
  g['MutationObserver'] = MutationObserver;
});
afterAll(() => {
  for (const k of ['window', 'document', 'MutationObserver']) delete g[k];
});

/** Lets queued microtasks and mutation records run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('page busy mark', () => {
  it('resolves at once when the page is not busy', async () => {
    let done = false;
    void whenPageIdle().then(() => (done = true));
    await settle();
    expect(done).toBe(true);
  });

  it('waits while the page is busy and resolves when the mark goes, not before', async () => {
    setPageBusy(true);
    expect(document.documentElement.hasAttribute('data-busy')).toBe(true);
    let done = false;
    void whenPageIdle().then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    setPageBusy(true); // Marking it busy again changes nothing.
    await settle();
    expect(done).toBe(false);
    setPageBusy(false);
    await settle();
    expect(done).toBe(true);
    expect(document.documentElement.hasAttribute('data-busy')).toBe(false);
  });

  it('background work starts only after the page has been quiet for the whole quiet time', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let state = 'loading';
    Object.defineProperty(document, 'readyState', { get: () => state, configurable: true });
    let started = false;
    void afterLoadWhenIdle(60).then(() => (started = true));
    await sleep(80);
    expect(started).toBe(false); // Not loaded yet.
    setPageBusy(true);
    state = 'complete';
    window.dispatchEvent(new window.Event('load'));
    await sleep(80);
    expect(started).toBe(false); // Busy all along.
    setPageBusy(false);
    await sleep(20);
    setPageBusy(true); // A run starts within the quiet time: the wait begins again after it.
    await sleep(80);
    expect(started).toBe(false);
    setPageBusy(false);
    await sleep(20);
    expect(started).toBe(false);
    await sleep(80);
    expect(started).toBe(true);
  });

  it('a run that starts and ends within the quiet time starts the quiet time again', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    Object.defineProperty(document, 'readyState', { get: () => 'complete', configurable: true });
    let started = false;
    void afterLoadWhenIdle(60).then(() => (started = true));
    await sleep(30);
    setPageBusy(true);
    setPageBusy(false); // Busy for a moment within one task, never at either end of the first 60 ms.
    await sleep(45);
    expect(started).toBe(false); // 75 ms since the call, but only 45 since the run ended.
    await sleep(40);
    expect(started).toBe(true);
  });
});
