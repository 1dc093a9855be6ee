import type { InitVarianceResult } from '../../src/lib/index.ts';
import { sci, sciText } from '../internal/sci.ts';
import { ACTIVATIONS, INITS, type InitVarianceState } from './state.ts';

/** The per-layer numbers behind the chart, as a table. */
export function renderTable(r: InitVarianceResult): string {
  const rows = r.layers
    .map(
      (l) => `<tr><th scope="row">${l.layer}</th><td>${sci(l.activation, 3)}</td><td>${sci(l.gradient, 3)}</td></tr>`,
    )
    .join('');
  return `<table class="iv-table"><caption>Variance per layer (weights drawn with variance ${sci(r.weightVariance, 4)})</caption><thead><tr><th scope="col">layer</th><th scope="col">activations a</th><th scope="col">gradient ∂L/∂z</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Growth per layer as a factor, from the first to the last layer (geometric mean). */
function perLayer(first: number, last: number, layers: number): string {
  if (layers < 2 || first <= 0 || last <= 0) return '';
  const f = (last / first) ** (1 / (layers - 1));
  return ` (×${f >= 0.995 && f <= 1.005 ? '1.00' : f.toPrecision(3)} per layer)`;
}

/** One sentence for screen readers and the status line. */
export function describe(s: InitVarianceState, r: InitVarianceResult): string {
  const first = r.layers[0]!;
  const last = r.layers[r.layers.length - 1]!;
  const act = ACTIVATIONS.find((a) => a.value === s.activation)!.label;
  const init = s.init === 'fixed' ? `a normal with std ${s.std}` : INITS.find((i) => i.value === s.init)!.label;
  return (
    `${init}, ${act}, ${s.depth} layers of ${s.width}: activation variance ${sciText(first.activation, 3)} at layer 1, ` +
    `${sciText(last.activation, 3)} at layer ${last.layer}${perLayer(first.activation, last.activation, r.layers.length)}; ` +
    `gradient variance ${sciText(last.gradient, 3)} at the top, ${sciText(first.gradient, 3)} at layer 1.`
  );
}
