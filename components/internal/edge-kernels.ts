/**
 * The course's one sign convention for edge kernels, shared by every widget and chapter (chapter 4 states it):
 * kernels are written the way they are applied, by cross-correlation (every deep-learning library, and this course's
 * layers), and take the difference "right minus left" or "bottom minus top". A positive response therefore means
 * the image gets brighter to the right (or downwards), like a derivative along +x (or +y, rows counting down).
 *
 * A true convolution (scipy.signal.convolve2d, or a textbook formula written with the flip) rotates the kernel by
 * 180°, which for these kernels is the same as negating it; that is why books that convolve print Sobel x as
 * [1 0 −1; 2 0 −2; 1 0 −1] for the same detector. Row-major 3×3 entries.
 */

/** Right column minus left column. */
export const VERTICAL_EDGE: readonly number[] = [-1, 0, 1, -1, 0, 1, -1, 0, 1];
/** Bottom row minus top row. */
export const HORIZONTAL_EDGE: readonly number[] = [-1, -1, -1, 0, 0, 0, 1, 1, 1];
/** The vertical-edge difference with the middle row counted twice: (1, 2, 1) down the columns times (−1, 0, 1). */
export const SOBEL_X: readonly number[] = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
/** Sobel x turned a quarter: bottom minus top, smoothed left to right. */
export const SOBEL_Y: readonly number[] = [-1, -2, -1, 0, 0, 0, 1, 2, 1];
