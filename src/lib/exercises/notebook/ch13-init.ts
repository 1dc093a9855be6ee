/**
 * Chapter 13 exercises: He initialisation (normal, variance 2/nIn, for ReLU layers) and Glorot initialisation
 * (uniform on ±sqrt(6/(nIn + nOut)), variance 2/(nIn + nOut)), weights [nOut][nIn] drawn row by row from a seeded
 * source the checker passes in. The engine's initWeights draws from the same seed in the same order, so the reader's
 * weights are compared with it entry by entry; a large draw shows the variance the chapter derives.
 */
import { initWeights, type InitScheme } from '../../engine/init.ts';
import { toNested } from '../../engine/tensor.ts';
import { shapeOf } from './nested.ts';
import { Rng, between } from './random.ts';
import { rngOf, seededSource, type SeededSource } from './seeded.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

type Init = (nIn: number, nOut: number, draw: SeededSource) => number[][];

const engineInit =
  (scheme: InitScheme): Init =>
  (nIn, nOut, draw) =>
    toNested(initWeights([nOut, nIn], nIn, nOut, scheme, rngOf(draw))) as number[][];

/** Weights scale·d(draw()) filled row by row, or column by column. */
function filled(nIn: number, nOut: number, value: () => number, byColumns = false): number[][] {
  const w = Array.from({ length: nOut }, () => new Array<number>(nIn).fill(0));
  if (byColumns) for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) w[o]![i] = value();
  else for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) w[o]![i] = value();
  return w;
}

function initCases(kind: SeededSource['kind'], seed: number): CheckCase[] {
  const name = kind === 'normal' ? 'randn' : 'rng';
  const names = ['nIn', 'nOut', name];
  const c = (label: string, nIn: number, nOut: number, s: number): CheckCase => ({
    label,
    names,
    args: [nIn, nOut, seededSource(s, kind)],
  });
  const cases: CheckCase[] = [
    c('the worked example: 4 inputs, 3 units, seed 1 (the starter’s)', 4, 3, 1),
    c('a large draw: 200 inputs, 100 units (see its variance in the starter)', 200, 100, 1),
    c('more units than inputs: 3 inputs, 8 units', 3, 8, 2),
    c('a 3 × 3 conv over 3 channels: fan-in 27, 16 filters', 27, 16, 3),
    c('one input, one unit', 1, 1, 4),
  ];
  const rng = new Rng(seed);
  for (let i = 0; i < 20; i++) {
    const s = seed + i + 1;
    cases.push(c(`random case ${i + 1} (seed ${s})`, between(rng, 1, 30), between(rng, 1, 30), s));
  }
  return cases;
}

const transposedShape: Mistake = {
  name: 'shape [nIn][nOut] instead of [nOut][nIn]',
  advice:
    'A dense layer’s weights are [out][in], one row per unit (chapter 9’s W), so the result has nOut rows of nIn weights.',
  detect: (got, _e, args) => {
    const [nIn, nOut] = args as [number, number];
    const s = shapeOf(got);
    return nIn !== nOut && s[0] === nIn && s[1] === nOut;
  },
};

const byColumns = (scale: (nIn: number, nOut: number) => number, kind: 'normal' | 'uniform'): Mistake => ({
  name: 'drew the weights column by column',
  advice:
    'Draw in the order the weights are stored, row by row: w[0][0], w[0][1], …, then w[1][0]. Any order gives weights with the right statistics, but the checker compares with the engine’s draw, which fills the rows in turn.',
  impl: ((nIn, nOut, draw) => {
    const s = scale(nIn, nOut);
    return filled(nIn, nOut, () => (kind === 'normal' ? s * draw() : s * (2 * draw() - 1)), true);
  }) as Init,
});

/** A normal draw with a wrong standard deviation. */
const heWith =
  (std: (nIn: number, nOut: number) => number): Init =>
  (nIn, nOut, randn) => {
    const s = std(nIn, nOut);
    return filled(nIn, nOut, () => s * randn());
  };

