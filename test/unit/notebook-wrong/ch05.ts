/** Chapter 5's wrong solutions: the output-size formula and a padded, strided 2D convolution. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

const size = (body: string) => `function outputSize(n: number, k: number, p: number, s: number, d: number): number {
  return ${body};
}`;

/**
 * A learner's padded, strided cross-correlation; `place` is where x[i][j] goes in the padded copy, `size` the
 * padded size, `at` the input index of output i and kernel row m, `kernel` the weight.
 */
function padStride({
  place = 'xp[i + pad][j + pad]',
  size = '2 * pad',
  row = 'i * stride + m',
  col = 'j * stride + n',
  kernel = 'k[m][n]',
  rows = 'Math.floor((H - kh) / stride) + 1',
} = {}): string {
  return `function conv2dPadStride(x: number[][], k: number[][], pad: number, stride: number): number[][] {
  const H = x.length + ${size};
  const W = x[0].length + ${size};
  const xp: number[][] = Array.from({ length: H }, () => new Array(W).fill(0));
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x[0].length; j++) ${place} = x[i][j];
  const kh = k.length;
  const kw = k[0].length;
  const y: number[][] = [];
  for (let i = 0; i < ${rows}; i++) {
    const out: number[] = [];
    for (let j = 0; j < Math.floor((W - kw) / stride) + 1; j++) {
      let s = 0;
      for (let m = 0; m < kh; m++) for (let n = 0; n < kw; n++) s += xp[${row}][${col}] * ${kernel};
      out.push(s);
    }
    y.push(out);
  }
  return y;
}`;
}

export const CH05_WRONG: WrongSolution[] = [
  { id: 'output-size', mistake: 'float output size (no floor)', source: size('(n + 2 * p - d * (k - 1) - 1) / s + 1') },
  { id: 'output-size', mistake: 'forgot the +1', source: size('Math.floor((n + 2 * p - d * (k - 1) - 1) / s)') },
  {
    id: 'output-size',
    mistake: "forgot dilation's effective kernel",
    source: size('Math.floor((n + 2 * p - k) / s) + 1'),
  },
  {
    id: 'output-size',
    mistake: 'padding on one side only',
    source: size('Math.floor((n + p - d * (k - 1) - 1) / s) + 1'),
  },
  {
    id: 'output-size',
    mistake: 'rounded instead of taking the floor',
    source: size('Math.round((n + 2 * p - d * (k - 1) - 1) / s) + 1'),
  },
  {
    id: 'output-size',
    mistake: 'rounded instead of taking the floor',
    source: size('Math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1'),
  },
  {
    id: 'conv2d-pad-stride',
    mistake: 'padding on one side only',
    source: padStride({ place: 'xp[i + pad][j + pad]', size: 'pad' }),
  },
  {
    id: 'conv2d-pad-stride',
    mistake: 'padding on one side only',
    source: padStride({ place: 'xp[i][j]', size: 'pad' }),
  },
  {
    id: 'conv2d-pad-stride',
    mistake: 'stride applied to the input index wrongly',
    source: padStride({ row: 'i + m', col: 'j + n' }),
  },
  { id: 'conv2d-pad-stride', mistake: 'forgot to pad', source: padStride({ place: 'xp[i][j]', size: '0' }) },
  {
    id: 'conv2d-pad-stride',
    mistake: 'flipped the kernel',
    source: padStride({ kernel: 'k[kh - 1 - m][kw - 1 - n]' }),
  },
  {
    id: 'conv2d-pad-stride',
    mistake: 'output size off by one',
    source: padStride({ rows: 'Math.floor((H - kh) / stride)' }),
  },
];
