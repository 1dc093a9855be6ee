/**
 * Chapter 9 exercises: a numerically stable softmax, the cross-entropy −log p_y, and the gradient of softmax
 * with cross-entropy with respect to the logits, p − y. Worked examples: the chapter's logits (2, 1, 0.1), the
 * huge logits (1000, 999, 998) that break the naive recipe, and chapter 10's (2, 1, −1) with class 1.
 */
import { softmax as engineSoftmax, softmaxCrossEntropy } from '../../engine/loss.ts';
import { fromNested } from '../../engine/tensor.ts';
import { compareValues } from './compare.ts';
import { valuesOf } from './nested.ts';
import { Rng, between, vector } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

const probs = (z: number[]) => valuesOf(engineSoftmax(fromNested(z)));
const ceGrad = (z: number[], label: number) => valuesOf(softmaxCrossEntropy(fromNested([z]), [label]).dlogits);

/** exp overflows beyond about 709.78 and underflows to 0 below about −745 in float64. */
const breaksNaive = (z: number[]) => Math.max(...z) > 709 || Math.max(...z) < -745;
const nonFinite = (v: unknown) => Array.isArray(v) && v.some((x) => typeof x !== 'number' || !Number.isFinite(x));

const forgotMax = (what: string): Mistake => ({
  name: 'forgot the max subtraction',
  advice: `With logits like 1000, Math.exp overflows to Infinity and ${what} becomes Infinity / Infinity = NaN (with very negative logits, 0 / 0). Subtract the largest logit from every logit first: the result is unchanged and nothing overflows.`,
  detect: (got, _e, args) => breaksNaive(args[0] as number[]) && nonFinite(got),
});

/** Logits: small integers, reals, and some shifted far up or down so the naive recipe overflows. */
function logits(rng: Rng, i: number): number[] {
  const z = vector(rng, between(rng, 2, 10), i < 8).map((v) => v * 2);
  const shift = i % 4 === 3 ? 800 : i % 4 === 2 ? -900 : 0;
  return z.map((v) => v + shift);
}

function softmaxCases(): CheckCase[] {
  const names = ['z'];
  const c = (label: string, z: number[]): CheckCase => ({ label, names, args: [z] });
  const cases = [
    c('the worked example: z = (2, 1, 0.1)', [2, 1, 0.1]),
    c('huge logits: z = (1000, 999, 998)', [1000, 999, 998]),
    c('z = (100, 98, 95)', [100, 98, 95]),
    c('very negative logits: z = (−1000, −1001, −1002)', [-1000, -1001, -1002]),
    c('equal logits give a uniform distribution', [3, 3, 3, 3]),
    c('one logit', [5]),
    c('two classes', [0, -4]),
  ];
  const seed = 901;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) cases.push(c(`random case ${i + 1} (seed ${seed})`, logits(rng, i)));
  return cases;
}

export const softmax: ExerciseSpec = {
  id: 'softmax',
  chapter: 'fully-connected-softmax-loss',
  title: 'Stable softmax',
  fn: 'softmax',
  signature: 'softmax(z: number[]): number[]',
  starter: `// p[i] = exp(z[i]) / sum over j of exp(z[j]), computed so that logits like 1000 do not overflow.
function softmax(z: number[]): number[] {
  const p: number[] = [];
  // your code here
  return p;
}

show(softmax([2, 1, 0.1]));
show(softmax([1000, 999, 998]));
`,
  solution: `function softmax(z: number[]): number[] {
  const m = Math.max(...z); // subtracting the largest logit changes nothing and keeps exp finite
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

show(softmax([2, 1, 0.1]));
show(softmax([1000, 999, 998]));
`,
  hints: [
    'Adding the same constant to every logit does not change softmax: the factor it puts on every exponential cancels.',
    'Subtract m = Math.max(...z) from every logit before Math.exp: the largest exponential is then exactly 1, so nothing overflows and the sum is at least 1.',
    '`const e = z.map((v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s);`',
  ],
  cases: softmaxCases,
  reference: probs,
  mistakes: [
    forgotMax('each probability'),
    {
      name: 'did not divide by the sum',
      advice: 'The exponentials are not probabilities until each is divided by their sum, so that they add up to 1.',
      impl: (z: number[]) => z.map((v) => Math.exp(v - Math.max(...z))),
    },
    {
      name: 'subtracted the max in the numerator only',
      advice:
        'The shift must be the same everywhere: exp(z_i − m) / Σ_j exp(z_j − m). Shifting only the numerator multiplies every probability by exp(−m).',
      impl: (z: number[]) => {
        const m = Math.max(...z);
        const sum = z.reduce((s, v) => s + Math.exp(v), 0);
        return z.map((v) => Math.exp(v - m) / sum);
      },
    },
  ],
};

