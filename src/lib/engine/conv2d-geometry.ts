/**
 * The resolved sizes of one conv2d, shared by conv2d.ts (which computes them) and conv2d-kernels.ts (whose loops
 * read them). It lives apart so neither file imports the other's runtime code.
 */
import type { ResolvedPadding } from './output-size.ts';

/** Every size a conv2d needs, resolved and validated once. */
export interface Conv2dGeometry {
  B: number; // batch
  C: number; // input channels
  H: number; // input height
  W: number; // input width
  K: number; // filters (output channels)
  kh: number; // kernel height
  kw: number; // kernel width
  sy: number; // vertical stride
  sx: number; // horizontal stride
  dy: number; // vertical dilation
  dx: number; // horizontal dilation
  pad: ResolvedPadding;
  OH: number; // output height
  OW: number; // output width
  flip: boolean; // true convolution: kernel rotated 180° before sliding
}
