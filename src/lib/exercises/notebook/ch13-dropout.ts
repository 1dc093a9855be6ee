/**
 * Chapter 13 exercises: inverted dropout on a vector of activations, forward (in training each value is dropped
 * with probability p, decided by one draw of a seeded rng per value, and the survivors divided by 1 − p; at test
 * time the layer is the identity) and backward (the same mask times dy). References: the engine's dropout, fed the
 * same seed, and dropoutBackward. The worked example is the chapter's: x = (1, …, 6), rate 0.5, seed 3.
 */
import { dropout, dropoutBackward as engineBackward } from '../../engine/dropout.ts';
import { tensor } from '../../engine/tensor.ts';
import { compareValues } from './compare.ts';
import { valuesOf } from './nested.ts';
import { Rng, between, vector } from './random.ts';
import { rngOf, seededSource, type SeededSource } from './seeded.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

/** The chapter's DropoutExample: its input, rate and seed. */
const EXAMPLE = { x: [1, 2, 3, 4, 5, 6], rate: 0.5, seed: 3 };

function forward(x: number[], p: number, training: boolean, rng: SeededSource): { y: number[]; mask: number[] } {
  const r = dropout(tensor([x.length], x), p, training ? 'train' : 'test', rngOf(rng));
  return { y: valuesOf(r.y), mask: valuesOf(r.mask) };
}

const RATES = [0.1, 0.2, 0.25, 0.5, 0.8];

function forwardCases(): CheckCase[] {
  const names = ['x', 'p', 'training', 'rng'];
  const c = (label: string, x: number[], p: number, training: boolean, seed: number): CheckCase => ({
    label,
    names,
    args: [x, p, training, seededSource(seed, 'uniform')],
  });
  const { x, rate, seed } = EXAMPLE;
  const cases: CheckCase[] = [
    c('the worked example: x = (1, …, 6), rate 0.5, seed 3, training', x, rate, true, seed),
    c('the same at test time: the identity, nothing scaled', x, rate, false, seed),
    c('rate 0 in training: nothing dropped, nothing scaled', x, 0, true, seed),
    c(
      'rate 0.9: most values dropped, the survivors ten times larger',
      [1, -2, 3, 0.5, 2, -1, 4, 1, 2, 3],
      0.9,
      true,
      5,
    ),
    c('one value', [2.5], 0.5, true, 8),
    c('zeros and negative values', [0, -1, 0, 2, -3, 0, 1], 0.25, true, 13),
  ];
  const base = 1350;
  const rng = new Rng(base);
  for (let i = 0; i < 20; i++) {
    const p = RATES[rng.int(0, RATES.length)]!;
    const values = vector(rng, between(rng, 1, 20), i < 8);
    cases.push(c(`random case ${i + 1} (seed ${base + i + 1})`, values, p, i % 4 !== 3, base + i + 1));
  }
  return cases;
}

type Forward = (x: number[], p: number, training: boolean, rng: SeededSource) => { y: number[]; mask: number[] };

/** Draws one uniform number per value from a fresh copy of the case's source. */
const draws = (x: number[], rng: SeededSource) => {
  const fresh = rng.fresh();
  return x.map(() => fresh());
};

/** A mistake recognised by the reader's y alone: `wrong` computes the y it would give. */
const wrongY = (
  name: string,
  advice: string,
  wrong: (x: number[], p: number, training: boolean, u: number[]) => number[],
): Mistake => ({
  name,
  advice,
  detect: (got, expected, args) => {
    const [x, p, training, rng] = args as Parameters<Forward>;
    const y = wrong(x, p, training, draws(x, rng));
    const gotY = (got as { y?: unknown }).y;
    return !compareValues((expected as { y: number[] }).y, y).ok && compareValues(y, gotY).ok;
  },
});

