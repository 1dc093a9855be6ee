import { renderTex } from '../internal/katex-lazy.ts';
import type { Conv1dResult, Conv1dStep } from '../../src/lib/index.ts';
import { esc, fmt, tex } from '../internal/format.ts';
import type { Stepper1dState } from './state.ts';

/**
 * Renders the stepper's stage (input, sliding kernel, products, outputs and the formula) as an HTML string.
 * The same function runs at build time (the static first step) and in the browser, so both always agree.
 */
export function renderStage(state: Stepper1dState, result: Conv1dResult): string {
  const { x } = state;
  const K = result.slidingKernel.length;
  const step = result.steps[state.step]!;
  const first = result.steps[0]!.offset;
  const last = result.steps[result.steps.length - 1]!.offset;
  const lo = Math.min(0, first);
  const hi = Math.max(x.length - 1, last + K - 1);
  const cols: number[] = [];
  for (let i = lo; i <= hi; i++) cols.push(i);
  const byInput = new Map(step.terms.map((t) => [t.inputIndex, t]));
  const kernelLetter = state.kind === 'convolution' ? 'flipped kernel' : 'kernel';

  const rowIndex = cols.map((i) => `<td class="idx">${i >= 0 && i < x.length ? i : ''}</td>`).join('');
  const rowX = cols
    .map((i) =>
      i >= 0 && i < x.length
        ? cellTd(fmt(x[i]!), byInput.has(i) ? 'x on' : 'x')
        : '<td class="pad" title="outside the input: counts as 0">0</td>',
    )
    .join('');
  const rowW = cols
    .map((i) => {
      const j = i - step.offset;
      if (j < 0 || j >= K) return '<td class="empty"></td>';
      const kIndex = state.kind === 'convolution' ? K - 1 - j : j;
      return `<td class="cell w"><span>${fmt(result.slidingKernel[j]!)}</span><sub>w[${kIndex}]</sub></td>`;
    })
    .join('');
  const rowP = cols
    .map((i) => {
      const t = byInput.get(i);
      if (t) return cellTd(fmt(t.product), 'p');
      const j = i - step.offset;
      return j >= 0 && j < K
        ? '<td class="pad" title="kernel over padding: contributes 0">·</td>'
        : '<td class="empty"></td>';
    })
    .join('');

  const outputs = result.y
    .map((v, n) => {
      const cls = n === state.step ? 'y on' : n < state.step ? 'y done' : 'y todo';
      const shown = n <= state.step ? fmt(v) : '?';
      return `<li class="${cls}"><span class="cell">${shown}</span><sub>y[${n}]</sub></li>`;
    })
    .join('');

  return `
<div class="track" role="img" aria-label="${esc(describeStep(state, result))}">
<table class="lanes">
<tbody>
<tr><th scope="row">i</th>${rowIndex}</tr>
<tr><th scope="row">x[i]</th>${rowX}</tr>
<tr><th scope="row">${kernelLetter}</th>${rowW}</tr>
<tr><th scope="row">products</th>${rowP}</tr>
</tbody>
</table>
</div>
<p class="sum-line">Sum of the products lands in <strong>y[${step.n}] = ${fmt(step.sum)}</strong></p>
<ol class="outputs" aria-label="Outputs so far">${outputs}</ol>
<div class="formula">${renderTex(formulaTex(state, step), { displayMode: true, throwOnError: false, output: 'html' })}</div>`;
}

function cellTd(text: string, cls: string): string {
  return `<td class="cell ${cls}">${text}</td>`;
}

/** y[n] = x[i]w[k] + ... = a·b + ... = sum, in TeX. */
export function formulaTex(state: Stepper1dState, step: Conv1dStep): string {
  if (step.terms.length === 0) return `y[${step.n}] = 0`;
  const symbolic = step.terms.map((t) => `x[${t.inputIndex}]\\,w[${t.kernelIndex}]`).join(' + ');
  const numeric = step.terms.map((t) => `${tex(t.x, 3, true)} \\cdot ${tex(t.w, 3, true)}`).join(' + ');
  const def =
    state.kind === 'convolution'
      ? `y[${step.n}] = \\sum_k x[k]\\,w[${step.n}${offsetTex(state, step)} - k]`
      : `y[${step.n}] = \\sum_k x[${step.offset === 0 ? '' : `${step.offset} + `}k]\\,w[k]`;
  // One relation per line, so the formula fits a phone for kernels of a few taps.
  return `\\begin{aligned} ${def.replace(' = ', ' &= ')} \\\\ &= ${symbolic} \\\\ &= ${numeric} \\\\ &= ${tex(step.sum)} \\end{aligned}`;
}

// For same/valid modes the output index is shifted from the full convolution's index; show the shift.
function offsetTex(state: Stepper1dState, step: Conv1dStep): string {
  const shift = step.offset + state.w.length - 1 - step.n;
  return shift === 0 ? '' : shift > 0 ? ` + ${shift}` : ` - ${-shift}`;
}

/** One sentence for screen readers: "Step 4 of 7: y[3] = 1 × 2 + 2 × (−1) + 3 × 1 = 3." */
export function describeStep(state: Stepper1dState, result: Conv1dResult): string {
  const step = result.steps[state.step]!;
  const terms = step.terms.map((t) => `${fmt(t.x)} × ${paren(t.w)}`).join(' + ');
  return `Step ${state.step + 1} of ${result.steps.length}: y[${step.n}] = ${terms || '0 (the kernel is over padding only)'}${terms ? ` = ${fmt(step.sum)}` : ''}.`;
}

function paren(v: number): string {
  return v < 0 ? `(${fmt(v)})` : fmt(v);
}
