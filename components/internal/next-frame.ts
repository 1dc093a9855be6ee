/**
 * Ends the current main-thread task and resumes after the browser has rendered a frame, so that a long piece of
 * rendering split by these calls never blocks input for more than one piece: neither its script nor its style and
 * layout make a task over 50 ms (a "long task").
 *
 * Yielding to the next task alone (scheduler.yield) was not enough for the LeNet lab's results: Chromium ran several
 * continuations before its next frame, and that frame laid out all their new content at once. In five runs of the
 * bench's results scenario (2,000 images, then the results; 2026-12-06) the longest frame took 61-131 ms in 4 of them,
 * 19-69 ms of it rendering. The continuation now waits for an animation frame and then a task, so each piece gets a
 * frame of its own.
 *
 * A hidden tab renders nothing and runs no animation frames, and browsers throttle its timers to about one a second:
 * waiting for a frame there spread the lab's dozen result pieces over as many seconds. So a hidden tab, or one hidden
 * while waiting, resumes in a posted message's task, which is not throttled. The 100 ms timeout is a last resort for a
 * visible page whose frames stall.
 */
export function nextFrame(): Promise<void> {
  const doc = typeof document === 'undefined' ? null : document;
  if (!doc || doc.visibilityState === 'hidden' || typeof requestAnimationFrame !== 'function') return nextTask();
  return new Promise((resolve) => {
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      doc.removeEventListener('visibilitychange', onHide);
      resolve();
    };
    const onHide = () => {
      if (doc.visibilityState === 'hidden') void nextTask().then(go);
    };
    doc.addEventListener('visibilitychange', onHide);
    const fallback = setTimeout(go, 100);
    requestAnimationFrame(() => setTimeout(go, 0));
  });
}

/** Resolves in a new task: a posted message, which browsers run at once even in a hidden tab. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
