/** Chapter 13's wrong solutions: initialisation, momentum and Adam, batch norm, inverted dropout. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

/** heInit with the scale and the loops left open. */
const he = (
  std = 'Math.sqrt(2 / nIn)',
  fill = 'Array.from({ length: nOut }, () => Array.from({ length: nIn }, () => std * randn()))',
) => `function heInit(nIn: number, nOut: number, randn: () => number): number[][] {
  const std = ${std};
  return ${fill};
}`;

const BY_COLUMNS = `(() => {
    const w: number[][] = Array.from({ length: nOut }, () => new Array(nIn).fill(0));
    for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) w[o][i] = DRAW;
    return w;
  })()`;

/** glorotInit with the limit and the draw left open. */
const glorot = (
  limit = 'Math.sqrt(6 / (nIn + nOut))',
  draw = '(2 * rng() - 1) * limit',
  fill = 'Array.from({ length: nOut }, () => Array.from({ length: nIn }, () => DRAW))',
) => `function glorotInit(nIn: number, nOut: number, rng: () => number): number[][] {
  const limit = ${limit};
  return ${fill.replace('DRAW', draw)};
}`;

/** momentumStep with its two lines left open. */
const momentum = (
  v = 'v.map((vi, i) => beta * vi + g[i])',
  w = 'w.map((wi, i) => wi - lr * nextV[i])',
) => `function momentumStep(w: number[], g: number[], v: number[], lr: number, beta: number): { w: number[]; v: number[] } {
  const nextV = ${v};
  const nextW = ${w};
  return { w: nextW, v: nextV };
}`;

/** adamStep with the step's formula left open (mHat, sHat and the raw nextM[i], nextS[i] are in scope). */
const adam = (
  step = 'mHat / (Math.sqrt(sHat) + eps)',
) => `function adamStep(w: number[], g: number[], m: number[], s: number[], t: number, lr: number, beta1: number, beta2: number, eps: number): { w: number[]; m: number[]; s: number[] } {
  const nextM = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
  const nextS = s.map((si, i) => beta2 * si + (1 - beta2) * g[i] ** 2);
  const nextW = w.map((wi, i) => {
    const mHat = nextM[i] / (1 - Math.pow(beta1, t));
    const sHat = nextS[i] / (1 - Math.pow(beta2, t));
    return wi - lr * (${step});
  });
  return { w: nextW, m: nextM, s: nextS };
}`;

/**
 * batchNormForward with its statistics left open: `values(b, c)` lists the values one normaliser averages over for
 * image b, channel c (an array of numbers), `divisor` divides the sum of squares, `eps` is added to the variance.
 */
const bnForward = ({
  group = 'x.flatMap((img) => img[c].flat())',
  divisor = 'v.length',
  eps = 'eps',
  perPosition = false,
} = {}) => `function batchNormForward(x: number[][][][], gamma: number[], beta: number[], eps: number): { y: number[][][][]; mean: number[]; variance: number[] } {
  const stats = (b: number, c: number, i: number, j: number) => {
    const v: number[] = ${perPosition ? 'x.map((img) => img[c][i][j])' : group};
    const mu = v.reduce((s, a) => s + a, 0) / v.length;
    return { mu, variance: v.reduce((s, a) => s + (a - mu) ** 2, 0) / (${divisor}) };
  };
  const y = x.map((img, b) =>
    img.map((ch, c) =>
      ch.map((row, i) =>
        row.map((a, j) => {
          const s = stats(b, c, i, j);
          return gamma[c] * ((a - s.mu) / Math.sqrt(s.variance + ${eps})) + beta[c];
        }),
      ),
    ),
  );
  const C = x[0].length;
  const all = Array.from({ length: C }, (_, c) => stats(0, c, 0, 0));
  return { y, mean: all.map((s) => s.mu), variance: all.map((s) => s.variance) };
}`;

