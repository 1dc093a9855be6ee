import { activations, LEAKY_RELU_ALPHA, type ActivationName } from '../engine/activations.ts';
import { assertFiniteArray, EngineError } from '../engine/errors.ts';

/**
 * How much of a gradient survives the activations of a deep chain. Backpropagating through n layers multiplies
 * the gradient by one activation derivative per layer (times the weights, left out here), so the factor after
 * layer n is f'(z_1) f'(z_2) ... f'(z_n). Sigmoid's derivative is at most 1/4, so this product shrinks at least as
 * fast as 4^-n: the vanishing gradient.
 *
 * @param name the activation
 * @param z pre-activations, one per layer, first layer first (length n >= 1)
 * @param alpha leaky ReLU's negative slope
 * @returns length n: entry i is the product of the first i + 1 derivatives
 */
export function derivativeChain(name: ActivationName, z: readonly number[], alpha = LEAKY_RELU_ALPHA): number[] {
  if (!Object.prototype.hasOwnProperty.call(activations, name)) {
    throw new EngineError(
      'activation',
      `Unknown activation '${String(name)}'; choose one of ${Object.keys(activations).join(', ')}.`,
    );
  }
  if (!Array.isArray(z) || z.length === 0) {
    throw new EngineError('input', 'The chain needs at least one pre-activation value.');
  }
  assertFiniteArray(z, 'input', 'The pre-activation z');
  if (!Number.isFinite(alpha)) {
    throw new EngineError('alpha', `The leaky ReLU slope must be a finite number, got ${String(alpha)}.`);
  }
  const df = name === 'leakyRelu' ? (v: number) => (v > 0 ? 1 : alpha) : activations[name].df;
  const out: number[] = [];
  let product = 1;
  for (const v of z) {
    product *= df(v);
    out.push(product);
  }
  return out;
}
