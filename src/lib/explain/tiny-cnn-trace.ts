import { conv2dInputGradTrace, conv2dWeightGradTrace } from './conv2d-trace.ts';
import { EngineError } from '../engine/errors.ts';
import { poolTrace } from './pool-trace.ts';
import { wrap } from '../engine/tensor.ts';
import {
  TINY_CNN,
  tinyCnnBackward,
  tinyCnnForward,
  tinyCnnParams,
  type TinyCnnForward,
  type TinyCnnGrads,
  type TinyCnnParams,
} from '../exercises/tiny-cnn.ts';

/** The named values of the tiny CNN: inputs and parameters, then the forward values in order. */
export type TinyValue = 'x' | 'w1' | 'b1' | 'z1' | 'a1' | 'm' | 'w2' | 'b2' | 'z' | 'p';

/** One number of the network: value `t`, flat (row-major) index `i` with the channel axis dropped. */
export interface TinyCell {
  t: TinyValue;
  i: number;
}

/** The backward pass's stages, in the order the walk visits them. */
export type BackpropStage = 'loss' | 'dz' | 'dw2' | 'db2' | 'dm' | 'da1' | 'dz1' | 'dw1' | 'db1' | 'dx';
export const BACKPROP_STAGES: readonly BackpropStage[] = [
  'loss',
  'dz',
  'dw2',
  'db2',
  'dm',
  'da1',
  'dz1',
  'dw1',
  'db1',
  'dx',
];

/** One product of a chain-rule sum: an upstream gradient times a local derivative read from the forward pass. */
export interface BackpropTerm {
  /** The gradient flowing in, dL/d(grad cell). */
  grad: TinyCell;
  gradValue: number;
  /** Where the local derivative comes from (a forward value or a weight); null when it is the constant 1. */
  from: TinyCell | null;
  /** The local derivative (for ReLU: 1 if z1 > 0, else 0). */
  factor: number;
  product: number;
}

/** One gradient of the walk: dL/d(target) = sum of terms (or, for 'loss' and 'dz', the closed forms). */
export interface BackpropStep {
  stage: BackpropStage;
  /** The value whose gradient is computed (for 'loss', the loss's own input p[label]). */
  target: TinyCell;
  value: number;
  terms: BackpropTerm[];
  /** Forward values this gradient reads, beyond the terms' `from` cells (a pool window, p for p - y). */
  reads: TinyCell[];
  /** Pool steps: the window (0..3, = the index of m), whether this cell held its maximum, and whether it tied. */
  window?: { k: number; isMax: boolean; tie: boolean };
  /** 'dz' steps: p_j and the one-hot y_j. */
  py?: { p: number; y: number };
}

export interface BackpropWalk {
  params: TinyCnnParams;
  label: number;
  fwd: TinyCnnForward;
  grads: TinyCnnGrads;
  steps: BackpropStep[];
}

const cell = (t: TinyValue, i: number): TinyCell => ({ t, i });
const one = (grad: TinyCell, gradValue: number): BackpropTerm => ({
  grad,
  gradValue,
  from: null,
  factor: 1,
  product: gradValue,
});

/**
 * The backward pass of the tiny CNN as a list of single gradients, loss first, input last (101 steps):
 * the loss, dL/dz (3), dL/dW2 (12), dL/db2 (3), dL/dm (4), dL/da1 (16, max-pool backward), dL/dz1 (16, ReLU
 * backward), dL/dW1 (9), dL/db1, dL/dx (36). Every step's terms add up to the value tinyCnnBackward computes.
 * @param seed whole number >= 0 (the weights and input, see tinyCnnParams) @param label the true class, 0..2
 */
