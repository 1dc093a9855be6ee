/** Chapter 6's wrong solutions: multi-channel, multi-filter convolution (built on chapter 5's conv2dPadStride). */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

const SIGNATURE =
  'function conv2dMulti(x: number[][][], w: number[][][][], b: number[], pad: number, stride: number): number[][][]';

/** Adds matrices of one shape entry by entry. */
const ADD = `function addAll(ms: number[][][]): number[][] {
  return ms[0].map((row, i) => row.map((_, j) => ms.reduce((s, m) => s + m[i][j], 0)));
}`;

/** One output channel per filter; `kernel` picks filter f's kernel for channel c, `bias` is added per entry. */
const perFilter = (kernel: string, bias: string, K = 'w.length') => `${ADD}
${SIGNATURE} {
  const y: number[][][] = [];
  for (let f = 0; f < ${K}; f++) {
    const parts = x.map((channel, c) => conv2dPadStride(channel, ${kernel}, pad, stride));
    y.push(addAll(parts).map((row) => row.map((v) => v + ${bias})));
  }
  return y;
}`;

export const CH06_WRONG: WrongSolution[] = [
  { id: 'conv2d-multi', mistake: 'forgot the bias', source: perFilter('w[f][c]', '0') },
  { id: 'conv2d-multi', mistake: 'bias added per channel (C times)', source: perFilter('w[f][c]', 'x.length * b[f]') },
  {
    id: 'conv2d-multi',
    mistake: 'weights read as [C][K] instead of [K][C]',
    source: perFilter('w[c][f]', 'b[f]', 'b.length'),
  },
  {
    id: 'conv2d-multi',
    mistake: 'summed over the wrong axis (filters instead of channels)',
    source: `${ADD}
${SIGNATURE} {
  // one output per input channel, summing what every filter made of it
  return x.map((channel, c) => {
    const parts = w.map((filter) => conv2dPadStride(channel, filter[c], pad, stride));
    return addAll(parts).map((row) => row.map((v) => v + b[0]));
  });
}`,
  },
  {
    id: 'conv2d-multi',
    mistake: 'kept every channel separately (no sum over channels)',
    source: `${SIGNATURE} {
  const y: number[][][] = [];
  for (let f = 0; f < w.length; f++)
    for (let c = 0; c < x.length; c++)
      y.push(conv2dPadStride(x[c], w[f][c], pad, stride).map((row) => row.map((v) => v + b[f])));
  return y;
}`,
  },
];
