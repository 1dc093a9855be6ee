import { walkShapes, type LayerSpec, type ShapeWalk } from '../../src/lib/index.ts';
import { parseInteger, type Parsed } from '../internal/parse.ts';

export type WalkerLayerType = 'conv' | 'maxPool' | 'avgPool';
export type WalkerPadding = number | 'same' | 'valid';

/** One layer as the reader edits it. `filters` matters for conv only (pools keep the channels). */
export interface WalkerLayer {
  type: WalkerLayerType;
  kernel: number;
  stride: number;
  padding: WalkerPadding;
  filters: number;
}

/** The whole network, serializable to the URL: a square input and its layers. */
export interface WalkerState {
  channels: number;
  size: number;
  layers: WalkerLayer[];
}

export const TYPES: readonly { value: WalkerLayerType; label: string }[] = [
  { value: 'conv', label: 'convolution' },
  { value: 'maxPool', label: 'max pooling' },
  { value: 'avgPool', label: 'average pooling' },
];

export const LIMITS = {
  size: { min: 1, max: 512, name: 'the input size' },
  channels: { min: 1, max: 512, name: 'the number of input channels' },
  kernel: { min: 1, max: 31, name: 'the kernel size' },
  stride: { min: 1, max: 16, name: 'the stride' },
  padding: { min: 0, max: 16, name: 'the padding' },
  filters: { min: 1, max: 1024, name: 'the number of filters' },
} as const;
export const MAX_LAYERS = 10;

/** The course's 3x3 LeNet body: conv 3x3 valid, max pool 2, conv 3x3 valid, max pool 2. */
export const DEFAULT_STATE: WalkerState = {
  channels: 1,
  size: 28,
  layers: [
    { type: 'conv', kernel: 3, stride: 1, padding: 'valid', filters: 6 },
    { type: 'maxPool', kernel: 2, stride: 2, padding: 0, filters: 6 },
    { type: 'conv', kernel: 3, stride: 1, padding: 'valid', filters: 16 },
    { type: 'maxPool', kernel: 2, stride: 2, padding: 0, filters: 16 },
  ],
};

/** The engine's layer specs for this state. */
export function toSpecs(s: WalkerState): LayerSpec[] {
  return s.layers.map((l) =>
    l.type === 'conv'
      ? { type: 'conv2d', filters: l.filters, kernel: l.kernel, stride: l.stride, padding: l.padding }
      : { type: l.type, size: l.kernel, stride: l.stride, padding: l.padding },
  );
}

export function walk(s: WalkerState): ShapeWalk {
  return walkShapes([s.channels, s.size, s.size], toSpecs(s));
}

export const STRIDE_ZERO =
  'A stride of 0 would never move the window: every output would read the same cells. Use 1 or more.';

/** Reads a whole-number field of a layer (or of the input), with the stride-0 case explained. */
export function parseField(field: keyof typeof LIMITS, text: string): Parsed<number> {
  const r = parseInteger(text, LIMITS[field]);
  if (!r.ok && field === 'stride' && text.trim() === '0') return { ok: false, message: STRIDE_ZERO };
  return r;
}

/** Reads a padding: "same", "valid" or a whole number of zeros per side. */
export function parsePadding(text: string): Parsed<WalkerPadding> {
  const t = text.trim().toLowerCase();
  if (t === 'same' || t === 'valid') return { ok: true, value: t };
  if (t === '') return { ok: false, message: 'Enter the padding: a whole number of zeros per side, or same or valid.' };
  const r = parseInteger(t, LIMITS.padding);
  return r.ok ? r : { ok: false, message: `${r.message.replace(/\.$/, '')}. Or type same or valid.` };
}

const CODE: Record<WalkerLayerType, string> = { conv: 'c', maxPool: 'm', avgPool: 'a' };

/** "c3s1pvalidf6,m2s2p0": compact enough for a URL, readable enough to edit by hand. */
export function encodeLayers(layers: readonly WalkerLayer[]): string {
  return layers
    .map((l) => `${CODE[l.type]}${l.kernel}s${l.stride}p${l.padding}${l.type === 'conv' ? `f${l.filters}` : ''}`)
    .join(',');
}

/** Inverse of encodeLayers; null when any part is malformed (values are range-checked by the walk itself). */
export function decodeLayers(text: string): WalkerLayer[] | null {
  const layers: WalkerLayer[] = [];
  for (const part of text.split(',')) {
    const m = /^([cma])(\d{1,4})s(\d{1,4})p(same|valid|\d{1,4})(?:f(\d{1,5}))?$/.exec(part.trim());
    if (!m) return null;
    const type = m[1] === 'c' ? 'conv' : m[1] === 'm' ? 'maxPool' : 'avgPool';
    const padding = m[4] === 'same' || m[4] === 'valid' ? m[4] : Number(m[4]);
    layers.push({ type, kernel: Number(m[2]), stride: Number(m[3]), padding, filters: Number(m[5] ?? 1) });
  }
  return layers.length > 0 && layers.length <= MAX_LAYERS ? layers : null;
}
