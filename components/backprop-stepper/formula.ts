import type { BackpropStep, BackpropTerm, BackpropWalk } from '../../src/lib/index.ts';
import { esc, fmt, tex } from '../internal/format.ts';
import { DIMS, cellTex, cellText, gradTex, gradText } from './names.ts';

/** Splits items into groups of `n` per line, so a long sum fits a phone; continuation lines start with +. */
function lines(items: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n).join(' + '));
  return out;
}

/** Sums list only the terms whose gradient is not 0 (after max-pool and ReLU most are 0). */
function nonzero(step: BackpropStep): BackpropTerm[] {
  return step.terms.filter((t) => t.gradValue !== 0);
}

const n = (v: number): string => tex(v, 3, true);

/** The definition of the sum for each summing stage. */
function sumDefinition(step: BackpropStep): string {
  const { cols } = DIMS[step.target.t];
  const [r, c] = [Math.floor(step.target.i / cols), step.target.i % cols];
  switch (step.stage) {
    case 'dm':
      return `\\sum_{j} ${gradTex({ t: 'z', i: 0 }).replace('[0]', '[j]')}\\, W_2[j,${step.target.i}]`;
    case 'dw1':
      return `\\sum_{i,j} \\delta_1[i,j]\\, x[i+${r},\\, j+${c}]`;
    case 'db1':
      return `\\sum_{i,j} \\delta_1[i,j]`;
    case 'dx':
      return `\\sum_{i,j} \\delta_1[i,j]\\, W_1[${r}-i,\\, ${c}-j]`;
    default:
      return '';
  }
}

/** The current gradient's formula, symbols then numbers, one relation per line (TeX). */
export function formulaTex(walk: BackpropWalk, step: BackpropStep): string {
  const lhs = step.stage === 'loss' ? 'L' : gradTex(step.target);
  const rows: string[][] = [];
  switch (step.stage) {
    case 'loss': {
      const p = walk.fwd.p.data[walk.label]!;
      rows.push([`-\\log p[y] = -\\log p[${walk.label}]`], [`-\\log ${n(p)}`]);
      break;
    }
    case 'dz':
      rows.push(
        [`\\frac{\\partial L}{\\partial z[${step.target.i}]} = p[${step.target.i}] - y[${step.target.i}]`],
        [`${n(step.py!.p)} - ${step.py!.y}`],
      );
      break;
    case 'da1': {
      const w = step.window!;
      if (w.isMax) rows.push([`${gradTex({ t: 'm', i: w.k })} \\quad (\\text{the maximum of window ${w.k}})`]);
      else return `${lhs} = 0 \\quad (\\text{not the maximum of window ${w.k}})`;
      break;
    }
    case 'dz1': {
      const t = step.terms[0]!;
      rows.push(
        [`${gradTex(t.grad)} \\cdot \\mathbb{1}[${cellTex(step.target)} > 0]`],
        [`${n(t.gradValue)} \\cdot ${t.factor}`],
      );
      break;
    }
    case 'db2':
      rows.push([gradTex(step.terms[0]!.grad)]);
      break;
    case 'dw2': {
      const t = step.terms[0]!;
      rows.push([`${gradTex(t.grad)}\\, ${cellTex(t.from!)}`], [`${n(t.gradValue)} \\cdot ${n(t.factor)}`]);
      break;
    }
    default: {
      rows.push([sumDefinition(step)]);
      const shown = step.stage === 'dm' ? step.terms : nonzero(step);
      if (shown.length === 0) {
        return `${lhs} = ${sumDefinition(step)} = 0 \\quad (\\text{every } \\delta_1 \\text{ is } 0)`;
      }
      const symbol = (t: BackpropTerm): string =>
        t.from ? `${gradTex(t.grad)}\\, ${cellTex(t.from)}` : gradTex(t.grad);
      const number = (t: BackpropTerm): string => (t.from ? `${n(t.gradValue)} \\cdot ${n(t.factor)}` : n(t.gradValue));
      rows.push(lines(shown.map(symbol), 2), lines(shown.map(number), 2));
    }
  }
  // Each row is one relation; a row may span several lines (a long sum), continued with a leading +.
  const body = [...rows, [tex(step.value)]].map((row, i) =>
    row.map((line, j) => (j > 0 ? `&\\quad + ${line}` : i === 0 ? `${lhs} &= ${line}` : `&= ${line}`)).join(' \\\\ '),
  );
  return `\\begin{aligned} ${body.join(' \\\\ ')} \\end{aligned}`;
}

