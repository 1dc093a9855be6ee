/**
 * Ends the current main-thread task and resumes in a new one, so that a long piece of rendering split by these calls
 * never blocks input for more than one piece (a task over 50 ms is a "long task"). `scheduler.yield` keeps the
 * continuation ahead of other queued work where the browser has it; elsewhere a zero-delay timeout does the job.
 */
export function nextTask(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof s?.yield === 'function') return s.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
