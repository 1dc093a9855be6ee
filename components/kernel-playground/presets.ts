import { HORIZONTAL_EDGE, SOBEL_X, SOBEL_Y, VERTICAL_EDGE } from '../internal/edge-kernels.ts';

/**
 * The classic hand-designed kernels, as integer entries and a divisor (the way textbooks print them,
 * e.g. Gaussian = 1/16 [1 2 1; 2 4 2; 1 2 1]). These are definitions, not results: every number the
 * page shows about them (sums, feature maps) is computed from these by the engine.
 */
export interface KernelPreset {
  id: string;
  name: string;
  size: 3 | 5;
  /** Row-major integer entries, length size * size; the weights are entries / divisor. */
  entries: readonly number[];
  divisor: number;
  /** What the numbers do, in one or two sentences. */
  what: string;
}

export const PRESETS: readonly KernelPreset[] = [
  {
    id: 'identity',
    name: 'Identity',
    size: 3,
    entries: [0, 0, 0, 0, 1, 0, 0, 0, 0],
    divisor: 1,
    what: 'One 1 in the middle and zeros elsewhere: each output copies the pixel under the centre, so the map is the image itself, minus a one-pixel border.',
  },
  {
    id: 'horizontal-edge',
    name: 'Horizontal edge',
    size: 3,
    entries: HORIZONTAL_EDGE,
    divisor: 1,
    what: 'The row below minus the row above. Flat regions give 0; a dark-above, bright-below edge gives a large positive value, the opposite edge a large negative one.',
  },
  {
    id: 'vertical-edge',
    name: 'Vertical edge',
    size: 3,
    entries: VERTICAL_EDGE,
    divisor: 1,
    what: 'The right column minus the left column: positive where the image gets brighter to the right, negative where it gets darker, 0 where nothing changes sideways.',
  },
  {
    id: 'sobel-x',
    name: 'Sobel x',
    size: 3,
    entries: SOBEL_X,
    divisor: 1,
    what: 'The vertical-edge detector with the middle row counted twice: a left-to-right difference smoothed top to bottom, so single noisy pixels matter less.',
  },
  {
    id: 'sobel-y',
    name: 'Sobel y',
    size: 3,
    entries: SOBEL_Y,
    divisor: 1,
    what: 'Sobel x turned a quarter: a bottom-minus-top difference, smoothed left to right. It finds horizontal edges.',
  },
  {
    id: 'laplacian',
    name: 'Laplacian',
    size: 3,
    entries: [0, 1, 0, 1, -4, 1, 0, 1, 0],
    divisor: 1,
    what: 'The four neighbours minus four times the centre. It is 0 on flat patches and on even ramps, and large where brightness bends: thin lines, dots, both sides of an edge.',
  },
  {
    id: 'sharpen',
    name: 'Sharpen',
    size: 3,
    entries: [0, -1, 0, -1, 5, -1, 0, -1, 0],
    divisor: 1,
    what: 'Identity minus the Laplacian: the image plus its own detail. Flat patches stay as they are; edges get a dark and a bright fringe that makes them look crisper.',
  },
  {
    id: 'box-blur',
    name: 'Box blur',
    size: 3,
    entries: [1, 1, 1, 1, 1, 1, 1, 1, 1],
    divisor: 9,
    what: 'Nine equal weights of 1/9: each output is the average of its 3x3 patch, which smears edges and noise alike.',
  },
  {
    id: 'gaussian-3',
    name: 'Gaussian blur 3x3',
    size: 3,
    entries: [1, 2, 1, 2, 4, 2, 1, 2, 1],
    divisor: 16,
    what: 'A weighted average that trusts the centre most and the corners least (weights from a bell curve), so it blurs more gently than the box.',
  },
  {
    id: 'gaussian-5',
    name: 'Gaussian blur 5x5',
    size: 5,
    entries: [1, 4, 6, 4, 1, 4, 16, 24, 16, 4, 6, 24, 36, 24, 6, 4, 16, 24, 16, 4, 1, 4, 6, 4, 1],
    divisor: 256,
    what: 'The same bell-curve idea over a 5x5 patch: a wider, smoother blur. The map shrinks by four pixels instead of two.',
  },
  {
    id: 'emboss',
    name: 'Emboss',
    size: 3,
    entries: [-2, -1, 0, -1, 1, 1, 0, 1, 2],
    divisor: 1,
    what: 'A diagonal difference (bottom right minus top left) plus the pixel itself: edges facing one way turn bright and the other way dark, like light falling on a relief.',
  },
];

export const DEFAULT_PRESET_ID = 'sobel-x';

export function presetById(id: string | undefined): KernelPreset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The preset with exactly these numbers, if any (so an edited kernel that equals one is named). */
export function matchPreset(size: number, entries: readonly number[], divisor: number): KernelPreset | undefined {
  return PRESETS.find(
    (p) =>
      p.size === size &&
      p.entries.length === entries.length &&
      p.entries.every((v, i) => v / p.divisor === entries[i]! / divisor),
  );
}
