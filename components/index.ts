/**
 * The components a chapter may use. Chapters import from this file only, never from a widget's folder,
 * so a widget's internals can change without touching any chapter.
 */

/** A self-check question whose answer the reader reveals (native <details>, works without JavaScript). */
export { default as SelfCheck } from './self-check/SelfCheck.astro';
/** A highlighted aside: kind "note" | "warning" | "tip". */
export { default as Callout } from './callout/Callout.astro';
/** Chapter 1: step through a 1D convolution or cross-correlation (full/same/valid). Props: id, x?, w?, mode?, kind?. */
export { default as ConvStepper1D } from './conv-stepper-1d/ConvStepper1D.astro';
/** Inline engine-computed 1D convolution result or length. Props: x, w, mode?, kind?, show? ("values" | "length"). */
export { default as Conv1dOutput } from './conv1d-output/Conv1dOutput.astro';
/** Static SVG of a 1D convolution as a computational graph (x -> products -> sums). Props: x, w, mode?, caption. */
export { default as ConvGraph1D } from './conv-graph-1d/ConvGraph1D.astro';