/** Probabilities for the cross-entropy cases: softmax of seeded logits (never exactly 0). */
function crossEntropyCases(): CheckCase[] {
  const names = ['p', 'label'];
  const c = (label: string, p: number[], y: number): CheckCase => ({ label, names, args: [p, y] });
  const cases = [
    c('the worked example: p = softmax(2, 1, 0.1), true class 0', probs([2, 1, 0.1]), 0),
    c('confidently wrong: p = softmax(8, 0, −2), true class 2', probs([8, 0, -2]), 2),
    c('a sure and right prediction: p = (0, 1, 0), class 1', [0, 1, 0], 1),
    c('uniform over 10 classes', new Array(10).fill(0.1), 7),
    c('two classes', [0.25, 0.75], 0),
  ];
  const seed = 902;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const z = vector(rng, between(rng, 2, 10), i < 8);
    cases.push(c(`random case ${i + 1} (seed ${seed})`, probs(z), rng.int(0, z.length)));
  }
  return cases;
}

export const crossEntropy: ExerciseSpec = {
  id: 'cross-entropy',
  chapter: 'fully-connected-softmax-loss',
  title: 'Cross-entropy loss',
  fn: 'crossEntropy',
  signature: 'crossEntropy(p: number[], label: number): number',
  starter: `// p holds the probabilities of each class (they sum to 1), label the true class.
// The cross-entropy with a one-hot target is -log of the true class's probability.
function crossEntropy(p: number[], label: number): number {
  // your code here
  return 0;
}

show(crossEntropy([0.659, 0.242, 0.099], 0)); // about softmax(2, 1, 0.1), true class 0
`,
  solution: `function crossEntropy(p: number[], label: number): number {
  return -Math.log(p[label]); // the other classes have y_i = 0 and drop out of -sum(y_i log p_i)
}

show(crossEntropy([0.659, 0.242, 0.099], 0)); // about softmax(2, 1, 0.1), true class 0
`,
  hints: [
    'L = −Σ y_i log p_i, and the one-hot target y is 1 only at the true class.',
    'So the loss is −Math.log(p[label]): the natural log, with a minus sign so that it is positive.',
  ],
  cases: crossEntropyCases,
  // The engine defines the loss on logits (softmaxCrossEntropy); on probabilities it is this one line.
  reference: (p: number[], label: number) => -Math.log(p[label]!),
  mistakes: [
    {
      name: 'forgot the minus sign',
      advice:
        'log p is negative for p < 1, so the loss is −log p_y: small when the true class is likely, large when not.',
      impl: (p: number[], label: number) => Math.log(p[label]!),
    },
    {
      name: 'log of the wrong entry',
      advice:
        'The loss reads the probability of the TRUE class, p[label], not the predicted (largest) one or the first one.',
      detect: (got, _e, args) => {
        const [p, label] = args as [number[], number];
        return p.some((v, j) => j !== label && v !== p[label] && compareValues(-Math.log(v), got).ok);
      },
    },
    {
      name: 'summed −log p over every class',
      advice:
        'With a one-hot target only the true class has y_i = 1; every other term y_i log p_i is 0. Do not add −log p_i for the other classes.',
      impl: (p: number[]) => p.reduce((s, v) => s - Math.log(v), 0),
    },
  ],
};

