import { esc, fmt } from '../internal/format.ts';
import { renderMatrix } from '../internal/matrix.ts';
import type { PoolResult } from './compute.ts';
import type { PoolStepperState } from './state.ts';

const NAMES = { max: 'max', avg: 'average', sum: 'sum' } as const;

/**
 * The stepper's stage as an HTML string: output-size line, matrices with the current window marked, the
 * window's calculation and any tie. Runs at build time (the static first window) and in the browser.
 */
export function renderStage(s: PoolStepperState, r: PoolResult): string {
  const { window: w, oh, ow } = r;
  const step = w.oy * ow + w.ox;
  const inWindow = new Set(w.cells.filter((c) => !c.inPadding).map((c) => c.iy * s.cols + c.ix));
  const best = w.argmax ? w.argmax.iy * s.cols + w.argmax.ix : -1;
  const tied = new Set(
    w.ties ? w.cells.filter((c) => !c.inPadding && c.value === w.result).map((c) => c.iy * s.cols + c.ix) : [],
  );
  const skippedRows = new Set(r.rowsFit.unvisitedInputs);
  const skippedCols = new Set(r.colsFit.unvisitedInputs);
  const inputClass = (row: number, col: number): string => {
    const i = row * s.cols + col;
    if (i === best) return 'current';
    if (tied.has(i)) return 'on tie';
    if (inWindow.has(i)) return 'on';
    return skippedRows.has(row) || skippedCols.has(col) ? 'skip' : '';
  };
  const outClass = (row: number, col: number): string => {
    const i = row * ow + col;
    return i === step ? 'current' : i > step ? 'todo' : '';
  };
  const hideLater = (row: number, col: number, v: number): string => (row * ow + col > step ? '?' : fmt(v));
  const xTitle = `Input x (${s.rows} × ${s.cols})`;
  const panels: string[] = [
    panel(xTitle, renderMatrix(s.x, s.rows, s.cols, { label: xTitle, cellClass: inputClass, indices: true })),
  ];

  if (s.direction === 'forward') {
    const yTitle = `Output y = ${NAMES[s.kind]} pool (${oh} × ${ow})`;
    panels.push(
      panel(
        yTitle,
        renderMatrix(r.y, oh, ow, { label: yTitle, cellClass: outClass, cellText: hideLater, indices: true }),
      ),
    );
  } else {
    const dyTitle = `Upstream gradient dy (${oh} × ${ow})`;
    panels.push(panel(dyTitle, renderMatrix(s.dy, oh, ow, { label: dyTitle, cellClass: outClass, indices: true })));
    const dxTitle = `dx after ${step + 1} of ${oh * ow} windows`;
    const share = s.kind === 'max' ? new Set(best >= 0 ? [best] : []) : inWindow;
    const dxClass = (row: number, col: number): string => (share.has(row * s.cols + col) ? 'current' : '');
    panels.push(
      panel(
        dxTitle,
        renderMatrix(r.dxSoFar ?? [], s.rows, s.cols, { label: dxTitle, cellClass: dxClass, indices: true }),
      ),
    );
    if (r.mask) {
      const maskTitle = 'Index mask: windows whose max sat here';
      panels.push(
        panel(
          maskTitle,
          renderMatrix(r.mask, s.rows, s.cols, { label: maskTitle, cellClass: inputClass, indices: true }),
        ),
      );
    }
  }

  return `
<p class="fit">${fitLine(s, r)}</p>
<div class="panels">${panels.join('')}</div>
<p class="calc">${esc(calculation(s, r))}</p>
${w.ties ? `<p class="tie-note"><strong>Tie.</strong> ${esc(tieSentence(s, r))}</p>` : ''}`;
}

function panel(title: string, table: string): string {
  return `<figure class="panel"><figcaption>${esc(title)}</figcaption>${table}</figure>`;
}

