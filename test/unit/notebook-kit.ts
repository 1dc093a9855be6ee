/**
 * Runs reader code the way the notebook's worker does (Sucrase, acorn, the shared scope), so the exercise tests
 * exercise the same path a learner's code takes, not a shortcut.
 */
import * as lib from '../../src/lib/index.ts';
import { NotebookScope } from '../../src/notebook/sandbox.ts';
import {
  checkExercise,
  exerciseById,
  type CheckReport,
  type ExerciseSpec,
} from '../../src/lib/exercises/notebook/index.ts';

/** A scope with the helpers cells see; show() and console output are dropped. */
export function testScope(): NotebookScope {
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  return new NotebookScope({ lib, show: () => undefined, console: quiet });
}

/** The exercise with this id (fails the test if it does not exist). */
export function spec(id: string): ExerciseSpec {
  const s = exerciseById(id);
  if (!s) throw new Error(`no exercise ${id}`);
  return s;
}

/**
 * Runs `source` in a fresh scope (after the sources of `prereqs`, as the worker does for an exercise's `uses`) and
 * checks the exercise's function with its checker.
 */
export function checkSource(id: string, source: string, prereqs: Record<string, string> = {}): CheckReport {
  const s = spec(id);
  const scope = testScope();
  scope.setPrerequisites(
    Object.entries(prereqs).map(([dep, source]) => ({ label: dep, source, pick: [spec(dep).fn] })),
  );
  scope.run(id, source);
  return checkExercise(s, scope.vars[s.fn], (err) => {
    const e = scope.describe(err);
    return { message: e.message, ...(e.position ?? {}) };
  });
}
