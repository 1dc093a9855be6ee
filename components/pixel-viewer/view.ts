import { renderTex } from '../internal/katex-lazy.ts';
import { GRAY_WEIGHTS, hwcToChw, rgbToGray, type Tensor } from '../../src/lib/index.ts';
import { esc, fmt } from '../internal/format.ts';
import {
  CHANNELS,
  CHANNEL_NAMES,
  NEIGHBOURHOOD,
  ZOOM,
  type Channel,
  type PixelViewerState,
  type ViewerImage,
} from './state.ts';

/** One matrix the viewer draws: a channel, the gray plane, or (colour view) all channels in one picture. */
interface Layer {
  kind: Channel | 'gray';
  label: string;
  values: Float64Array;
}

/** The image as the engine sees it: [C, H, W], plus its rounded grayscale when it is a colour photo. */
export interface Planes {
  chw: Tensor;
  gray: Tensor | null;
  grayExact: Tensor | null;
}

/** Converts once per image (the same code runs at build time and in the browser). */
export function planesOf(img: ViewerImage): Planes {
  const chw = hwcToChw(img.pixels, img.rows, img.cols, img.channels);
  if (img.channels === 1) return { chw, gray: null, grayExact: null };
  return { chw, gray: rgbToGray(chw, { round: true }), grayExact: rgbToGray(chw) };
}

function plane(t: Tensor, c: number): Float64Array {
  const n = t.shape[1]! * t.shape[2]!;
  return t.data.subarray(c * n, (c + 1) * n);
}

/** The matrices on screen for this state (the colour view reads out the channels it stacks). */
function layers(state: PixelViewerState, img: ViewerImage, p: Planes): Layer[] {
  if (img.channels === 1) return [{ kind: 'gray', label: 'Gray level', values: plane(p.chw, 0) }];
  if (state.view === 'gray' && p.gray) return [{ kind: 'gray', label: 'Gray level', values: plane(p.gray, 0) }];
  return CHANNELS.map((c, i) => ({
    kind: c,
    label: `${c.toUpperCase()} (${CHANNEL_NAMES[c]})`,
    values: plane(p.chw, i),
  })).filter((l) => state.on[l.kind as Channel]);
}

function hex(v: number): string {
  return Math.max(0, Math.min(255, Math.round(v)))
    .toString(16)
    .padStart(2, '0');
}

function fill(kind: Layer['kind'], v: number): string {
  const h = hex(v);
  if (kind === 'r') return `#${h}0000`;
  if (kind === 'g') return `#00${h}00`;
  if (kind === 'b') return `#0000${h}`;
  return `#${h}${h}${h}`;
}

// Numbers drawn on a cell need to contrast with its fill.
function textFill(r: number, g: number, b: number): string {
  return GRAY_WEIGHTS[0] * r + GRAY_WEIGHTS[1] * g + GRAY_WEIGHTS[2] * b >= 128 ? '#000' : '#fff';
}

function svgOpen(img: ViewerImage, zoom: number, label: string, cls: string): string {
  return (
    `<svg class="pixels ${cls}" role="img" aria-label="${esc(label)}" width="${img.cols * zoom}" height="${img.rows * zoom}" ` +
    `viewBox="0 0 ${img.cols} ${img.rows}" shape-rendering="crispEdges"><rect width="${img.cols}" height="${img.rows}" fill="#000"/>`
  );
}

function cursorSvg(state: PixelViewerState): string {
  // Two outlines (white around black) stay visible on any pixel colour; the stroke width ignores the zoom.
  const at = `x="${state.col}" y="${state.row}" width="1" height="1"`;
  return (
    `<rect class="cursor" ${at} fill="none" stroke="#fff" stroke-width="4" vector-effect="non-scaling-stroke"/>` +
    `<rect class="cursor" ${at} fill="none" stroke="#000" stroke-width="2" vector-effect="non-scaling-stroke"/>`
  );
}

