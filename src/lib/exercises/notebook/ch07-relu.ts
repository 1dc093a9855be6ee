/**
 * Chapter 7 exercises: ReLU forward and backward on a stack of feature maps [C][H][W]. At exactly 0 the course's
 * engine, like TensorFlow, uses the slope 0 (chapter 7; engine/activations.ts), so reluBackward stops the gradient
 * where x ≤ 0. Worked examples: the chapter's ReLU(−3) and ReLU(2), and chapter 10's ReLU backward example.
 */
import { activate, reluBackward as engineReluBackward } from '../../engine/activations.ts';
import { conv2d } from '../../engine/conv2d.ts';
import { fromNested } from '../../engine/tensor.ts';
import { CH03_EDGE, CH03_IMAGE } from './ch03-conv2d.ts';
import { oneKernel, onePlane, stackOf } from './nested.ts';
import { Rng, between, stack } from './random.ts';
import type { CheckCase, ExerciseSpec } from './types.ts';

const relu = (x: number[][][]) => stackOf(activate(fromNested(x), 'relu'));
const reluGrad = (x: number[][][], dy: number[][][]) => stackOf(engineReluBackward(fromNested(x), fromNested(dy)));
const map2 = (a: number[][][], b: number[][][], f: (u: number, v: number) => number) =>
  a.map((m, c) => m.map((row, i) => row.map((u, j) => f(u, b[c]![i]![j]!))));

/** Chapter 10's ReLU backward example, as one channel. */
const CH10_X = [
  [
    [1.5, -0.5],
    [-2, 0.3],
  ],
];
const CH10_DY = [
  [
    [0.2, 0.7],
    [-1, 0.4],
  ],
];

/** A seeded stack with some entries exactly 0 (the kink), as after a ReLU or on integer data. */
function withZeros(rng: Rng, c: number, h: number, w: number, ints: boolean): number[][][] {
  return stack(rng, c, h, w, ints).map((m) => m.map((row) => row.map((v) => (rng.next() < 0.15 ? 0 : v))));
}

function randomShape(rng: Rng): [number, number, number] {
  return [between(rng, 1, 3), between(rng, 1, 5), between(rng, 1, 5)];
}

function reluCases(): CheckCase[] {
  const names = ['x'];
  const edgeMap = stackOf(conv2d(onePlane(CH03_IMAGE), oneKernel(CH03_EDGE), null));
  const cases: CheckCase[] = [
    { label: 'the worked example: ReLU(−3) and ReLU(2)', names, args: [[[[-3, 2]]]] },
    { label: 'chapter 10’s example map', names, args: [CH10_X] },
    { label: 'a feature map: chapter 3’s image through the edge kernel e', names, args: [edgeMap] },
    {
      label: 'zeros stay zero',
      names,
      args: [
        [
          [
            [0, 0],
            [0, -0],
          ],
        ],
      ],
    },
    { label: 'two channels, all negative and all positive', names, args: [[[[-1, -2]], [[3, 4]]]] },
    { label: 'a single value', names, args: [[[[-0.25]]]] },
  ];
  const seed = 701;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [withZeros(rng, ...randomShape(rng), i < 10)],
    });
  }
  return cases;
}

function reluBackwardCases(): CheckCase[] {
  const names = ['x', 'dy'];
  const cases: CheckCase[] = [
    { label: 'the worked example from chapter 10', names, args: [CH10_X, CH10_DY] },
    {
      label: 'inputs exactly at 0 (the course uses slope 0 there)',
      names,
      args: [[[[0, 1, -1, 0]]], [[[5, 5, 5, -2]]]],
    },
    {
      label: 'negative gradients where the input is positive',
      names,
      args: [
        [[[2, 3]], [[-1, 4]]],
        [[[-1, -2]], [[-3, -4]]],
      ],
    },
    { label: 'a single value', names, args: [[[[0.5]]], [[[-3]]]] },
  ];
  const seed = 702;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const shape = randomShape(rng);
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [withZeros(rng, ...shape, i < 10), stack(rng, ...shape, i < 10)],
    });
  }
  return cases;
}