/** batchNormBackward with dx's bracket and dgamma left open (xh, d, meanDy, meanDyXhat in scope). */
const bnBackward = ({
  bracket = 'd - meanDy[c] - xh * meanDyXhat[c]',
  dgamma = 'd * h',
} = {}) => `function batchNormBackward(x: number[][][][], gamma: number[], dy: number[][][][], eps: number): { dx: number[][][][]; dgamma: number[]; dbeta: number[] } {
  const C = x[0].length;
  const { mean, variance } = batchNormForward(x, gamma.map(() => 1), gamma.map(() => 0), eps);
  const xhat = (a: number, c: number) => (a - mean[c]) / Math.sqrt(variance[c] + eps);
  const dgamma: number[] = [];
  const dbeta: number[] = [];
  const meanDy: number[] = [];
  const meanDyXhat: number[] = [];
  for (let c = 0; c < C; c++) {
    const pairs = x.flatMap((img, b) => img[c].flatMap((row, i) => row.map((a, j) => [dy[b][c][i][j], xhat(a, c)])));
    dbeta.push(pairs.reduce((s, [d]) => s + d, 0));
    dgamma.push(pairs.reduce((s, [d, h]) => s + ${dgamma}, 0));
    meanDy.push(dbeta[c] / pairs.length);
    meanDyXhat.push(pairs.reduce((s, [d, h]) => s + d * h, 0) / pairs.length);
  }
  const dx = x.map((img, b) =>
    img.map((ch, c) =>
      ch.map((row, i) =>
        row.map((a, j) => {
          const d = dy[b][c][i][j];
          const xh = xhat(a, c);
          return (gamma[c] / Math.sqrt(variance[c] + eps)) * (${bracket});
        }),
      ),
    ),
  );
  return { dx, dgamma, dbeta };
}`;

/** dropoutForward with the mask's rule left open (u is this value's draw, drawn only when `draws`). */
const dropout = (
  mask = 'training ? (u < p ? 0 : 1 / (1 - p)) : 1',
  draws = 'training',
) => `function dropoutForward(x: number[], p: number, training: boolean, rng: () => number): { y: number[]; mask: number[] } {
  const mask = x.map(() => {
    const u = ${draws} ? rng() : 0;
    return ${mask};
  });
  return { y: x.map((v, i) => v * mask[i]), mask };
}`;

