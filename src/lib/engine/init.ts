import { EngineError, assertInt } from './errors.ts';
import { tensor, type Tensor } from './tensor.ts';
import type { Rng } from './rng.ts';

/** He (Kaiming) normal for ReLU layers, Glorot (Xavier) uniform for sigmoid/tanh/linear ones. */
export type InitScheme = 'he' | 'glorot';

/**
 * Seeded random weights whose scale keeps activations from shrinking or exploding layer after layer.
 * - 'he': normal with standard deviation sqrt(2 / fanIn) (He et al. 2015), because ReLU zeroes half the signal.
 * - 'glorot': uniform on [-l, l], l = sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio 2010), variance 2 / (fanIn + fanOut).
 *
 * @param shape the weight tensor's shape, e.g. [K, C, kh, kw] or [out, in]
 * @param fanIn inputs feeding one output (C*kh*kw for a conv, `in` for dense)
 * @param fanOut outputs fed by one input (K*kh*kw for a conv, `out` for dense)
 */
export function initWeights(
  shape: readonly number[],
  fanIn: number,
  fanOut: number,
  scheme: InitScheme,
  rng: Rng,
): Tensor {
  assertInt(fanIn, 'fanIn', 'The fan-in', 1);
  assertInt(fanOut, 'fanOut', 'The fan-out', 1);
  const t = tensor(shape);
  const d = t.data;
  if (scheme === 'he') {
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < d.length; i++) d[i] = std * rng.normal();
  } else if (scheme === 'glorot') {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < d.length; i++) d[i] = rng.uniform(-limit, limit);
  } else {
    throw new EngineError('init', `Unknown initialisation "${String(scheme)}"; use "he" or "glorot".`);
  }
  return t;
}

/** Fan-in and fan-out of a conv kernel [K, C, kh, kw] or a dense matrix [out, in]. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 2) return { fanIn: shape[1]!, fanOut: shape[0]! };
  if (shape.length === 4) {
    const field = shape[2]! * shape[3]!;
    return { fanIn: shape[1]! * field, fanOut: shape[0]! * field };
  }
  throw new EngineError(
    'shape',
    `Weights must be [out, in] or [K, C, kh, kw], got a shape of ${shape.length} dimensions.`,
  );
}
