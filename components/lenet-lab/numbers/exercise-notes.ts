/**
 * What each lab exercise's runs reached when measured with the lab's own code (bench/lab-accuracy.json), as one
 * sentence under the exercise's "What to look for": the reader can compare their runs with these.
 */
import { EXERCISES } from '../exercises.ts';
import { LAB_RUNS, accuracyRange, type LabRun } from './runs.ts';

/** "label: validation 96.9 %, test 97.1 %" for one exercise run, over every seed measured. */
function describe(label: string, runs: readonly LabRun[]): string {
  const val = runs.every((r) => r.valAccuracy !== undefined)
    ? `validation ${accuracyRange(runs, 'valAccuracy')}, `
    : '';
  return `${label}: ${val}test ${accuracyRange(runs)}`;
}

/**
 * The measured sentence for an exercise, e.g. "Measured with the lab's code (seed 1): MLP 784-100-10: validation
 * 93.0 %, test 93.3 %; …". Throws when a run of the exercise was never measured: rerun `npm run bench:accuracy`.
 */
export function measuredNote(exerciseId: string): string {
  const exercise = EXERCISES.find((e) => e.id === exerciseId);
  if (!exercise) throw new Error(`No exercise "${exerciseId}".`);
  const parts = exercise.runs.map((r) => {
    const runs = LAB_RUNS.runs.filter((x) => x.id.startsWith(`${exercise.id}/${r.key}/`));
    if (runs.length === 0) {
      throw new Error(`Exercise run ${exercise.id}/${r.key} was never measured: run npm run bench:accuracy.`);
    }
    return { text: describe(r.label, runs), seeds: runs.map((x) => x.seed) };
  });
  const seeds = [...new Set(parts.flatMap((p) => p.seeds))].sort((a, b) => a - b);
  const which =
    seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds.slice(0, -1).join(', ')} and ${seeds.at(-1)}, as ranges`;
  return `Measured with the lab's own code (${which}): ${parts.map((p) => p.text).join('; ')}.`;
}
