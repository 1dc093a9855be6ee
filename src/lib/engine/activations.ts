import { EngineError, assertFiniteResult } from './errors.ts';
import { assertFiniteTensor, assertSameShape, assertTensor, wrap, type Tensor } from './tensor.ts';

export type ActivationName = 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'identity';

/** Default slope of leakyRelu for negative inputs. */
export const LEAKY_RELU_ALPHA = 0.01;

// exp(-|z|) never overflows, so this form is safe for any finite z.
function sigmoidScalar(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Each activation with its derivative (df takes the activation's input). At a kink (ReLU at 0) the derivative
 * is the left one, 0 for relu and alpha for leakyRelu, as TensorFlow uses.
 *
 * These are the UNCHECKED scalar kernels: they run once per element inside activate/activateBackward (which
 * validate their tensors first), so they do not check their argument, and f(NaN) is NaN. Call the tensor
 * functions (activate, relu, sigmoid, ...) on learner input; use the table for plots of known-good numbers.
 */
export const activations: Record<ActivationName, { f(x: number): number; df(x: number): number; label: string }> = {
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), label: 'ReLU' },
  leakyRelu: {
    f: (x) => (x > 0 ? x : LEAKY_RELU_ALPHA * x),
    df: (x) => (x > 0 ? 1 : LEAKY_RELU_ALPHA),
    label: 'Leaky ReLU',
  },
  sigmoid: {
    f: sigmoidScalar,
    df: (x) => {
      const s = sigmoidScalar(x);
      return s * (1 - s);
    },
    label: 'Sigmoid',
  },
  tanh: {
    f: Math.tanh,
    df: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
    label: 'tanh',
  },
  identity: { f: (x) => x, df: () => 1, label: 'Identity' },
};

function checkName(name: ActivationName): void {
  if (!Object.prototype.hasOwnProperty.call(activations, name)) {
    throw new EngineError(
      'activation',
      `Unknown activation '${String(name)}'; choose one of ${Object.keys(activations).join(', ')}.`,
    );
  }
}

function checkAlpha(alpha: number): void {
  if (!Number.isFinite(alpha))
    throw new EngineError('alpha', `The leaky ReLU slope must be a finite number, got ${String(alpha)}.`);
}

/**
 * Applies an activation elementwise. @param x any shape @param alpha slope for leakyRelu (default 0.01)
 * @returns same shape as x
 */
export function activate(x: Tensor, name: ActivationName, alpha = LEAKY_RELU_ALPHA): Tensor {
  checkName(name);
  checkAlpha(alpha);
  assertTensor(x, 'input', 'The input x');
  assertFiniteTensor(x, 'input', 'The input x');
  const out = new Float64Array(x.data.length);
  const xd = x.data;
  if (name === 'leakyRelu') {
    for (let i = 0; i < xd.length; i++) out[i] = xd[i]! > 0 ? xd[i]! : alpha * xd[i]!;
  } else if (name === 'relu') {
    for (let i = 0; i < xd.length; i++) out[i] = xd[i]! > 0 ? xd[i]! : 0;
  } else {
    const f = activations[name].f;
    for (let i = 0; i < xd.length; i++) out[i] = f(xd[i]!);
  }
  // Only a leaky slope steeper than 1 can push a finite input past ±1.8e308; the others never grow |x|.
  if (name === 'leakyRelu' && Math.abs(alpha) > 1) assertFiniteResult('leakyRelu', out);
  return wrap(x.shape, out);
}

/**
 * Gradient through an activation: dx = f'(x) * dy, with f' evaluated at the activation's input x.
 * @param x the activation's input @param dy same shape as x @returns dx same shape as x
 */
export function activateBackward(x: Tensor, name: ActivationName, dy: Tensor, alpha = LEAKY_RELU_ALPHA): Tensor {
  checkName(name);
  checkAlpha(alpha);
  assertTensor(x, 'input', 'The input x');
  assertFiniteTensor(x, 'input', 'The input x');
  assertTensor(dy, 'gradient', 'The output gradient dy');
  assertSameShape(x.shape, dy.shape, 'gradient', 'The output gradient dy must match the input x');
  assertFiniteTensor(dy, 'gradient', 'The output gradient dy');
  const out = new Float64Array(x.data.length);
  const xd = x.data;
  const gd = dy.data;
  if (name === 'leakyRelu') {
    for (let i = 0; i < xd.length; i++) out[i] = xd[i]! > 0 ? gd[i]! : alpha * gd[i]!;
  } else if (name === 'relu') {
    for (let i = 0; i < xd.length; i++) out[i] = xd[i]! > 0 ? gd[i]! : 0;
  } else {
    const df = activations[name].df;
    for (let i = 0; i < xd.length; i++) out[i] = df(xd[i]!) * gd[i]!;
  }
  // |f'| <= 1 for the others, so only a leaky slope steeper than 1 can overflow dy.
  if (name === 'leakyRelu' && Math.abs(alpha) > 1) assertFiniteResult('leakyReluBackward', out);
  return wrap(x.shape, out);
}

/** max(0, x) elementwise. */
export const relu = (x: Tensor): Tensor => activate(x, 'relu');
/** dy where x > 0, else 0. */
export const reluBackward = (x: Tensor, dy: Tensor): Tensor => activateBackward(x, 'relu', dy);
/** x for x > 0, alpha*x otherwise. */
export const leakyRelu = (x: Tensor, alpha = LEAKY_RELU_ALPHA): Tensor => activate(x, 'leakyRelu', alpha);
export const leakyReluBackward = (x: Tensor, dy: Tensor, alpha = LEAKY_RELU_ALPHA): Tensor =>
  activateBackward(x, 'leakyRelu', dy, alpha);
/** 1 / (1 + e^-x) elementwise. */
export const sigmoid = (x: Tensor): Tensor => activate(x, 'sigmoid');
export const sigmoidBackward = (x: Tensor, dy: Tensor): Tensor => activateBackward(x, 'sigmoid', dy);
/** tanh elementwise. */
export const tanh = (x: Tensor): Tensor => activate(x, 'tanh');
export const tanhBackward = (x: Tensor, dy: Tensor): Tensor => activateBackward(x, 'tanh', dy);
