import { outputSize, tfSamePadding, type OutputSizeResult } from '../../src/lib/index.ts';

export type PadMode = 'number' | 'valid' | 'same';

/** Everything the explorer shows, serializable to the URL. The input is square in 2D. */
export interface ExplorerState {
  dims: 1 | 2;
  input: number;
  kernel: number;
  /** Zeros on each side when padMode is 'number'. */
  padding: number;
  padMode: PadMode;
  stride: number;
  dilation: number;
  /** Round the window count up, PyTorch's pooling `ceil_mode` (a last window may hang past the end). */
  ceil: boolean;
  /** Current window: 0..out-1 in 1D, 0..out*out-1 in 2D (row by row). */
  pos: number;
}

/** Field limits: small enough that every cell can be drawn, large enough for real layers (28 = MNIST). */
export const LIMITS = {
  input: { min: 1, max: 32, name: 'the input size' },
  kernel: { min: 1, max: 11, name: 'the kernel size' },
  padding: { min: 0, max: 8, name: 'the padding' },
  stride: { min: 1, max: 8, name: 'the stride' },
  dilation: { min: 1, max: 6, name: 'the dilation' },
} as const;
export type NumberField = keyof typeof LIMITS;
export const NUMBER_FIELDS = Object.keys(LIMITS) as NumberField[];

/** The seeds' worked example: a 5-wide input, 3-wide kernel, padding 1, stride 2. */
export const DEFAULT_STATE: ExplorerState = {
  dims: 1,
  input: 5,
  kernel: 3,
  padding: 1,
  padMode: 'number',
  stride: 2,
  dilation: 1,
  ceil: false,
  pos: 0,
};

/** The window arithmetic along one axis (the same on both axes of the square 2D input). */
export interface Explored {
  before: number;
  after: number;
  r: OutputSizeResult;
  /** How many windows read each padded cell (taps only: dilation gaps are not read), then the ceil-mode overhang. */
  reads: number[];
  /** Cells drawn along one axis: the padded input plus, in ceil mode, the cells the last window hangs past it. */
  cells: number;
  /** Windows in total: out in 1D, out * out in 2D. */
  windows: number;
}

/** Runs the engine for a state; throws EngineError when the kernel does not fit. */
export function explore(s: ExplorerState): Explored {
  const pad =
    s.padMode === 'same'
      ? tfSamePadding(s.input, s.kernel, s.stride, s.dilation)
      : s.padMode === 'valid'
        ? { before: 0, after: 0 }
        : { before: s.padding, after: s.padding };
  const r = outputSize(s.input, s.kernel, [pad.before, pad.after], s.stride, s.dilation, s.ceil);
  const cells = r.paddedInput + r.overhang;
  const reads = new Array<number>(cells).fill(0);
  for (const start of r.windowStarts) {
    for (let j = 0; j < s.kernel; j++) {
      const cell = start + j * s.dilation;
      reads[cell] = (reads[cell] ?? 0) + 1;
    }
  }
  return { before: pad.before, after: pad.after, r, reads, cells, windows: s.dims === 2 ? r.size * r.size : r.size };
}

export function isPadMode(v: string | undefined): v is PadMode {
  return v === 'number' || v === 'valid' || v === 'same';
}
