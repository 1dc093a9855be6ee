/**
 * The functions chapter 10's gradient-check exercise tries the reader's gradCheck on: right gradients of several
 * functions (the chapter's conv layer, softmax cross-entropy, a dense layer's loss, a ReLU layer with exact-zero
 * gradients, a loss of scale 10⁶) and planted bugs (the deliberately broken backward passes of the chapter's
 * checker and a halved gradient of a tiny loss). Each is a plain function of a vector, as the reader's f.
 */
import { activate, reluBackward } from '../../engine/activations.ts';
import { dense, denseBackward } from '../../engine/dense.ts';
import { softmaxCrossEntropy } from '../../engine/loss.ts';
import { Rng } from '../../engine/rng.ts';
import { fromNested, tensor, type Tensor } from '../../engine/tensor.ts';
import { reluBackwardNoMask } from '../broken-backward.ts';
import { gradCheckProblem, type CheckTarget } from '../gradcheck-problems.ts';
import { valuesOf } from './nested.ts';

export type VecFn = (x: number[]) => number;

/** One function to check: f, the gradient a backward pass claims, the point, and whether that gradient is right. */
export interface GradProblem {
  label: string;
  f: VecFn;
  grad: number[];
  x: number[];
  eps?: number;
  right: boolean;
}

/** f as the reader calls it: a fresh array of numbers in, a number out; a wrong argument gets a plain message. */
export function vectorFn(n: number, value: (x: number[]) => number): VecFn {
  return (x: number[]) => {
    if (!Array.isArray(x) || x.length !== n || !x.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new Error(`f expects an array of ${n} finite numbers (a copy of x with one entry nudged).`);
    }
    return value(x);
  };
}

/** A parameter of one of chapter 10's checker problems as a function of a plain vector. */
function fromChecker(target: CheckTarget, seed: number, param: string, broken: boolean, label: string): GradProblem {
  const p = gradCheckProblem(target, seed, broken);
  const t = p.params[param]!;
  const x = valuesOf(t);
  const f = vectorFn(x.length, (v) => {
    const saved = Float64Array.from(t.data);
    t.data.set(v);
    try {
      return p.f();
    } finally {
      t.data.set(saved);
    }
  });
  return { label, f, grad: valuesOf(p.analytic[param]!), x, right: !broken };
}

const dot = (a: Tensor, b: Tensor) => a.data.reduce((s, v, i) => s + v * b.data[i]!, 0);

/** Seeded values bounded away from 0, so no entry sits on a ReLU kink or below the round-off. */
function awayFromZero(rng: Rng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(lo, hi));
}

/** ⟨relu(x), R⟩ for a seeded x (half the inputs negative: their gradient is exactly 0). */
function reluProblem(broken: boolean): GradProblem {
  const rng = new Rng(1003);
  const x = awayFromZero(rng, 12, 0.2, 1.5);
  const R = tensor([12], awayFromZero(rng, 12, 0.5, 1.5));
  const f = vectorFn(12, (v) => dot(activate(tensor([12], v), 'relu'), R));
  const grad = valuesOf(broken ? reluBackwardNoMask(R) : reluBackward(tensor([12], x), R));
  const label = broken
    ? 'a planted bug: ReLU backward without its mask (f = ⟨relu(x), R⟩)'
    : 'a ReLU layer, f = ⟨relu(x), R⟩: half of the gradient is exactly 0';
  return { label, f, grad, x, right: !broken };
}

/** Softmax cross-entropy of a dense layer's outputs, as a function of its weights W [3, 4]. */
function denseLossProblem(): GradProblem {
  const rng = new Rng(1004);
  const input = tensor([4], awayFromZero(rng, 4, 0.5, 1.5));
  const b = tensor([3], awayFromZero(rng, 3, 0.1, 0.5));
  const w0 = awayFromZero(rng, 12, 0.1, 1);
  const loss = (w: number[]) => softmaxCrossEntropy(fromNested([valuesOf(dense(input, tensor([3, 4], w), b))]), [1]);
  const dz = tensor([3], loss(w0).dlogits.data); // p − y of the one example
  const grad = valuesOf(denseBackward(input, tensor([3, 4], w0), dz).dw);
  return {
    label: 'softmax cross-entropy after a dense layer, for its 3 × 4 weights',
    f: vectorFn(12, (w) => loss(w).loss),
    grad,
    x: w0,
    right: true,
  };
}

/** c · Σ x_i², whose gradient is 2c·x; `scale` multiplies the claimed gradient (1: right). */
function quadratic(c: number, scale: number, label: string): GradProblem {
  const x = awayFromZero(new Rng(1005), 5, 0.5, 2);
  return {
    label,
    f: vectorFn(5, (v) => c * v.reduce((s, u) => s + u * u, 0)),
    grad: x.map((u) => 2 * c * u * scale),
    x,
    right: scale === 1,
  };
}

/** Every function the reader's gradCheck is tried on, right gradients first. */
export function gradProblems(): GradProblem[] {
  const ce = fromChecker('softmax-ce', 1, 'z', false, 'softmax cross-entropy on 3 logits, right gradient p − y');
  return [
    fromChecker('conv', 1, 'w', false, 'the chapter’s checker: the conv layer f = ⟨conv(x, w) + b, R⟩, its kernel w'),
    ce,
    { ...ce, eps: 1e-4, label: 'the same softmax cross-entropy, called with eps = 1e-4' },
    denseLossProblem(),
    reluProblem(false),
    quadratic(1e6, 1, 'f(x) = 10⁶ · Σ xᵢ²: gradients near 10⁶ (the error must be relative)'),
    fromChecker('conv', 1, 'x', true, 'a planted bug: the conv layer’s input gradient without the 180° rotation'),
    fromChecker('softmax-ce', 2, 'z', true, 'a planted bug: softmax cross-entropy with the sign flipped (y − p)'),
    reluProblem(true),
    quadratic(1e-6, 0.5, 'a planted bug in a tiny loss: f(x) = 10⁻⁶ · Σ xᵢ², every gradient halved'),
  ];
}
