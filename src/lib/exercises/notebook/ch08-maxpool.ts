/**
 * Chapter 8 exercises: max pooling forward, remembering where each maximum was (argmax, the flat index
 * row·W + col into x, as the engine returns it), and the backward routing. Ties go to the FIRST maximum in
 * reading order, as in the engine (its strict '>' in pool.ts) and most libraries. Worked examples: the CS231n
 * map of chapter 8 and chapter 10's max-pool backward example.
 */
import { conv2d } from '../../engine/conv2d.ts';
import { activate } from '../../engine/activations.ts';
import { CH03_IMAGE, offByOne } from './ch03-conv2d.ts';
import { compareValues } from './compare.ts';
import { oneKernel, onePlane, planeOf, shapeOf } from './nested.ts';
import { Rng, between, matrix } from './random.ts';
import { backBy, firstMax, lastMax, pool, poolBack, poolBy, type Pooled } from './pool-variants.ts';
import type { CheckCase, ExerciseSpec } from './types.ts';

/** The chapter's CS231n map and chapter 10's backward example. */
const CS231N = [
  [1, 1, 2, 4],
  [5, 6, 7, 8],
  [3, 2, 1, 0],
  [1, 2, 3, 4],
];
const CH10_X = [
  [1, 3, 2, 0],
  [4, 2, 1, 1],
  [0, 1, 5, 6],
  [3, 2, 7, 1],
];
const CH10_DY = [
  [0.5, -1],
  [2, 1],
];
/** A patch of a ReLU'd feature map: windows of zeros are ties. */
const RELU_MAP = planeOf(activate(conv2d(onePlane(CH03_IMAGE), oneKernel([[1, -1]]), null), 'relu'));

/** Random pooling settings that fit: [H, W, size, stride]. */
function randomSetting(rng: Rng): [number, number, number, number] {
  const size = between(rng, 1, 3);
  return [between(rng, size, 7), between(rng, size, 7), size, between(rng, 1, 3)];
}

function poolCases(): CheckCase[] {
  const names = ['x', 'size', 'stride'];
  const cases: CheckCase[] = [
    { label: 'the worked example: the CS231n map, 2 × 2 windows, stride 2', names, args: [CS231N, 2, 2] },
    {
      label: 'a tie: the window 1, 5, 5, 2 (the first maximum wins)',
      names,
      args: [
        [
          [1, 5],
          [5, 2],
        ],
        2,
        2,
      ],
    },
    { label: 'a map after ReLU: windows of zeros are ties', names, args: [RELU_MAP, 2, 2] },
    { label: 'overlapping windows: 3 × 3, stride 1', names, args: [CH10_X, 3, 1] },
    {
      label: 'a 5 × 5 map with 2 × 2 windows: the floor drops a row and a column',
      names,
      args: [matrix(new Rng(803), 5, 5, true), 2, 2],
    },
    {
      label: 'a 3 × 3 window, stride 2 (AlexNet’s overlapping pooling)',
      names,
      args: [matrix(new Rng(804), 7, 7), 3, 2],
    },
    { label: 'a 1 × 1 window (every cell is its own maximum)', names, args: [[[1, -2, 3]], 1, 1] },
    {
      label: 'a wide map (2 × 6)',
      names,
      args: [
        [
          [0, 3, 1, 1, -2, 4],
          [2, -1, 3, 0, 4, 4],
        ],
        2,
        2,
      ],
    },
  ];
  const seed = 801;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const [h, w, size, stride] = randomSetting(rng);
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [matrix(rng, h, w, i < 12), size, stride],
    });
  }
  return cases;
}

function poolBackCases(): CheckCase[] {
  const names = ['x', 'size', 'stride', 'dy'];
  const cases: CheckCase[] = [
    { label: 'the worked example from chapter 10, 2 × 2 windows, stride 2', names, args: [CH10_X, 2, 2, CH10_DY] },
    {
      label: 'a tie: the window 1, 5, 5, 2 with gradient 3',
      names,
      args: [
        [
          [1, 5],
          [5, 2],
        ],
        2,
        2,
        [[3]],
      ],
    },
    {
      label: 'overlapping windows: 3 × 3, stride 1 (a cell can win twice)',
      names,
      args: [
        CH10_X,
        3,
        1,
        [
          [1, 2],
          [3, 4],
        ],
      ],
    },
    {
      label: 'a map after ReLU: windows of zeros are ties',
      names,
      args: [
        RELU_MAP,
        2,
        2,
        [
          [1, -2],
          [0.5, 3],
        ],
      ],
    },
    {
      label: 'a 3 × 3 window, stride 2 on a 5 × 5 map',
      names,
      args: [
        matrix(new Rng(805), 5, 5, true),
        3,
        2,
        [
          [1, 2],
          [-1, 0.5],
        ],
      ],
    },
  ];
  const seed = 802;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const [h, w, size, stride] = randomSetting(rng);
    const x = matrix(rng, h, w, i < 12);
    const [oh, ow] = shapeOf(pool(x, size, stride).y);
    cases.push({ label: `random case ${i + 1} (seed ${seed})`, names, args: [x, size, stride, matrix(rng, oh!, ow!)] });
  }
  return cases;
}

