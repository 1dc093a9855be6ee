/** Chapter 9's wrong solutions: softmax, cross-entropy, p − y, and the dense layer forward and backward. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

const softmax = (body: string) => `function softmax(z: number[]): number[] {
${body}
}`;

const grad = (body: string) => `function softmaxCrossEntropyGrad(z: number[], label: number): number[] {
${body}
}`;

const ce = (body: string) => `function crossEntropy(p: number[], label: number): number {
  return ${body};
}`;

const DENSE_BACKWARD =
  'function denseBackward(x: number[], W: number[][], dy: number[]): { dx: number[]; dW: number[][]; db: number[] }';
const RIGHT_DX = 'x.map((_, i) => W.reduce((s, row, j) => s + row[i] * dy[j], 0))';
const RIGHT_DW = 'dy.map((g) => x.map((v) => g * v))';

export const CH09_WRONG: WrongSolution[] = [
  {
    id: 'softmax',
    mistake: 'forgot the max subtraction',
    source: softmax(`  const e = z.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);`),
  },
  {
    id: 'softmax',
    mistake: 'did not divide by the sum',
    source: softmax(`  const m = Math.max(...z);
  return z.map((v) => Math.exp(v - m));`),
  },
  {
    id: 'softmax',
    mistake: 'subtracted the max in the numerator only',
    source: softmax(`  const m = Math.max(...z);
  const s = z.reduce((a, v) => a + Math.exp(v), 0);
  return z.map((v) => Math.exp(v - m) / s);`),
  },
  {
    id: 'softmax',
    mistake: 'changed its input',
    source: softmax(`  const m = Math.max(...z);
  for (let i = 0; i < z.length; i++) z[i] = Math.exp(z[i] - m); // in place, like z -= z.max() in NumPy
  const s = z.reduce((a, b) => a + b, 0);
  return z.map((v) => v / s);`),
  },
  { id: 'cross-entropy', mistake: 'forgot the minus sign', source: ce('Math.log(p[label])') },
  { id: 'cross-entropy', mistake: 'log of the wrong entry', source: ce('-Math.log(Math.max(...p))') },
  { id: 'cross-entropy', mistake: 'log of the wrong entry', source: ce('-Math.log(p[0])') },
  {
    id: 'cross-entropy',
    mistake: 'summed −log p over every class',
    source: ce('p.reduce((s, v) => s - Math.log(v), 0)'),
  },
  {
    id: 'softmax-ce-grad',
    mistake: 'y − p (sign flipped)',
    source: grad('  return softmax(z).map((p, i) => (i === label ? 1 - p : -p));'),
  },
  {
    id: 'softmax-ce-grad',
    mistake: 'forgot the max subtraction',
    source: grad(`  const e = z.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v, i) => v / s - (i === label ? 1 : 0));`),
  },
  { id: 'softmax-ce-grad', mistake: 'returned p without subtracting y', source: grad('  return softmax(z);') },
  {
    id: 'softmax-ce-grad',
    mistake: 'subtracted 1 from the wrong entry',
    source: grad(`  const p = softmax(z);
  const predicted = p.indexOf(Math.max(...p));
  return p.map((v, i) => (i === predicted ? v - 1 : v));`),
  },
  {
    id: 'softmax-ce-grad',
    mistake: 'averaged over the classes',
    source: grad('  return softmax(z).map((p, i) => (p - (i === label ? 1 : 0)) / z.length);'),
  },
  {
    id: 'dense',
    mistake: 'W transposed (read as [in][out])',
    source: `function dense(x: number[], W: number[][], b: number[]): number[] {
  const z: number[] = [];
  for (let j = 0; j < W[0].length; j++) {
    let s = b[j];
    for (let i = 0; i < W.length; i++) s += W[i][j] * x[i];
    z.push(s);
  }
  return z;
}`,
  },
  {
    id: 'dense',
    mistake: 'forgot the bias',
    source: `function dense(x: number[], W: number[][], b: number[]): number[] {
  return W.map((row) => row.reduce((s, w, i) => s + w * x[i], 0));
}`,
  },
  {
    id: 'dense-backward',
    mistake: 'dx computed with W instead of Wᵀ',
    source: `${DENSE_BACKWARD} {
  const dx = W.map((row) => row.reduce((s, w, j) => s + w * dy[j], 0));
  return { dx, dW: ${RIGHT_DW}, db: [...dy] };
}`,
  },
  {
    id: 'dense-backward',
    mistake: 'reshaped W instead of transposing it',
    source: `${DENSE_BACKWARD} {
  const flat = W.flat(); // "reshape" W to [inputs][units]
  const units = W.length;
  const dx = x.map((_, i) => dy.reduce((s, g, j) => s + flat[i * units + j] * g, 0));
  return { dx, dW: ${RIGHT_DW}, db: [...dy] };
}`,
  },
  {
    id: 'dense-backward',
    mistake: 'dW transposed (x dyᵀ instead of dy xᵀ)',
    source: `${DENSE_BACKWARD} {
  return { dx: ${RIGHT_DX}, dW: x.map((v) => dy.map((g) => g * v)), db: [...dy] };
}`,
  },
  {
    id: 'dense-backward',
    mistake: 'summed db into one number',
    source: `${DENSE_BACKWARD} {
  return { dx: ${RIGHT_DX}, dW: ${RIGHT_DW}, db: dy.reduce((a, b) => a + b, 0) as unknown as number[] };
}`,
  },
];
