/**
 * Bad input anywhere in the engine gets an EngineError with a sentence a learner can read: unknown options,
 * missing arguments, out-of-range indices, and finite inputs whose result overflows float64. Never a TypeError,
 * a RangeError or a silent NaN.
 */
import { describe, expect, test } from 'vitest';
import {
  EngineError,
  Rng,
  SGD,
  Sequential,
  activate,
  activateBackward,
  activations,
  argmaxRows,
  avgPool2d,
  conv1d,
  conv1dBackward,
  conv1dLength,
  conv2d,
  conv2dBackward,
  conv2dBatch,
  conv2dBatchBackward,
  dense,
  denseBackward,
  gather,
  gradCheck,
  leakyRelu,
  leakyReluBackward,
  pool2dBackward,
  pool2dBatch,
  pool2dBatchBackward,
  randomTensor,
  relu,
  softmaxCrossEntropy,
  squaredError,
  sumPool2d,
  tensor,
  trainEpoch,
  type Conv1dMode,
  type Tensor,
} from '../../src/lib/index.ts';

/** Casts for deliberately wrong calls: what a widget might pass when a field is empty or mistyped. */
const bad = <T>(v: unknown): T => v as T;

interface BadCase {
  name: string;
  call: () => unknown;
  message: RegExp;
}

function expectEngineError(call: () => unknown, message: RegExp): void {
  let thrown: unknown = null;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a throw, but the call returned').not.toBeNull();
  expect(thrown, `threw ${String(thrown)}`).toBeInstanceOf(EngineError);
  expect((thrown as EngineError).message).toMatch(message);
}

const x155 = (): Tensor => tensor([1, 5, 5]);
const model = (): Sequential =>
  new Sequential([1, 4, 4], [{ type: 'flatten' }, { type: 'dense', units: 2 }], { seed: 1 });
const OVERFLOW = /the result overflows \(values beyond ±1\.8e308\); use smaller inputs or weights\./;
const overflow = (name: string): RegExp => new RegExp(`^${name}: ${OVERFLOW.source}`);

const options: BadCase[] = [
  {
    name: "conv1d mode 'bogus'",
    call: () => conv1d([1, 2, 3], [1, 1], { mode: bad<Conv1dMode>('bogus') }),
    message: /The mode must be 'full', 'same' or 'valid', got bogus\./,
  },
  {
    name: "conv1d kind 'bogus'",
    call: () => conv1d([1, 2, 3], [1, 2], { kind: bad('bogus') }),
    message: /kind must be 'convolution' or 'cross-correlation', got bogus\./,
  },
  {
    name: "conv1dBackward mode 'Valid' (wrong case)",
    call: () => conv1dBackward([1, 2, 3], [1, 1], [1, 1], { mode: bad('Valid') }),
    message: /The mode must be/,
  },
  {
    name: "conv1dBackward kind 'correlation'",
    call: () => conv1dBackward([1, 2, 3], [1, 1], [1, 1, 1, 1], { kind: bad('correlation') }),
    message: /kind must be/,
  },
  {
    name: 'conv1dLength n=2.5',
    call: () => conv1dLength(2.5, 1, 'full'),
    message: /The input length must be a whole number, got 2\.5\./,
  },
  { name: 'conv1dLength n=-3', call: () => conv1dLength(-3, 1, 'same'), message: /input length must be at least 1/ },
  { name: 'conv1dLength k=NaN', call: () => conv1dLength(5, NaN, 'full'), message: /kernel length must be a whole/ },
  { name: "conv1dLength mode 'bogus'", call: () => conv1dLength(5, 2, bad('bogus')), message: /The mode must be/ },
];

const missing: BadCase[] = [
  { name: 'conv1d(null, [1])', call: () => conv1d(bad(null), [1]), message: /input x must be a list of numbers/ },
  { name: 'conv1d([1], undefined)', call: () => conv1d([1], bad(undefined)), message: /kernel w must be a list/ },
  {
    name: 'conv1dBackward dy null',
    call: () => conv1dBackward([1, 2], [1], bad(null)),
    message: /output gradient dy must be a list of numbers/,
  },
  { name: 'activate(null)', call: () => activate(bad(null), 'relu'), message: /input x must be a tensor/ },
  { name: 'relu(undefined)', call: () => relu(bad(undefined)), message: /input x must be a tensor/ },
  {
    name: "activateBackward(x, 'tanh', null)",
    call: () => activateBackward(tensor([2]), 'tanh', bad(null)),
    message: /output gradient dy must be a tensor/,
  },
  {
    name: 'squaredError(null, null)',
    call: () => squaredError(bad(null), bad(null)),
    message: /output must be a tensor/,
  },
  {
    name: 'new Sequential(shape, layers) without options',
    call: () => new Sequential([1, 4, 4], [{ type: 'flatten' }], bad(undefined)),
    message: /needs options with a seed, e\.g\. \{ seed: 1 \}/,
  },
  {
    name: 'trainEpoch(...) without options',
    call: () => trainEpoch(model(), new SGD(0.1), tensor([2, 1, 4, 4]), [0, 1], bad(undefined)),
    message: /trainEpoch needs options \{ batchSize, rng \}/,
  },
  {
    name: 'trainEpoch without an rng',
    call: () => trainEpoch(model(), new SGD(0.1), tensor([2, 1, 4, 4]), [0, 1], bad({ batchSize: 2 })),
    message: /needs a seeded Rng/,
  },
  {
    name: 'gradCheck({ a: null }, ...)',
    call: () => gradCheck({ a: bad(null) }, () => 1, { a: tensor([1]) }),
    message: /The parameter "a" must be a tensor/,
  },
  {
    name: 'gradCheck with a null analytic gradient',
    call: () => gradCheck({ a: tensor([1]) }, () => 1, { a: bad(null) }),
    message: /The gradient of "a" must be a tensor/,
  },
  {
    name: 'tensor([1e9, 1e9]) (was a RangeError)',
    call: () => tensor([1e9, 1e9]),
    message: /Shape \[1000000000, 1000000000\] has .* values, more than one tensor may hold/,
  },
];