export const maxPool: ExerciseSpec = {
  id: 'max-pool',
  chapter: 'pooling',
  title: 'Max pooling with the argmax',
  fn: 'maxPool',
  signature: 'maxPool(x: number[][], size: number, stride: number): { y: number[][]; argmax: number[][] }',
  starter: `// Max pooling of one map with size x size windows moved stride cells at a time.
// y[i][j] is the window's maximum; argmax[i][j] is where it was, as the flat index row * W + col
// into x (W = number of columns of x). On a tie keep the first maximum in reading order.
function maxPool(x: number[][], size: number, stride: number): { y: number[][]; argmax: number[][] } {
  const y: number[][] = [];
  const argmax: number[][] = [];
  // your code here
  return { y, argmax };
}

show(maxPool([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], 2, 2));
`,
  solution: `function maxPool(x: number[][], size: number, stride: number): { y: number[][]; argmax: number[][] } {
  const W = x[0].length;
  const oh = Math.floor((x.length - size) / stride) + 1;
  const ow = Math.floor((W - size) / stride) + 1;
  const y: number[][] = [];
  const argmax: number[][] = [];
  for (let i = 0; i < oh; i++) {
    y.push([]);
    argmax.push([]);
    for (let j = 0; j < ow; j++) {
      let best = -Infinity;
      let at = -1;
      for (let a = 0; a < size; a++)
        for (let b = 0; b < size; b++) {
          const r = i * stride + a;
          const c = j * stride + b;
          if (x[r][c] > best) {
            // strict '>': a tie keeps the first maximum
            best = x[r][c];
            at = r * W + c;
          }
        }
      y[i].push(best);
      argmax[i].push(at);
    }
  }
  return { y, argmax };
}

show(maxPool([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], 2, 2));
`,
  hints: [
    'The output has floor((H − size) / stride) + 1 rows, and as many columns by the same rule. Window (i, j) starts at row i·stride, column j·stride.',
    'Keep the best value and where it was while you scan the window: update both only when a value is strictly larger, so ties keep the first.',
    'The flat index of x[r][c] is r * W + c, where W = x[0].length.',
  ],
  cases: poolCases,
  reference: pool,
  mistakes: [
    {
      name: 'ties broken differently (the last maximum, not the first)',
      advice:
        'On a tie the course keeps the first maximum in reading order, like the engine and most libraries: update the best only when a value is strictly larger (>, not >=).',
      impl: (x: number[][], size: number, stride: number) => poolBy(x, size, stride, lastMax),
    },
    {
      name: 'argmax counted inside the window, not as an index into x',
      advice:
        'argmax is the flat index row * W + col of the winning cell in the whole map x, so the backward pass can find it without knowing the window.',
      impl: (x: number[][], size: number, stride: number) => poolBy(x, size, stride, firstMax, (_, p) => p),
    },
    {
      name: 'took the max without remembering where',
      advice:
        'The maxima are right but argmax is missing or wrong. Keep the position of the best value as you scan each window (the backward pass needs it to route the gradient).',
      detect: (got, expected) =>
        typeof got === 'object' && got !== null && compareValues((expected as Pooled).y, (got as Pooled).y).ok,
    },
    {
      name: 'output size off by one',
      advice:
        'A map of H rows has floor((H − size) / stride) + 1 windows down (the same across): check the floor, the +1 and the loop bounds.',
      detect: (got, expected) =>
        typeof got === 'object' &&
        got !== null &&
        offByOne(shapeOf((got as Pooled).y), shapeOf((expected as Pooled).y)),
    },
  ],
};

