import {
  pool2d,
  pool2dBackward,
  poolOutputSize,
  poolTrace,
  tensor,
  type OutputSizeResult,
  type PoolCell,
  type Tensor,
} from '../../src/lib/index.ts';
import type { PoolStepperState } from './state.ts';

/** Everything the stage shows, computed by the engine from one state. Throws EngineError on bad settings. */
export interface PoolResult {
  rowsFit: OutputSizeResult;
  colsFit: OutputSizeResult;
  oh: number;
  ow: number;
  /** The pooled output, [OH * OW]. */
  y: Float64Array;
  /** The current window. */
  window: {
    oy: number;
    ox: number;
    cells: PoolCell[];
    result: number;
    argmax: { iy: number; ix: number } | null;
    ties: boolean;
  };
  /** Backward only: dx after routing the gradients of windows 0..step, and the current window's share. */
  dxSoFar: Float64Array | null;
  /** Backward, max only: how many windows picked each input cell (the index mask). */
  mask: Float64Array | null;
}

/** Runs forward pooling, the trace of the current window and, in backward mode, pool2dBackward. */
export function computePool(s: PoolStepperState): PoolResult {
  // poolOutputSize explains a window that does not fit in words; run it first so its message wins.
  const rowsFit = poolOutputSize(s.rows, s.size, s.stride);
  const colsFit = poolOutputSize(s.cols, s.size, s.stride);
  const x = tensor([1, s.rows, s.cols], s.x);
  const opts = { size: s.size, stride: s.stride };
  const { y } = pool2d(x, s.kind, opts);
  const oh = rowsFit.size;
  const ow = colsFit.size;
  const step = Math.max(0, Math.min(s.step, oh * ow - 1));
  const oy = Math.floor(step / ow);
  const ox = step % ow;
  const t = poolTrace(x, s.kind, opts, 0, oy, ox);
  let dxSoFar: Float64Array | null = null;
  let mask: Float64Array | null = null;
  if (s.direction === 'backward') {
    // Gradients of later windows are zeroed, so dx shows exactly what has been routed up to this step.
    const partial = s.dy.map((g, i) => (i <= step ? g : 0));
    dxSoFar = pool2dBackward(x, s.kind, opts, grad(partial, oh, ow)).data;
    if (s.kind === 'max') {
      // The backward pass of an all-ones gradient counts, per input cell, the windows whose maximum sat there.
      mask = pool2dBackward(x, 'max', opts, grad(new Array<number>(oh * ow).fill(1), oh, ow)).data;
    }
  }
  return { rowsFit, colsFit, oh, ow, y: y.data, window: { oy, ox, ...t }, dxSoFar, mask };
}

function grad(values: readonly number[], oh: number, ow: number): Tensor {
  return tensor([1, oh, ow], values);
}
