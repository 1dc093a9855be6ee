/**
 * Chapter 13 exercise: batch normalisation's backward pass in training mode (dx with its two mean terms, dγ, dβ),
 * built on the reader's forward. Reference: the engine's batchNormBackward, on the forward exercise's inputs with a
 * seeded upstream gradient.
 */
import { batchNormBackward as engineBackward } from '../../engine/batch-norm.ts';
import { fromNested, toNested } from '../../engine/tensor.ts';
import { BN_SOURCE, forward, inputs, type X4 } from './ch13-batchnorm.ts';
import { valuesOf } from './nested.ts';
import { Rng, vector } from './random.ts';
import type { CheckCase, ExerciseSpec } from './types.ts';

function backward(x: X4, gamma: number[], dy: X4, eps: number) {
  const g = engineBackward(fromNested(x), fromNested(gamma), fromNested(dy), { eps });
  return { dx: toNested(g.dx) as X4, dgamma: valuesOf(g.dgamma), dbeta: valuesOf(g.dbeta) };
}

const backwardNames = ['x', 'gamma', 'dy', 'eps'];

function backwardCases(): CheckCase[] {
  const rng = new Rng(1342);
  return inputs(1343).map((c, i) => {
    const dy = c.x.map((img) => img.map((ch) => ch.map((row) => vector(rng, row.length, i < 8))));
    return { label: c.label, names: backwardNames, args: [c.x, c.gamma, dy, c.eps] };
  });
}

type Backward = (x: X4, gamma: number[], dy: X4, eps: number) => { dx: X4; dgamma: number[]; dbeta: number[] };

export const batchNormBackward: ExerciseSpec = {
  id: 'batchnorm-backward',
  chapter: 'training-in-practice',
  title: 'Batch normalisation, backward',
  fn: 'batchNormBackward',
  signature:
    'batchNormBackward(x: number[][][][], gamma: number[], dy: number[][][][], eps: number): { dx: number[][][][]; dgamma: number[]; dbeta: number[] }',
  uses: ['batchnorm'],
  starter: `// The training-mode layer y = batchNormForward(x, gamma, beta, eps) received dy = dL/dy.
// Per channel, over its m values: dbeta = Σ dy, dgamma = Σ dy·x̂, and
// dx = gamma / sqrt(var + eps) * (dy - mean(dy) - x̂ * mean(dy·x̂)). Your batchNormForward is available.
function batchNormBackward(x: number[][][][], gamma: number[], dy: number[][][][], eps: number): { dx: number[][][][]; dgamma: number[]; dbeta: number[] } {
  const dx: number[][][][] = [];
  const dgamma: number[] = [];
  const dbeta: number[] = [];
  // your code here
  return { dx, dgamma, dbeta };
}

${BN_SOURCE}const dy = x.map((img) => img.map((ch) => ch.map((row) => row.map((_, j) => (j === 0 ? 1 : -1)))));
show(batchNormBackward(x, [1, 1], dy, 1e-5));
`,
  solution: `function batchNormBackward(x: number[][][][], gamma: number[], dy: number[][][][], eps: number): { dx: number[][][][]; dgamma: number[]; dbeta: number[] } {
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
    dgamma.push(pairs.reduce((s, [d, h]) => s + d * h, 0));
    meanDy.push(dbeta[c] / pairs.length);
    meanDyXhat.push(dgamma[c] / pairs.length);
  }
  // the batch mean and variance depend on every x: hence the two mean terms
  const dx = x.map((img, b) =>
    img.map((ch, c) =>
      ch.map((row, i) =>
        row.map((a, j) => (gamma[c] / Math.sqrt(variance[c] + eps)) * (dy[b][c][i][j] - meanDy[c] - xhat(a, c) * meanDyXhat[c])),
      ),
    ),
  );
  return { dx, dgamma, dbeta };
}

${BN_SOURCE}const dy = x.map((img) => img.map((ch) => ch.map((row) => row.map((_, j) => (j === 0 ? 1 : -1)))));
show(batchNormBackward(x, [1, 1], dy, 1e-5));
`,
  hints: [
    'Get each channel’s mean and variance from your batchNormForward (γ = 1, β = 0 will do), and x̂ from them.',
    'Per channel: dβ = Σ dy and dγ = Σ dy·x̂ over its m = B·H·W values; their means Σ dy / m and Σ dy·x̂ / m enter dx.',
    'dx = γ/√(σ² + eps) · (dy − mean(dy) − x̂·mean(dy·x̂)). A check you can run: each channel’s dx sums to 0.',
  ],
  cases: backwardCases,
  reference: backward,
  mistakes: [
    {
      name: 'dx without the two mean terms (the inference formula)',
      advice:
        'In training μ and σ² are computed from the batch, so every x moves them too: dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)). γ/σ·dy alone is the gradient in inference mode, where the statistics are constants. A sign of this mistake: your dx does not sum to 0 per channel.',
      impl: ((x, gamma, dy, eps) => {
        const { mean, variance } = forward(x, gamma, gamma, eps);
        const running = { mean: fromNested(mean), variance: fromNested(variance) };
        const g = engineBackward(fromNested(x), fromNested(gamma), fromNested(dy), { eps, mode: 'inference', running });
        return { dx: toNested(g.dx) as X4, dgamma: valuesOf(g.dgamma), dbeta: valuesOf(g.dbeta) };
      }) as Backward,
    },
    {
      name: 'dropped the x̂ term (only the mean of dy subtracted)',
      advice:
        'The variance depends on x as well as the mean does: subtract x̂·mean(dy·x̂) too. Only the mean term comes from μ; the x̂ term is the share of σ².',
      impl: ((x, gamma, dy, eps) => {
        const right = backward(x, gamma, dy, eps);
        const { variance } = forward(x, gamma, gamma, eps);
        const m = x.length * x[0]![0]!.length * x[0]![0]![0]!.length;
        const dx = x.map((img, b) =>
          img.map((ch, c) =>
            ch.map((row, i) =>
              row.map(
                (_, j) => (gamma[c]! / Math.sqrt(variance[c]! + eps)) * (dy[b]![c]![i]![j]! - right.dbeta[c]! / m),
              ),
            ),
          ),
        );
        return { ...right, dx };
      }) as Backward,
    },
    {
      name: 'dgamma without x̂ (Σ dy)',
      advice: 'γ multiplies x̂, so its gradient is Σ dy·x̂ over the channel’s values; Σ dy alone is dβ.',
      impl: ((x, gamma, dy, eps) => {
        const right = backward(x, gamma, dy, eps);
        return { ...right, dgamma: [...right.dbeta] };
      }) as Backward,
    },
  ],
};

export const CH13_BATCHNORM_BACKWARD_EXERCISES = [batchNormBackward];
