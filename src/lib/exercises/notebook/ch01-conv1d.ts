/**
 * Chapter 1 exercises: 1D convolution, full and valid. The worked example is the chapter's
 * x = (0, 1, 2, 3, 4), w = (1, −1, 2).
 */
import { conv1d } from '../../engine/conv1d.ts';
import { Rng, between, vector } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

const WORKED_X = [0, 1, 2, 3, 4];
const WORKED_W = [1, -1, 2];

const full = (x: number[], w: number[]) => conv1d(x, w, { mode: 'full', kind: 'convolution' }).y;
const valid = (x: number[], w: number[]) => conv1d(x, w, { mode: 'valid', kind: 'convolution' }).y;

function conv1dCases(seed: number, validOnly: boolean): CheckCase[] {
  const names = ['x', 'w'];
  const cases: CheckCase[] = [
    { label: 'the worked example x = (0, 1, 2, 3, 4), w = (1, −1, 2)', names, args: [[...WORKED_X], [...WORKED_W]] },
    {
      label: 'a kernel as long as the input',
      names,
      args: [
        [2, -1, 3],
        [1, 4, -2],
      ],
    },
    { label: 'a one-entry kernel (a scaling)', names, args: [[1, 2, 3, 4], [3]] },
    { label: 'a one-entry input and kernel', names, args: [[5], [-2]] },
    {
      label: 'an even-length kernel',
      names,
      args: [
        [1, 0, 2, -1, 3, 1],
        [1, 2, 3, 4],
      ],
    },
  ];
  if (!validOnly)
    cases.push({
      label: 'a kernel longer than the input',
      names,
      args: [
        [1, 2],
        [1, -1, 0, 2, 5],
      ],
    });
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const n = between(rng, 1, 12);
    const k = validOnly ? between(rng, 1, n) : between(rng, 1, 8);
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [vector(rng, n, i < 8), vector(rng, k, i < 8)],
    });
  }
  return cases;
}

const forgotFlip = (mode: 'full' | 'valid'): Mistake => ({
  name: 'forgot to flip the kernel',
  advice:
    'This is the cross-correlation: the kernel slides unflipped. In y[n] = Σ x[k]·w[n−k] the kernel index runs backwards as k runs forwards; read w from its end, or reverse a copy first.',
  impl: (x: number[], w: number[]) => conv1d(x, w, { mode, kind: 'cross-correlation' }).y,
});

const lengthOff = (expectedLength: string): Mistake => ({
  name: 'output length off by one',
  advice: `Count the outputs again: ${expectedLength}. Check the loop bound (< versus <=) and the size of the array you create.`,
  detect: (got, expected) =>
    Array.isArray(got) && Array.isArray(expected) && Math.abs(got.length - expected.length) === 1,
});

export const conv1dFull: ExerciseSpec = {
  id: 'conv1d-full',
  chapter: 'convolution-1d',
  title: '1D convolution, full mode',
  fn: 'conv1dFull',
  signature: 'conv1dFull(x: number[], w: number[]): number[]',
  starter: `// Full convolution: y[n] = sum over k of x[k] * w[n - k],
// for every n where x and the flipped w overlap in at least one entry.
function conv1dFull(x: number[], w: number[]): number[] {
  const y: number[] = [];
  // your code here
  return y;
}

show(conv1dFull([0, 1, 2, 3, 4], [1, -1, 2]));
`,
  solution: `function conv1dFull(x: number[], w: number[]): number[] {
  const y = new Array(x.length + w.length - 1).fill(0);
  for (let n = 0; n < y.length; n++) {
    for (let k = 0; k < x.length; k++) {
      const j = n - k; // the kernel index runs backwards: the flip
      if (j >= 0 && j < w.length) y[n] += x[k] * w[j];
    }
  }
  return y;
}

show(conv1dFull([0, 1, 2, 3, 4], [1, -1, 2]));
`,
  hints: [
    'The full output has N + K − 1 entries. Create them as zeros first: `new Array(x.length + w.length - 1).fill(0)`.',
    'For each output n, loop over the input index k and use the kernel entry w[n − k] when 0 ≤ n − k < K: that backwards index is the flip.',
    'Two nested loops: `for (let n = 0; n < y.length; n++) for (let k = 0; k < x.length; k++) { const j = n - k; if (j >= 0 && j < w.length) y[n] += x[k] * w[j]; }`',
  ],
  cases: () => conv1dCases(101, false),
  reference: full,
  mistakes: [
    forgotFlip('full'),
    {
      name: 'computed only the valid part',
      advice:
        'Full mode keeps every position where the kernel overlaps the input in at least one entry, so the kernel hangs over both ends; there are N + K − 1 outputs, not N − K + 1.',
      impl: (x: number[], w: number[]) => (w.length <= x.length ? valid(x, w) : []),
    },
    lengthOff('full convolution has N + K − 1 of them'),
  ],
};

export const conv1dValid: ExerciseSpec = {
  id: 'conv1d-valid',
  chapter: 'convolution-1d',
  title: '1D convolution, valid mode',
  fn: 'conv1dValid',
  signature: 'conv1dValid(x: number[], w: number[]): number[]',
  starter: `// Valid convolution: only the positions where the whole flipped kernel lies over x.
// You may assume w is not longer than x.
function conv1dValid(x: number[], w: number[]): number[] {
  const y: number[] = [];
  // your code here
  return y;
}

show(conv1dValid([0, 1, 2, 3, 4], [1, -1, 2]));
`,
  solution: `function conv1dValid(x: number[], w: number[]): number[] {
  const K = w.length;
  const y = new Array(x.length - K + 1).fill(0);
  for (let n = 0; n < y.length; n++) {
    for (let j = 0; j < K; j++) {
      // the flipped kernel: its last entry sits over x[n]
      y[n] += x[n + j] * w[K - 1 - j];
    }
  }
  return y;
}

show(conv1dValid([0, 1, 2, 3, 4], [1, -1, 2]));
`,
  hints: [
    'There are N − K + 1 positions where the whole kernel fits over the input.',
    'At output n the flipped kernel covers x[n], …, x[n + K − 1]; the input entry x[n + j] meets the kernel entry w[K − 1 − j].',
    '`for (let n = 0; n <= x.length - w.length; n++) { let s = 0; for (let j = 0; j < w.length; j++) s += x[n + j] * w[w.length - 1 - j]; y.push(s); }`',
  ],
  cases: () => conv1dCases(102, true),
  reference: valid,
  mistakes: [
    forgotFlip('valid'),
    {
      name: 'returned the full convolution',
      advice:
        'Valid mode drops the positions where the kernel hangs over an end: keep only the N − K + 1 outputs where it fits entirely.',
      impl: full,
    },
    lengthOff('valid convolution has N − K + 1 of them'),
  ],
};

export const CH01_EXERCISES = [conv1dFull, conv1dValid];
