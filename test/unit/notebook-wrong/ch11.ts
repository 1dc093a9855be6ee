/** Chapter 11's wrong solutions: one SGD step. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

export const CH11_WRONG: WrongSolution[] = [
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
