/**
 * Pause, resume and stop for a running loop, and a cheap way for the loop to let messages in. A worker only sees
 * `pause`/`stop` messages when its loop yields to the event loop; `setTimeout(0)` is clamped to 4 ms after a few
 * nestings (12 % of a 33 ms batch), so the yield goes through a MessageChannel instead, and only every ~30 ms.
 */
export class RunControl {
  private paused: { since: number; resume: () => void; done: Promise<void> } | null = null;
  private pausedMs = 0;
  /** Set by stop(); the loop ends after the current batch. */
  stopped = false;

  pause(): void {
    if (this.paused || this.stopped) return;
    let resume = () => {};
    const done = new Promise<void>((r) => (resume = r));
    this.paused = { since: performance.now(), resume, done };
  }

  resume(): void {
    if (!this.paused) return;
    this.pausedMs += performance.now() - this.paused.since;
    this.paused.resume();
    this.paused = null;
  }

  /** Stops the run (also releases a pause). */
  stop(): void {
    this.stopped = true;
    this.resume();
  }

  get isPaused(): boolean {
    return this.paused !== null;
  }

  /** Resolves at once when running, or when resumed/stopped. */
  waitWhilePaused(): Promise<void> {
    return this.paused?.done ?? Promise.resolve();
  }

  /** Milliseconds since `t0` not spent paused. */
  activeMs(t0: number): number {
    const now = performance.now();
    return now - t0 - this.pausedMs - (this.paused ? now - this.paused.since : 0);
  }
}

let lastYield = 0;
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/** Lets queued messages (pause, stop) run, at most every `everyMs` milliseconds; otherwise resolves at once. */
export function yieldToEvents(everyMs = 30): Promise<void> {
  const now = performance.now();
  if (now - lastYield < everyMs) return Promise.resolve();
  lastYield = now;
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((r) => {
    waiting.push(r);
    channel!.port2.postMessage(null);
  });
}
