import { assertInt } from './errors.ts';

/**
 * Number of learnable numbers in a conv layer: one kh x kw x inChannels kernel per filter, plus one bias each.
 * LeNet's first 3x3 layer on a grey image: conv2dParamCount(1, 6, 3, 3) = 6*9 + 6 = 60.
 */
export function conv2dParamCount(inChannels: number, filters: number, kh: number, kw: number, bias = true): number {
  assertInt(inChannels, 'inChannels', 'The number of input channels', 1);
  assertInt(filters, 'filters', 'The number of filters', 1);
  assertInt(kh, 'kernel', 'The kernel height', 1);
  assertInt(kw, 'kernel', 'The kernel width', 1);
  return filters * inChannels * kh * kw + (bias ? filters : 0);
}

/** Number of learnable numbers in a dense layer: a weight per (input, unit) pair, plus one bias per unit. */
export function denseParamCount(inputs: number, units: number, bias = true): number {
  assertInt(inputs, 'inputs', 'The number of inputs', 1);
  assertInt(units, 'units', 'The number of units', 1);
  return inputs * units + (bias ? units : 0);
}
