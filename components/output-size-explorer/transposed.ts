import { transposedOutputSize } from '../../src/lib/index.ts';
import type { Explored, ExplorerState } from './state.ts';

/**
 * The explorer's note on the transposed convolution with the same settings (Dumoulin & Visin 2016): it maps the
 * output size o back to the input size i, with the remainder of the floor as its output padding a.
 */
export function transposedNote(s: ExplorerState, ex: Explored): string {
  const o = ex.r.size;
  const a = ex.r.remainder;
  const back = transposedOutputSize(o, s.kernel, [ex.before, ex.after], s.stride, s.dilation, a);
  const pad = ex.before === ex.after ? `2·${ex.before}` : `${ex.before} + ${ex.after}`;
  return (
    `Transposed convolution with the same settings maps ${o} back to ${back}: ` +
    `(${o} − 1)·${s.stride} − ${pad} + ${s.dilation}·(${s.kernel} − 1) + 1 + ${a} = ${back}` +
    (a > 0 ? `, with output padding ${a} (the remainder the floor dropped).` : '.')
  );
}
