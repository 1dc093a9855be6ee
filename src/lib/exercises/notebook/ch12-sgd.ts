/**
 * Chapter 12 (LeNet-5, the capstone) exercise: one plain SGD update, w − lr·g, returned as a new array. The capstone chains it
 * with the reader's conv, ReLU, pool, dense and loss functions into a training step. Reference: the engine's SGD
 * (no momentum, no weight decay) on a copy.
 */
import { SGD } from '../../engine/optim.ts';
import { tensor } from '../../engine/tensor.ts';
import { valuesOf } from './nested.ts';
import { Rng, between, vector } from './random.ts';
import type { CheckCase, ExerciseSpec } from './types.ts';

function step(w: number[], g: number[], lr: number): number[] {
  const value = tensor([w.length], w);
  new SGD(lr).step([{ name: 'w', value, grad: tensor([g.length], g) }]);
  return valuesOf(value);
}

function sgdCases(): CheckCase[] {
  const names = ['w', 'g', 'lr'];
  const c = (label: string, w: number[], g: number[], lr: number): CheckCase => ({ label, names, args: [w, g, lr] });
  const cases = [
    c('the worked example: w = (0.5, −1, 2), g = (0.1, −0.2, 0.3), lr = 0.1', [0.5, -1, 2], [0.1, -0.2, 0.3], 0.1),
    c('learning rate 1: w − g', [1, 2], [3, -4], 1),
    c('a zero gradient leaves w as it is', [0.25, -0.75], [0, 0], 0.5),
    c('one weight', [3], [2], 0.01),
  ];
  const seed = 1101;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const n = between(rng, 1, 20);
    const lr = [0.001, 0.01, 0.05, 0.1, 0.5][rng.int(0, 5)]!;
    cases.push(c(`random case ${i + 1} (seed ${seed})`, vector(rng, n), vector(rng, n), lr));
  }
  return cases;
}

export const sgdStep: ExerciseSpec = {
  id: 'sgd-step',
  chapter: 'lenet-5',
  title: 'One SGD step',
  fn: 'sgdStep',
  signature: 'sgdStep(w: number[], g: number[], lr: number): number[]',
  starter: `// One step of gradient descent: move every weight against its gradient, scaled by the learning rate.
// Return the new weights as a new array (leave w as it is).
function sgdStep(w: number[], g: number[], lr: number): number[] {
  const next: number[] = [];
  // your code here
  return next;
}

show(sgdStep([0.5, -1, 2], [0.1, -0.2, 0.3], 0.1));
`,
  solution: `function sgdStep(w: number[], g: number[], lr: number): number[] {
  return w.map((v, i) => v - lr * g[i]); // downhill: against the gradient
}

show(sgdStep([0.5, -1, 2], [0.1, -0.2, 0.3], 0.1));
`,
  hints: [
    'The gradient points uphill, towards a larger loss; a step of gradient descent goes the other way.',
    '`w.map((v, i) => v - lr * g[i])` builds the new weights without touching w.',
  ],
  cases: sgdCases,
  reference: step,
  mistakes: [
    {
      name: 'added the gradient',
      advice: 'w + lr·g climbs the loss. Gradient descent subtracts: w − lr·g.',
      impl: (w: number[], g: number[], lr: number) => w.map((v, i) => v + lr * g[i]!),
    },
    {
      name: 'forgot the learning rate',
      advice: 'The step is the gradient scaled by the learning rate: w − lr·g, not w − g.',
      impl: (w: number[], g: number[]) => w.map((v, i) => v - g[i]!),
    },
  ],
};

export const CH12_EXERCISES = [sgdStep];
