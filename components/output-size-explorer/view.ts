import { esc } from '../internal/format.ts';
import { outputSizeTex, texHtml } from '../internal/output-size-formula.ts';
import { transposedNote } from './transposed.ts';
import type { ExplorerState, Explored } from './state.ts';

/** Output cell (row, col) of window `pos`; row is 0 in 1D. */
export function windowAt(s: ExplorerState, ex: Explored): { row: number; col: number } {
  const out = ex.r.size;
  return s.dims === 2 ? { row: Math.floor(s.pos / out), col: s.pos % out } : { row: 0, col: s.pos };
}

/** Per padded cell along one axis: 'tap' (read by the window), 'gap' (inside it but skipped by dilation), or ''. */
function axisMarks(s: ExplorerState, ex: Explored, index: number): string[] {
  const marks = new Array<string>(ex.cells).fill('');
  const start = ex.r.windowStarts[index] ?? 0;
  for (let c = start; c < start + ex.r.effectiveKernel; c++) marks[c] = 'gap';
  for (let j = 0; j < s.kernel; j++) marks[start + j * s.dilation] = 'tap';
  return marks;
}

/**
 * Whether a drawn cell is a padding zero, past the end of the padded input (ceil mode's overhang: no cell at all),
 * and whether (as an input cell) no window ever reads it.
 */
function cellInfo(ex: Explored, cell: number): { pad: boolean; off: boolean; never: boolean; index: number } {
  const index = cell - ex.before;
  const off = cell >= ex.r.paddedInput;
  const pad = !off && (index < 0 || index >= ex.r.paddedInput - ex.before - ex.after);
  return { pad, off, never: !pad && !off && ex.r.unvisitedInputs.includes(index), index };
}

/** The classes of a drawn cell: padding and overhang are both "outside" (dashed), overhang more faintly. */
function outside(info: { pad: boolean; off: boolean }): string | false {
  return info.off ? 'pad off' : info.pad && 'pad';
}

function classes(...names: (string | false)[]): string {
  return names.filter(Boolean).join(' ');
}

/** The padded strip (1D) or square (2D) with the current window, then the outputs and the coverage. */
export function renderStage(s: ExplorerState, ex: Explored): string {
  const { row, col } = windowAt(s, ex);
  const colMarks = axisMarks(s, ex, col);
  const n = ex.cells;
  const out = ex.r.size;
  let grid: string;
  let outputs: string;
  let coverage: string;
  if (s.dims === 1) {
    const cells = colMarks.map((m, c) => {
      const info = cellInfo(ex, c);
      const text = info.off ? '–' : info.pad ? '0' : String(info.index);
      return `<td class="${classes('g', outside(info) || 'in', m, info.never && 'never')}">${text}</td>`;
    });
    const reads = ex.reads.map((v, c) => {
      const info = cellInfo(ex, c);
      const out = info.pad || info.off;
      return `<td class="${classes('cov', outside(info), v === 0 && !out && 'zero')}">${v}</td>`;
    });
    grid =
      `<table class="eo-grid eo-1d" role="img" aria-label="${esc(describeWindow(s, ex))}"><tbody><tr><th scope="row">input</th>${cells.join('')}</tr>` +
      `<tr><th scope="row">reads</th>${reads.join('')}</tr></tbody></table>`;
    outputs = Array.from({ length: out }, (_, o) => outCell(o, o === col, `y[${o}]`)).join('');
    outputs = `<table class="eo-out"><tbody><tr><th scope="row">output</th>${outputs}</tr></tbody></table>`;
    coverage = '';
  } else {
    const rowMarks = axisMarks(s, ex, row);
    let body = '';
    for (let r = 0; r < n; r++) {
      body += '<tr>';
      const ri = cellInfo(ex, r);
      for (let c = 0; c < n; c++) {
        const ci = cellInfo(ex, c);
        const m = rowMarks[r] === 'tap' && colMarks[c] === 'tap' ? 'tap' : rowMarks[r] && colMarks[c] ? 'gap' : '';
        const never = !ri.pad && !ci.pad && !ri.off && !ci.off && (ri.never || ci.never);
        const where = ri.off || ci.off ? 'pad off' : ri.pad || ci.pad ? 'pad' : 'in';
        body += `<td class="${classes('g', where, m, never && 'never')}"></td>`;
      }
      body += '</tr>';
    }
    grid = `<table class="eo-grid eo-2d" role="img" aria-label="${esc(describeWindow(s, ex))}"><tbody>${body}</tbody></table>`;
    let ob = '';
    for (let r = 0; r < out; r++) {
      ob += '<tr>';
      for (let c = 0; c < out; c++) ob += outCell(r * out + c, r === row && c === col, '');
      ob += '</tr>';
    }
    outputs = `<table class="eo-out eo-out-2d"><tbody>${ob}</tbody></table>`;
    let cb = '';
    for (let r = 0; r < n; r++) {
      cb += '<tr>';
      for (let c = 0; c < n; c++) {
        const v = ex.reads[r]! * ex.reads[c]!;
        const ri = cellInfo(ex, r);
        const ci = cellInfo(ex, c);
        const where = ri.off || ci.off ? 'pad off' : (ri.pad || ci.pad) && 'pad';
        cb += `<td class="${classes('cov', where, v === 0 && !where && 'zero')}">${v}</td>`;
      }
      cb += '</tr>';
    }
    coverage = `<figure class="eo-cov"><figcaption>Coverage: how many windows read each cell (padding dashed)</figcaption>${scroller('Coverage map', `<table class="eo-grid eo-cov-grid"><tbody>${cb}</tbody></table>`)}</figure>`;
  }
  return `
${scroller('Padded input and the current window', grid)}
<p class="eo-legend"><span class="key tap"></span> read by this window <span class="key gap"></span> skipped (dilation) <span class="key pad"></span> zero padding${ex.r.overhang ? ' <span class="key pad off"></span> past the end (ceil mode)' : ''} <span class="key never"></span> never read</p>
<p class="eo-sub">Output ${s.dims === 2 ? `${out} × ${out}` : `of length ${out}`} (click a cell to jump to its window)</p>
${scroller('Output positions', outputs)}
${coverage}`;
}

