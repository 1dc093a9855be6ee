/** What the shift demo pools: the digit itself or its vertical-edge feature map (conv + ReLU). */
export type ShiftSource = 'image' | 'edges';

/** Everything the shift demo shows, serializable to the URL (the pixels travel in the page, not the URL). */
export interface ShiftDemoState {
  /** Which of the 20 sample digits. */
  digit: number;
  source: ShiftSource;
  /** Pooling window = stride (non-overlapping windows). */
  size: number;
  /** Rows moved down (negative: up) and columns moved right (negative: left). */
  down: number;
  right: number;
}

export const SOURCES: readonly ShiftSource[] = ['image', 'edges'];
export const SOURCE_LABELS: Record<ShiftSource, string> = { image: 'the digit', edges: 'its edge map' };
/** Shifts are limited to a few pixels: MNIST digits have a 4-pixel margin, and the point is small moves. */
export const MAX_SHIFT = 3;
export const MAX_WINDOW = 7;

export function isSource(s: string | undefined): s is ShiftSource {
  return s !== undefined && (SOURCES as readonly string[]).includes(s);
}
