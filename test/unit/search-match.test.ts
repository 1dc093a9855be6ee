import { describe, expect, it } from 'vitest';
import { isRealMatch } from '../../src/site/search-match.ts';

// Excerpts as Pagefind 1.6 returned them for the built course (issue 15).
describe('isRealMatch: which Pagefind results are real', () => {
  it('made-up words find nothing: no highlight, or only a shortened prefix highlighted', () => {
    expect(isRealMatch('qwertyuiop', 'Chapter 4. Kernels are feature detectors. 10 min read')).toBe(false);
    expect(isRealMatch('zzzzqq', 'the logits <mark>z</mark> go through softmax')).toBe(false);
    expect(isRealMatch('convolution qwertyuiop', 'a <mark>convolution</mark> layer')).toBe(false);
  });

  it('real words, stems and hyphenated words do match', () => {
    expect(isRealMatch('derivative', 'the local <mark>derivatives</mark> along the path')).toBe(true);
    expect(isRealMatch('derivative', '<mark>Deriving</mark> the formula')).toBe(true);
    expect(isRealMatch('cross-correlation', 'is a <mark>cross-correlation</mark>, not')).toBe(true);
    expect(isRealMatch('ReLU', 'a <mark>ReLU</mark> keeps')).toBe(true);
    expect(isRealMatch('f′(z)', 'needs <mark>f′(z)</mark> at the input')).toBe(true);
  });
});
