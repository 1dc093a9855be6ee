/**
 * The notebook's code exercises: each one's starter code, solution, hints, cases and named mistakes, and the
 * grader they share. The chapters place them with `<Exercise id>`; the notebook's worker runs the checks.
 */
export * from './types.ts';
export * from './check.ts';
export * from './compare.ts';
export * from './registry.ts';
