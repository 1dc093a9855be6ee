// Types for scripts/mnist-boxes.mjs (plain JavaScript, run by the data step), for the tests that import it.
/** The magic number that opens a boxed file ("CNBX"). */
export declare const BOXED_MAGIC: number;
/** Boxes an IDX image file (magic 2051, unsigned bytes, [count, rows, cols] with rows and cols at most 255). */
export declare function boxImages(idx: Uint8Array): Uint8Array;
