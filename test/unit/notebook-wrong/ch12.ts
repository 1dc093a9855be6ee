/** Chapter 12's (LeNet-5) wrong solutions: one SGD step. */
import { capstoneTrainStep } from '../../../src/lib/exercises/notebook/ch12-capstone.ts';
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

const CAPSTONE_SOLUTION = capstoneTrainStep.solution;

export const CH12_WRONG: WrongSolution[] = [
  {
    id: 'sgd-step',
    mistake: 'added the gradient',
    source: `function sgdStep(w: number[], g: number[], lr: number): number[] {
  return w.map((v, i) => v + lr * g[i]);
}`,
  },
  {
    id: 'sgd-step',
    mistake: 'forgot the learning rate',
    source: `function sgdStep(w: number[], g: number[], lr: number): number[] {
  return w.map((v, i) => v - g[i]);
}`,
  },
  {
    id: 'sgd-step',
    mistake: 'changed its input',
    source: `function sgdStep(w: number[], g: number[], lr: number): number[] {
  for (let i = 0; i < w.length; i++) w[i] -= lr * g[i]; // in place, like w -= lr * g in NumPy
  return w;
}`,
  },
];

/** The capstone's solution with one line changed, as a learner might get it wrong. */
function capstoneVariant(from: string, to: string): string {
  const solution = CAPSTONE_SOLUTION;
  if (!solution.includes(from)) throw new Error(`capstone variant: "${from}" is not in the solution`);
  return solution.replace(from, to);
}

export const CAPSTONE_WRONG: WrongSolution[] = [
  {
    id: 'capstone-train-step',
    mistake: 'stepped up the gradient',
    source: capstoneVariant('const next: Params = {', 'lr = -lr;\n  const next: Params = {'),
  },
  {
    id: 'capstone-train-step',
    mistake: 'forgot the bias updates',
    source: capstoneVariant('b1: sgdStep(params.b1, db1, lr),', 'b1: params.b1,').replace(
      'b2: sgdStep(params.b2, d2.db, lr),',
      'b2: params.b2,',
    ),
  },
  {
    id: 'capstone-train-step',
    mistake: 'updated W2 before backpropagating through it',
    source: capstoneVariant(
      'const d2 = denseBackward(f.flat, params.W2, dLogits);',
      'const W2new = params.W2.map((row, o) => sgdStep(row, denseBackward(f.flat, params.W2, dLogits).dW[o], lr));\n  const d2 = { ...denseBackward(f.flat, W2new, dLogits), dW: denseBackward(f.flat, params.W2, dLogits).dW };',
    ),
  },
];
