import type { NaiveSoftmax } from '../../src/lib/index.ts';
import { fmt } from '../internal/format.ts';
import { sci, sciText } from '../internal/sci.ts';
import type { SoftmaxLossResult } from './compute.ts';
import type { SoftmaxLossState } from './state.ts';

function list(values: readonly number[]): string {
  return `(${values.map((v) => sci(v)).join(', ')})`;
}

/** Table of logits, probabilities and both gradients; the true class row is marked. */
function numbersTable(s: SoftmaxLossState, r: SoftmaxLossResult): string {
  const rows = s.logits
    .map((z, i) => {
      const truth = i === s.label;
      return `<tr${truth ? ' class="truth"' : ''}><th scope="row">${i}${truth ? ' ✓' : ''}</th><td>${fmt(z)}</td><td>${sci(r.losses.probs[i]!, 5)}</td><td>${sci(r.losses.crossEntropy.grad[i]!, 5)}</td><td>${sci(r.losses.squaredError.grad[i]!, 5)}</td></tr>`;
    })
    .join('');
  return `<table class="numbers">
<caption>Per class (✓ = true class ${s.label}), at T = ${fmt(s.temperature)}</caption>
<thead><tr><th scope="col">i</th><th scope="col">z<sub>i</sub></th><th scope="col">p<sub>i</sub></th><th scope="col">∂CE/∂z<sub>i</sub></th><th scope="col">∂SE/∂z<sub>i</sub></th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function naiveLine(name: string, n: NaiveSoftmax, limit: number): string {
  let verdict: string;
  if (n.ok) verdict = `works: every exp(z<sub>i</sub>/T) stays below the ${name} limit e<sup>${fmt(limit, 2)}</sup>.`;
  else if (n.overflow)
    verdict = `<strong>overflows</strong>: some z<sub>i</sub>/T exceeds ${fmt(limit, 2)}, its exp is ∞, and ∞/∞ is undefined: the result is not a number.`;
  else
    verdict =
      '<strong>underflows</strong>: every exp(z<sub>i</sub>/T) rounds to 0, and 0/0 is undefined: the result is not a number.';
  return `<li><span class="tag">Naive, ${name}</span> exp(z<sub>i</sub>/T) = ${list(n.exps)}, sum ${sci(n.sum)}: ${verdict}</li>`;
}

/** The numbers under the charts: table, losses, and the stable vs naive softmax. */
export function renderNumbers(s: SoftmaxLossState, r: SoftmaxLossResult): string {
  const st = r.stable;
  const y = s.label;
  return `${numbersTable(s, r)}
<p class="losses">Cross-entropy L = −log p<sub>${y}</sub> = <strong>${fmt(r.losses.crossEntropy.loss, 4)}</strong>;
squared error L = ½ Σ (y<sub>i</sub> − p<sub>i</sub>)² = <strong>${fmt(r.losses.squaredError.loss, 4)}</strong>.</p>
<ul class="stability">
<li><span class="tag">Stable</span> subtract m = max z<sub>i</sub>/T = ${sci(st.max)}: exp(z<sub>i</sub>/T − m) = ${list(st.exps)}, sum ${sci(st.sum, 4)}, so p = ${list(st.probs)}.</li>
${naiveLine('float64', r.naive64, r.limit64)}
${naiveLine('float32', r.naive32, r.limit32)}
</ul>`;
}

/** One sentence for screen readers. */
export function describe(s: SoftmaxLossState, r: SoftmaxLossResult): string {
  const y = s.label;
  const naive = r.naive32.ok
    ? 'The naive softmax would also work here.'
    : r.naive64.ok
      ? 'The naive softmax would fail in float32 but not in float64.'
      : 'The naive softmax would fail in float32 and float64; the stable one does not.';
  return (
    `True class ${y}, T = ${fmt(s.temperature)}: p${y} = ${sciText(r.losses.probs[y]!, 5)}. ` +
    `Gradient on z${y}: cross-entropy ${sciText(r.losses.crossEntropy.grad[y]!, 5)}, ` +
    `squared error ${sciText(r.losses.squaredError.grad[y]!, 5)}. ` +
    naive
  );
}
