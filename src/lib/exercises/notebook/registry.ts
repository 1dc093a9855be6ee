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
import { CAPSTONE_PIECES, CH12_CAPSTONE } from './ch12-capstone.ts';
import { CH12_EXERCISES } from './ch12-sgd.ts';
import { CH11_COL2IM_EXERCISES } from './ch11-col2im.ts';
import { CH11_GEMM_EXERCISES } from './ch11-gemm-conv.ts';
import { CH11_IM2COL_EXERCISES } from './ch11-im2col.ts';
import { CH13_BATCHNORM_BACKWARD_EXERCISES } from './ch13-batchnorm-backward.ts';
import { CH13_BATCHNORM_EXERCISES } from './ch13-batchnorm.ts';
import { CH13_DROPOUT_EXERCISES } from './ch13-dropout.ts';
import { CH13_INIT_EXERCISES } from './ch13-init.ts';
import { CH13_ADAM_EXERCISES } from './ch13-adam.ts';
import { CH13_MOMENTUM_EXERCISES } from './ch13-momentum.ts';
import { CH14_ARCH_EXERCISES } from './ch14-arch.ts';
import { CH14_ONE_BY_ONE_EXERCISES } from './ch14-one-by-one.ts';
import { CH14_TRANSPOSE_EXERCISES } from './ch14-transpose.ts';
import type { ExerciseSpec } from './types.ts';

const ALL: ExerciseSpec[] = [
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
  ...CH12_EXERCISES,
  ...CH12_CAPSTONE,
  ...CH11_IM2COL_EXERCISES,
  ...CH11_GEMM_EXERCISES,
  ...CH11_COL2IM_EXERCISES,
  ...CH13_INIT_EXERCISES,
  ...CH13_MOMENTUM_EXERCISES,
  ...CH13_ADAM_EXERCISES,
  ...CH13_BATCHNORM_EXERCISES,
  ...CH13_BATCHNORM_BACKWARD_EXERCISES,
  ...CH13_DROPOUT_EXERCISES,
  ...CH14_ARCH_EXERCISES,
  ...CH14_TRANSPOSE_EXERCISES,
  ...CH14_ONE_BY_ONE_EXERCISES,
];

// The capstone builds on every exercise that teaches one of its pieces.
for (const ex of CH12_CAPSTONE) {
  ex.uses = CAPSTONE_PIECES.flatMap((fn) => ALL.filter((e) => e.fn === fn && e !== ex).map((e) => e.id));
}

export const EXERCISES: readonly ExerciseSpec[] = ALL;

/** The exercise with this id, or undefined. */
export function exerciseById(id: string): ExerciseSpec | undefined {
  return EXERCISES.find((e) => e.id === id);
}

/**
 * Every exercise `id` builds on, directly or through another, dependencies first: the order the worker loads them
 * in, so a prerequisite that calls an earlier one finds it.
 */
export function prerequisites(id: string): ExerciseSpec[] {
  const out: ExerciseSpec[] = [];
  const visit = (eid: string, seen: Set<string>) => {
    const spec = exerciseById(eid);
    if (!spec || seen.has(eid)) return;
    seen.add(eid);
    for (const u of spec.uses ?? []) visit(u, seen);
    if (eid !== id && !out.includes(spec)) out.push(spec);
  };
  visit(id, new Set());
  return out;
}
