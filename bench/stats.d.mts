// Types for bench/stats.mjs (plain JavaScript, shared by the bench scripts), for bench/page.ts.
/** The median of some numbers: the middle one, or the mean of the middle two for an even count. */
export declare function median(xs: readonly number[]): number;
