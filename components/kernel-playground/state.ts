import type { HeatmapScale } from '../internal/heatmap.ts';
import { DEFAULT_PRESET_ID, presetById } from './presets.ts';
import { DIGIT_SIZE, type GrayImage, type ImageSet } from './images.ts';

/** Everything the playground shows, serializable to the URL (the pictures themselves are data, not state). */
export interface PlaygroundState {
  /** A photo id ('camera', 'astronaut') or 'digit'. */
  image: string;
  /** Which MNIST test digit (index into the sample set) when image is 'digit'. */
  digit: number;
  /** Kernel size: 3 or 5. */
  size: 3 | 5;
  /** Row-major kernel entries, length size * size; the weights are entries / divisor. */
  entries: number[];
  divisor: number;
  scale: HeatmapScale;
  /** Selected feature-map cell (its arithmetic is shown). */
  row: number;
  col: number;
}

export const SCALES: readonly { value: HeatmapScale; label: string }[] = [
  { value: 'clip', label: 'clipped to 0–255' },
  { value: 'rescale', label: 'rescaled min..max' },
  { value: 'diverging', label: 'signed (0 = white)' },
];

export const SIZES = [3, 5] as const;
/** Largest |entry| and |divisor| accepted: far beyond any useful kernel, small enough to keep numbers readable. */
export const MAX_ENTRY = 1000;
export const MAX_DIVISOR = 10000;

const preset = presetById(DEFAULT_PRESET_ID)!;

/** Sobel x on the camera photo, rescaled, with a cell on a strong dark-to-bright vertical edge selected. */
export const DEFAULT_STATE: PlaygroundState = {
  image: 'camera',
  digit: 0,
  size: preset.size,
  entries: [...preset.entries],
  divisor: preset.divisor,
  scale: 'rescale',
  row: 56,
  col: 32,
};

export function isScale(s: string | undefined): s is HeatmapScale {
  return SCALES.some((x) => x.value === s);
}

/** The picture a state filters. */
export function imageOf(state: PlaygroundState, set: ImageSet): GrayImage {
  if (state.image === 'digit') {
    const d = set.digits[state.digit] ?? set.digits[0]!;
    return {
      id: `digit-${state.digit}`,
      label: `MNIST digit #${state.digit} (a ${d.label})`,
      rows: DIGIT_SIZE,
      cols: DIGIT_SIZE,
      pixels: d.pixels,
    };
  }
  return set.photos.find((p) => p.id === state.image) ?? set.photos[0]!;
}

/** The kernel's weights: entries / divisor. */
export function weightsOf(state: Pick<PlaygroundState, 'entries' | 'divisor'>): number[] {
  return state.entries.map((e) => e / state.divisor);
}

/** Embeds a 3x3 kernel in the middle of a 5x5 one, or keeps the middle 3x3 of a 5x5 one. */
export function resizeEntries(entries: readonly number[], from: number, to: number): number[] {
  if (from === to) return [...entries];
  const out = new Array<number>(to * to).fill(0);
  const off = (to - from) / 2;
  for (let r = 0; r < to; r++) {
    for (let c = 0; c < to; c++) {
      const sr = r - off;
      const sc = c - off;
      if (sr >= 0 && sr < from && sc >= 0 && sc < from) out[r * to + c] = entries[sr * from + sc]!;
    }
  }
  return out;
}

/** Keeps the selected cell inside a map of this size. */
export function clampCell(state: PlaygroundState, rows: number, cols: number): PlaygroundState {
  return {
    ...state,
    row: Math.max(0, Math.min(rows - 1, state.row)),
    col: Math.max(0, Math.min(cols - 1, state.col)),
  };
}