/** "Output 2 × 2: ⌊(4 − 2) / 2⌋ + 1 = 2 per side", with what the floor leaves out. */
function fitLine(s: PoolStepperState, r: PoolResult): string {
  const axis = (n: number, fit: PoolResult['rowsFit']): string =>
    `⌊(${n} − ${s.size}) / ${s.stride}⌋ + 1 = ${fit.size}`;
  const same = s.rows === s.cols;
  const sizes = same
    ? `${axis(s.rows, r.rowsFit)} per side`
    : `${axis(s.rows, r.rowsFit)} rows, ${axis(s.cols, r.colsFit)} columns`;
  const lost = r.rowsFit.unvisitedInputs.length + r.colsFit.unvisitedInputs.length;
  const note =
    lost > 0 ? ' <span class="skip-note">Dashed cells are never read: the last window does not fit.</span>' : '';
  return `Output ${r.oh} × ${r.ow}: ${esc(sizes)}.${note}`;
}

function values(r: PoolResult): string[] {
  return r.window.cells.filter((c) => !c.inPadding).map((c) => fmt(c.value));
}

/** The current window's formula with numbers: "y[0, 1] = max(2, 4, 7, 8) = 8", or where its gradient goes. */
export function calculation(s: PoolStepperState, r: PoolResult): string {
  const { oy, ox, result, argmax } = r.window;
  const v = values(r);
  if (s.direction === 'forward') {
    const expr =
      s.kind === 'max' ? `max(${v.join(', ')})` : s.kind === 'avg' ? `(${v.join(' + ')}) / ${v.length}` : v.join(' + ');
    return `y[${oy}, ${ox}] = ${expr} = ${fmt(result)}`;
  }
  const g = s.dy[oy * r.ow + ox]!;
  if (s.kind === 'max' && argmax)
    return `dx[${argmax.iy}, ${argmax.ix}] += dy[${oy}, ${ox}] = ${fmt(g)}; the other ${v.length - 1} cells get 0`;
  if (s.kind === 'avg')
    return `each of the ${v.length} cells: dx += dy[${oy}, ${ox}] / ${v.length} = ${fmt(g)} / ${v.length} = ${fmt(g / v.length)}`;
  return `each of the ${v.length} cells: dx += dy[${oy}, ${ox}] = ${fmt(g)}`;
}

function tieSentence(s: PoolStepperState, r: PoolResult): string {
  const { argmax, result, cells } = r.window;
  const count = cells.filter((c) => !c.inPadding && c.value === result).length;
  const where = argmax ? `x[${argmax.iy}, ${argmax.ix}]` : 'the first';
  const grad =
    s.direction === 'backward' ? ' All of this window’s gradient goes there; the other tied cells get none.' : '';
  return `${count} cells hold the maximum ${fmt(result)}. The engine, like most libraries, picks the first in reading order, ${where}.${grad}`;
}

/** One sentence for screen readers, announced at each step. */
export function describeStep(s: PoolStepperState, r: PoolResult): string {
  const { oy, ox, result, argmax, ties } = r.window;
  const n = r.oh * r.ow;
  const step = oy * r.ow + ox;
  const head = `Window ${step + 1} of ${n}, ${s.direction}`;
  const v = values(r);
  let body: string;
  if (s.direction === 'forward') {
    const what = s.kind === 'max' ? 'max' : s.kind === 'avg' ? 'average' : 'sum';
    const at = argmax ? ` at x[${argmax.iy}, ${argmax.ix}]` : '';
    body = `y[${oy}, ${ox}] = ${what} of ${v.join(', ')} = ${fmt(result)}${at}.`;
  } else {
    const g = fmt(s.dy[step]!);
    body =
      s.kind === 'max' && argmax
        ? `dy[${oy}, ${ox}] = ${g} goes to x[${argmax.iy}, ${argmax.ix}], where the maximum ${fmt(result)} was; the other ${v.length - 1} cells get 0.`
        : s.kind === 'avg'
          ? `dy[${oy}, ${ox}] = ${g} is shared evenly: ${g} / ${v.length} = ${fmt(s.dy[step]! / v.length)} to each of the ${v.length} cells.`
          : `dy[${oy}, ${ox}] = ${g} is copied to each of the ${v.length} cells.`;
  }
  return `${head}: ${body}${ties ? ` Tie: ${tieSentence(s, r)}` : ''}`;
}
