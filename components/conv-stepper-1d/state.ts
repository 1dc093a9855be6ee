import type { Conv1dKind, Conv1dMode } from '../../src/lib/index.ts';

/** Everything the 1D stepper shows, serializable to the URL. */
export interface Stepper1dState {
  x: number[];
  w: number[];
  mode: Conv1dMode;
  kind: Conv1dKind;
  /** Index of the output being computed (0-based). */
  step: number;
}

export const MODES: readonly Conv1dMode[] = ['full', 'same', 'valid'];
export const KINDS: readonly Conv1dKind[] = ['convolution', 'cross-correlation'];

/** The literature's worked example: x = (0,1,2,3,4), w = (1,-1,2). */
export const DEFAULT_STATE: Stepper1dState = {
  x: [0, 1, 2, 3, 4],
  w: [1, -1, 2],
  mode: 'full',
  kind: 'convolution',
  step: 0,
};

export function isMode(s: string | undefined): s is Conv1dMode {
  return s !== undefined && (MODES as readonly string[]).includes(s);
}
export function isKind(s: string | undefined): s is Conv1dKind {
  return s !== undefined && (KINDS as readonly string[]).includes(s);
}
