/** Chapter 4's wrong solutions: designing a vertical-edge kernel. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

const kernel = (rows: string) => `function verticalEdgeKernel(): number[][] {
  return ${rows};
}`;

export const CH04_WRONG: WrongSolution[] = [
  {
    id: 'vertical-edge-kernel',
    mistake: 'a horizontal-edge kernel',
    source: kernel('[[-1, -1, -1], [0, 0, 0], [1, 1, 1]]'),
  },
  {
    id: 'vertical-edge-kernel',
    mistake: 'a horizontal-edge kernel',
    source: kernel('[[-1, -2, -1], [0, 0, 0], [1, 2, 1]]'),
  },
  {
    id: 'vertical-edge-kernel',
    mistake: 'weights do not sum to zero (responds to flat areas)',
    source: kernel('[[-1, 0, 1], [-1, 1, 1], [-1, 0, 1]]'),
  },
  {
    id: 'vertical-edge-kernel',
    mistake: 'weights do not sum to zero (responds to flat areas)',
    source: kernel('[[0, 0, 1], [0, 0, 1], [0, 0, 1]]'),
  },
  {
    id: 'vertical-edge-kernel',
    mistake: "wrong sign for the chapter's convention",
    source: kernel('[[1, 0, -1], [1, 0, -1], [1, 0, -1]]'),
  },
  {
    id: 'vertical-edge-kernel',
    mistake: "wrong sign for the chapter's convention",
    source: kernel('[[1, 0, -1], [2, 0, -2], [1, 0, -1]]'),
  },
];
