import { fmt } from '../internal/format.ts';
import type { BatchNormDemo } from './compute.ts';
import { UNITS, WARMUP } from './compute.ts';
import type { BatchNormState } from './state.ts';

const list = (v: number[]) => v.map((x) => fmt(x, 2)).join(', ');

/** Per unit: mean and std before and after, and the statistics the layer normalised with. */
export function renderTable(s: BatchNormState, d: BatchNormDemo): string {
  const used = s.mode === 'train' ? 'batch' : `running (after ${WARMUP} batches)`;
  const rows = Array.from({ length: UNITS }, (_, u) => {
    const mu = d.result.mean.data[u]!;
    const sd = Math.sqrt(d.result.variance.data[u]!);
    return `<tr><th scope="row">unit ${u}</th><td>${fmt(d.before.mean[u]!, 3)}</td><td>${fmt(d.before.std[u]!, 3)}</td><td>${fmt(mu, 3)}</td><td>${fmt(sd, 3)}</td><td>${fmt(d.after.mean[u]!, 3)}</td><td>${fmt(d.after.std[u]!, 3)}</td></tr>`;
  }).join('');
  return `<table class="bn-table"><caption>Statistics per unit (std = square root of the variance)</caption><thead><tr><th scope="col" rowspan="2">unit</th><th scope="colgroup" colspan="2">this batch, before</th><th scope="colgroup" colspan="2">used to normalise (${used})</th><th scope="colgroup" colspan="2">after</th></tr><tr><th scope="col">mean</th><th scope="col">std</th><th scope="col">mean</th><th scope="col">std</th><th scope="col">mean</th><th scope="col">std</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function describe(s: BatchNormState, d: BatchNormDemo): string {
  const mode =
    s.mode === 'train'
      ? 'Training mode (batch statistics)'
      : `Inference mode (running statistics from ${WARMUP} training batches)`;
  return (
    `${mode}, batch of ${s.batch}: before, unit means ${list(d.before.mean)} and stds ${list(d.before.std)}; ` +
    `after, means ${list(d.after.mean)} and stds ${list(d.after.std)} (γ = ${fmt(s.gamma)}, β = ${fmt(s.beta)}).`
  );
}
