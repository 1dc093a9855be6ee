import * as Plot from '@observablehq/plot';
import { OPTIMIZERS, SURFACES, type RacePath, type Surface } from '../../src/lib/index.ts';
import { fmt } from '../internal/format.ts';
import { plotToSvg } from '../internal/plot-svg.ts';
import { COLORS } from './state.ts';

const GRID = 70;

/** log10 of the height above the surface's minimum: contour lines that are evenly spaced on every surface. */
function grid(s: Surface): number[] {
  const [[x0, x1], [y0, y1]] = s.domain;
  const fmin = s.f(...s.minimum);
  const values: number[] = [];
  for (let j = 0; j < GRID; j++)
    for (let i = 0; i < GRID; i++) {
      const x = x0 + ((i + 0.5) * (x1 - x0)) / GRID;
      const y = y1 - ((j + 0.5) * (y1 - y0)) / GRID;
      values.push(Math.log10(s.f(x, y) - fmin + 0.01));
    }
  return values;
}

/** Contours of the surface, each optimiser's path (clipped to the drawn region), the start and the minimum. */
export function raceOptions(surfaceId: Surface['id'], paths: readonly RacePath[]): Plot.PlotOptions {
  const s = SURFACES.find((x) => x.id === surfaceId)!;
  const [[x0, x1], [y0, y1]] = s.domain;
  const points = paths.flatMap((p) => p.points.map(([x, y], step) => ({ x, y, step, id: p.id })));
  const labels = OPTIMIZERS.map((o) => o.id);
  return {
    width: 440,
    height: Math.round((440 * (y1 - y0)) / (x1 - x0)),
    marginLeft: 36,
    marginBottom: 32,
    style: { fontSize: '12px', background: 'transparent' },
    x: { domain: [x0, x1], label: 'x' },
    y: { domain: [y0, y1], label: 'y' },
    color: { domain: labels, range: labels.map((id) => COLORS[id]) },
    marks: [
      Plot.contour(grid(s), {
        width: GRID,
        height: GRID,
        x1: x0,
        x2: x1,
        y1: y1,
        y2: y0,
        stroke: 'currentColor',
        strokeOpacity: 0.25,
        thresholds: 14,
      }),
      Plot.line(points, { x: 'x', y: 'y', z: 'id', stroke: 'id', strokeWidth: 2, clip: true }),
      Plot.dot(points, { x: 'x', y: 'y', fill: 'id', r: 2.5, clip: true }),
      Plot.dot([{ x: s.start[0], y: s.start[1] }], { x: 'x', y: 'y', r: 6, stroke: 'currentColor', strokeWidth: 2 }),
      Plot.dot([{ x: s.minimum[0], y: s.minimum[1] }], { x: 'x', y: 'y', r: 6, symbol: 'star', fill: 'currentColor' }),
    ],
  };
}

/** The chart as accessible SVG, with each optimiser's end point in the description. */
export function renderRace(surfaceId: Surface['id'], paths: readonly RacePath[], doc?: Document): string {
  const s = SURFACES.find((x) => x.id === surfaceId)!;
  const ends = paths
    .map((p) => {
      const name = OPTIMIZERS.find((o) => o.id === p.id)!.label;
      const [x, y] = p.points[p.points.length - 1]!;
      return p.divergedAt !== null
        ? `${name} diverged at step ${p.divergedAt}`
        : `${name} ends at (${fmt(x, 3)}, ${fmt(y, 3)})`;
    })
    .join('; ');
  return plotToSvg(
    raceOptions(surfaceId, paths),
    `Contour plot of ${s.label} with the paths of three optimisers from (${fmt(s.start[0])}, ${fmt(s.start[1])}): ${ends}.`,
    doc,
  );
}
