/**
 * Chapter 4 exercise: design a 3 x 3 vertical-edge kernel. There is no single right answer (the chapter's
 * right-minus-left kernel, Sobel x, a scaled copy all work), so the kernel is judged by its responses, computed
 * by the engine's cross-correlation as the kernel playground does, on four 6 x 6 test images.
 *
 * Sign convention (chapter 4, components/kernel-playground/presets.ts): the kernel is the right column minus the
 * left column, so an edge where the image gets brighter to the right gives a positive response and one where it
 * gets darker a negative response. RISING_SIGN holds it, so a change of convention is one edit here.
 */
import { conv2d } from '../../engine/conv2d.ts';
import { fmt } from './compare.ts';
import { failBeforeTrials, runTrials, type Trial, type TrialOutcome } from './behaviour.ts';
import { oneKernel, onePlane, planeOf } from './nested.ts';
import type { ExerciseSpec, Mistake } from './types.ts';

/** +1: brighter to the right gives a positive response (right column minus left column). */
export const RISING_SIGN = 1;

const DARK = 0;
const BRIGHT = 100;
const SIZE = 6;

/** What a good vertical-edge kernel does to an image: nothing, or a strong response of one sign. */
type Want = 'zero' | 'positive' | 'negative';

interface TestImage {
  label: string;
  pixels: number[][];
  want: Want;
}

const img = (f: (row: number, col: number) => boolean): number[][] =>
  Array.from({ length: SIZE }, (_, r) => Array.from({ length: SIZE }, (_, c) => (f(r, c) ? BRIGHT : DARK)));

/** The four test images, in the order they are judged. */
export const EDGE_TEST_IMAGES: readonly TestImage[] = [
  { label: 'a flat image (every pixel 100)', pixels: img(() => true), want: 'zero' },
  {
    label: 'a vertical edge, dark on the left and bright on the right',
    pixels: img((_, c) => c >= SIZE / 2),
    want: RISING_SIGN > 0 ? 'positive' : 'negative',
  },
  {
    label: 'a vertical edge, bright on the left and dark on the right',
    pixels: img((_, c) => c < SIZE / 2),
    want: RISING_SIGN > 0 ? 'negative' : 'positive',
  },
  { label: 'a horizontal edge, dark above and bright below', pixels: img((r) => r >= SIZE / 2), want: 'zero' },
];

/** A strong response reaches half of what the kernel can give; "near zero" stays within 1 % of it. */
const STRONG = 0.5;
const QUIET = 0.01;

/**
 * The largest response a zero-sum kernel can give to a step from DARK to BRIGHT: its positive weights (half its
 * absolute sum) all on bright pixels. The scale every judgement is relative to, so a kernel may have any size.
 */
const reach = (k: number[][]): number => (k.flat().reduce((s, v) => s + Math.abs(v), 0) / 2) * (BRIGHT - DARK);

const respond = (pixels: number[][], k: number[][]): number[][] =>
  planeOf(conv2d(onePlane(pixels), oneKernel(k), null));

/** The response map's extremes and where they are. */
function extremes(r: number[][]): { max: number; min: number; maxAt: number[]; minAt: number[] } {
  const out = { max: -Infinity, min: Infinity, maxAt: [0, 0], minAt: [0, 0] };
  r.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v > out.max) [out.max, out.maxAt] = [v, [i, j]];
      if (v < out.min) [out.min, out.minAt] = [v, [i, j]];
    }),
  );
  return out;
}

const where = (at: number[]) => `row ${at[0]}, column ${at[1]}`;
const cells = (r: number[][], bad: (v: number) => boolean): number[][] =>
  r.flatMap((row, i) => row.flatMap((v, j) => (bad(v) ? [[i, j]] : [])));

/** Judges one response map against what the image wants. */
export function judgeResponse(r: number[][], want: Want, unit: number): TrialOutcome {
  const e = extremes(r);
  const quiet = QUIET * unit;
  const strong = STRONG * unit;
  const base = { got: r };
  if (want === 'zero') {
    const worst = Math.abs(e.max) >= Math.abs(e.min) ? { v: e.max, at: e.maxAt } : { v: e.min, at: e.minAt };
    if (Math.abs(worst.v) <= quiet) return { ok: true, message: '' };
    return {
      ...base,
      ok: false,
      message: `The response should stay near 0 on this image, but it is ${fmt(worst.v)} at ${where(worst.at)} (your kernel's strongest possible edge response is ${fmt(unit)}).`,
      diffs: cells(r, (v) => Math.abs(v) > quiet),
    };
  }
  const sign = want === 'positive' ? 1 : -1;
  const peak = sign > 0 ? e.max : -e.min;
  const peakAt = sign > 0 ? e.maxAt : e.minAt;
  const opposite = sign > 0 ? -e.min : e.max;
  const oppositeAt = sign > 0 ? e.minAt : e.maxAt;
  const wantWord = sign > 0 ? 'positive' : 'negative';
  if (opposite >= strong) {
    return {
      ...base,
      ok: false,
      message: `The edge gives ${fmt(sign * -opposite)} at ${where(oppositeAt)}: a strong response with the wrong sign. In this course the vertical-edge kernel is the right column minus the left column, so this edge should give a large ${wantWord} value.`,
      diffs: cells(r, (v) => sign * v < -quiet),
    };
  }
  if (peak < strong) {
    return {
      ...base,
      ok: false,
      message: `The response to this edge is weak: at most ${fmt(Math.max(peak, 0))} in the ${wantWord} direction, where a kernel with weights this size can reach ${fmt(unit)}. Put the weights that differ across the edge in the left and right columns.`,
    };
  }
  if (opposite > quiet) {
    return {
      ...base,
      ok: false,
      message: `Part of the response has the wrong sign: ${fmt(sign * -opposite)} at ${where(oppositeAt)}, while the strongest is ${fmt(sign * peak)} at ${where(peakAt)}. A vertical-edge kernel should answer one edge with one sign.`,
      diffs: cells(r, (v) => sign * v < -quiet),
    };
  }
  return { ok: true, message: '' };
}