export const maxPoolBackward: ExerciseSpec = {
  id: 'max-pool-backward',
  chapter: 'pooling',
  title: 'Max pooling backward',
  fn: 'maxPoolBackward',
  signature: 'maxPoolBackward(x: number[][], size: number, stride: number, dy: number[][]): number[][]',
  uses: ['max-pool'],
  starter: `// dy[i][j] is the gradient of window (i, j)'s output. Return dx, shaped like x: each dy goes to
// the cell that held its window's maximum (the first one on a tie); where windows overlap, add.
// maxPool(x, size, stride) from the previous exercise is available.
function maxPoolBackward(x: number[][], size: number, stride: number, dy: number[][]): number[][] {
  const dx = x.map((row) => row.map(() => 0));
  // your code here
  return dx;
}

show(maxPoolBackward([[1, 3, 2, 0], [4, 2, 1, 1], [0, 1, 5, 6], [3, 2, 7, 1]], 2, 2, [[0.5, -1], [2, 1]]));
`,
  solution: `function maxPoolBackward(x: number[][], size: number, stride: number, dy: number[][]): number[][] {
  const W = x[0].length;
  const dx = x.map((row) => row.map(() => 0));
  const { argmax } = maxPool(x, size, stride);
  for (let i = 0; i < dy.length; i++)
    for (let j = 0; j < dy[0].length; j++) {
      const at = argmax[i][j];
      dx[Math.floor(at / W)][at % W] += dy[i][j]; // +=: overlapping windows add up
    }
  return dx;
}

show(maxPoolBackward([[1, 3, 2, 0], [4, 2, 1, 1], [0, 1, 5, 6], [3, 2, 7, 1]], 2, 2, [[0.5, -1], [2, 1]]));
`,
  hints: [
    'Only the winner of a window moved the output, so only it gets that window’s gradient; every other cell of the window gets 0 from it.',
    'Your maxPool already returns argmax; cell at = argmax[i][j] is row Math.floor(at / W), column at % W.',
    'Add, do not assign: `dx[r][c] += dy[i][j]`, because with stride < size one cell can win several windows.',
  ],
  cases: poolBackCases,
  reference: (x: number[][], size: number, stride: number, dy: number[][]) => poolBack(x, size, stride, dy),
  mistakes: [
    {
      name: 'sent the gradient to every cell of the window',
      advice:
        'Copying dy to every cell is sum pooling’s backward pass. Max pooling’s output moved only with its winner: send dy to the argmax alone.',
      impl: (x: number[][], size: number, stride: number, dy: number[][]) => poolBack(x, size, stride, dy, 'sum'),
    },
    {
      name: 'spread the gradient evenly over the window',
      advice:
        'Dividing dy among the cells is average pooling’s backward pass. For max pooling the winner gets all of it.',
      impl: (x: number[][], size: number, stride: number, dy: number[][]) => poolBack(x, size, stride, dy, 'avg'),
    },
    {
      name: "sent it to the window's top-left",
      advice:
        'Each gradient must go to the cell that held the maximum, which is rarely the window’s first cell: look it up in the argmax from the forward pass.',
      impl: (x: number[][], size: number, stride: number, dy: number[][]) =>
        backBy(x, size, stride, dy, (cells, _at, g, dx) => (dx[cells[0]!] = dx[cells[0]!]! + g)),
    },
    {
      name: 'sent the gradient to every tied maximum',
      advice:
        'A mask like x == max marks every tied cell, so a tied window’s gradient is counted several times. Pick one cell per window: the first maximum in reading order.',
      impl: (x: number[][], size: number, stride: number, dy: number[][]) =>
        backBy(x, size, stride, dy, (cells, at, g, dx) => {
          const best = Math.max(...cells.map(at));
          for (const c of cells) if (at(c) === best) dx[c] = dx[c]! + g;
        }),
    },
    {
      name: 'ties broken differently (the last maximum, not the first)',
      advice:
        'On a tie the course sends the gradient to the first maximum in reading order, as the forward pass’s argmax does. Use the argmax, or compare with > rather than >=.',
      impl: (x: number[][], size: number, stride: number, dy: number[][]) =>
        backBy(x, size, stride, dy, (cells, at, g, dx) => {
          const c = lastMax(cells, at);
          dx[c] = dx[c]! + g;
        }),
    },
    {
      name: 'overwrote instead of adding where windows overlap',
      advice:
        'With stride < size a cell can be the maximum of several windows, and it receives the sum of their gradients. Use dx[r][c] += dy[i][j], not =.',
      impl: (x: number[][], size: number, stride: number, dy: number[][]) =>
        backBy(x, size, stride, dy, (cells, at, g, dx) => (dx[firstMax(cells, at)] = g)),
    },
  ],
};

export const CH08_EXERCISES = [maxPool, maxPoolBackward];