export const reluForward: ExerciseSpec = {
  id: 'relu',
  chapter: 'relu-and-activations',
  title: 'ReLU forward',
  fn: 'relu',
  signature: 'relu(x: number[][][]): number[][][]',
  starter: `// ReLU on every entry of a stack of feature maps x[c][i][j]: max(0, value).
// Return a new array; leave x as it is.
function relu(x: number[][][]): number[][][] {
  const y: number[][][] = [];
  // your code here
  return y;
}

show(relu([[[-3, 2], [0, 1.5]]]));
`,
  solution: `function relu(x: number[][][]): number[][][] {
  return x.map((map) => map.map((row) => row.map((v) => (v > 0 ? v : 0))));
}

show(relu([[[-3, 2], [0, 1.5]]]));
`,
  hints: [
    'Three nested maps (channels, rows, columns), one scalar rule per entry.',
    '`x.map((map) => map.map((row) => row.map((v) => Math.max(0, v))))` builds a new array and leaves x untouched.',
  ],
  cases: reluCases,
  reference: relu,
  mistakes: [
    {
      name: 'used Math.min instead of Math.max',
      advice: 'ReLU keeps the positive values and zeroes the negative ones: max(0, v), not min(0, v).',
      impl: (x: number[][][]) => map2(x, x, (v) => Math.min(0, v)),
    },
    {
      name: 'returned the mask instead of the values',
      advice:
        'The forward pass returns max(0, v), the values themselves. The 0/1 mask (v > 0) is what the backward pass multiplies the gradient by.',
      impl: (x: number[][][]) => map2(x, x, (v) => (v > 0 ? 1 : 0)),
    },
  ],
};

export const reluBackward: ExerciseSpec = {
  id: 'relu-backward',
  chapter: 'relu-and-activations',
  title: 'ReLU backward',
  fn: 'reluBackward',
  signature: 'reluBackward(x: number[][][], dy: number[][][]): number[][][]',
  starter: `// x is ReLU's input (from the forward pass), dy the gradient arriving from above (same shape).
// Return dx: the gradient passes where x > 0 and stops elsewhere (slope 0 at exactly 0, as the course).
function reluBackward(x: number[][][], dy: number[][][]): number[][][] {
  const dx: number[][][] = [];
  // your code here
  return dx;
}

show(reluBackward([[[1.5, -0.5], [-2, 0.3]]], [[[0.2, 0.7], [-1, 0.4]]]));
`,
  solution: `function reluBackward(x: number[][][], dy: number[][][]): number[][][] {
  return x.map((map, c) => map.map((row, i) => row.map((v, j) => (v > 0 ? dy[c][i][j] : 0))));
}

show(reluBackward([[[1.5, -0.5], [-2, 0.3]]], [[[0.2, 0.7], [-1, 0.4]]]));
`,
  hints: [
    'ReLU has slope 1 where its input was positive and 0 elsewhere; the chain rule multiplies dy by that slope.',
    'The mask comes from x (the forward input), the values from dy: dx[c][i][j] = x[c][i][j] > 0 ? dy[c][i][j] : 0.',
  ],
  cases: reluBackwardCases,
  reference: reluGrad,
  mistakes: [
    {
      name: 'masked by dy instead of x',
      advice:
        'Whether the gradient passes depends on the forward input x (was the unit on?), not on the sign of the gradient. A negative dy must pass where x > 0.',
      impl: (_x: number[][][], dy: number[][][]) => map2(dy, dy, (g) => (g > 0 ? g : 0)),
    },
    {
      name: 'passed the gradient through unmasked',
      advice:
        'dx = dy everywhere is the identity’s backward pass. ReLU stops the gradient where x ≤ 0: multiply by the mask x > 0.',
      impl: (_x: number[][][], dy: number[][][]) => dy,
    },
    {
      name: 'gradient 1 at x = 0',
      advice:
        'At exactly 0 ReLU has a kink; the course (like TensorFlow) uses the slope 0 there. Test x > 0, not x >= 0.',
      impl: (x: number[][][], dy: number[][][]) => map2(x, dy, (v, g) => (v >= 0 ? g : 0)),
    },
    {
      name: 'returned the mask without multiplying by dy',
      advice:
        'The mask (1 where x > 0) is ReLU’s local slope; the chain rule multiplies it by the incoming gradient dy.',
      impl: (x: number[][][]) => map2(x, x, (v) => (v > 0 ? 1 : 0)),
    },
  ],
};

export const CH07_EXERCISES = [reluForward, reluBackward];
