/**
 * Ends the current main-thread task and resumes after the browser has rendered a frame, so that a long piece of
 * rendering split by these calls never blocks input for more than one piece: neither its script nor its style and
 * layout make a task over 50 ms (a "long task").
 *
 * Yielding to the next task alone (scheduler.yield) was not enough for the LeNet lab's results: Chromium ran several
 * continuations before its next frame, and that frame laid out all their new content at once. In five runs of the
 * bench's results scenario (2,000 images, then the results; 2026-12-06) the longest frame took 61-131 ms in 4 of them,
 * 19-69 ms of it rendering. The continuation now waits for an animation frame and then a task, so each piece gets a frame of its
 * own. A hidden tab runs no animation frames: a timeout resumes it there.
 */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      resolve();
    };
    const fallback = setTimeout(go, 100);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(go, 0));
  });
}