export const CH13_WRONG: WrongSolution[] = [
  { id: 'he-init', mistake: 'used the variance as the standard deviation', source: he('2 / nIn') },
  { id: 'he-init', mistake: 'took the square root twice', source: he('Math.sqrt(Math.sqrt(2 / nIn))') },
  { id: 'he-init', mistake: 'scaled by the fan-out instead of the fan-in', source: he('Math.sqrt(2 / nOut)') },
  { id: 'he-init', mistake: 'left out the factor 2 (the scale for tanh, not ReLU)', source: he('Math.sqrt(1 / nIn)') },
  {
    id: 'he-init',
    mistake: 'shape [nIn][nOut] instead of [nOut][nIn]',
    source: he(undefined, 'Array.from({ length: nIn }, () => Array.from({ length: nOut }, () => std * randn()))'),
  },
  {
    id: 'he-init',
    mistake: 'drew the weights column by column',
    source: he(undefined, BY_COLUMNS.replace('DRAW', 'std * randn()')),
  },
  {
    id: 'glorot-init',
    mistake: 'used the standard deviation as the limit',
    source: glorot('Math.sqrt(2 / (nIn + nOut))'),
  },
  { id: 'glorot-init', mistake: 'forgot the square root', source: glorot('6 / (nIn + nOut)') },
  { id: 'glorot-init', mistake: 'did not centre the draw on 0', source: glorot(undefined, 'rng() * limit') },
  {
    id: 'glorot-init',
    mistake: 'shape [nIn][nOut] instead of [nOut][nIn]',
    source: glorot(undefined, undefined, 'Array.from({ length: nIn }, () => Array.from({ length: nOut }, () => DRAW))'),
  },
  { id: 'glorot-init', mistake: 'drew the weights column by column', source: glorot(undefined, undefined, BY_COLUMNS) },
  {
    id: 'momentum-step',
    mistake: 'learning rate applied twice (v = βv + lr·g, then w − lr·v)',
    source: momentum('v.map((vi, i) => beta * vi + lr * g[i])'),
  },
  {
    id: 'momentum-step',
    mistake: 'averaged instead of summed (v = βv + (1 − β)·g)',
    source: momentum('v.map((vi, i) => beta * vi + (1 - beta) * g[i])'),
  },
  {
    id: 'momentum-step',
    mistake: 'stepped with the old velocity',
    source: momentum(undefined, 'w.map((wi, i) => wi - lr * v[i])'),
  },
  {
    id: 'momentum-step',
    mistake: 'changed its input',
    source: `function momentumStep(w: number[], g: number[], v: number[], lr: number, beta: number): { w: number[]; v: number[] } {
  for (let i = 0; i < w.length; i++) {
    v[i] = beta * v[i] + g[i]; // in place, as an optimiser's state often is
    w[i] -= lr * v[i];
  }
  return { w, v };
}`,
  },
  { id: 'adam-step', mistake: 'no bias correction', source: adam('nextM[i] / (Math.sqrt(nextS[i]) + eps)') },
  { id: 'adam-step', mistake: 'forgot the square root of s', source: adam('mHat / (sHat + eps)') },
  { id: 'adam-step', mistake: 'eps inside the square root', source: adam('mHat / Math.sqrt(sHat + eps)') },
  {
    id: 'batchnorm',
    mistake: 'statistics per image, not per channel',
    source: bnForward({ group: 'x[b][c].flat()' }),
  },
  {
    id: 'batchnorm',
    mistake: 'statistics per position (over the batch only)',
    source: bnForward({ perPosition: true }),
  },
  { id: 'batchnorm', mistake: 'variance divided by m − 1', source: bnForward({ divisor: 'v.length - 1' }) },
  { id: 'batchnorm', mistake: 'left out eps', source: bnForward({ eps: '0' }) },
  {
    id: 'batchnorm-backward',
    mistake: 'dx without the two mean terms (the inference formula)',
    source: bnBackward({ bracket: 'd' }),
  },
  {
    id: 'batchnorm-backward',
    mistake: 'dropped the x̂ term (only the mean of dy subtracted)',
    source: bnBackward({ bracket: 'd - meanDy[c]' }),
  },
  { id: 'batchnorm-backward', mistake: 'dgamma without x̂ (Σ dy)', source: bnBackward({ dgamma: 'd' }) },
  { id: 'inverted-dropout', mistake: 'forgot to scale the survivors', source: dropout('training && u < p ? 0 : 1') },
  {
    id: 'inverted-dropout',
    mistake: 'scaled at test time instead of training time',
    source: dropout('training ? (u < p ? 0 : 1) : 1 - p'),
  },
  {
    id: 'inverted-dropout',
    mistake: 'dropped with probability 1 − p',
    source: dropout('training ? (u < p ? 1 / p : 0) : 1'),
  },
  {
    id: 'inverted-dropout',
    mistake: 'left dropout on at test time',
    source: dropout('u < p ? 0 : 1 / (1 - p)', 'true'),
  },
  {
    id: 'dropout-backward',
    mistake: 'passed the gradient through unmasked',
    source: `function dropoutBackward(dy: number[], mask: number[]): number[] {
  return [...dy];
}`,
  },
  {
    id: 'dropout-backward',
    mistake: 'used the 0/1 pattern without the scale',
    source: `function dropoutBackward(dy: number[], mask: number[]): number[] {
  return dy.map((d, i) => (mask[i] > 0 ? d : 0));
}`,
  },
];
