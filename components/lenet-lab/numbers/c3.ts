import { conv2dParamCount } from '../../../src/lib/index.ts';

/**
 * LeNet-5's C3 connection table (LeCun et al. 1998, Table I): which of S2's 6 maps each of C3's 16 maps reads.
 * Maps 0-5 read 3 neighbouring S2 maps, 6-11 read 4 neighbours, 12-14 read 4 non-neighbouring ones, 15 reads all.
 * Neighbours wrap around (map 5's neighbour is map 0).
 */
export const C3_CONNECTIONS: readonly (readonly number[])[] = [
  ...Array.from({ length: 6 }, (_, j) => [0, 1, 2].map((k) => (j + k) % 6)),
  ...Array.from({ length: 6 }, (_, j) => [0, 1, 2, 3].map((k) => (j + k) % 6)),
  [0, 1, 3, 4],
  [1, 2, 4, 5],
  [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/** C3's parameters with the partial table: each map has a 5x5 kernel per S2 map it reads, plus one bias. */
export function c3PartialParams(): number {
  return C3_CONNECTIONS.reduce((s, inputs) => s + conv2dParamCount(inputs.length, 1, 5, 5), 0);
}

/** C3's parameters if every map read all 6 S2 maps (what modern LeNet-5 code does). */
export function c3FullParams(): number {
  return conv2dParamCount(6, 16, 5, 5);
}
