import katex from 'katex';
import type { OutputSizeResult } from '../../src/lib/index.ts';
import { tex } from './format.ts';

/** The numbers behind one axis of a sliding window. */
export interface AxisSetting {
  input: number;
  kernel: number;
  before: number;
  after: number;
  stride: number;
  dilation: number;
}

/**
 * out = floor((i + 2p - d(k-1) - 1)/s) + 1, first in symbols, then with the numbers, then worked out.
 * Asymmetric padding (TensorFlow's 'same') writes p_b + p_a (zeros before and after) instead of 2p.
 */
export function outputSizeTex(a: AxisSetting, r: OutputSizeResult): string {
  const sym = a.before === a.after;
  const padSym = sym ? '2p' : 'p_b + p_a';
  const padNum = sym ? `2 \\cdot ${a.before}` : `${a.before} + ${a.after}`;
  const num = r.paddedInput - r.effectiveKernel;
  const q = Math.floor(num / a.stride);
  const floorNote = r.exact ? `${q}` : `\\lfloor ${tex(num / a.stride)} \\rfloor = ${q}`;
  return (
    `\\begin{aligned} o &= \\left\\lfloor \\frac{i + ${padSym} - d(k-1) - 1}{s} \\right\\rfloor + 1 \\\\ ` +
    `&= \\left\\lfloor \\frac{${a.input} + ${padNum} - ${a.dilation}\\cdot(${a.kernel}-1) - 1}{${a.stride}} \\right\\rfloor + 1 \\\\ ` +
    `&= \\left\\lfloor \\frac{${num}}{${a.stride}} \\right\\rfloor + 1 = ${floorNote} + 1 = ${r.size} \\end{aligned}`
  );
}

/** The dilation-free short form the literature quotes: (i - k + 2p)/s + 1 = out (floor brackets when inexact). */
export function shortFormTex(a: AxisSetting, r: OutputSizeResult): string {
  const pad = a.before === a.after ? `2 \\cdot ${a.before}` : `${a.before} + ${a.after}`;
  const padPart = a.before + a.after === 0 ? '' : a.before === a.after && a.before === 1 ? ' + 2' : ` + ${pad}`;
  const frac = `(${a.input} - ${a.kernel}${padPart})/${a.stride}`;
  return `${r.exact ? frac : `\\lfloor ${frac} \\rfloor`} + 1 = ${r.size}`;
}

/** KaTeX HTML plus MathML, so screen readers get the formula too. */
export function texHtml(src: string, display: boolean): string {
  return katex.renderToString(src, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
}
