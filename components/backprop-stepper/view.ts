import { renderTex } from '../internal/katex-lazy.ts';
import type { BackpropStep, BackpropWalk, Tensor, TinyValue } from '../../src/lib/index.ts';
import { esc, fmt } from '../internal/format.ts';
import { DIMS, cellText, key } from './names.ts';
import { explain, formulaTex, termsText } from './formula.ts';
import { STAGE_NAMES, type BackpropState } from './state.ts';

/** The forward value of each named tensor. */
function values(walk: BackpropWalk): Record<TinyValue, Tensor> {
  const { params: p, fwd: f } = walk;
  return { x: p.x, w1: p.w1, b1: p.b1, z1: f.z1, a1: f.a1, m: f.m, w2: p.w2, b2: p.b2, z: f.z, p: f.p };
}

/** The gradient of each named tensor (p has none: the walk goes from L straight to δ = p − y). */
function gradients(walk: BackpropWalk): Partial<Record<TinyValue, Tensor>> {
  const g = walk.grads;
  return { x: g.dx, w1: g.dw1, b1: g.db1, z1: g.dz1, a1: g.da1, m: g.dm, w2: g.dw2, b2: g.db2, z: g.dz };
}

/** Step index at which each gradient is computed, by cell key. */
function stepIndex(walk: BackpropWalk): Map<string, number> {
  const m = new Map<string, number>();
  walk.steps.forEach((s, i) => {
    if (s.stage !== 'loss') m.set(key(s.target), i);
  });
  return m;
}

/** The cells the current step reads: gradients flowing in, and forward values. */
export function highlights(step: BackpropStep): { grads: Set<string>; fwd: Set<string> } {
  // The long conv sums show only their nonzero terms (as the formula does): most deltas there are 0.
  const sums = step.stage === 'dw1' || step.stage === 'db1' || step.stage === 'dx';
  const terms = sums ? step.terms.filter((t) => t.gradValue !== 0) : step.terms;
  const grads = new Set(terms.map((t) => key(t.grad)));
  const fwd = new Set([...terms.flatMap((t) => (t.from ? [key(t.from)] : [])), ...step.reads.map(key)]);
  return { grads, fwd };
}

function table(label: string, t: TinyValue, cell: (i: number) => { text: string; cls: string }): string {
  const { rows, cols } = DIMS[t];
  const head =
    rows === 1 && cols === 1
      ? ''
      : rows > 1
        ? `<thead><tr><td class="corner"></td>${Array.from({ length: cols }, (_, c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>`
        : `<thead><tr>${Array.from({ length: cols }, (_, c) => `<th scope="col">${cols > 1 ? c : ''}</th>`).join('')}</tr></thead>`;
  let body = '';
  for (let r = 0; r < rows; r++) {
    body += `<tr>${rows > 1 ? `<th scope="row">${r}</th>` : ''}`;
    for (let c = 0; c < cols; c++) {
      const { text, cls } = cell(r * cols + c);
      body += `<td class="m-cell ${cls}">${esc(text)}</td>`;
    }
    body += '</tr>';
  }
  return `<table class="matrix" aria-label="${esc(label)}">${head}<tbody>${body}</tbody></table>`;
}

interface CardSpec {
  t: TinyValue;
  title: string;
  /** A second, smaller tensor shown in the same card (the bias next to its weights). */
  extra?: TinyValue;
}

const CARDS: CardSpec[] = [
  { t: 'x', title: 'Input x' },
  { t: 'w1', title: 'Conv kernel W₁ and bias b₁', extra: 'b1' },
  { t: 'z1', title: 'z₁ = W₁ ⋆ x + b₁' },
  { t: 'a1', title: 'a₁ = ReLU(z₁)' },
  { t: 'm', title: 'm = max-pool(a₁), flattened' },
  { t: 'w2', title: 'Dense W₂ and bias b₂', extra: 'b2' },
  { t: 'z', title: 'Logits z = W₂m + b₂' },
];