export function backpropWalk(seed: number, label: number): BackpropWalk {
  const params = tinyCnnParams(seed);
  const fwd = tinyCnnForward(params, label);
  const grads = tinyCnnBackward(params, fwd, label);
  const { classes, features, conv, pooled, size, kernel } = TINY_CNN;
  const steps: BackpropStep[] = [];
  const p = fwd.p.data;
  steps.push({ stage: 'loss', target: cell('p', label), value: fwd.loss, terms: [], reads: [cell('p', label)] });
  for (let j = 0; j < classes; j++) {
    const y = j === label ? 1 : 0;
    steps.push({
      stage: 'dz',
      target: cell('z', j),
      value: grads.dz.data[j]!,
      terms: [],
      reads: [cell('p', j)],
      py: { p: p[j]!, y },
    });
  }
  const dz = grads.dz.data;
  for (let j = 0; j < classes; j++) {
    for (let i = 0; i < features; i++) {
      const term: BackpropTerm = {
        grad: cell('z', j),
        gradValue: dz[j]!,
        from: cell('m', i),
        factor: fwd.m.data[i]!,
        product: dz[j]! * fwd.m.data[i]!,
      };
      steps.push({
        stage: 'dw2',
        target: cell('w2', j * features + i),
        value: grads.dw2.data[j * features + i]!,
        terms: [term],
        reads: [],
      });
    }
  }
  for (let j = 0; j < classes; j++) {
    steps.push({
      stage: 'db2',
      target: cell('b2', j),
      value: grads.db2.data[j]!,
      terms: [one(cell('z', j), dz[j]!)],
      reads: [],
    });
  }
  for (let i = 0; i < features; i++) {
    const terms = Array.from({ length: classes }, (_, j): BackpropTerm => {
      const w = params.w2.data[j * features + i]!;
      return {
        grad: cell('z', j),
        gradValue: dz[j]!,
        from: cell('w2', j * features + i),
        factor: w,
        product: dz[j]! * w,
      };
    });
    steps.push({ stage: 'dm', target: cell('m', i), value: grads.dm.data[i]!, terms, reads: [] });
  }
  // Max-pool backward: each a1 cell receives dm[k] of its window k if it held the maximum, else nothing.
  for (let r = 0; r < conv; r++) {
    for (let c = 0; c < conv; c++) {
      const k = Math.floor(r / 2) * pooled + Math.floor(c / 2);
      const tr = poolTrace(fwd.a1, 'max', { size: TINY_CNN.pool }, 0, Math.floor(r / 2), Math.floor(c / 2));
      const isMax = tr.argmax !== null && tr.argmax.iy === r && tr.argmax.ix === c;
      const dm = grads.dm.data[k]!;
      steps.push({
        stage: 'da1',
        target: cell('a1', r * conv + c),
        value: grads.da1.data[r * conv + c]!,
        terms: isMax ? [one(cell('m', k), dm)] : [],
        reads: tr.cells.map((w) => cell('a1', w.iy * conv + w.ix)),
        window: { k, isMax, tie: tr.ties },
      });
    }
  }
  for (let i = 0; i < conv * conv; i++) {
    const on = fwd.z1.data[i]! > 0 ? 1 : 0;
    const g = grads.da1.data[i]!;
    const term: BackpropTerm = { grad: cell('a1', i), gradValue: g, from: cell('z1', i), factor: on, product: g * on };
    steps.push({ stage: 'dz1', target: cell('z1', i), value: grads.dz1.data[i]!, terms: [term], reads: [] });
  }
  const dz1 = wrap([1, conv, conv], grads.dz1.data);
  for (let ky = 0; ky < kernel; ky++) {
    for (let kx = 0; kx < kernel; kx++) {
      const tr = conv2dWeightGradTrace(params.x, params.w1, dz1, {}, 0, 0, ky, kx);
      const terms = tr.terms.map((t): BackpropTerm => ({
        grad: cell('z1', t.oy * conv + t.ox),
        gradValue: t.dy,
        from: cell('x', t.iy * size + t.ix),
        factor: t.x,
        product: t.product,
      }));
      steps.push({
        stage: 'dw1',
        target: cell('w1', ky * kernel + kx),
        value: grads.dw1.data[ky * kernel + kx]!,
        terms,
        reads: [],
      });
    }
  }
  const biasTerms = Array.from(grads.dz1.data, (g, i) => one(cell('z1', i), g));
  steps.push({ stage: 'db1', target: cell('b1', 0), value: grads.db1.data[0]!, terms: biasTerms, reads: [] });
  for (let iy = 0; iy < size; iy++) {
    for (let ix = 0; ix < size; ix++) {
      const tr = conv2dInputGradTrace(params.x, params.w1, dz1, {}, 0, iy, ix);
      const terms = tr.terms.map((t): BackpropTerm => ({
        grad: cell('z1', t.oy * conv + t.ox),
        gradValue: t.dy,
        from: cell('w1', t.ky * kernel + t.kx),
        factor: t.w,
        product: t.product,
      }));
      steps.push({
        stage: 'dx',
        target: cell('x', iy * size + ix),
        value: grads.dx.data[iy * size + ix]!,
        terms,
        reads: [],
      });
    }
  }
  return { params, label, fwd, grads, steps };
}

/** Index of the first step of a stage. */
export function stageStart(walk: BackpropWalk, stage: BackpropStage): number {
  const i = walk.steps.findIndex((s) => s.stage === stage);
  if (i < 0) throw new EngineError('stage', `Unknown stage "${String(stage)}".`);
  return i;
}
