import type { ShapeWalk } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { readUrlState, writeUrlState, copyShareLink } from '../internal/url-state.ts';
import {
  DEFAULT_STATE,
  LIMITS,
  MAX_LAYERS,
  decodeLayers,
  encodeLayers,
  parseField,
  parsePadding,
  walk,
  type WalkerLayer,
  type WalkerLayerType,
  type WalkerState,
} from './state.ts';
import { describeWalk, renderChain, renderLayers, resultHtml, tidyMessage } from './view.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

/**
 * <shape-walker>: a network's shapes layer by layer. Typing in any field re-walks the whole network; a field that
 * is not a number gets a message and the last good shapes stay; a layer that does not fit gets the engine's
 * message and every later shape shows "—".
 */
class ShapeWalkerElement extends HTMLElement {
  #state!: WalkerState;

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as WalkerState;
    // ↑ and ↓ in a number field step it within its limits (padding too, when it holds a number).
    this.addEventListener('keydown', (e) =>
      stepIntegerField(e, (f) => (f in LIMITS ? LIMITS[f as keyof typeof LIMITS] : undefined)),
    );
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('change', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
  }

  #q<T extends HTMLElement = HTMLElement>(sel: string): T {
    return this.querySelector<T>(sel)!;
  }

  #onInput(e: Event): void {
    const el = e.target as HTMLElement;
    if (!el.dataset['field']) return;
    if (el.dataset['field'] === 'type') {
      const i = Number(el.dataset['layer']);
      const conv = (el as HTMLSelectElement).value === 'conv';
      this.#q(`[data-layer="${i}"] .sw-f-filters`).hidden = !conv;
      this.#q(`label[for="${this.id}-l${i}-kernel"]`).textContent = conv ? 'Kernel' : 'Window';
    }
    this.#apply(true);
  }

  /** Reads every field; parse errors keep the last good shapes, otherwise the network is walked again. */
  #apply(announce: boolean): void {
    const size = this.#readInput('size');
    const channels = this.#readInput('channels');
    const layers: WalkerLayer[] = [];
    let ok = size !== null && channels !== null;
    for (const card of this.querySelectorAll<HTMLElement>('.sw-layer')) {
      const i = Number(card.dataset['layer']);
      const layer = this.#readLayer(i);
      if (layer) layers.push(layer);
      else ok = false;
    }
    if (!ok) return;
    this.#state = { size: size!, channels: channels!, layers };
    this.#render(announce);
  }

  #readInput(field: 'size' | 'channels'): number | null {
    const el = this.#q<HTMLInputElement>(`[data-field="${field}"]:not([data-layer])`);
    const r = parseField(field, el.value);
    setFieldError(el, r.ok ? null : r.message);
    return r.ok ? r.value : null;
  }

  #readLayer(i: number): WalkerLayer | null {
    const get = (f: string) => this.#q<HTMLInputElement>(`[data-layer="${i}"][data-field="${f}"]`);
    const type = (get('type') as unknown as HTMLSelectElement).value as WalkerLayerType;
    const kernel = parseField('kernel', get('kernel').value);
    const stride = parseField('stride', get('stride').value);
    const padding = parsePadding(get('padding').value);
    const filters = type === 'conv' ? parseField('filters', get('filters').value) : { ok: true as const, value: 1 };
    const checks = [
      ['kernel', kernel],
      ['stride', stride],
      ['padding', padding],
      ['filters', filters],
    ] as const;
    let message: string | null = null;
    for (const [name, r] of checks) {
      const el = get(name);
      if (r.ok) el.removeAttribute('aria-invalid');
      else {
        el.setAttribute('aria-invalid', 'true');
        message ??= r.message;
      }
    }
    this.#layerMessage(i, message);
    if (!kernel.ok || !stride.ok || !padding.ok || !filters.ok) return null;
    const previous = this.#state.layers[i];
    return {
      type,
      kernel: kernel.value,
      stride: stride.value,
      padding: padding.value,
      filters: type === 'conv' ? filters.value : (previous?.filters ?? 1),
    };
  }

  #layerMessage(i: number, message: string | null): void {
    const box = this.querySelector<HTMLElement>(`#${this.id}-l${i}-error`);
    if (!box) return;
    box.textContent = message ?? '';
    box.hidden = message === null;
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(announce: boolean): void {
    whenTex(this, () => this.#paint(announce));
  }

  #paint(announce: boolean): void {
    const s = this.#state;
    const w: ShapeWalk = walk(s);
    this.#q('.sw-chain-holder').innerHTML = renderChain(s, w);
    s.layers.forEach((_, i) => {
      const card = this.#q(`.sw-layer[data-layer="${i}"]`);
      const step = w.steps[i];
      const failed = w.error?.layer === i;
      card.classList.toggle('bad', failed);
      card.classList.toggle('skipped', !step && !failed);
      this.#q(`[data-result="${i}"]`).innerHTML = step
        ? resultHtml(step)
        : failed
          ? 'Does not fit: see the message above.'
          : 'Not computed: an earlier layer does not fit.';
      if (failed) this.#layerMessage(i, tidyMessage(w.error!.message));
    });
    if (announce) this.#q('[role="status"]').textContent = describeWalk(s, w);
    writeUrlState(this.id, { c: String(s.channels), n: String(s.size), L: encodeLayers(s.layers) });
  }

  /** Rebuilds the layer cards (after adding or removing one), then focuses `focus`. */
  #rebuild(focus: string): void {
    this.#q('.sw-layers').innerHTML = renderLayers(this.id, this.#state);
    this.#q<HTMLButtonElement>('[data-action="add"]').disabled = this.#state.layers.length >= MAX_LAYERS;
    this.#render(true);
    this.querySelector<HTMLElement>(focus)?.focus();
  }

  #onClick(e: MouseEvent): void {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const action = button?.dataset['action'];
    const layers = this.#state.layers;
    if (action === 'add' && layers.length < MAX_LAYERS) {
      const channels = layers.length ? 16 : this.#state.channels;
      this.#state = {
        ...this.#state,
        layers: [...layers, { type: 'conv', kernel: 3, stride: 1, padding: 'valid', filters: channels }],
      };
      this.#rebuild(`#${this.id}-l${layers.length}-type`);
    } else if (action === 'remove' && layers.length > 1) {
      const i = Number(button!.dataset['layer']);
      this.#state = { ...this.#state, layers: layers.filter((_, j) => j !== i) };
      this.#rebuild(`[data-action="add"]`);
    } else if (action === 'reset') {
      // Reset refills the input fields, so any message about what they held before must go too.
      for (const field of ['size', 'channels'] as const) {
        const el = this.#q<HTMLInputElement>(`[data-field="${field}"]:not([data-layer])`);
        el.value = String(DEFAULT_STATE[field]);
        setFieldError(el, null);
      }
      this.#state = structuredClone(DEFAULT_STATE);
      this.#rebuild(`[data-action="reset"]`);
    } else if (action === 'share') {
      void this.#share();
    }
  }

  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const c = saved.get('c');
    const n = saved.get('n');
    if (c !== undefined) this.#q<HTMLInputElement>('[data-field="channels"]').value = c;
    if (n !== undefined) this.#q<HTMLInputElement>('[data-field="size"]').value = n;
    const L = saved.get('L');
    const layers = L === undefined ? null : decodeLayers(L);
    if (L !== undefined && !layers) {
      const box = this.#q(`#${this.id}-url-error`);
      box.textContent = `The link's layer list “${L}” is not readable; showing the default network instead.`;
      box.hidden = false;
    }
    if (layers) {
      this.#state = { ...this.#state, layers };
      this.#q('.sw-layers').innerHTML = renderLayers(this.id, this.#state);
    }
    this.#apply(true);
  }

  #share(): Promise<void> {
    return copyShareLink(this, this.#q('[role="status"]'), {
      copied: 'Link copied: it opens the walker with this network.',
    });
  }
}

export function defineShapeWalker(): void {
  if (!customElements.get('shape-walker')) customElements.define('shape-walker', ShapeWalkerElement);
}
