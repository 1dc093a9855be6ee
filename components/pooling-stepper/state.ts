import type { PoolKind } from '../../src/lib/index.ts';

/** Forward shows each window's result; backward shows where each upstream gradient goes. */
export type PoolDirection = 'forward' | 'backward';

/** Everything the pooling stepper shows, serializable to the URL. */
export interface PoolStepperState {
  /** The input map, one channel, row-major. */
  rows: number;
  cols: number;
  x: number[];
  kind: PoolKind;
  /** Square window size and stride. */
  size: number;
  stride: number;
  direction: PoolDirection;
  /** Upstream gradient dL/dy, shape of the pooled output [OH, OW], row-major. */
  dy: number[];
  /** Index of the output window being shown (row-major over the pooled output). */
  step: number;
}

export const KINDS: readonly PoolKind[] = ['max', 'avg', 'sum'];
export const DIRECTIONS: readonly PoolDirection[] = ['forward', 'backward'];
/** Largest map the stepper takes: 8 x 8 keeps every number readable on a phone. */
export const MAX_SIDE = 8;

/** CS231n's max-pooling example (4 x 4, window 2, stride 2). */
export const EXAMPLE_X = [1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4];

/**
 * A default upstream gradient for an OH x OW output: 1, 2, 3, ... so each window's gradient is distinguishable in dx.
 */
export function defaultGradient(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

export function isKind(s: string | undefined): s is PoolKind {
  return s !== undefined && (KINDS as readonly string[]).includes(s);
}
export function isDirection(s: string | undefined): s is PoolDirection {
  return s !== undefined && (DIRECTIONS as readonly string[]).includes(s);
}

/** "1 1 2 4\n5 6 7 8": the text a matrix field shows (ASCII minus, so it can be edited and parsed back). */
export function matrixText(values: readonly number[], cols: number, rowSep = '\n'): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += cols) lines.push(values.slice(i, i + cols).join(' '));
  return lines.join(rowSep);
}