export const heInit: ExerciseSpec = {
  id: 'he-init',
  chapter: 'training-in-practice',
  title: 'He initialisation',
  fn: 'heInit',
  signature: 'heInit(nIn: number, nOut: number, randn: () => number): number[][]',
  starter: `// Weights [nOut][nIn] for a ReLU layer: normal with mean 0 and variance 2 / nIn (He et al.).
// randn() returns one standard normal draw (mean 0, variance 1); draw row by row, one call per weight.
function heInit(nIn: number, nOut: number, randn: () => number): number[][] {
  const w: number[][] = [];
  // your code here
  return w;
}

const gen = new lib.Rng(1);
const randn = () => gen.normal();
show(heInit(4, 3, randn));
const big = heInit(200, 100, randn).flat();
show(big.reduce((s, v) => s + v * v, 0) / big.length); // the variance: close to 2 / 200
`,
  solution: `function heInit(nIn: number, nOut: number, randn: () => number): number[][] {
  const std = Math.sqrt(2 / nIn); // variance 2 / nIn: ReLU keeps half of the signal
  return Array.from({ length: nOut }, () => Array.from({ length: nIn }, () => std * randn()));
}

const gen = new lib.Rng(1);
const randn = () => gen.normal();
show(heInit(4, 3, randn));
const big = heInit(200, 100, randn).flat();
show(big.reduce((s, v) => s + v * v, 0) / big.length); // the variance: close to 2 / 200
`,
  hints: [
    'A standard normal draw times σ has variance σ². The variance you want is 2/nIn, so σ is its square root.',
    '`const std = Math.sqrt(2 / nIn);` then every weight is `std * randn()`.',
    '`Array.from({ length: nOut }, () => Array.from({ length: nIn }, () => std * randn()))` draws row by row.',
  ],
  cases: () => initCases('normal', 1300),
  reference: engineInit('he'),
  mistakes: [
    {
      name: 'used the variance as the standard deviation',
      advice:
        '2/nIn is the variance; the draw is scaled by the standard deviation, its square root: `Math.sqrt(2 / nIn) * randn()`. Scaling by 2/nIn gives a variance of (2/nIn)², far too small.',
      impl: heWith((nIn) => 2 / nIn),
    },
    {
      name: 'took the square root twice',
      advice: 'The standard deviation is √(2/nIn), once. Taking the root of the root gives a variance of √(2/nIn).',
      impl: heWith((nIn) => Math.sqrt(Math.sqrt(2 / nIn))),
    },
    {
      name: 'scaled by the fan-out instead of the fan-in',
      advice:
        'He’s forward rule uses the number of inputs each unit adds up, nIn: Var(z) = nIn·Var(w)·E[a²]. The fan-out belongs to the backward pass.',
      impl: heWith((_nIn, nOut) => Math.sqrt(2 / nOut)),
    },
    {
      name: 'left out the factor 2 (the scale for tanh, not ReLU)',
      advice:
        'Variance 1/nIn suits an activation that keeps the whole signal. ReLU zeroes half of it, E[a²] = Var(z)/2, and the 2 in 2/nIn puts that half back.',
      impl: heWith((nIn) => Math.sqrt(1 / nIn)),
    },
    transposedShape,
    byColumns((nIn) => Math.sqrt(2 / nIn), 'normal'),
  ],
};

/** A uniform draw on ±limit with a wrong limit. */
const glorotWith =
  (limit: (nIn: number, nOut: number) => number): Init =>
  (nIn, nOut, rng) => {
    const l = limit(nIn, nOut);
    return filled(nIn, nOut, () => (2 * rng() - 1) * l);
  };

export const glorotInit: ExerciseSpec = {
  id: 'glorot-init',
  chapter: 'training-in-practice',
  title: 'Glorot initialisation',
  fn: 'glorotInit',
  signature: 'glorotInit(nIn: number, nOut: number, rng: () => number): number[][]',
  starter: `// Weights [nOut][nIn], uniform on [-limit, limit] with limit = sqrt(6 / (nIn + nOut)) (Glorot and Bengio).
// rng() returns one uniform draw in [0, 1); draw row by row, one call per weight.
function glorotInit(nIn: number, nOut: number, rng: () => number): number[][] {
  const w: number[][] = [];
  // your code here
  return w;
}

const gen = new lib.Rng(1);
const rng = () => gen.next();
show(glorotInit(4, 3, rng));
const big = glorotInit(200, 100, rng).flat();
show(big.reduce((s, v) => s + v * v, 0) / big.length); // the variance: close to 2 / (200 + 100)
`,
  solution: `function glorotInit(nIn: number, nOut: number, rng: () => number): number[][] {
  const limit = Math.sqrt(6 / (nIn + nOut)); // a uniform on ±limit has variance limit² / 3 = 2 / (nIn + nOut)
  return Array.from({ length: nOut }, () => Array.from({ length: nIn }, () => (2 * rng() - 1) * limit));
}

const gen = new lib.Rng(1);
const rng = () => gen.next();
show(glorotInit(4, 3, rng));
const big = glorotInit(200, 100, rng).flat();
show(big.reduce((s, v) => s + v * v, 0) / big.length); // the variance: close to 2 / (200 + 100)
`,
  hints: [
    '2·rng() − 1 is uniform on [−1, 1); multiplied by the limit it is uniform on [−limit, limit).',
    'A uniform on ±l has variance l²/3, so l = √(6/(nIn + nOut)) gives the variance 2/(nIn + nOut) of the chapter.',
    '`Array.from({ length: nOut }, () => Array.from({ length: nIn }, () => (2 * rng() - 1) * limit))`',
  ],
  cases: () => initCases('uniform', 1310),
  reference: engineInit('glorot'),
  mistakes: [
    {
      name: 'used the standard deviation as the limit',
      advice:
        '√(2/(nIn + nOut)) is the standard deviation the weights should have. A uniform on ±l has standard deviation l/√3, so the limit is √3 times larger: √(6/(nIn + nOut)).',
      impl: glorotWith((nIn, nOut) => Math.sqrt(2 / (nIn + nOut))),
    },
    {
      name: 'forgot the square root',
      advice: 'The limit is √(6/(nIn + nOut)); 6/(nIn + nOut) without the root is a variance-like number, not a bound.',
      impl: glorotWith((nIn, nOut) => 6 / (nIn + nOut)),
    },
    {
      name: 'did not centre the draw on 0',
      advice:
        'rng() is in [0, 1), so rng()·limit is never negative. Weights need mean 0: use (2·rng() − 1)·limit, uniform on [−limit, limit).',
      detect: (got, expected) => {
        const g = (got as number[][]).flat();
        return g.length > 1 && g.every((v) => v >= 0) && (expected as number[][]).flat().some((v) => v < 0);
      },
    },
    transposedShape,
    byColumns((nIn, nOut) => Math.sqrt(6 / (nIn + nOut)), 'uniform'),
  ],
};

export const CH13_INIT_EXERCISES = [heInit, glorotInit];
