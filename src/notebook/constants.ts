/**
 * Names and limits shared by the notebook's tiny page script (boot) and its heavier modules. No imports, so the
 * code every chapter loads stays a few hundred bytes.
 */

/** localStorage key of the whole notebook. Bump the version when the record shape changes incompatibly. */
export const STORAGE_KEY = 'convnotebook:notebook:v1';

/** Longest cell the runner accepts; far above any exercise, small enough that transpiling stays instant. */
export const MAX_SOURCE_CHARS = 100_000;

/** Most characters of output kept for "Show all". */
export const FULL_LIMIT = 100_000;