function layerSvg(state: PixelViewerState, img: ViewerImage, layer: Layer, title: string): string {
  const numbers = state.zoom >= ZOOM.numbersFrom;
  let cells = '';
  let text = '';
  for (let r = 0; r < img.rows; r++) {
    for (let c = 0; c < img.cols; c++) {
      const v = layer.values[r * img.cols + c]!;
      if (v !== 0) cells += `<rect x="${c}" y="${r}" width="1" height="1" fill="${fill(layer.kind, v)}"/>`;
      if (numbers) {
        const f = fill(layer.kind, v);
        const color = textFill(parseInt(f.slice(1, 3), 16), parseInt(f.slice(3, 5), 16), parseInt(f.slice(5, 7), 16));
        text += `<text x="${c + 0.5}" y="${r + 0.62}" fill="${color}">${fmt(v)}</text>`;
      }
    }
  }
  const label = `${title}: ${img.rows} by ${img.cols} pixels, ${layer.label.toLowerCase()}`;
  return `${svgOpen(img, state.zoom, label, `layer-${layer.kind}`)}${cells}<g class="numbers" aria-hidden="true" font-size="${(12 / state.zoom).toFixed(4)}" text-anchor="middle" font-family="ui-monospace, monospace">${text}</g>${cursorSvg(state)}</svg>`;
}

function colourSvg(state: PixelViewerState, img: ViewerImage, p: Planes): string {
  const [R, G, B] = [plane(p.chw, 0), plane(p.chw, 1), plane(p.chw, 2)];
  let cells = '';
  for (let i = 0; i < R.length; i++) {
    const r = state.on.r ? R[i]! : 0;
    const g = state.on.g ? G[i]! : 0;
    const b = state.on.b ? B[i]! : 0;
    if (r + g + b === 0) continue;
    cells += `<rect x="${i % img.cols}" y="${Math.floor(i / img.cols)}" width="1" height="1" fill="#${hex(r)}${hex(g)}${hex(b)}"/>`;
  }
  const which = CHANNELS.filter((c) => state.on[c])
    .map((c) => c.toUpperCase())
    .join(', ');
  const label = `${img.name}: ${img.rows} by ${img.cols} pixels in colour, channels ${which} on`;
  return `${svgOpen(img, state.zoom, label, 'layer-colour')}${cells}${cursorSvg(state)}</svg>`;
}

/** The picture(s): one SVG per matrix on screen, each with the cursor drawn on it. */
export function renderGrids(state: PixelViewerState, img: ViewerImage, p: Planes): string {
  if (img.channels === 3 && state.view === 'colour') {
    return `<figure class="grid-figure"><figcaption>R, G and B stacked</figcaption>${colourSvg(state, img, p)}</figure>`;
  }
  return layers(state, img, p)
    .map(
      (l) =>
        `<figure class="grid-figure"><figcaption>${esc(l.label)}</figcaption>${layerSvg(state, img, l, img.name)}</figure>`,
    )
    .join('');
}

/** The square of numbers around the cursor, for one matrix; the cursor's cell is highlighted. */
function neighbourhood(state: PixelViewerState, img: ViewerImage, layer: Layer): string {
  const h = Math.min(NEIGHBOURHOOD, img.rows);
  const w = Math.min(NEIGHBOURHOOD, img.cols);
  const half = Math.floor(NEIGHBOURHOOD / 2);
  const top = Math.max(0, Math.min(img.rows - h, state.row - half));
  const left = Math.max(0, Math.min(img.cols - w, state.col - half));
  let head = '<tr><td class="corner"></td>';
  for (let c = left; c < left + w; c++) head += `<th scope="col">${c}</th>`;
  let body = '';
  for (let r = top; r < top + h; r++) {
    body += `<tr><th scope="row">${r}</th>`;
    for (let c = left; c < left + w; c++) {
      const cur = r === state.row && c === state.col;
      body += `<td class="m-cell${cur ? ' current' : ''}">${fmt(layer.values[r * img.cols + c]!)}</td>`;
    }
    body += '</tr>';
  }
  const label = `${layer.label}, rows ${top} to ${top + h - 1}, columns ${left} to ${left + w - 1}`;
  return (
    `<figure class="near near-${layer.kind}"><figcaption>${esc(layer.label)}</figcaption>` +
    `<table class="matrix" aria-label="${esc(label)}"><thead>${head}</tr></thead><tbody>${body}</tbody></table></figure>`
  );
}