/** Why the returned value cannot be judged, or null when it is a usable 3 x 3 kernel. */
function kernelProblem(k: unknown): string | null {
  if (!Array.isArray(k))
    return `verticalEdgeKernel() returned ${k === undefined ? 'undefined' : typeof k}; return a 3 × 3 array of numbers.`;
  if (k.length !== 3 || !k.every((row) => Array.isArray(row) && row.length === 3)) {
    return 'The kernel must be 3 × 3: three rows of three numbers each.';
  }
  const values = (k as unknown[][]).flat();
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return 'Every entry of the kernel must be a finite number.';
  }
  const total = values.reduce((s: number, v) => s + Math.abs(v as number), 0);
  if (total === 0) return 'Every weight is 0, so the kernel responds to nothing. Give it weights that compare columns.';
  if (total > 1e12) return 'The weights are enormous; use ordinary sizes (like −1, 0, 1).';
  return null;
}

/** How a kernel fares on each test image (for naming mistakes). */
function responses(k: number[][]): { r: number[][]; want: Want; ok: boolean }[] {
  const unit = reach(k);
  return EDGE_TEST_IMAGES.map((t) => {
    const r = respond(t.pixels, k);
    return { r, want: t.want, ok: judgeResponse(r, t.want, unit).ok };
  });
}

const peakAbs = (r: number[][]) => Math.max(...r.flat().map(Math.abs));

const MISTAKES: (Mistake & { test: (k: number[][]) => boolean })[] = [
  {
    name: 'weights do not sum to zero (responds to flat areas)',
    advice:
      'On a flat patch every pixel is the same b, so the output is b times the sum of the weights. An edge detector must answer 0 there: make the weights add up to 0.',
    test: (k) => !responses(k)[0]!.ok,
  },
  {
    name: 'a horizontal-edge kernel',
    advice:
      'Your kernel compares rows (top against bottom), so it finds horizontal edges. A vertical edge is a change from left to right: compare the left column with the right column.',
    test: (k) => {
      const [, rising, , horizontal] = responses(k);
      return peakAbs(horizontal!.r) >= STRONG * reach(k) && peakAbs(rising!.r) < STRONG * reach(k);
    },
  },
  {
    name: "wrong sign for the chapter's convention",
    advice:
      'Your kernel finds vertical edges but with the opposite sign: it is the left column minus the right column. The chapter uses right minus left, so brightness growing to the right gives a positive value (multiply every weight by −1).',
    test: (k) => {
      const rising = extremes(responses(k)[1]!.r);
      const opposite = EDGE_TEST_IMAGES[1]!.want === 'positive' ? -rising.min : rising.max;
      return opposite >= STRONG * reach(k);
    },
  },
];

export const verticalEdgeKernel: ExerciseSpec = {
  id: 'vertical-edge-kernel',
  chapter: 'kernels-as-feature-detectors',
  title: 'Design a vertical-edge kernel',
  fn: 'verticalEdgeKernel',
  signature: 'verticalEdgeKernel(): number[][]',
  starter: `// Return a 3 x 3 kernel that finds vertical edges: a large positive response where the image
// gets brighter from left to right, a large negative one where it gets darker, and 0 on flat
// areas and on horizontal edges. It is applied as a cross-correlation, like the playground.
function verticalEdgeKernel(): number[][] {
  return [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
}

// Its response to a step from 0 (left) to 100 (right):
const step = Array.from({ length: 6 }, () => [0, 0, 0, 100, 100, 100]);
show(lib.conv2d(lib.fromNested([step]), lib.fromNested([[verticalEdgeKernel()]]), null));
`,
  solution: `function verticalEdgeKernel(): number[][] {
  // the right column minus the left column, in every row
  return [
    [-1, 0, 1],
    [-1, 0, 1],
    [-1, 0, 1],
  ];
}

const step = Array.from({ length: 6 }, () => [0, 0, 0, 100, 100, 100]);
show(lib.conv2d(lib.fromNested([step]), lib.fromNested([[verticalEdgeKernel()]]), null));
`,
  hints: [
    'A kernel answers a flat patch of value b with b times the sum of its weights, so the weights must sum to 0.',
    'An edge from left to right is a difference between columns: give the left column one sign and the right column the other.',
    'Positive on the right, negative on the left, the same in every row: right column minus left column.',
  ],
  mistakes: MISTAKES.map(({ name, advice }) => ({ name, advice })),
  check: (fn, describe) => {
    let k: unknown;
    try {
      k = fn();
    } catch (err) {
      const error = describe(err);
      return failBeforeTrials(
        EDGE_TEST_IMAGES.length,
        `Your function threw an error: ${error.message}`,
        undefined,
        error,
      );
    }
    const problem = kernelProblem(k);
    if (problem) return failBeforeTrials(EDGE_TEST_IMAGES.length, problem, k);
    const kernel = k as number[][];
    const unit = reach(kernel);
    const trials: Trial[] = EDGE_TEST_IMAGES.map((t) => ({
      label: t.label,
      inputs: [
        { name: 'image', value: t.pixels },
        { name: 'kernel', value: kernel },
      ],
      run: () => judgeResponse(respond(t.pixels, kernel), t.want, unit),
    }));
    return runTrials(trials, describe, () => MISTAKES.find((m) => m.test(kernel)));
  },
};

export const CH04_EXERCISES = [verticalEdgeKernel];