function gradCases(): CheckCase[] {
  const names = ['z', 'label'];
  const c = (label: string, z: number[], y: number): CheckCase => ({ label, names, args: [z, y] });
  const cases = [
    c('the worked example from chapter 10: z = (2, 1, −1), true class 1', [2, 1, -1], 1),
    c('z = (2, 1, 0.1), true class 0', [2, 1, 0.1], 0),
    c('confidently wrong: z = (8, 0, −2), true class 2', [8, 0, -2], 2),
    c('huge logits: z = (1000, 999, 998), true class 1', [1000, 999, 998], 1),
    c('two classes', [0.5, -0.5], 1),
  ];
  const seed = 903;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    const z = logits(rng, i);
    cases.push(c(`random case ${i + 1} (seed ${seed})`, z, rng.int(0, z.length)));
  }
  return cases;
}

export const softmaxCrossEntropyGrad: ExerciseSpec = {
  id: 'softmax-ce-grad',
  chapter: 'fully-connected-softmax-loss',
  title: 'The gradient p − y',
  fn: 'softmaxCrossEntropyGrad',
  signature: 'softmaxCrossEntropyGrad(z: number[], label: number): number[]',
  uses: ['softmax'],
  starter: `// The gradient of the cross-entropy of softmax(z) with respect to the logits z, for true class label.
// softmax(z) from the first exercise is available.
function softmaxCrossEntropyGrad(z: number[], label: number): number[] {
  const dz: number[] = [];
  // your code here
  return dz;
}

show(softmaxCrossEntropyGrad([2, 1, -1], 1));
`,
  solution: `function softmaxCrossEntropyGrad(z: number[], label: number): number[] {
  // p - y: predicted minus true, where y is one-hot at the true class
  return softmax(z).map((p, i) => (i === label ? p - 1 : p));
}

show(softmaxCrossEntropyGrad([2, 1, -1], 1));
`,
  hints: [
    'The softmax Jacobian and the 1/p of the logarithm cancel: ∂L/∂z_i = p_i − y_i.',
    'Compute p = softmax(z) (stable), then subtract 1 at the true class only.',
  ],
  cases: gradCases,
  reference: ceGrad,
  mistakes: [
    {
      name: 'y − p (sign flipped)',
      advice:
        'The gradient is prediction minus target, p − y: negative for the true class (gradient descent raises its logit), positive for the others.',
      impl: (z: number[], label: number) => ceGrad(z, label).map((v) => -v),
    },
    forgotMax('p'),
    {
      name: 'returned p without subtracting y',
      advice: 'softmax(z) is the prediction; the gradient subtracts the one-hot target from it: p − y.',
      impl: (z: number[]) => probs(z),
    },
    {
      name: 'subtracted 1 from the wrong entry',
      advice: 'y is 1 at the true class: subtract 1 from p[label] only.',
      detect: (got, _e, args) => {
        const [z, label] = args as [number[], number];
        const p = probs(z);
        return p.some(
          (_, j) =>
            j !== label &&
            compareValues(
              p.map((v, i) => (i === j ? v - 1 : v)),
              got,
            ).ok,
        );
      },
    },
    {
      name: 'averaged over the classes',
      advice:
        'Dividing by the number of classes is a mean over the wrong axis: for one example the gradient is p − y as it is (a batch of B examples with a mean loss divides by B, not by the number of classes).',
      impl: (z: number[], label: number) => ceGrad(z, label).map((v) => v / z.length),
    },
  ],
};

export const CH09_LOSS_EXERCISES = [softmax, crossEntropy, softmaxCrossEntropyGrad];
