/**
 * What chapter 13's optimiser exercises run on: quadratic losses (the chapter's ravine, a saddle, seeded random
 * bowls), the engine's path on them with its own SGD or Adam, and the point the worked examples start from.
 */
import type { Optimizer } from '../../engine/optim.ts';
import { tensor } from '../../engine/tensor.ts';
import { Rng, vector } from './random.ts';

/** f(w) = Σ ½·curvature[i]·(w[i] − center[i])²; `formula` names it in the report. */
export interface Quadratic {
  formula: string;
  curvature: number[];
  center: number[];
}

export const gradient = (q: Quadratic, w: readonly number[]) => w.map((v, i) => q.curvature[i]! * (v - q.center[i]!));

/** D2L's ravine 0.1x² + 2y² (the chapter's race): its gradient is (0.2x, 4y). */
export const RAVINE: Quadratic = { formula: '0.1x² + 2y²', curvature: [0.2, 4], center: [0, 0] };
export const SADDLE: Quadratic = { formula: 'x² − y² (a saddle at 0)', curvature: [2, -2], center: [0, 0] };
export const START = [-5, -2];

/** The engine's path: the start, then the point after each step. */
export function enginePath(opt: Optimizer, start: number[], loss: Quadratic, steps: number): number[][] {
  const value = tensor([start.length], start);
  const grad = tensor([start.length]);
  const path = [[...start]];
  for (let t = 0; t < steps; t++) {
    grad.data.set(gradient(loss, Array.from(value.data)));
    opt.step([{ name: 'w', value, grad }]);
    path.push(Array.from(value.data));
  }
  return path;
}

export function randomQuadratic(rng: Rng, n: number): Quadratic {
  const curvature = Array.from({ length: n }, () => Math.round(rng.uniform(0.1, 5) * 100) / 100);
  const center = vector(rng, n);
  return { formula: `a random bowl in ${n} dimension${n === 1 ? '' : 's'}`, curvature, center };
}

export const LRS = [0.01, 0.05, 0.1, 0.2, 0.3];