/** Large grids scroll sideways inside their own box; it is focusable so keyboards can scroll it too. */
function scroller(label: string, inner: string): string {
  return `<div class="eo-scroll" tabindex="0" role="group" aria-label="${label}">${inner}</div>`;
}

function outCell(pos: number, current: boolean, text: string): string {
  return `<td class="o${current ? ' current' : ''}" data-pos="${pos}">${text}</td>`;
}

/** "rows 2–4, columns 0–2" of the padded input, and which input cells that is. */
export function describeWindow(s: ExplorerState, ex: Explored): string {
  const { row, col } = windowAt(s, ex);
  const span = (o: number) => {
    const start = ex.r.windowStarts[o]!;
    const taps = Array.from({ length: s.kernel }, (_, j) => start + j * s.dilation - ex.before);
    const real = taps.filter((t) => t >= 0 && t < s.input);
    const past = taps.filter((t) => t + ex.before >= ex.r.paddedInput).length;
    const pads = taps.length - real.length - past;
    const padText = pads ? ` and ${pads} padding zero${pads === 1 ? '' : 's'}` : '';
    const pastText = past ? ` and ${past} cell${past === 1 ? '' : 's'} past the end` : '';
    return `${real.length ? `inputs ${real.join(', ')}` : 'no input'}${padText}${pastText}`;
  };
  if (s.dims === 1) {
    return `Window ${s.pos + 1} of ${ex.windows}, output y[${col}]: reads ${span(col)}.`;
  }
  return `Window ${s.pos + 1} of ${ex.windows}, output row ${row}, column ${col}: rows with ${span(row)}; columns with ${span(col)}.`;
}

/** The formula with the current numbers, and what the floor and dilation leave unread. */
export function renderMath(s: ExplorerState, ex: Explored): string {
  const axis = {
    input: s.input,
    kernel: s.kernel,
    before: ex.before,
    after: ex.after,
    stride: s.stride,
    dilation: s.dilation,
    ceil: s.ceil,
  };
  const notes: string[] = [];
  if (s.padMode === 'same') {
    notes.push(
      `TensorFlow's “same” pads ${ex.before + ex.after} zero${ex.before + ex.after === 1 ? '' : 's'} in total so that the output has ⌈${s.input}/${s.stride}⌉ = ${ex.r.size} positions: ${ex.before} before, ${ex.after} after${ex.before !== ex.after ? ' (the odd one goes after: bottom and right)' : ''}.`,
    );
  }
  const num = ex.r.paddedInput - ex.r.effectiveKernel;
  const cells = (n: number) => `${n} cell${n === 1 ? '' : 's'}`;
  if (!ex.r.exact && !s.ceil) {
    notes.push(
      `Not exact: ${num} is not a multiple of the stride ${s.stride} (remainder ${ex.r.remainder}). The floor drops the fraction: the last window stops ${cells(ex.r.remainder)} short of the end of the padded input.`,
    );
  }
  if (!ex.r.exact && s.ceil) {
    notes.push(
      ex.r.overhang > 0
        ? `Not exact: ${num} is not a multiple of the stride ${s.stride}. Ceil mode keeps a last, partial window that hangs ${cells(ex.r.overhang)} past the end; pooling ignores those cells (max) or leaves them out of the count (average).`
        : `Not exact: ${num} is not a multiple of the stride ${s.stride}, but the extra window ceil mode would add starts in the right padding, so PyTorch drops it and the count equals the floor's.`,
    );
  }
  const never = ex.r.unvisitedInputs;
  if (never.length > 0) {
    const what =
      s.dims === 2
        ? `Input rows and columns ${never.join(', ')} are`
        : `Input${never.length === 1 ? '' : 's'} ${never.join(', ')} ${never.length === 1 ? 'is' : 'are'}`;
    notes.push(`${what} never read by any window: whatever is there cannot affect the output.`);
  }
  notes.push(transposedNote(s, ex));
  const warn = notes.length ? `<ul class="eo-notes">${notes.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>` : '';
  return `<div class="formula">${texHtml(outputSizeTex(axis, ex.r), true)}</div>${warn}`;
}
