/**
 * Every code exercise of the course, in chapter order. The MDX places one with `<Exercise id="...">`; the
 * notebook's worker finds its checker here by the same id.
 */
import { CH01_EXERCISES } from './ch01-conv1d.ts';
import { CH02_EXERCISES } from './ch02-grayscale.ts';
import { CH03_EXERCISES } from './ch03-conv2d.ts';
import { CH04_EXERCISES } from './ch04-edge-kernel.ts';
import { CH05_EXERCISES } from './ch05-padding-stride.ts';
import { CH06_EXERCISES } from './ch06-multichannel.ts';
import { CH07_EXERCISES } from './ch07-relu.ts';
import { CH08_EXERCISES } from './ch08-maxpool.ts';
import { CH09_DENSE_EXERCISES } from './ch09-dense.ts';
import { CH09_LOSS_EXERCISES } from './ch09-softmax-loss.ts';
import { CH10_CONV_EXERCISES } from './ch10-conv-grad.ts';
import { CH10_GRADCHECK_EXERCISES } from './ch10-gradcheck.ts';
import { CH11_EXERCISES } from './ch11-sgd.ts';
import type { ExerciseSpec } from './types.ts';

export const EXERCISES: readonly ExerciseSpec[] = [
  ...CH01_EXERCISES,
  ...CH02_EXERCISES,
  ...CH03_EXERCISES,
  ...CH04_EXERCISES,
  ...CH05_EXERCISES,
  ...CH06_EXERCISES,
  ...CH07_EXERCISES,
  ...CH08_EXERCISES,
  ...CH09_LOSS_EXERCISES,
  ...CH09_DENSE_EXERCISES,
  ...CH10_CONV_EXERCISES,
  ...CH10_GRADCHECK_EXERCISES,
  ...CH11_EXERCISES,
];

/** The exercise with this id, or undefined. */
export function exerciseById(id: string): ExerciseSpec | undefined {
  return EXERCISES.find((e) => e.id === id);
}
