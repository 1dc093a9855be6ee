import { EngineError, type Conv2dTrace } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { cellFromPointer } from '../internal/heatmap.ts';
import { readUrlState, writeUrlState, copyShareLink } from '../internal/url-state.ts';
import { renderDepth } from './depth.ts';
import { decodeImageSet, type ImageSet } from './images.ts';
import { parseDivisor, parseEntry, renderKernelGrid } from './kernel-grid.ts';
import { matchPreset, presetById } from './presets.ts';
import { clampCell, imageOf, isScale, resizeEntries, weightsOf, type PlaygroundState } from './state.ts';
import {
  describe,
  featureMap,
  renderAbout,
  renderArithmetic,
  renderPictures,
  traceOf,
  type FeatureMap,
} from './view.ts';
import { fmt } from '../internal/format.ts';

/**
 * <kernel-playground>: behaviour over the server-rendered playground. One state object; the feature map, the
 * arithmetic and the layer stack are re-rendered from it. Bad input only shows a message; the last good map stays.
 */
class KernelPlaygroundElement extends HTMLElement {
  #state!: PlaygroundState;
  #set!: ImageSet;
  #map!: FeatureMap;
  #depthKey = '';

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as PlaygroundState;
    this.#set = decodeImageSet(this.querySelector('script.kp-data')?.textContent ?? '{}');
    this.#depthKey = this.#depthKeyOf(this.#state);
    // The page already shows this state (rendered at build time); only the engine's map is needed here.
    this.#map = featureMap(imageOf(this.#state, this.#set), weightsOf(this.#state), this.#state.size);
    this.#restoreFromUrl();
    this.addEventListener('change', (e) => this.#onChange(e));
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.#q('.kp-stage').addEventListener('keydown', (e) => this.#onKey(e));
  }

