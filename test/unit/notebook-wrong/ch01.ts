/** Chapter 1's wrong solutions: 1D convolution, full and valid. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

export const CH01_WRONG: WrongSolution[] = [
  {
    id: 'conv1d-full',
    mistake: 'forgot to flip the kernel',
    source: `function conv1dFull(x: number[], w: number[]): number[] {
  const K = w.length;
  const y = new Array(x.length + K - 1).fill(0);
  for (let n = 0; n < y.length; n++)
    for (let j = 0; j < K; j++) {
      const i = n - (K - 1) + j;
      if (i >= 0 && i < x.length) y[n] += x[i] * w[j];
    }
  return y;
}`,
  },
  {
    id: 'conv1d-full',
    mistake: 'computed only the valid part',
    source: `function conv1dFull(x: number[], w: number[]): number[] {
  const y: number[] = [];
  for (let n = 0; n + w.length <= x.length; n++) {
    let s = 0;
    for (let j = 0; j < w.length; j++) s += x[n + j] * w[w.length - 1 - j];
    y.push(s);
  }
  return y;
}`,
  },
  {
    id: 'conv1d-full',
    mistake: 'output length off by one',
    source: `function conv1dFull(x: number[], w: number[]): number[] {
  const y = new Array(x.length + w.length - 2).fill(0);
  for (let n = 0; n < y.length; n++)
    for (let k = 0; k < x.length; k++) {
      const j = n - k;
      if (j >= 0 && j < w.length) y[n] += x[k] * w[j];
    }
  return y;
}`,
  },
  {
    id: 'conv1d-full',
    mistake: 'changed its input',
    source: `function conv1dFull(x: number[], w: number[]): number[] {
  w.reverse();
  const K = w.length;
  const y = new Array(x.length + K - 1).fill(0);
  for (let n = 0; n < y.length; n++)
    for (let j = 0; j < K; j++) {
      const i = n - (K - 1) + j;
      if (i >= 0 && i < x.length) y[n] += x[i] * w[j];
    }
  return y;
}`,
  },
  {
    id: 'conv1d-valid',
    mistake: 'forgot to flip the kernel',
    source: `function conv1dValid(x: number[], w: number[]): number[] {
  const y: number[] = [];
  for (let n = 0; n + w.length <= x.length; n++) {
    let s = 0;
    for (let j = 0; j < w.length; j++) s += x[n + j] * w[j];
    y.push(s);
  }
  return y;
}`,
  },
  {
    id: 'conv1d-valid',
    mistake: 'returned the full convolution',
    source: `function conv1dValid(x: number[], w: number[]): number[] {
  const y = new Array(x.length + w.length - 1).fill(0);
  for (let n = 0; n < y.length; n++)
    for (let k = 0; k < x.length; k++) {
      const j = n - k;
      if (j >= 0 && j < w.length) y[n] += x[k] * w[j];
    }
  return y;
}`,
  },
  {
    id: 'conv1d-valid',
    mistake: 'output length off by one',
    source: `function conv1dValid(x: number[], w: number[]): number[] {
  const y: number[] = [];
  for (let n = 0; n + w.length < x.length; n++) {
    let s = 0;
    for (let j = 0; j < w.length; j++) s += x[n + j] * w[w.length - 1 - j];
    y.push(s);
  }
  return y;
}`,
  },
];
