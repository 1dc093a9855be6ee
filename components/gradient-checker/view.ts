import { renderTex } from '../internal/katex-lazy.ts';
import { NOISE_FACTOR, type GradCheckEntry } from '../../src/lib/index.ts';
import { esc } from '../internal/format.ts';
import { elementName, paramName } from './names.ts';
import { sig, sigTex, sigText, epsText } from './numbers.ts';
import {
  DELIBERATE_BUGS,
  TARGET_BUG,
  TARGET_FUNCTIONS,
  TARGET_LABELS,
  TOL,
  type CheckerResult,
  type CheckerState,
} from './state.ts';

type Verdict = 'ok' | 'bad' | 'kink' | 'zero';

/** How one row is judged: kinks are reported, not judged; tiny gradients are judged by absolute error. */
export function verdict(e: GradCheckEntry): Verdict {
  if (e.nearKink) return 'kink';
  if (e.belowNoise) return e.absError <= NOISE_FACTOR * e.noise ? 'zero' : 'bad';
  return e.relError < TOL ? 'ok' : 'bad';
}

const VERDICT_TEXT: Record<Verdict, string> = {
  ok: '✓ agrees',
  bad: '✗ wrong',
  kink: '⚠ kink: not judged',
  zero: '✓ within round-off',
};

/** The verdict at the top, in one sentence with the numbers. */
export function headline(state: CheckerState, r: CheckerResult): { cls: string; html: string } {
  const { report } = r;
  const n = report.entries.length;
  const bad = report.entries.filter((e) => verdict(e) === 'bad').length;
  const judged = n - report.kinks - report.belowNoise;
  const max =
    judged > 0
      ? `largest relative error <strong>${sig(report.maxRelError, 2)}</strong> over the ${judged} element${judged === 1 ? '' : 's'} judged by it`
      : 'no element could be judged by its relative error';
  const noise =
    report.belowNoise > 0
      ? ` ${report.belowNoise} element${report.belowNoise === 1 ? ' was' : 's were'} too small for this ε to measure to 10<sup>−7</sup> (round-off in the finite difference is about ${sig(Math.max(...report.entries.map((e) => e.noise)), 2)}), so ${report.belowNoise === 1 ? 'it was' : 'they were'} checked against that round-off instead.`
      : '';
  if (report.passed) {
    const invisible = state.broken
      ? ` The backward pass <em>is</em> broken, but for this input the bug changes nothing (${esc(DELIBERATE_BUGS[TARGET_BUG[state.target]])}) A gradient check only tests the paths your input exercises: try other seeds.`
      : '';
    return {
      cls: state.broken ? 'warn' : 'ok',
      html: `✓ The backward pass agrees with the finite differences: ${max}, below the tolerance 10<sup>−7</sup>.${noise}${invisible}`,
    };
  }
  const cause = state.broken
    ? ` The deliberate bug is caught: ${esc(DELIBERATE_BUGS[TARGET_BUG[state.target]])}`
    : state.eps < 1e-7
      ? ` The backward pass is the engine's correct one: with ε = ${epsText(state.eps)}, round-off in f(p ± ε), divided by 2ε, swamps the difference. Try 1e-5.`
      : ` The backward pass is the engine's correct one: with ε = ${epsText(state.eps)} the step is large enough that the curvature of f (truncation error, about ε²) shows. Try 1e-5.`;
  return {
    cls: 'bad',
    html: `✗ ${bad} of ${n} gradients disagree: ${max} (tolerance 10<sup>−7</sup>).${cause}${noise}`,
  };
}

