import { OPTIMIZERS, SURFACES, type RacePath } from '../../src/lib/index.ts';
import { fmt } from '../internal/format.ts';
import { sci, sciText } from '../internal/sci.ts';
import { COLORS, type RaceState } from './state.ts';

/** One row per optimiser: where it ended, its loss there, or the step at which it diverged. */
export function renderTable(s: RaceState, paths: readonly RacePath[]): string {
  const surface = SURFACES.find((x) => x.id === s.surface)!;
  const fmin = surface.f(...surface.minimum);
  const rows = paths
    .map((p) => {
      const name = OPTIMIZERS.find((o) => o.id === p.id)!.label;
      const [x, y, f] = p.points[p.points.length - 1]!;
      const end =
        p.divergedAt !== null
          ? `<td colspan="2" class="diverged">diverged at step ${p.divergedAt}: it left the surface, so the run stopped</td>`
          : `<td>(${fmt(x, 3)}, ${fmt(y, 3)})</td><td>${sci(f - fmin, 3)}</td>`;
      return `<tr><th scope="row"><span class="chart-key" style="--key:${COLORS[p.id]}"></span>${name}</th>${end}</tr>`;
    })
    .join('');
  return `<table class="race-table"><caption>After ${s.steps} step${s.steps === 1 ? '' : 's'} at learning rate ${fmt(s.lr, 4)}</caption><thead><tr><th scope="col">optimiser</th><th scope="col">ends at</th><th scope="col">loss above min</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** One sentence for the status line. */
export function describe(s: RaceState, paths: readonly RacePath[]): string {
  const surface = SURFACES.find((x) => x.id === s.surface)!;
  const fmin = surface.f(...surface.minimum);
  const parts = paths.map((p) => {
    const name = OPTIMIZERS.find((o) => o.id === p.id)!.label;
    return p.divergedAt !== null
      ? `${name} diverged at step ${p.divergedAt}`
      : `${name} ends ${sciText(p.final - fmin, 3)} above the minimum`;
  });
  return `${surface.label}, learning rate ${fmt(s.lr, 4)}, ${s.steps} steps: ${parts.join('; ')}.`;
}
