/** Chapter 10's wrong solutions: conv backward (dW, dX) and the numerical gradient check. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

/** dX as a learner builds it: pad dy by `pad` (rows) and `padC` (columns) on each side, correlate with `kernel`. */
const gradX = (
  kernel: string,
  pad = 'w.length - 1',
  padC = 'w[0].length - 1',
) => `function conv2dGradX(w: number[][], dy: number[][]): number[][] {
  const ph = ${pad};
  const pw = ${padC};
  const padded: number[][] = Array.from({ length: dy.length + 2 * ph }, () => new Array(dy[0].length + 2 * pw).fill(0));
  for (let i = 0; i < dy.length; i++) for (let j = 0; j < dy[0].length; j++) padded[i + ph][j + pw] = dy[i][j];
  return corr2d(padded, ${kernel});
}`;

const ROTATED = 'w.map((row) => [...row].reverse()).reverse()';

/** A gradient check as a learner writes it, with the numerical gradient, restore step and error left open. */
const check = ({
  numerical = '(plus - minus) / (2 * eps)',
  minus = 'x[i] = original - eps;\n    const minus = f(x);',
  restore = 'x[i] = original;',
  error = 'Math.max(Math.abs(grad[i]), Math.abs(n)) === 0 ? 0 : Math.abs(grad[i] - n) / Math.max(Math.abs(grad[i]), Math.abs(n))',
} = {}) => `function gradCheck(f: (x: number[]) => number, grad: number[], x: number[], eps = 1e-5): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const original = x[i];
    x[i] = original + eps;
    const plus = f(x);
    ${minus}
    ${restore}
    const n = ${numerical};
    worst = Math.max(worst, ${error});
  }
  return worst;
}`;

export const CH10_WRONG: WrongSolution[] = [
  {
    id: 'conv2d-grad-w',
    mistake: 'rotated dy (a true convolution instead of a cross-correlation)',
    source: `function conv2dGradW(x: number[][], dy: number[][]): number[][] {
  return corr2d(x, dy.map((row) => [...row].reverse()).reverse());
}`,
  },
  {
    id: 'conv2d-grad-w',
    mistake: 'swapped x and dy',
    source: `function conv2dGradW(x: number[][], dy: number[][]): number[][] {
  return corr2d(dy, x);
}`,
  },
  {
    id: 'conv2d-grad-w',
    mistake: 'wrong output size',
    source: `function conv2dGradW(x: number[][], dy: number[][]): number[][] {
  const kh = x.length - dy.length; // the +1 is missing
  const kw = x[0].length - dy[0].length;
  const dW: number[][] = [];
  for (let a = 0; a < kh; a++) {
    dW.push([]);
    for (let b = 0; b < kw; b++) {
      let s = 0;
      for (let i = 0; i < dy.length; i++) for (let j = 0; j < dy[0].length; j++) s += dy[i][j] * x[i + a][j + b];
      dW[a].push(s);
    }
  }
  return dW;
}`,
  },
  { id: 'conv2d-grad-x', mistake: 'forgot the 180° rotation', source: gradX('w') },
  {
    id: 'conv2d-grad-x',
    mistake: 'did not pad dy (valid instead of full)',
    source: `function conv2dGradX(w: number[][], dy: number[][]): number[][] {
  return corr2d(dy, ${ROTATED});
}`,
  },
  { id: 'conv2d-grad-x', mistake: 'wrong output size', source: gradX(ROTATED, 'w.length', 'w[0].length') },
  {
    id: 'grad-check',
    mistake: 'one-sided difference',
    source: check({
      minus: 'const minus = 0;',
      numerical: '(plus - f(x.map((v, j) => (j === i ? original : v)))) / eps',
    }),
  },
  {
    id: 'grad-check',
    mistake: 'forgot to restore x[i] after perturbing',
    source: check({ restore: '' }),
  },
  {
    id: 'grad-check',
    mistake: 'divided by eps instead of 2·eps',
    source: check({ numerical: '(plus - minus) / eps' }),
  },
  {
    id: 'grad-check',
    mistake: 'absolute instead of relative error',
    source: check({ error: 'Math.abs(grad[i] - n)' }),
  },
  {
    id: 'grad-check',
    mistake: 'divided 0 by 0 where both gradients are 0',
    source: check({ error: 'Math.abs(grad[i] - n) / Math.max(Math.abs(grad[i]), Math.abs(n))' }),
  },
];
