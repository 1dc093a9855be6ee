import { activate, reluBackward } from '../engine/activations.ts';
import {
  conv2dInputGradNoRotation,
  denseInputGradReshaped,
  maxPoolBackwardTopLeft,
  reluBackwardNoMask,
  softmaxCrossEntropyGradFlipped,
  type DeliberateBug,
} from './broken-backward.ts';
import { conv2d, conv2dBackward } from '../engine/conv2d.ts';
import { dense, denseBackward } from '../engine/dense.ts';
import { EngineError, assertInt } from '../engine/errors.ts';
import { gradCheck, type GradCheckReport } from '../engine/gradcheck.ts';
import { softmaxCrossEntropy } from '../engine/loss.ts';
import { maxPool2d, pool2dBackward } from '../engine/pool.ts';
import { Rng, randomTensor } from '../engine/rng.ts';
import type { Tensor } from '../engine/tensor.ts';
import {
  TINY_CNN,
  tinyCnnBackward,
  tinyCnnForward,
  tinyCnnParams,
  tinyCnnSignature,
  type TinyCnnForward,
} from './tiny-cnn.ts';

/** What chapter 10's gradient checker can check: one layer of the tiny CNN, or all of it. */
export type CheckTarget = 'conv' | 'pool' | 'relu' | 'dense' | 'softmax-ce' | 'network';
export const CHECK_TARGETS: readonly CheckTarget[] = ['conv', 'pool', 'relu', 'dense', 'softmax-ce', 'network'];

/** The bug the "break the backward pass" toggle puts into each target. */
export const TARGET_BUG: Record<CheckTarget, DeliberateBug> = {
  conv: 'conv-no-rotation',
  pool: 'pool-top-left',
  relu: 'relu-no-mask',
  dense: 'dense-reshape',
  'softmax-ce': 'ce-sign',
  network: 'pool-top-left',
};

/** A scalar function of some tensors, with the gradient a backward pass claims for it. */
export interface GradCheckProblem {
  target: CheckTarget;
  /** The tensors gradCheck nudges (in place), by name; shapes as the engine uses them. */
  params: Record<string, Tensor>;
  /** The scalar: a loss, or <layer output, R> for a seeded R (whose gradient with respect to the output is R). */
  f: () => number;
  /** What the backward pass returned (correct or deliberately broken). */
  analytic: Record<string, Tensor>;
  /** Discrete choices of the last f() call (ReLU on/off, which cell each max-pool window took). */
  signature: () => string;
  /** The deliberate bug, when the backward pass is broken. */
  bug: DeliberateBug | null;
  /** The seeded upstream gradient R for single layers (null for the losses). */
  upstream: Tensor | null;
  /** The true class for the losses (null otherwise). */
  label: number | null;
}

function dot(y: Tensor, r: Tensor): number {
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += y.data[i]! * r.data[i]!;
  return s;
}

const noSignature = (): string => '';

/**
 * A seeded problem for one target. Single layers are checked through f = <layer(inputs), R> with a seeded
 * random R, so their backward pass is called with dy = R. The ReLU input has two entries set exactly to 0 and the
 * max-pool input one window with a tie, on purpose, so the checker has kinks to flag.
 * The whole network uses tinyCnnParams(seed) with the true class seed mod 3.
 * @param seed whole number >= 0 @param broken put TARGET_BUG[target] into the backward pass
 */