export const invertedDropout: ExerciseSpec = {
  id: 'inverted-dropout',
  chapter: 'training-in-practice',
  title: 'Inverted dropout, forward',
  fn: 'dropoutForward',
  signature:
    'dropoutForward(x: number[], p: number, training: boolean, rng: () => number): { y: number[]; mask: number[] }',
  starter: `// Inverted dropout with rate p. In training, draw one rng() per value, in order (uniform in [0, 1)):
// the value is dropped when the draw is below p (mask 0), otherwise kept and divided by 1 - p
// (mask 1 / (1 - p)); y = x * mask. At test time y = x and the mask is all ones.
function dropoutForward(x: number[], p: number, training: boolean, rng: () => number): { y: number[]; mask: number[] } {
  const y: number[] = [];
  const mask: number[] = [];
  // your code here
  return { y, mask };
}

const gen = new lib.Rng(3);
show(dropoutForward([1, 2, 3, 4, 5, 6], 0.5, true, () => gen.next()));
show(dropoutForward([1, 2, 3, 4, 5, 6], 0.5, false, () => gen.next()));
`,
  solution: `function dropoutForward(x: number[], p: number, training: boolean, rng: () => number): { y: number[]; mask: number[] } {
  // in training the survivors are scaled up, so the expected output is x and the test time needs nothing
  const mask = x.map(() => (training ? (rng() < p ? 0 : 1 / (1 - p)) : 1));
  return { y: x.map((v, i) => v * mask[i]), mask };
}

const gen = new lib.Rng(3);
show(dropoutForward([1, 2, 3, 4, 5, 6], 0.5, true, () => gen.next()));
show(dropoutForward([1, 2, 3, 4, 5, 6], 0.5, false, () => gen.next()));
`,
  hints: [
    'Build the mask first: in training one draw per value, 0 when rng() < p, else 1/(1 − p); at test time all ones, with no draws.',
    'Then y = x times the mask, entry by entry. Its mean over many masks is x: a kept value times 1/(1 − p), kept with probability 1 − p.',
    '`const mask = x.map(() => (training ? (rng() < p ? 0 : 1 / (1 - p)) : 1));`',
  ],
  cases: forwardCases,
  reference: forward,
  // "forgot to scale" comes first: on training cases alone it and "scaled at test time" give the same y, and the
  // tie goes to the earlier; test cases, where only the latter is wrong, then decide for it.
  mistakes: [
    wrongY(
      'forgot to scale the survivors',
      'Without the division by 1 − p the training output is on average (1 − p)·x, smaller than the test output x: divide the kept values by 1 − p.',
      (x, p, training, u) => x.map((v, i) => (training && u[i]! < p ? 0 : v)),
    ),
    wrongY(
      'dropped with probability 1 − p',
      'p is the rate of dropping: a value is dropped when its draw is below p, so a fraction p of them become 0. Keeping the values whose draw is below p treats p as the keep probability.',
      (x, p, training, u) => x.map((v, i) => (training ? (u[i]! < p ? v / p : 0) : v)),
    ),
    wrongY(
      'left dropout on at test time',
      'At test time (training = false) dropout does nothing: y = x, a mask of ones and no draws. Dropping at test time makes every prediction random.',
      (x, p, _training, u) => x.map((v, i) => (u[i]! < p ? 0 : v / (1 - p))),
    ),
    wrongY(
      'scaled at test time instead of training time',
      'That is the original, non-inverted dropout: unscaled survivors in training and ×(1 − p) at test time. Inverted dropout divides the survivors by 1 − p during training, so the test-time layer is the identity.',
      (x, p, training, u) => x.map((v, i) => (training ? (u[i]! < p ? 0 : v) : v * (1 - p))),
    ),
  ],
};

function backwardCases(): CheckCase[] {
  const names = ['dy', 'mask'];
  const { x, rate, seed } = EXAMPLE;
  const mask = (values: number[], p: number, s: number, training = true) =>
    forward(values, p, training, seededSource(s, 'uniform')).mask;
  const cases: CheckCase[] = [
    {
      label: 'the worked example’s training mask (rate 0.5, seed 3)',
      names,
      args: [[1, -1, 2, 0.5, -2, 3], mask(x, rate, seed)],
    },
    {
      label: 'a test-time mask of ones: dy passes unchanged',
      names,
      args: [[1, -1, 2], mask([1, 2, 3], rate, seed, false)],
    },
    {
      label: 'rate 0.8: survivors scaled by 5',
      names,
      args: [[2, 1, -1, 3, 0.5, 1], mask([1, 1, 1, 1, 1, 1], 0.8, 21)],
    },
  ];
  const base = 1360;
  const rng = new Rng(base);
  for (let i = 0; i < 20; i++) {
    const n = between(rng, 1, 20);
    const p = RATES[rng.int(0, RATES.length)]!;
    cases.push({
      label: `random case ${i + 1} (seed ${base})`,
      names,
      args: [vector(rng, n, i < 8), mask(vector(rng, n), p, base + i + 1)],
    });
  }
  return cases;
}

export const dropoutBackward: ExerciseSpec = {
  id: 'dropout-backward',
  chapter: 'training-in-practice',
  title: 'Inverted dropout, backward',
  fn: 'dropoutBackward',
  signature: 'dropoutBackward(dy: number[], mask: number[]): number[]',
  starter: `// y = x * mask, entry by entry, with the mask dropoutForward returned (0 or 1 / (1 - p)).
// Return dx = dL/dx for the upstream gradient dy.
function dropoutBackward(dy: number[], mask: number[]): number[] {
  const dx: number[] = [];
  // your code here
  return dx;
}

show(dropoutBackward([1, -1, 2, 0.5, -2, 3], [2, 0, 2, 2, 0, 0]));
`,
  solution: `function dropoutBackward(dy: number[], mask: number[]): number[] {
  return dy.map((d, i) => d * mask[i]); // dropped values pass nothing; kept ones pass dy scaled like x was
}

show(dropoutBackward([1, -1, 2, 0.5, -2, 3], [2, 0, 2, 2, 0, 0]));
`,
  hints: [
    'y[i] = x[i]·mask[i], so ∂y[i]/∂x[i] = mask[i]: the same mask, scale included, multiplies the gradient.',
    '`dy.map((d, i) => d * mask[i])`',
  ],
  cases: backwardCases,
  reference: (dy: number[], mask: number[]) =>
    valuesOf(engineBackward(tensor([mask.length], mask), tensor([dy.length], dy))),
  mistakes: [
    {
      name: 'passed the gradient through unmasked',
      advice: 'A dropped value did not reach the loss, so its gradient is 0: multiply dy by the mask.',
      impl: (dy: number[]) => [...dy],
    },
    {
      name: 'used the 0/1 pattern without the scale',
      advice:
        'The forward pass multiplied the kept values by 1/(1 − p), so their gradient is scaled by it too: dx = dy·mask with the mask as it is, not only where it is non-zero.',
      impl: (dy: number[], mask: number[]) => dy.map((d, i) => (mask[i] === 0 ? 0 : d)),
    },
  ],
};

export const CH13_DROPOUT_EXERCISES = [invertedDropout, dropoutBackward];