const ranges: BadCase[] = [
  {
    name: 'gather index 7 of 2 examples',
    call: () => gather(tensor([2, 1, 1, 1], [5, 6]), [0, 7]),
    message: /Index 1 is 7; indices must be whole numbers from 0 to 1\./,
  },
  { name: 'gather index -1', call: () => gather(tensor([2, 1], [5, 6]), [-1]), message: /Index 0 is -1/ },
  { name: 'gather index 0.5', call: () => gather(tensor([2, 1], [5, 6]), [0.5]), message: /Index 0 is 0\.5/ },
  {
    name: 'argmaxRows with NaN',
    call: () => argmaxRows(tensor([1, 2], [NaN, 1])),
    message: /contains NaN at flat index 0/,
  },
  {
    name: 'Rng.uniform(NaN, 1)',
    call: () => new Rng(1).uniform(NaN, 1),
    message: /bounds of a uniform draw must be finite numbers, got lo = NaN and hi = 1/,
  },
  {
    name: 'Rng.uniform(-1e308, 1e308): hi - lo overflows',
    call: () => new Rng(1).uniform(-1e308, 1e308),
    message: /bounds of a uniform draw must be finite/,
  },
  {
    name: 'randomTensor(shape, rng, NaN)',
    call: () => randomTensor([2], new Rng(1), NaN),
    message: /bounds of a uniform draw must be finite/,
  },
  {
    name: 'randomTensor(shape, rng, 0, Infinity)',
    call: () => randomTensor([2], new Rng(1), 0, Infinity),
    message: /hi = Infinity/,
  },
  {
    name: 'pool2dBatchBackward argmax 99 on a 2x2 input',
    call: () =>
      pool2dBatchBackward(
        tensor([1, 1, 2, 2], [1, 2, 3, 4]),
        'max',
        { size: 2 },
        tensor([1, 1, 1, 1], [1]),
        Int32Array.from([99]),
      ),
    message: /argmax\[0\] is 99, which is not a cell of its pooling window/,
  },
  {
    name: "pool2dBatchBackward argmax inside the input but in the neighbour's window",
    call: () =>
      pool2dBatchBackward(
        tensor([1, 1, 2, 4]),
        'max',
        { size: 2 },
        tensor([1, 1, 1, 2], [1, 1]),
        Int32Array.from([0, 1]),
      ),
    message: /argmax\[1\] is 1, which is not a cell of its pooling window/,
  },
  {
    name: 'pool2dBatchBackward argmax of the wrong length',
    call: () =>
      pool2dBatchBackward(tensor([1, 1, 2, 4]), 'max', { size: 2 }, tensor([1, 1, 1, 2], [1, 1]), Int32Array.from([0])),
    message: /The argmax must have one entry per output \(2\), got 1/,
  },
];