function card(spec: CardSpec, walk: BackpropWalk, state: BackpropState): string {
  const step = walk.steps[state.step]!;
  const vals = values(walk);
  const grads = gradients(walk);
  const when = stepIndex(walk);
  const hl = highlights(step);
  const current = step.stage === 'loss' ? '' : key(step.target);
  const part = (t: TinyValue): string => {
    const name = cellText({ t, i: 0 }).replace(/\[.*$/, '');
    const v = table(`${name}, forward values`, t, (i) => ({
      text: fmt(vals[t].data[i]!),
      cls: hl.fwd.has(`${t}:${i}`) ? 'uf' : '',
    }));
    const gt = grads[t]!;
    const g = table(`∂L/∂${name}, gradients`, t, (i) => {
      const k = `${t}:${i}`;
      const known = (when.get(k) ?? Infinity) <= state.step;
      const cls = k === current ? 'cur' : hl.grads.has(k) ? 'ug' : known ? '' : 'todo';
      return { text: known ? fmt(gt.data[i]!) : '?', cls };
    });
    return `<div class="pair"><p class="sub">${esc(name)}</p>${v}<p class="sub">∂L/∂${esc(name)}</p>${g}</div>`;
  };
  const { rows, cols } = DIMS[spec.t];
  const shape = rows === 1 ? `${cols}` : `${rows} × ${cols}`;
  return `<figure class="card"><figcaption>${esc(spec.title)} <span class="shape">${shape}</span></figcaption><div class="pairs">${part(spec.t)}${spec.extra ? part(spec.extra) : ''}</div></figure>`;
}

function outputCard(walk: BackpropWalk, state: BackpropState): string {
  const step = walk.steps[state.step]!;
  const hl = highlights(step);
  const p = table('p = softmax(z)', 'p', (i) => ({
    text: fmt(walk.fwd.p.data[i]!),
    cls: hl.fwd.has(`p:${i}`) ? 'uf' : '',
  }));
  const y = table('y, the true class one-hot', 'p', (i) => ({
    text: i === walk.label ? '1' : '0',
    cls: step.stage === 'dz' && step.target.i === i ? 'uf' : '',
  }));
  return `<figure class="card"><figcaption>p = softmax(z), true class y = ${walk.label}</figcaption><div class="pairs"><div class="pair"><p class="sub">p</p>${p}<p class="sub">y (one-hot)</p>${y}</div></div><p class="loss">L = −log p[${walk.label}] = <strong>${fmt(walk.fwd.loss)}</strong></p></figure>`;
}

/** The stage: formula and explanation of the current gradient, then every value of the network with its gradient. */
export function renderStage(state: BackpropState, walk: BackpropWalk): string {
  const step = walk.steps[state.step]!;
  const formula = renderTex(formulaTex(walk, step), {
    displayMode: true,
    throwOnError: false,
    output: 'html',
  });
  const cards = CARDS.map((c) => card(c, walk, state)).join('') + outputCard(walk, state);
  return `
<p class="where"><span class="count">Step ${state.step + 1} of ${walk.steps.length}</span> · ${esc(STAGE_NAMES[step.stage])}</p>
<div class="formula" tabindex="0" role="region" aria-label="Formula of the current gradient">${formula}</div>
<p class="why">${explain(walk, step)}</p>
<div class="cards">${cards}</div>`;
}

/** One sentence for screen readers with the numbers: "Step 5 of 101, dense weights W₂: ∂L/∂W₂[0,0] = … = −0.12." */
export function describeStep(state: BackpropState, walk: BackpropWalk): string {
  const step = walk.steps[state.step]!;
  const head = `Step ${state.step + 1} of ${walk.steps.length}, ${STAGE_NAMES[step.stage]}: `;
  if (step.stage === 'loss') {
    return `${head}forward pass done, L = −log p[${walk.label}] = −log ${fmt(walk.fwd.p.data[walk.label]!)} = ${fmt(walk.fwd.loss)}.`;
  }
  return `${head}${termsText(step)}`;
}
