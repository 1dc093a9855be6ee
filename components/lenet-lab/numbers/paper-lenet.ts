/**
 * LeNet-5 exactly as LeCun et al. (1998, section II.B) describe it, counted layer by layer with the engine's
 * parameter formulas, so the course can state the paper's ~60,000 trainable parameters from code and set them
 * beside the lab's modern network.
 */
import { conv2dParamCount, denseParamCount } from '../../../src/lib/index.ts';
import { c3PartialParams } from './c3.ts';

/** One layer of the 1998 network: its name, trainable parameters, and fixed ones (the RBF bitmaps). */
export interface PaperLayer {
  layer: 'C1' | 'S2' | 'C3' | 'S4' | 'C5' | 'F6' | 'output';
  trainable: number;
  fixed: number;
}

/** A subsampling layer has one trainable coefficient and one bias per map. */
const subsampling = (maps: number) => 2 * maps;

export const PAPER_LENET: readonly PaperLayer[] = [
  { layer: 'C1', trainable: conv2dParamCount(1, 6, 5, 5), fixed: 0 },
  { layer: 'S2', trainable: subsampling(6), fixed: 0 },
  { layer: 'C3', trainable: c3PartialParams(), fixed: 0 },
  { layer: 'S4', trainable: subsampling(16), fixed: 0 },
  { layer: 'C5', trainable: conv2dParamCount(16, 120, 5, 5), fixed: 0 },
  { layer: 'F6', trainable: denseParamCount(120, 84), fixed: 0 },
  // Ten RBF units, each comparing F6's 84 outputs with a hand-drawn 7x12 bitmap of +-1 values, kept fixed.
  { layer: 'output', trainable: 0, fixed: 10 * 84 },
];

/** The paper's trainable parameters in total. */
export function paperTrainableParams(): number {
  return PAPER_LENET.reduce((s, l) => s + l.trainable, 0);
}