export function gradCheckProblem(target: CheckTarget, seed: number, broken = false): GradCheckProblem {
  if (!CHECK_TARGETS.includes(target)) {
    throw new EngineError('target', `Unknown target "${String(target)}"; choose one of ${CHECK_TARGETS.join(', ')}.`);
  }
  assertInt(seed, 'seed', 'The seed', 0);
  const rng = new Rng(seed);
  const bug = broken ? TARGET_BUG[target] : null;
  const base = { target, bug, upstream: null, label: null, signature: noSignature };
  const S = TINY_CNN.size;
  const C = TINY_CNN.conv;
  switch (target) {
    case 'conv': {
      const params = { x: randomTensor([1, S, S], rng), w: randomTensor([1, 1, 3, 3], rng), b: randomTensor([1], rng) };
      const R = randomTensor([1, C, C], rng);
      const g = conv2dBackward(params.x, params.w, R);
      const dx = broken ? conv2dInputGradNoRotation(params.w, R) : g.dx;
      return {
        ...base,
        params,
        upstream: R,
        f: () => dot(conv2d(params.x, params.w, params.b), R),
        analytic: { x: dx, w: g.dw, b: g.db },
      };
    }
    case 'pool': {
      const x = randomTensor([1, C, C], rng);
      // A tie on purpose: the top-left window's maximum is copied into another cell of that window.
      const window = [0, 1, C, C + 1];
      const at = window.reduce((a, i) => (x.data[i]! > x.data[a]! ? i : a), 0);
      x.data[at === C + 1 ? 0 : C + 1] = x.data[at]!;
      const R = randomTensor([1, 2, 2], rng);
      const opts = { size: TINY_CNN.pool };
      let argmax = '';
      const f = (): number => {
        const r = maxPool2d(x, opts);
        argmax = r.argmax!.join(',');
        return dot(r.y, R);
      };
      const dx = broken ? maxPoolBackwardTopLeft(x, TINY_CNN.pool, R) : pool2dBackward(x, 'max', opts, R);
      return { ...base, params: { x }, upstream: R, f, analytic: { x: dx }, signature: () => argmax };
    }
    case 'relu': {
      const x = randomTensor([1, C, C], rng);
      // Two inputs exactly at the kink, on purpose.
      x.data[rng.int(0, 8)] = 0;
      x.data[rng.int(8, 16)] = 0;
      const R = randomTensor([1, C, C], rng);
      const dx = broken ? reluBackwardNoMask(R) : reluBackward(x, R);
      const signature = (): string => Array.from(x.data, (v) => (v > 0 ? '1' : '0')).join('');
      return {
        ...base,
        params: { x },
        upstream: R,
        f: () => dot(activate(x, 'relu'), R),
        analytic: { x: dx },
        signature,
      };
    }
    case 'dense': {
      const { features, classes } = TINY_CNN;
      const params = {
        x: randomTensor([features], rng),
        w: randomTensor([classes, features], rng),
        b: randomTensor([classes], rng),
      };
      const R = randomTensor([classes], rng);
      const g = denseBackward(params.x, params.w, R);
      const dx = broken ? denseInputGradReshaped(params.w, R) : g.dx;
      return {
        ...base,
        params,
        upstream: R,
        f: () => dot(dense(params.x, params.w, params.b), R),
        analytic: { x: dx, w: g.dw, b: g.db },
      };
    }
    case 'softmax-ce': {
      const z = randomTensor([TINY_CNN.classes], rng, -2, 2);
      const label = rng.int(0, TINY_CNN.classes);
      const r = softmaxCrossEntropy(z, [label]);
      const dz = broken ? softmaxCrossEntropyGradFlipped(r.probs, label) : r.dlogits;
      return { ...base, label, params: { z }, f: () => softmaxCrossEntropy(z, [label]).loss, analytic: { z: dz } };
    }
    case 'network': {
      const p = tinyCnnParams(seed);
      const label = seed % TINY_CNN.classes;
      const g = tinyCnnBackward(p, tinyCnnForward(p, label), label, broken ? 'pool-top-left' : 'none');
      let last: TinyCnnForward | null = null;
      const f = (): number => {
        last = tinyCnnForward(p, label);
        return last.loss;
      };
      const signature = (): string => (last === null ? '' : tinyCnnSignature(last));
      return {
        ...base,
        label,
        params: { x: p.x, w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2 },
        f,
        analytic: { x: g.dx, w1: g.dw1, b1: g.db1, w2: g.dw2, b2: g.db2 },
        signature,
      };
    }
  }
}

/** Runs gradCheck on a problem. @param eps the finite-difference step, 1e-12 .. 0.1 */
export function runGradCheck(problem: GradCheckProblem, eps: number): GradCheckReport {
  if (!(eps >= 1e-12 && eps <= 0.1)) {
    throw new EngineError('eps', `The step ε must be between 1e-12 and 0.1, got ${String(eps)}.`);
  }
  return gradCheck(problem.params, problem.f, problem.analytic, { eps, signature: problem.signature });
}

/** The two evaluations behind one numerical gradient, for showing the arithmetic of one element. */
export function finiteDifferenceAt(
  problem: GradCheckProblem,
  param: string,
  index: number,
  eps: number,
): { plus: number; minus: number; numerical: number; value: number } {
  const t = problem.params[param];
  if (t === undefined) throw new EngineError('param', `There is no parameter "${param}" in this problem.`);
  assertInt(index, 'index', 'The element index', 0, t.data.length - 1);
  const value = t.data[index]!;
  t.data[index] = value + eps;
  const plus = problem.f();
  t.data[index] = value - eps;
  const minus = problem.f();
  t.data[index] = value;
  problem.f(); // leave any cached forward state (signatures) at the unperturbed point
  return { plus, minus, numerical: (plus - minus) / (2 * eps), value };
}
