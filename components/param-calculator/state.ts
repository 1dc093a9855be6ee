/** The three calculators' inputs, serializable to the URL (each key is also the field's data-field). */
export interface ParamCalcState {
  /** Dense layer: inputs and units. */
  inputs: number;
  units: number;
  /** Conv layer: input channels, filters, kernel size (square), input size (square) for the dense comparison. */
  C: number;
  K: number;
  k: number;
  size: number;
  /** Receptive field: how many stacked layers, their kernel size, and the channels in and out of each. */
  layers: number;
  rk: number;
  rC: number;
}

export type ParamField = keyof ParamCalcState;

/** Defaults: a dense layer 784 -> 256, LeNet's second 3x3 conv on its 13x13x6 input, two stacked 3x3 layers. */
export const DEFAULT_STATE: ParamCalcState = {
  inputs: 784,
  units: 256,
  C: 6,
  K: 16,
  k: 3,
  size: 13,
  layers: 2,
  rk: 3,
  rC: 16,
};

export const FIELDS: Record<ParamField, { label: string; min: number; max: number; name: string }> = {
  inputs: { label: 'Inputs', min: 1, max: 1_000_000, name: 'the number of inputs' },
  units: { label: 'Units', min: 1, max: 100_000, name: 'the number of units' },
  C: { label: 'Input channels C', min: 1, max: 2048, name: 'the number of input channels' },
  K: { label: 'Filters K', min: 1, max: 2048, name: 'the number of filters' },
  k: { label: 'Kernel size k', min: 1, max: 15, name: 'the kernel size' },
  size: { label: 'Input size', min: 1, max: 512, name: 'the input size' },
  layers: { label: 'Stacked layers', min: 1, max: 10, name: 'the number of layers' },
  rk: { label: 'Kernel size', min: 1, max: 15, name: 'the kernel size' },
  rC: { label: 'Channels in and out', min: 1, max: 2048, name: 'the number of channels' },
};

/** Which calculator a field belongs to: its result and message update together. */
export const SECTIONS: Record<'dense' | 'conv' | 'rf', readonly ParamField[]> = {
  dense: ['inputs', 'units'],
  conv: ['C', 'K', 'k', 'size'],
  rf: ['layers', 'rk', 'rC'],
};

export function isParamField(s: string | undefined): s is ParamField {
  return s !== undefined && Object.prototype.hasOwnProperty.call(FIELDS, s);
}
