import { EngineError } from '../../src/lib/index.ts';
import { loadSampleDigits } from '../internal/digits.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { cellFromPointer } from '../internal/heatmap.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { parseInteger, parseNumber } from '../internal/parse.ts';
import { readUrlState, writeUrlState, copyShareLink } from '../internal/url-state.ts';
import { LIMITS, computeMaps, isActivation, isKernel, type ActivationViewerState, type Maps } from './state.ts';
import { describeCell, describeMap, renderStage } from './view.ts';

interface Digit {
  pixels: readonly number[];
  size: number;
  label: number;
}

/**
 * <activation-viewer>: behaviour over the server-rendered viewer. Keeps one state object, the current digit's
 * pixels and the last maps that succeeded; bad input only shows a message beside its field.
 */
class ActivationViewerElement extends HTMLElement {
  #state!: ActivationViewerState;
  #digit!: Digit;
  #maps!: Maps;
  /** Increases with every digit request, so a slow answer for an older request is ignored. */
  #request = 0;

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as ActivationViewerState;
    this.#digit = JSON.parse(this.dataset['digit'] ?? '{}') as Digit;
    this.#maps = computeMaps(this.#digit.pixels, this.#digit.size, this.#state);
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('keydown', (e) => {
      if (!stepIntegerField(e, (f) => (f === 'digit' || f === 'bias' ? LIMITS[f] : undefined))) this.#onKey(e);
    });
    this.addEventListener('click', (e) => this.#onClick(e));
    this.#restoreFromUrl();
  }

  #field(name: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-field="${name}"]`)!;
  }

  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    for (const f of ['digit', 'alpha', 'bias']) {
      const v = saved.get(f);
      if (v !== undefined) this.#field(f).value = v;
    }
    const kernel = saved.get('kernel');
    const act = saved.get('act');
    if (isKernel(kernel)) this.#check('kernel', kernel);
    if (isActivation(act)) this.#check('activation', act);
    const row = Number(saved.get('row'));
    const col = Number(saved.get('col'));
    void this.#apply(false).then(() => {
      if (Number.isInteger(row) && Number.isInteger(col)) this.#focusCell(row, col, true);
    });
  }

  #check(name: string, value: string): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  }

  #onInput(e: Event): void {
    if ((e.target as HTMLElement).dataset['field']) void this.#apply(true);
  }

  /** Reads every control; loads another digit if needed; recomputes or explains what is wrong beside the field. */
  async #apply(announce: boolean): Promise<void> {
    const digitField = this.#field('digit');
    const digit = parseInteger(digitField.value, { name: 'the sample number', ...LIMITS.digit });
    const alpha = this.#readNumber('alpha', 'the leaky ReLU slope', LIMITS.alpha);
    const bias = this.#readNumber('bias', 'the bias', LIMITS.bias);
    setFieldError(digitField, digit.ok ? null : digit.message);
    const kernel = this.querySelector<HTMLInputElement>('[data-field="kernel"]:checked')?.value;
    const activation = this.querySelector<HTMLInputElement>('[data-field="activation"]:checked')?.value;
    if (!digit.ok || alpha === null || bias === null || !isKernel(kernel) || !isActivation(activation)) return;
    let pixels = this.#digit;
    if (digit.value !== this.#state.digit) {
      const request = ++this.#request;
      try {
        const all = await loadSampleDigits();
        const d = all.digits[digit.value];
        if (!d) throw new Error(`There is no MNIST sample ${digit.value}.`);
        pixels = { pixels: d.pixels, size: all.rows, label: d.label };
      } catch (err) {
        setFieldError(digitField, err instanceof Error ? err.message : 'The digits could not be loaded.');
        return;
      }
      if (request !== this.#request) return;
    }
    const next: ActivationViewerState = { ...this.#state, digit: digit.value, kernel, activation, alpha, bias };
    let maps: Maps;
    try {
      maps = computeMaps(pixels.pixels, pixels.size, next);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(digitField, err.message);
      return;
    }
    this.#state = next;
    this.#digit = pixels;
    this.#maps = maps;
    this.#render(announce ? `${describeMap(next, maps)} ${describeCell(next, maps)}` : null);
  }

  /** A decimal within [min, max], or null after putting the message beside the field. */
  #readNumber(field: string, what: string, range: { min: number; max: number }): number | null {
    const el = this.#field(field);
    const text = el.value.trim();
    const v = text === '' ? null : parseNumber(text);
    const What = what.charAt(0).toUpperCase() + what.slice(1);
    let message: string | null = null;
    if (text === '') message = `Enter ${what}, a number from ${range.min} to ${range.max}.`;
    else if (v === null || !Number.isFinite(v)) message = `“${text}” is not a number; ${what} must be a number.`;
    else if (v < range.min || v > range.max)
      message = `${What} must be from ${range.min} to ${range.max}; you gave ${text}.`;
    setFieldError(el, message);
    return message === null ? v : null;
  }

  #render(announcement: string | null): void {
    this.querySelector('.stage')!.innerHTML = renderStage(this.#state, this.#maps, this.#digit);
    if (announcement !== null) this.querySelector('.status')!.textContent = announcement;
    const s = this.#state;
    writeUrlState(this.id, {
      digit: String(s.digit),
      kernel: s.kernel,
      act: s.activation,
      alpha: String(s.alpha),
      bias: String(s.bias),
      row: String(s.row),
      col: String(s.col),
    });
  }

  #focusCell(row: number, col: number, force = false): void {
    const r = Math.max(0, Math.min(this.#maps.rows - 1, row));
    const c = Math.max(0, Math.min(this.#maps.cols - 1, col));
    if (!force && r === this.#state.row && c === this.#state.col) return;
    this.#state = { ...this.#state, row: r, col: c };
    this.#render(describeCell(this.#state, this.#maps));
  }

  #onKey(e: KeyboardEvent): void {
    if (!(e.target as HTMLElement).classList.contains('stage')) return;
    const { row, col } = this.#state;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      ArrowLeft: [row, col - 1],
      ArrowRight: [row, col + 1],
      Home: [row, 0],
      End: [row, this.#maps.cols - 1],
    };
    const target = moves[e.key];
    if (!target) return;
    e.preventDefault();
    this.#focusCell(...target);
  }

  #onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    if (target.closest('button[data-action="share"]')) {
      void this.#share();
      return;
    }
    const frame = target.closest('.av-map')?.querySelector('.hm-frame');
    if (!frame) return;
    const cell = cellFromPointer(e, frame, this.#maps.rows, this.#maps.cols);
    if (cell) this.#focusCell(...cell);
  }

  #share(): Promise<void> {
    return copyShareLink(this, this.querySelector('.status')!, {
      copied: 'Link copied: it opens the viewer in its current state.',
    });
  }
}

export function defineActivationViewer(): void {
  if (!customElements.get('activation-viewer')) customElements.define('activation-viewer', ActivationViewerElement);
}
