/**
 * SGD, momentum and Adam on small 2D loss surfaces, run with the engine's own optimisers (optim.ts) so the paths the
 * widget draws are exactly what those classes do. A run that leaves the surface (100 times further out than the
 * drawn region, or a non-finite loss) stops there and says at which step it diverged.
 */
import { EngineError, assertInt } from '../engine/errors.ts';
import { Adam, SGD, type Optimizer, type ParamRef } from '../engine/optim.ts';
import { tensor } from '../engine/tensor.ts';

/** A loss surface f(x, y) with its gradient, a start point and the region to draw. */
export interface Surface {
  id: 'ravine' | 'saddle' | 'rosenbrock';
  label: string;
  f: (x: number, y: number) => number;
  grad: (x: number, y: number) => [number, number];
  start: [number, number];
  /** Where the minimum (or one of them) is. */
  minimum: [number, number];
  /** [[xmin, xmax], [ymin, ymax]] for the contour plot. */
  domain: [[number, number], [number, number]];
  /** Where the formula comes from. */
  source: string;
}

export const SURFACES: readonly Surface[] = [
  {
    id: 'ravine',
    label: 'Ravine: f = 0.1x² + 2y²',
    f: (x, y) => 0.1 * x * x + 2 * y * y,
    grad: (x, y) => [0.2 * x, 4 * y],
    start: [-5, -2],
    minimum: [0, 0],
    domain: [
      [-5.5, 1.5],
      [-3, 3],
    ],
    source: 'D2L §12.6 (momentum), the ill-conditioned quadratic 0.1x₁² + 2x₂² started at (−5, −2)',
  },
  {
    id: 'saddle',
    label: 'Saddle: f = x² + y⁴/4 − y²/2',
    f: (x, y) => x * x + (y * y * y * y) / 4 - (y * y) / 2,
    grad: (x, y) => [2 * x, y * y * y - y],
    start: [1.5, 0.01],
    minimum: [0, 1],
    domain: [
      [-2, 2],
      [-1.6, 1.6],
    ],
    source: 'a saddle at the origin between two minima at (0, ±1); D2L §12.1 discusses saddle points',
  },
  {
    id: 'rosenbrock',
    label: 'Banana (Rosenbrock): f = (1 − x)² + 100(y − x²)²',
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    start: [-1.5, 2],
    minimum: [1, 1],
    domain: [
      [-2, 2],
      [-1, 3],
    ],
    source: 'Rosenbrock 1960: a curved, narrow valley',
  },
];

export type OptimizerId = 'sgd' | 'momentum' | 'adam';
export const OPTIMIZERS: readonly { id: OptimizerId; label: string }[] = [
  { id: 'sgd', label: 'SGD' },
  { id: 'momentum', label: 'Momentum 0.9' },
  { id: 'adam', label: 'Adam' },
];

/** One optimiser's run. */
export interface RacePath {
  id: OptimizerId;
  /** (x, y, f) after each step, the start first; stops at the last finite point of a diverged run. */
  points: [number, number, number][];
  /** The step (1-based) at which the run left the surface, or null. */
  divergedAt: number | null;
  /** Loss at the last point. */
  final: number;
}

function make(id: OptimizerId, lr: number, momentum: number): Optimizer {
  if (id === 'sgd') return new SGD(lr);
  if (id === 'momentum') return new SGD(lr, { momentum });
  return new Adam(lr);
}

/**
 * Runs each optimiser from the surface's start for `steps` steps at learning rate `lr`.
 * @param lr the same rate for all three (the point of the comparison: what one rate does to each)
 * @param steps 1 .. 1000
 * @param momentum the momentum optimiser's β (default 0.9)
 */
export function raceOptimizers(
  surfaceId: Surface['id'],
  lr: number,
  steps: number,
  { start, momentum = 0.9 }: { start?: [number, number]; momentum?: number } = {},
): RacePath[] {
  const surface = SURFACES.find((s) => s.id === surfaceId);
  if (!surface)
    throw new EngineError('surface', `Unknown surface "${String(surfaceId)}"; use ravine, saddle or rosenbrock.`);
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0 || lr > 100) {
    throw new EngineError(
      'learningRate',
      `The learning rate must be a number above 0 and at most 100, got ${String(lr)}.`,
    );
  }
  assertInt(steps, 'steps', 'The number of steps', 1, 1000);
  const [x0, y0] = start ?? surface.start;
  // A run 100 times further out than the drawn region is not coming back: call it diverged there.
  const limit = 100 * Math.max(...surface.domain.flat().map(Math.abs));
  return OPTIMIZERS.map(({ id }) => {
    const opt = make(id, lr, momentum);
    const value = tensor([2], [x0, y0]);
    const grad = tensor([2]);
    const p: ParamRef = { name: 'xy', value, grad };
    const points: [number, number, number][] = [[x0, y0, surface.f(x0, y0)]];
    let divergedAt: number | null = null;
    for (let t = 1; t <= steps; t++) {
      grad.data.set(surface.grad(value.data[0]!, value.data[1]!));
      try {
        opt.step([p]);
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        divergedAt = t; // the engine refuses a non-finite gradient: training diverged
        break;
      }
      const [x, y] = [value.data[0]!, value.data[1]!];
      const f = surface.f(x, y);
      if (!(Math.abs(x) <= limit && Math.abs(y) <= limit && Number.isFinite(f))) {
        divergedAt = t;
        break;
      }
      points.push([x, y, f]);
    }
    return { id, points, divergedAt, final: points[points.length - 1]![2] };
  });
}