/** Why this gradient is what it is, in one or two sentences (HTML). */
export function explain(walk: BackpropWalk, step: BackpropStep): string {
  const t = cellText(step.target);
  switch (step.stage) {
    case 'loss':
      return `Forward pass done: the network gives the true class ${walk.label} a probability of ${fmt(walk.fwd.p.data[walk.label]!)}. The backward pass starts from this loss and walks back, one gradient at a time. Press → or Next.`;
    case 'dz':
      return 'Softmax and cross-entropy together have the simplest gradient in the network: predicted probability minus the one-hot target. It is negative for the true class (push its logit up) and positive for the others.';
    case 'dw2':
      return `${esc(t)} multiplied ${esc(cellText(step.terms[0]!.from!))} on its way into ${esc(cellText(step.terms[0]!.grad))}, so its gradient is that logit's delta times the value it multiplied: the forward value is needed again in the backward pass.`;
    case 'db2':
      return `A bias is added with slope 1, so its gradient is simply the delta of the logit it feeds.`;
    case 'dm':
      return `${esc(t)} fed all three logits, so its gradient adds the three paths: a column of W₂ times the deltas, which is the product W₂ᵀδ.`;
    case 'da1': {
      const w = step.window!;
      const tie = w.tie
        ? ' (This window has a tie: the engine gives the gradient to the first maximum, a kink the gradient checker flags.)'
        : '';
      return w.isMax
        ? `${esc(t)} was the largest value in its 2 × 2 window, so it alone reached m[${w.k}]: the whole gradient of m[${w.k}] comes back to it.${tie}`
        : `${esc(t)} lost to the maximum of its window: nudging it a little does not change m[${w.k}], so its gradient is 0.${tie}`;
    }
    case 'dz1':
      return step.terms[0]!.factor === 1
        ? `z₁ here is ${fmt(walk.fwd.z1.data[step.target.i]!)} > 0: the ReLU passed it through with slope 1, and passes the gradient back unchanged.`
        : `z₁ here is ${fmt(walk.fwd.z1.data[step.target.i]!)} ≤ 0: the ReLU output 0 with slope 0, so no gradient flows back through this cell.`;
    case 'dw1':
      return `${esc(t)} touched a different input at each of the 16 output positions, so its gradient sums over all of them: the input cross-correlated with δ₁. Only the ${nonzero(step).length} nonzero deltas are written out.`;
    case 'db1':
      return `The bias is added at all 16 output positions, so its gradient is the sum of all 16 deltas (${nonzero(step).length} of them nonzero).`;
    case 'dx':
      return `${esc(t)} was read by ${step.terms.length} window position${step.terms.length === 1 ? '' : 's'}, each time through a different weight: the sum is δ₁ fully convolved with W₁, that is, the kernel rotated 180° sliding over δ₁ padded with zeros.`;
  }
}

/** The formula with numbers as plain text, for the live region. */
export function termsText(step: BackpropStep): string {
  const lhs = gradText(step.target);
  const v = fmt(step.value);
  const paren = (x: number): string => (x < 0 ? `(${fmt(x)})` : fmt(x));
  switch (step.stage) {
    case 'dz':
      return `${lhs} = p[${step.target.i}] − y[${step.target.i}] = ${fmt(step.py!.p)} − ${step.py!.y} = ${v}.`;
    case 'da1':
      return step.window!.isMax
        ? `${lhs} = ∂L/∂m[${step.window!.k}] = ${v}, because ${cellText(step.target)} is the maximum of window ${step.window!.k}.`
        : `${lhs} = 0, because ${cellText(step.target)} is not the maximum of window ${step.window!.k}.`;
    default: {
      const shown = step.stage === 'dm' ? step.terms : nonzero(step);
      if (shown.length === 0) return `${lhs} = 0: every delta in the sum is 0.`;
      const parts = shown.map((t) => (t.from ? `${paren(t.gradValue)} × ${paren(t.factor)}` : paren(t.gradValue)));
      return `${lhs} = ${parts.join(' + ')} = ${v}.`;
    }
  }
}