  #q<T extends HTMLElement = HTMLElement>(sel: string): T {
    return this.querySelector<T>(sel)!;
  }

  #field(name: string): HTMLInputElement {
    return this.#q<HTMLInputElement>(`[data-field="${name}"]`);
  }

  #depthKeyOf(s: PlaygroundState): string {
    return `${imageOf(s, this.#set).id}|${s.scale}`;
  }

  /**
   * Adopts a new state: runs the engine, re-renders every part that depends on it, updates the URL.
   * `strongest` moves the selection to the cell with the largest |value| (used when the picture changes, where the
   * old cell would point at an unrelated spot).
   */
  #commit(next: PlaygroundState, announce = true, strongest = false): void {
    const image = imageOf(next, this.#set);
    let map: FeatureMap;
    let trace: Conv2dTrace;
    try {
      map = featureMap(image, weightsOf(next), next.size);
      if (strongest) next = { ...next, ...strongestCell(map) };
      next = clampCell(next, map.rows, map.cols);
      trace = traceOf(next, map);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      this.#showKernelError(err.message);
      return;
    }
    this.#state = next;
    this.#map = map;
    const pics = renderPictures(next, image, map);
    this.#q('.kp-pics').innerHTML = pics.html;
    this.#q('.kp-arith').innerHTML = renderArithmetic(next, trace, pics.stats);
    this.#q('.kp-about').innerHTML = renderAbout(next);
    const key = this.#depthKeyOf(next);
    const preset = matchPreset(next.size, next.entries, next.divisor);
    if (key !== this.#depthKey) {
      this.#depthKey = key;
      this.#q('.kp-depth').innerHTML = renderDepth(image, next.scale, {
        interactive: true,
        ...(preset ? { selected: preset.id } : {}),
      });
    }
    for (const b of this.querySelectorAll<HTMLButtonElement>('.kp-depth-item')) {
      b.setAttribute('aria-pressed', String(b.dataset['preset'] === preset?.id));
    }
    this.#field('preset').value = preset?.id ?? 'custom';
    if (announce) this.#q('[role="status"]').textContent = describe(next, image, map, trace, pics.stats);
    writeUrlState(this.id, {
      img: next.image,
      ...(next.image === 'digit' ? { digit: String(next.digit) } : {}),
      k: next.entries.join(','),
      div: String(next.divisor),
      scale: next.scale,
      at: `${next.row},${next.col}`,
    });
  }

  #showKernelError(message: string | null): void {
    const box = this.#q(`#${this.id}-kernel-error`);
    box.textContent = message ?? '';
    box.hidden = message === null;
  }

  /** Reads the kernel grid and the divisor; null (with messages shown) when something is wrong. */
  #readKernel(): { entries: number[]; divisor: number } | null {
    const cells = [...this.querySelectorAll<HTMLInputElement>('.kp-entry')];
    const entries: number[] = [];
    let firstError: string | null = null;
    for (const [i, cell] of cells.entries()) {
      const r = parseEntry(cell.value, i, this.#state.size);
      if (r.ok) {
        entries.push(r.value);
        cell.removeAttribute('aria-invalid');
      } else {
        cell.setAttribute('aria-invalid', 'true');
        firstError ??= r.message;
      }
    }
    this.#showKernelError(firstError);
    const divField = this.#field('divisor');
    const div = parseDivisor(divField.value);
    setFieldError(divField, div.ok ? null : div.message);
    if (firstError !== null || !div.ok) return null;
    return { entries, divisor: div.value };
  }

  #setKernelControls(size: number, entries: readonly number[], divisor: number): void {
    this.#q('.kp-grid-holder').innerHTML = renderKernelGrid(this.id, size, entries);
    const divField = this.#field('divisor');
    divField.value = fmt(divisor).replace('\u2212', '-');
    setFieldError(divField, null);
    this.#showKernelError(null);
    const radio = this.querySelector<HTMLInputElement>(`[data-field="size"][value="${size}"]`);
    if (radio) radio.checked = true;
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (field !== 'entry' && field !== 'divisor') return;
    const k = this.#readKernel();
    if (k) this.#commit({ ...this.#state, ...k });
  }

  #onChange(e: Event): void {
    const el = e.target as HTMLInputElement;
    switch (el.dataset['field']) {
      case 'image':
        this.#q('.kp-digit').hidden = el.value !== 'digit';
        this.#commit({ ...this.#state, image: el.value }, true, true);
        break;
      case 'digit':
        this.#commit({ ...this.#state, image: 'digit', digit: Number(el.value) }, true, true);
        break;
      case 'scale':
        if (isScale(el.value)) this.#commit({ ...this.#state, scale: el.value });
        break;
      case 'preset':
        this.#loadPreset(el.value);
        break;
      case 'size': {
        const size = el.value === '5' ? 5 : 3;
        const entries = resizeEntries(this.#state.entries, this.#state.size, size);
        this.#setKernelControls(size, entries, this.#state.divisor);
        this.#commit({ ...this.#state, size, entries });
        break;
      }
    }
  }

  #loadPreset(id: string | undefined): void {
    const p = presetById(id);
    if (!p) return;
    this.#setKernelControls(p.size, p.entries, p.divisor);
    this.#commit({ ...this.#state, size: p.size, entries: [...p.entries], divisor: p.divisor });
  }

  #onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const depth = target.closest<HTMLButtonElement>('.kp-depth-item');
    if (depth) return this.#loadPreset(depth.dataset['preset']);
    if (target.closest('[data-action="share"]')) return void this.#share();
    const frame = target.closest('.hm-frame');
    const heat = frame?.closest<HTMLElement>('.heatmap');
    if (!frame || !heat) return;
    const hit = cellFromPointer(e, frame, Number(heat.dataset['rows']), Number(heat.dataset['cols']));
    if (!hit) return;
    // A click on the input centres the window on the clicked pixel; a click on the map selects that cell.
    const half = heat.classList.contains('kp-map') ? 0 : (this.#state.size - 1) / 2;
    this.#commit({ ...this.#state, row: hit[0] - half, col: hit[1] - half });
  }

  #onKey(e: KeyboardEvent): void {
    const step = e.shiftKey ? 5 : 1;
    const { row, col } = this.#state;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - step, col],
      ArrowDown: [row + step, col],
      ArrowLeft: [row, col - step],
      ArrowRight: [row, col + step],
      Home: [0, 0],
      End: [this.#map.rows - 1, this.#map.cols - 1],
    };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    this.#commit({ ...this.#state, row: to[0], col: to[1] });
  }

  /** A shared link overrides the defaults; anything invalid in it is explained beside its control. */
  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const next = { ...this.#state };
    const problems: string[] = [];
    const img = saved.get('img');
    if (img !== undefined) {
      if (img === 'digit' || this.#set.photos.some((p) => p.id === img)) next.image = img;
      else problems.push(`The link asks for an image “${img}” that does not exist.`);
    }
    const digit = saved.get('digit');
    if (digit !== undefined) {
      const d = Number(digit);
      if (Number.isInteger(d) && d >= 0 && d < this.#set.digits.length) next.digit = d;
      else problems.push(`The link's digit “${digit}” is not from 0 to ${this.#set.digits.length - 1}.`);
    }
    const scale = saved.get('scale');
    if (isScale(scale)) next.scale = scale;
    const at = saved.get('at')?.split(',').map(Number);
    const hasAt = at?.length === 2 && at.every((v) => Number.isInteger(v) && v >= 0);
    if (hasAt) [next.row, next.col] = at as [number, number];
    if (problems.length > 0) this.#showUrlProblem(problems.join(' '));
    this.#syncPicker(next);
    const k = saved.get('k');
    if (k !== undefined) {
      const tokens = k.split(',');
      const size = tokens.length === 25 ? 5 : 3;
      if (tokens.length !== 9 && tokens.length !== 25) {
        this.#commit(next, true);
        this.#showKernelError(
          `The link's kernel has ${tokens.length} numbers; a kernel needs 9 (3 × 3) or 25 (5 × 5).`,
        );
        return;
      }
      // Put the link's numbers in the fields and read them like typed input, so bad ones get a message.
      this.#q('.kp-grid-holder').innerHTML = renderKernelGrid(this.id, size, []);
      this.querySelectorAll<HTMLInputElement>('.kp-entry').forEach((cell, i) => (cell.value = tokens[i] ?? ''));
      this.#field('divisor').value = saved.get('div') ?? '1';
      const sizeRadio = this.querySelector<HTMLInputElement>(`[data-field="size"][value="${size}"]`);
      if (sizeRadio) sizeRadio.checked = true;
      const prevSize = this.#state.size;
      this.#state = { ...this.#state, size };
      const kernel = this.#readKernel();
      if (!kernel) {
        this.#state = { ...this.#state, size: prevSize };
        this.#commit({ ...next, size: prevSize }, true);
        return;
      }
      Object.assign(next, kernel, { size });
    }
    this.#commit(next, true, !hasAt && next.image !== this.#state.image);
  }

  #syncPicker(s: PlaygroundState): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="image"][value="${s.image}"]`);
    if (radio) radio.checked = true;
    this.#field('digit').value = String(s.digit);
    this.#q('.kp-digit').hidden = s.image !== 'digit';
    const scale = this.querySelector<HTMLInputElement>(`[data-field="scale"][value="${s.scale}"]`);
    if (scale) scale.checked = true;
  }

  #showUrlProblem(message: string): void {
    const box = this.#q(`#${this.id}-url-error`);
    box.textContent = `${message} Showing the rest of the link's settings.`;
    box.hidden = false;
  }

  #share(): Promise<void> {
    return copyShareLink(this, this.#q('[role="status"]'), {
      copied: 'Link copied: it opens the playground with this image, kernel and cell.',
    });
  }
}

/** The cell with the largest absolute response (the first one on ties). */
function strongestCell(map: FeatureMap): { row: number; col: number } {
  let best = 0;
  for (let i = 1; i < map.values.length; i++) if (Math.abs(map.values[i]!) > Math.abs(map.values[best]!)) best = i;
  return { row: Math.floor(best / map.cols), col: best % map.cols };
}

export function defineKernelPlayground(): void {
  if (!customElements.get('kernel-playground')) customElements.define('kernel-playground', KernelPlaygroundElement);
}