/** One row per parameter tensor: how many elements, the worst relative error, kinks, verdict. */
function paramSummary(r: CheckerResult, state: CheckerState): string {
  const rows = Object.keys(r.problem.params).map((p) => {
    const es = r.report.entries.filter((e) => e.param === p);
    const judged = es.filter((e) => !e.nearKink && !e.belowNoise);
    const worst = judged.reduce((m, e) => Math.max(m, e.relError), 0);
    const bad = es.filter((e) => verdict(e) === 'bad').length;
    const kinks = es.filter((e) => e.nearKink).length;
    const zero = es.filter((e) => e.belowNoise).length;
    const v = bad > 0 ? `<span class="v-bad">✗ ${bad} wrong</span>` : '<span class="v-ok">✓</span>';
    return `<tr><th scope="row">${esc(paramName(state.target, p))}</th><td>${es.length}</td><td>${judged.length ? sig(worst, 2) : '—'}</td><td>${kinks}</td><td>${zero}</td><td>${v}</td></tr>`;
  });
  return `<div class="scroll" tabindex="0" role="region" aria-label="Results by tensor"><table class="summary"><caption>By tensor</caption><thead><tr><th scope="col">Tensor</th><th scope="col">Elements</th><th scope="col">Largest rel. error</th><th scope="col">Kinks</th><th scope="col">Too small to judge</th><th scope="col">Verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** Every checked element: analytic vs numerical and the relative error; rows are buttons that select. */
export function renderTable(state: CheckerState, r: CheckerResult): string {
  const rows = r.report.entries.map((e, i) => {
    const v = verdict(e);
    const name = elementName(r.problem, state.target, e.param, e.index);
    const sel = i === r.row;
    return `<tr class="v-${v}${sel ? ' sel' : ''}" data-row="${i}"><th scope="row"><button type="button" class="pick" data-row="${i}" aria-pressed="${sel}" tabindex="${sel ? 0 : -1}">${esc(name)}</button></th><td>${sig(e.analytic)}</td><td>${sig(e.numerical)}</td><td>${sig(e.relError, 2)}</td><td class="verdict">${VERDICT_TEXT[v]}</td></tr>`;
  });
  return `<div class="scroll rows"><table class="entries"><caption>Every element (select one to see its finite difference)</caption><thead><tr><th scope="col">Element</th><th scope="col">Analytic (backward)</th><th scope="col">Numerical (central difference)</th><th scope="col">Relative error</th><th scope="col">Verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The selected element's finite difference written out, in TeX. */
export function renderDetail(state: CheckerState, r: CheckerResult): string {
  const e = r.report.entries[r.row]!;
  const d = r.detail;
  const name = elementName(r.problem, state.target, e.param, e.index).replace(/₁/g, '_1').replace(/₂/g, '_2');
  const t = (v: number): string => sigTex(v, 13);
  const eps = sigTex(state.eps, 3);
  // One short relation per line, so the arithmetic fits a phone.
  const texSrc = `\\begin{aligned}
f_{\\pm} &= f(${name} \\pm \\varepsilon), \\quad \\varepsilon = ${eps} \\\\
f_{+} &= ${t(d.plus)} \\\\
f_{-} &= ${t(d.minus)} \\\\
\\text{numerical } n &= \\frac{f_{+} - f_{-}}{2\\varepsilon} = ${sigTex(d.numerical, 10)} \\\\
\\text{analytic } a &= ${sigTex(e.analytic, 10)} \\\\
\\text{relative error} &= \\frac{|a - n|}{\\max(|a|, |n|)} = ${sigTex(e.relError, 2)}
\\end{aligned}`;
  const html = renderTex(texSrc, { displayMode: true, throwOnError: false, output: 'html' });
  const note = e.nearKink
    ? '<p class="note">This element sits within ε of a kink: see below.</p>'
    : e.belowNoise
      ? `<p class="note">With this ε the finite difference carries round-off of about ${sig(e.noise, 2)}, too much to measure this gradient to a relative error of 10<sup>−7</sup>; the row passes if the absolute difference, ${sig(e.absError, 2)}, is within ${NOISE_FACTOR} times that round-off.</p>`
      : '';
  return `<p class="detail-title">Row ${r.row + 1} of ${r.report.entries.length}: <strong>${esc(elementName(r.problem, state.target, e.param, e.index))}</strong> = ${sig(d.value)}</p><div class="formula" tabindex="0" role="region" aria-label="Finite difference of the selected element">${html}</div>${note}`;
}

/** Why kinks are flagged, specific to the target; empty when there are none. */
export function renderKinks(state: CheckerState, r: CheckerResult): string {
  const kinks = r.report.entries.filter((e) => e.nearKink);
  if (kinks.length === 0) return '';
  const names = kinks.map((e) => esc(elementName(r.problem, state.target, e.param, e.index))).join(', ');
  const why: Record<string, string> = {
    relu: 'These inputs are exactly 0, where ReLU has a corner: slope 0 on the left, 1 on the right. The central difference straddles the corner and reports the average, R/2; the backward pass uses the left slope, 0, as TensorFlow does. The derivative does not exist there, so neither number is wrong and the row is not judged.',
    pool: 'Two cells of the same window hold the same maximum. Nudge either one up and it alone wins; nudge it down and the other wins. The one-sided slopes differ (R and 0), so the central difference gives R/2 to each while the backward pass gives all of R to the first maximum. No derivative exists there; the row is not judged.',
    network:
      'Between p − ε and p + ε a ReLU switches on or off, or a max-pool window changes its winner: the forward pass makes different choices at the two points (the checker compares them). The finite difference then mixes two linear pieces. Make ε smaller and these flags disappear.',
  };
  const text = why[state.target] ?? why['network']!;
  return `<div class="kinks" role="note"><p><strong>${kinks.length} element${kinks.length === 1 ? '' : 's'} near a kink:</strong> ${names}.</p><p>${text}</p></div>`;
}

/** The whole result area (everything but the plot). */
export function renderStage(state: CheckerState, r: CheckerResult): string {
  const h = headline(state, r);
  return `<p class="headline ${h.cls}">${h.html}</p>
<p class="what">Checked: ${esc(TARGET_FUNCTIONS[state.target])}; ε = ${sig(state.eps, 3)}.</p>
${paramSummary(r, state)}
${renderKinks(state, r)}
${renderTable(state, r)}
<div class="detail">${renderDetail(state, r)}</div>`;
}

/** One sentence for the live region. */
export function describe(state: CheckerState, r: CheckerResult): string {
  const { report } = r;
  const e = report.entries[r.row]!;
  const verdictWord = report.passed ? 'passed' : 'failed';
  const row = `Row ${r.row + 1}, ${elementName(r.problem, state.target, e.param, e.index)}: analytic ${sigText(e.analytic, 6)}, numerical ${sigText(e.numerical, 6)}, relative error ${sigText(e.relError, 2)}.`;
  return `${TARGET_LABELS[state.target]}${state.broken ? ' (broken backward pass)' : ''}, ε = ${sigText(state.eps, 3)}: check ${verdictWord}, largest relative error ${sigText(report.maxRelError, 2)}, ${report.kinks} near a kink. ${row}`;
}
