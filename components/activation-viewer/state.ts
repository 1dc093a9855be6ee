import { activate, conv2d, tensor, type ActivationName, type Tensor } from '../../src/lib/index.ts';
import { SOBEL_X, SOBEL_Y } from '../internal/edge-kernels.ts';

/** Everything the viewer shows, serializable to the URL (the digit's pixels are data, loaded separately). */
export interface ActivationViewerState {
  /** Index into the 20 sample MNIST test digits. */
  digit: number;
  kernel: KernelName;
  activation: ActivationName;
  /** Leaky ReLU's slope for negative inputs. */
  alpha: number;
  /** Added to every value of the feature map before the activation (the filter's bias). */
  bias: number;
  /** The focused cell of the feature map. */
  row: number;
  col: number;
}

export type KernelName = 'vertical' | 'horizontal';

/** Chapter 4's Sobel kernels (edge-kernels.ts): right minus left, and bottom minus top. */
export const KERNELS: Record<KernelName, { label: string; values: readonly number[] }> = {
  vertical: { label: 'vertical edges', values: SOBEL_X },
  horizontal: { label: 'horizontal edges', values: SOBEL_Y },
};

export const ACTIVATIONS: readonly ActivationName[] = ['relu', 'leakyRelu', 'sigmoid', 'tanh', 'identity'];

export const LIMITS = {
  digit: { min: 0, max: 19 },
  alpha: { min: 0, max: 1 },
  bias: { min: -4, max: 4 },
} as const;

/** Digit 0 (a 7), the vertical-edge kernel, ReLU, no bias; the component then focuses the most negative cell. */
export const DEFAULT_STATE: ActivationViewerState = {
  digit: 0,
  kernel: 'vertical',
  activation: 'relu',
  alpha: 0.1,
  bias: 0,
  row: 13,
  col: 13,
};

export function isKernel(s: string | undefined): s is KernelName {
  return s === 'vertical' || s === 'horizontal';
}
export function isActivation(s: string | undefined): s is ActivationName {
  return s !== undefined && (ACTIVATIONS as readonly string[]).includes(s);
}

/** The two maps the viewer compares. */
export interface Maps {
  /** Pre-activation feature map z: the digit (scaled to 0..1) cross-correlated with the kernel, plus the bias. */
  z: Tensor;
  /** The activation applied to z, element by element. */
  a: Tensor;
  rows: number;
  cols: number;
}

/**
 * Runs the engine: conv2d (valid, stride 1) then the activation.
 * @param pixels 28*28 grey levels 0..255 of the digit, row-major
 */
export function computeMaps(pixels: readonly number[], size: number, s: ActivationViewerState): Maps {
  const x = tensor(
    [1, size, size],
    pixels.map((p) => p / 255),
  );
  const w = tensor([1, 1, 3, 3], KERNELS[s.kernel].values);
  const z = conv2d(x, w, tensor([1], [s.bias]));
  const a = activate(z, s.activation, s.alpha);
  return { z, a, rows: z.shape[1]!, cols: z.shape[2]! };
}

/** The cell with the most negative value: where ReLU's effect is plainest. */
export function mostNegative(m: Maps): { row: number; col: number } {
  let best = 0;
  for (let i = 1; i < m.z.data.length; i++) if (m.z.data[i]! < m.z.data[best]!) best = i;
  return { row: Math.floor(best / m.cols), col: best % m.cols };
}