function valueAt(t: Tensor, c: number, row: number, col: number): number {
  return t.data[(c * t.shape[1]! + row) * t.shape[2]! + col]!;
}

function grayTex(state: PixelViewerState, p: Planes): string {
  const rgb = [0, 1, 2].map((c) => valueAt(p.chw, c, state.row, state.col));
  const [tr, tg, tb] = GRAY_WEIGHTS.map((w, c) => `${w}\\cdot ${fmt(rgb[c]!)}`);
  const exact = valueAt(p.grayExact!, 0, state.row, state.col);
  const rounded = valueAt(p.gray!, 0, state.row, state.col);
  const approx = exact === rounded ? '' : ` \\approx ${fmt(rounded)}`;
  return `\\begin{aligned} \\text{gray} &= 0.299\\,R + 0.587\\,G + 0.114\\,B \\\\ &= ${tr} + ${tg} \\\\ &\\quad + ${tb} \\\\ &= ${fmt(exact, 3)}${approx} \\end{aligned}`;
}

/** Where the cursor is, its value(s), the numbers around it and, for grayscale, how the gray was computed. */
export function renderReadout(state: PixelViewerState, img: ViewerImage, p: Planes): string {
  const near = layers(state, img, p)
    .map((l) => neighbourhood(state, img, l))
    .join('');
  let extra = '';
  if (img.channels === 1) {
    const v = valueAt(p.chw, 0, state.row, state.col);
    extra = `<p class="scaled">Scaled to [0, 1] for a network: ${fmt(v)} / 255 = ${fmt(v / 255, 3)}</p>`;
  } else if (state.view === 'gray') {
    extra = `<div class="formula" tabindex="0" role="group" aria-label="How the gray value is computed">${renderTex(grayTex(state, p), { displayMode: true, throwOnError: false, output: 'html' })}</div>`;
  }
  return `<p class="where"><strong>${esc(describePixel(state, img, p))}</strong></p><div class="near-row">${near}</div>${extra}`;
}

/** "Row 7, column 14: 254" / "Row 3, column 5: R 200, G 120, B 60" / "…: gray 143". */
export function describePixel(state: PixelViewerState, img: ViewerImage, p: Planes): string {
  const at = `Row ${state.row}, column ${state.col}`;
  if (img.channels === 1) return `${at}: ${fmt(valueAt(p.chw, 0, state.row, state.col))}`;
  if (state.view === 'gray') return `${at}: gray ${fmt(valueAt(p.gray!, 0, state.row, state.col))}`;
  const parts = CHANNELS.map((c, i) => {
    const v = fmt(valueAt(p.chw, i, state.row, state.col));
    return state.on[c] ? `${c.toUpperCase()} ${v}` : `${c.toUpperCase()} off (stored ${v})`;
  });
  return `${at}: ${parts.join(', ')}`;
}

/** Why some controls are switched off, or '' when all apply. */
export function controlNote(state: PixelViewerState, img: ViewerImage): string {
  if (img.channels === 1) return 'A grayscale digit has one channel, so these settings apply to the colour photo.';
  if (state.view === 'gray')
    return 'Grayscale is computed from all three channels, so the channel switches do not apply here.';
  return '';
}

/** One sentence for the live region, e.g. "The digit 7, row 7, column 14: 254 (255 is full ink)." */
export function describe(state: PixelViewerState, img: ViewerImage, p: Planes): string {
  const pixel = describePixel(state, img, p);
  const tail =
    img.channels === 1
      ? ' (0 is no ink, 255 is full ink).'
      : state.view === 'gray'
        ? ' (computed from R, G and B).'
        : '.';
  return `${img.short[0]!.toUpperCase()}${img.short.slice(1)}, ${pixel.charAt(0).toLowerCase()}${pixel.slice(1)}${tail}`;
}
