import { poolShift, tensor, type MapChange, type PoolShiftReport, type Tensor } from '../../src/lib/index.ts';
import { edgeFeatureMap } from '../internal/digits.ts';
import { esc } from '../internal/format.ts';
import { SOURCE_LABELS, type ShiftDemoState } from './state.ts';

/** The source map and both poolings of it, before and after the shift. */
export interface ShiftResult {
  map: Tensor;
  max: PoolShiftReport;
  avg: PoolShiftReport;
}

/**
 * Runs the engine: the digit (scaled to 0..1) or its edge feature map, shifted, then max- and average-pooled.
 * @param pixels rows*cols grey levels 0..255
 */
export function computeShift(s: ShiftDemoState, pixels: readonly number[], rows: number, cols: number): ShiftResult {
  const map =
    s.source === 'image'
      ? tensor(
          [1, rows, cols],
          pixels.map((p) => p / 255),
        )
      : edgeFeatureMap(pixels, rows, cols);
  const opts = { size: s.size };
  return { map, max: poolShift(map, 'max', opts, s.down, s.right), avg: poolShift(map, 'avg', opts, s.down, s.right) };
}

/** "1 right and 2 up", or "no shift". */
export function shiftWords(s: ShiftDemoState): string {
  const parts: string[] = [];
  const px = (n: number): string => `${Math.abs(n)} pixel${Math.abs(n) === 1 ? '' : 's'}`;
  if (s.right !== 0) parts.push(`${px(s.right)} ${s.right > 0 ? 'right' : 'left'}`);
  if (s.down !== 0) parts.push(`${px(s.down)} ${s.down > 0 ? 'down' : 'up'}`);
  return parts.length === 0 ? 'not shifted' : `shifted ${parts.join(' and ')}`;
}

/** Renders the shifted input, both pooled maps before and after, and the table of what changed. */
export function renderStage(s: ShiftDemoState, r: ShiftResult): string {
  const [, H, W] = r.map.shape as [number, number, number];
  const peak = Math.max(...r.map.data, 1e-12);
  const input = heatmap(r.max.shifted.data, H, W, peak, {
    label: `The input, ${shiftWords(s)}, with the ${s.size} × ${s.size} pooling windows drawn as a grid`,
    grid: s.size,
    cls: 'big',
  });
  const pooled = (name: string, rep: PoolShiftReport): string => {
    const [, oh, ow] = rep.before.shape as [number, number, number];
    const top = Math.max(...rep.before.data, 1e-12);
    const before = heatmap(rep.before.data, oh, ow, top, { label: `${name}, before the shift`, cls: 'small' });
    const after = heatmap(rep.after.data, oh, ow, top, {
      label: `${name}, after the shift: ${rep.pooledChange.count} of ${oh * ow} values changed (outlined)`,
      changed: rep.pooledChange.changed,
      cls: 'small',
    });
    return `<figure class="pair"><figcaption>${esc(name)} (${oh} × ${ow})</figcaption>
<div class="duo"><div>${before}<span>before</span></div><div>${after}<span>after</span></div></div></figure>`;
  };
  return `
<div class="maps">
<figure class="pair input"><figcaption>Input: ${esc(SOURCE_LABELS[s.source])} (${H} × ${W}), ${esc(shiftWords(s))}</figcaption>${input}</figure>
${pooled('Max pool', r.max)}
${pooled('Average pool', r.avg)}
</div>
<table class="changes">
<caption>What the shift changed, position by position</caption>
<thead><tr><th scope="col">Map</th><th scope="col">Values changed</th><th scope="col">Of those with ink</th><th scope="col">Relative change</th></tr></thead>
<tbody>
${row('Input (no pooling)', r.max.inputChange)}
${row('Max pool', r.max.pooledChange)}
${row('Average pool', r.avg.pooledChange)}
</tbody></table>`;
}

function row(name: string, c: MapChange): string {
  return `<tr><th scope="row">${esc(name)}</th><td>${c.count} of ${c.total}</td><td>${share(c)}</td><td>${pct(c.relativeChange)}</td></tr>`;
}

function share(c: MapChange): string {
  return c.active === 0 ? '0 of 0' : `${c.count} of ${c.active} (${pct(c.count / c.active)})`;
}

function pct(v: number): string {
  return `${Math.round(v * 100)} %`;
}

/** One sentence for screen readers. */
export function describe(s: ShiftDemoState, r: ShiftResult): string {
  const m = r.max.pooledChange;
  const a = r.avg.pooledChange;
  return (
    `Input ${shiftWords(s)}, window ${s.size} × ${s.size}. ` +
    `Max pool: ${m.count} of ${m.active} values with ink changed (relative change ${pct(m.relativeChange)}); ` +
    `average pool: ${a.count} of ${a.active} changed (${pct(a.relativeChange)}).`
  );
}

interface HeatmapOptions {
  label: string;
  /** Outline these cells (flat indices with 1). */
  changed?: Uint8Array;
  /** Draw window borders every `grid` cells. */
  grid?: number;
  cls: string;
}

/**
 * A grey-level map as SVG: one unit per cell, ink as the text colour at opacity value / peak (so it reads in light
 * and dark themes), only nonzero cells drawn.
 */
function heatmap(values: ArrayLike<number>, H: number, W: number, peak: number, o: HeatmapOptions): string {
  let cells = '';
  for (let i = 0; i < H * W; i++) {
    const v = values[i]!;
    if (v <= 0) continue;
    const a = Math.min(1, v / peak).toFixed(2);
    cells += `<rect x="${i % W}" y="${Math.floor(i / W)}" width="1" height="1" fill-opacity="${a}"/>`;
  }
  let marks = '';
  if (o.changed) {
    for (let i = 0; i < H * W; i++) {
      if (o.changed[i])
        marks += `<rect class="chg" x="${(i % W) + 0.12}" y="${Math.floor(i / W) + 0.12}" width="0.76" height="0.76"/>`;
    }
  }
  let grid = '';
  if (o.grid && o.grid > 1) {
    for (let g = o.grid; g < W; g += o.grid) grid += `<line class="grid" x1="${g}" y1="0" x2="${g}" y2="${H}"/>`;
    for (let g = o.grid; g < H; g += o.grid) grid += `<line class="grid" x1="0" y1="${g}" x2="${W}" y2="${g}"/>`;
  }
  return `<svg class="heat ${o.cls}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.label)}"><rect class="bg" width="${W}" height="${H}"/><g class="ink">${cells}</g>${grid}${marks}</svg>`;
}