const overflows: BadCase[] = [
  { name: 'conv1d', call: () => conv1d([1e308, 1e308], [10, -10]), message: overflow('conv1d') },
  {
    name: 'conv1dBackward (forward finite, dx = 10 * 1e308)',
    call: () => conv1dBackward([1, 0], [1e308], [10, 0]),
    message: overflow('conv1dBackward'),
  },
  {
    name: 'conv2d x=[1e308,1e308] w=[10,-10] (was NaN)',
    call: () => conv2d(tensor([1, 1, 2], [1e308, 1e308]), tensor([1, 1, 1, 2], [10, -10]), null),
    message: overflow('conv2d'),
  },
  {
    name: 'conv2dBatch',
    call: () => conv2dBatch(tensor([1, 1, 1, 2], [1e308, 1e308]), tensor([1, 1, 1, 2], [10, -10]), null),
    message: overflow('conv2dBatch'),
  },
  {
    name: 'conv2dBackward (dx = 10 * 1e308)',
    call: () => conv2dBackward(tensor([1, 1, 1], [1]), tensor([1, 1, 1, 1], [1e308]), tensor([1, 1, 1], [10])),
    message: overflow('conv2dBackward'),
  },
  {
    name: 'conv2dBatchBackward (dw sums 2 x 1e308)',
    call: () =>
      conv2dBatchBackward(
        tensor([2, 1, 1, 1], [1e308, 1e308]),
        tensor([1, 1, 1, 1], [1e-308]),
        tensor([2, 1, 1, 1], [1, 1]),
      ),
    message: overflow('conv2dBatchBackward'),
  },
  {
    name: 'dense x=[1e308,1e308] w=[10,-10] (was NaN)',
    call: () => dense(tensor([1, 2], [1e308, 1e308]), tensor([1, 2], [10, -10]), null),
    message: overflow('dense'),
  },
  {
    name: 'denseBackward (dx = 10 * 1e308)',
    call: () => denseBackward(tensor([1, 1], [1]), tensor([1, 1], [1e308]), tensor([1, 1], [10])),
    message: overflow('denseBackward'),
  },
  {
    name: 'avgPool2d over [1e308, 1e308] (the sum overflows)',
    call: () => avgPool2d(tensor([1, 1, 2], [1e308, 1e308]), { size: [1, 2] }),
    message: overflow('pool2d'),
  },
  {
    name: 'sumPool2d',
    call: () => sumPool2d(tensor([1, 1, 2], [1e308, 1e308]), { size: [1, 2] }),
    message: overflow('pool2d'),
  },
  {
    name: 'pool2dBatch sum',
    call: () => pool2dBatch(tensor([1, 1, 1, 2], [1e308, 1e308]), 'sum', { size: [1, 2] }),
    message: overflow('pool2dBatch'),
  },
  {
    name: 'pool2dBackward: two overlapping windows route 1e308 each to one argmax',
    call: () =>
      pool2dBackward(
        tensor([1, 1, 3], [0, 1, 0]),
        'max',
        { size: [1, 2], stride: 1 },
        tensor([1, 1, 2], [1e308, 1e308]),
      ),
    message: overflow('pool2dBackward'),
  },
  {
    name: 'softmaxCrossEntropy([1e308, -1e308], [1]) (was Infinity)',
    call: () => softmaxCrossEntropy(tensor([1, 2], [1e308, -1e308]), [1]),
    message: overflow('softmaxCrossEntropy'),
  },
  {
    name: 'squaredError 1e308 vs -1e308',
    call: () => squaredError(tensor([1], [1e308]), tensor([1], [-1e308])),
    message: overflow('squaredError'),
  },
  {
    name: 'leakyRelu with slope 10 at -1e308',
    call: () => leakyRelu(tensor([1], [-1e308]), 10),
    message: overflow('leakyRelu'),
  },
  {
    name: 'leakyReluBackward with slope 10',
    call: () => leakyReluBackward(tensor([1], [-1]), tensor([1], [1e308]), 10),
    message: overflow('leakyReluBackward'),
  },
];

describe('bad input throws EngineError with a readable message', () => {
  describe('unknown options and bad lengths', () => {
    test.each(options)('$name', ({ call, message }) => expectEngineError(call, message));
  });
  describe('null, undefined and missing arguments', () => {
    test.each(missing)('$name', ({ call, message }) => expectEngineError(call, message));
  });
  describe('indices, bounds and argmax out of range', () => {
    test.each(ranges)('$name', ({ call, message }) => expectEngineError(call, message));
  });
  describe('finite inputs whose result overflows float64', () => {
    test.each(overflows)('$name', ({ call, message }) => expectEngineError(call, message));
  });
});

describe('what still works', () => {
  test("pool2dBatchBackward accepts the forward pass's own argmax and gives the recomputed result", () => {
    const x = randomTensor([2, 3, 6, 6], new Rng(5));
    const { y, argmax } = pool2dBatch(x, 'max', { size: 3, stride: 2, padding: 1 });
    const dy = randomTensor(y.shape, new Rng(6));
    const opts = { size: 3, stride: 2, padding: 1 };
    expect(pool2dBatchBackward(x, 'max', opts, dy, argmax).data).toEqual(pool2dBatchBackward(x, 'max', opts, dy).data);
  });
  test('conv2d with null options uses the defaults; x=[1,5,5] k=[1,1,3,3] gives [1,3,3]', () => {
    expect(conv2d(x155(), tensor([1, 1, 3, 3]), null, bad(null)).shape).toEqual([1, 3, 3]);
  });
  test('large but representable results pass: dense 1e307 * 10 = 1e308', () => {
    const y = dense(tensor([1], [1e307]), tensor([1, 1], [10]), null).data[0]!;
    expect(Math.abs(y - 1e308) / 1e308).toBeLessThan(1e-15);
  });
  test('the activations table is the unchecked scalar kernel (f(NaN) is NaN); the tensor wrappers check', () => {
    expect(activations.sigmoid.f(NaN)).toBeNaN();
    expectEngineError(() => activate(tensor([1], [NaN]), 'sigmoid'), /contains NaN/);
  });
});
