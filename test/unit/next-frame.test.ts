import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextFrame } from '../../components/internal/next-frame.ts';

// nextFrame splits the lab's results into one piece per rendered frame, and must not stall a hidden tab, where
// browsers run no animation frames and throttle timers (components/internal/next-frame.ts).

/** A document whose visibility the test sets, with the one event nextFrame listens to. */
class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible';
  hide(): void {
    this.visibilityState = 'hidden';
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

let doc: FakeDocument;
/** Animation-frame callbacks waiting for a frame the test draws with `frame()`. */
let frames: FrameRequestCallback[];
const frame = () => frames.splice(0).forEach((cb) => cb(0));

/** Whether `p` has settled after every pending message and microtask ran (timers stay frozen). */
async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  return done;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  doc = new FakeDocument();
  frames = [];
  vi.stubGlobal('document', doc);
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('nextFrame', () => {
  it('on a visible page waits for a frame, then resumes in the task after it', async () => {
    const p = nextFrame();
    expect(await settled(p)).toBe(false);
    frame();
    expect(await settled(p)).toBe(false); // The frame's rendering comes first: the task after it resumes.
    vi.advanceTimersByTime(0);
    expect(await settled(p)).toBe(true);
  });

  it('in a hidden tab resumes at once, with no frame and no timer', async () => {
    doc.visibilityState = 'hidden';
    const p = nextFrame();
    expect(await settled(p)).toBe(true);
    expect(frames).toHaveLength(0);
  });

  it('resumes without a frame or a timer when the tab is hidden while it waits', async () => {
    const p = nextFrame();
    expect(await settled(p)).toBe(false);
    doc.hide();
    expect(await settled(p)).toBe(true);
  });

  it('falls back to a 100 ms timeout when a visible page draws no frame', async () => {
    const p = nextFrame();
    vi.advanceTimersByTime(99);
    expect(await settled(p)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(p)).toBe(true);
  });
});
