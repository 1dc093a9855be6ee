import type { ShapeStep, ShapeWalk } from '../../src/lib/index.ts';
import { esc } from '../internal/format.ts';
import { shortFormTex, texHtml } from '../internal/output-size-formula.ts';
import { TYPES, type WalkerLayer, type WalkerState } from './state.ts';

export const shapeText = (shape: readonly number[]): string => shape.join(' × ');

/** One text field of a layer card; every field of a layer shares that layer's message box. */
function field(id: string, i: number, name: string, label: string, value: string, hidden = false): string {
  const fid = `${id}-l${i}-${name}`;
  return (
    `<div class="field sw-f-${name}"${hidden ? ' hidden' : ''}><label for="${fid}">${label}</label>` +
    `<input id="${fid}" type="text" value="${esc(value)}" autocomplete="off" spellcheck="false" ` +
    `inputmode="${name === 'padding' ? 'text' : 'numeric'}" data-layer="${i}" data-field="${name}" ` +
    `aria-describedby="${id}-l${i}-error"></div>`
  );
}

/** The editable cards, one per layer (rebuilt only when layers are added or removed). */
export function renderLayers(id: string, s: WalkerState): string {
  return s.layers
    .map((l: WalkerLayer, i) => {
      const options = TYPES.map(
        (t) => `<option value="${t.value}"${t.value === l.type ? ' selected' : ''}>${t.label}</option>`,
      ).join('');
      const conv = l.type === 'conv';
      return `<li class="sw-layer" data-layer="${i}">
<div class="sw-head"><span class="sw-name">Layer ${i + 1}</span>
<button type="button" class="secondary sw-remove" data-action="remove" data-layer="${i}" aria-label="Remove layer ${i + 1}"${s.layers.length === 1 ? ' disabled' : ''}>Remove</button></div>
<div class="controls sw-fields">
<div class="field sw-f-type"><label for="${id}-l${i}-type">Type</label><select id="${id}-l${i}-type" data-layer="${i}" data-field="type" aria-describedby="${id}-l${i}-error">${options}</select></div>
${field(id, i, 'kernel', conv ? 'Kernel' : 'Window', String(l.kernel))}
${field(id, i, 'stride', 'Stride', String(l.stride))}
${field(id, i, 'padding', 'Padding', String(l.padding))}
${field(id, i, 'filters', 'Filters', String(l.filters), !conv)}
</div>
<p class="field-error" id="${id}-l${i}-error" role="alert" hidden></p>
<p class="sw-result" data-result="${i}"></p>
</li>`;
    })
    .join('');
}

/** "1 × 28 × 28 → 6 × 26 × 26", the size formula with the numbers, and what the floor leaves unread. */
export function resultHtml(step: ShapeStep): string {
  const arrow = `${shapeText(step.inputShape)} → <strong>${shapeText(step.outputShape)}</strong>`;
  if (!step.rows || !step.kernel || !step.stride || !step.padding) return arrow;
  const r = step.rows;
  const axis = {
    input: step.inputShape[1]!,
    kernel: step.kernel[0],
    before: step.padding.top,
    after: step.padding.bottom,
    stride: step.stride[0],
    dilation: 1,
  };
  const never = r.unvisitedInputs.length
    ? ` <span class="sw-drop">The floor leaves row and column ${r.unvisitedInputs.join(', ')} unread.</span>`
    : '';
  return `${arrow} <span class="sw-formula">${texHtml(shortFormTex(axis, r), false)}</span>${never}`;
}

/** The chain of shapes at the top; a layer that does not fit and everything after it show as "—". */
export function renderChain(s: WalkerState, w: ShapeWalk): string {
  const node = (cls: string, chip: string, tag: string) =>
    `<li><span class="sw-node"><span class="${cls}">${chip}</span><span class="sw-tag">${esc(tag)}</span></span></li>`;
  const items = [node('sw-chip', shapeText([s.channels, s.size, s.size]), 'input')];
  s.layers.forEach((l, i) => {
    const step = w.steps[i];
    const tag =
      l.type === 'conv' ? `conv ${l.kernel}×${l.kernel}` : `${l.type === 'maxPool' ? 'max' : 'avg'} pool ${l.kernel}`;
    const chip = step ? shapeText(step.outputShape) : '—';
    const cls = step ? 'sw-chip' : `sw-chip ${w.error?.layer === i ? 'bad' : 'skipped'}`;
    items.push(node(cls, chip, tag));
  });
  return `<ol class="sw-chain">${items.join('')}</ol>`;
}

/** One sentence for screen readers: the whole chain, or where it stops. */
export function describeWalk(s: WalkerState, w: ShapeWalk): string {
  const shapes = [shapeText([s.channels, s.size, s.size]), ...w.steps.map((st) => shapeText(st.outputShape))];
  const chain = shapes.join(', then ');
  if (!w.error) return `Shapes: ${chain}.`;
  const why = tidyMessage(w.error.message);
  return `Shapes: ${chain}. Layer ${w.error.layer + 1} does not fit: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
}

/** The engine's message without the dilation details, which the walker does not offer. */
export function tidyMessage(message: string): string {
  return message
    .replace(/ \(\d+ with dilation 1\)/, '')
    .replace(', shrink the kernel or the dilation.', ' or use a smaller kernel.');
}
