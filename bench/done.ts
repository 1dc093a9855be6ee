/** The console line bench/page.ts logs once its result is published, which scripts/bench.mjs waits for. */
export const BENCH_DONE = 'bench: result published';
