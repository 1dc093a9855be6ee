import { renderTex } from './katex-lazy.ts';
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
  /** PyTorch's pooling ceil_mode: round up, then drop a last window that would start in the right padding. */
  ceil?: boolean;
}

/**
 * out = floor((i + 2p - d(k-1) - 1)/s) + 1, first in symbols, then with the numbers, then worked out.
 * Asymmetric padding (TensorFlow's 'same') writes p_b + p_a (zeros before and after) instead of 2p.
 * In ceil mode the brackets are ceilings, and a last line subtracts the window PyTorch drops when it would start in
 * the right padding.
 */
export function outputSizeTex(a: AxisSetting, r: OutputSizeResult): string {
  const sym = a.before === a.after;
  const padSym = sym ? '2p' : 'p_b + p_a';
  const padNum = sym ? `2 \\cdot ${a.before}` : `${a.before} + ${a.after}`;
  const num = r.paddedInput - r.effectiveKernel;
  const ceil = a.ceil === true;
  const q = ceil ? Math.ceil(num / a.stride) : Math.floor(num / a.stride);
  const [open, close] = ceil ? ['\\lceil', '\\rceil'] : ['\\lfloor', '\\rfloor'];
  const roundNote = r.exact ? `${q}` : `${open} ${tex(num / a.stride)} ${close} = ${q}`;
  const dropped = q + 1 > r.size;
  const last = dropped ? `= ${q + 1} \\\\ &\\quad - 1 \\text{ (dropped)} = ${r.size}` : `= ${r.size}`;
  return (
    `\\begin{aligned} o &= \\left${open} \\frac{i + ${padSym} - d(k-1) - 1}{s} \\right${close} + 1 \\\\ ` +
    `&= \\left${open} \\frac{${a.input} + ${padNum} - ${a.dilation}\\cdot(${a.kernel}-1) - 1}{${a.stride}} \\right${close} + 1 \\\\ ` +
    `&= \\left${open} \\frac{${num}}{${a.stride}} \\right${close} + 1 = ${roundNote} + 1 ${last} \\end{aligned}`
  );
}

/**
 * The dilation-free short form the literature quotes: (i - k + 2p)/s + 1 = out (floor brackets when inexact,
 * ceiling brackets in ceil mode).
 */
export function shortFormTex(a: AxisSetting, r: OutputSizeResult): string {
  const pad = a.before === a.after ? `2 \\cdot ${a.before}` : `${a.before} + ${a.after}`;
  const padPart = a.before + a.after === 0 ? '' : a.before === a.after && a.before === 1 ? ' + 2' : ` + ${pad}`;
  const frac = `(${a.input} - ${a.kernel}${padPart})/${a.stride}`;
  const [open, close] = a.ceil ? ['\\lceil', '\\rceil'] : ['\\lfloor', '\\rfloor'];
  const rounded = r.exact ? frac : `${open} ${frac} ${close}`;
  const q = (a.ceil ? Math.ceil : Math.floor)((r.paddedInput - r.effectiveKernel) / a.stride);
  return q + 1 > r.size ? `${rounded} + 1 - 1 = ${r.size}` : `${rounded} + 1 = ${r.size}`;
}

/**
 * The transposed convolution's size with these numbers (Dumoulin & Visin 2016): (i − 1)·s − p_b − p_a + d(k − 1) + 1
 * + a = out, written as the literature's (i − 1)·s − 2p + k (+ a) when there is no dilation and the padding is even.
 */
export function transposedShortTex(a: AxisSetting, outputPadding: number, size: number): string {
  const pad =
    a.before + a.after === 0 ? '' : a.before === a.after ? ` - 2 \\cdot ${a.before}` : ` - ${a.before} - ${a.after}`;
  const span = a.dilation === 1 ? ` + ${a.kernel}` : ` + ${a.dilation} \\cdot (${a.kernel} - 1) + 1`;
  const extra = outputPadding ? ` + ${outputPadding}` : '';
  return `(${a.input} - 1) \\cdot ${a.stride}${pad}${span}${extra} = ${size}`;
}

/** KaTeX HTML plus MathML, so screen readers get the formula too. */
export function texHtml(src: string, display: boolean): string {
  return renderTex(src, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
}
