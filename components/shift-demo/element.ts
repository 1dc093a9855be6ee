import { EngineError } from '../../src/lib/index.ts';
import { parseInteger } from '../internal/parse.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { readUrlState, writeUrlState, copyShareLink } from '../internal/url-state.ts';
import { loadSampleDigits } from '../internal/digits.ts';
import { computeShift, describe, renderStage, type ShiftResult } from './view.ts';
import { MAX_SHIFT, MAX_WINDOW, isSource, type ShiftDemoState } from './state.ts';

interface Payload {
  state: ShiftDemoState;
  pixels: number[];
  rows: number;
  cols: number;
}

const MOVES: Record<string, [number, number]> = { up: [-1, 0], down: [1, 0], left: [0, -1], right: [0, 1] };
const KEYS: Record<string, string> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

/**
 * <shift-demo>: moves the digit by whole pixels and re-pools. Keeps the last good state and result; a bad window
 * size or a move past the limit only shows a message.
 */
class ShiftDemoElement extends HTMLElement {
  #data!: Payload;
  #result!: ShiftResult;
  /** Counts applies, so a slow digit fetch cannot overwrite a newer state. */
  #seq = 0;

  connectedCallback(): void {
    this.#data = JSON.parse(this.dataset['payload'] ?? '{}') as Payload;
    this.#result = computeShift(this.#data.state, this.#data.pixels, this.#data.rows, this.#data.cols);
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.querySelector<HTMLElement>('.stage')!.addEventListener('keydown', (e) => this.#onKey(e));
    void this.#restoreFromUrl();
  }

  #control(field: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
  }
  #shiftError(): HTMLElement {
    return this.querySelector<HTMLElement>(`#${this.id}-shift-error`)!;
  }

  async #restoreFromUrl(): Promise<void> {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const size = saved.get('size');
    if (size !== undefined) this.#control('size').value = size;
    const source = saved.get('source');
    if (isSource(source))
      this.querySelector<HTMLInputElement>(`[data-field="source"][value="${source}"]`)!.checked = true;
    const digit = Number(saved.get('digit') ?? this.#data.state.digit);
    const select = this.querySelector<HTMLSelectElement>('select[data-field="digit"]')!;
    if (Number.isInteger(digit) && select.querySelector(`option[value="${digit}"]`)) select.value = String(digit);
    const down = Number(saved.get('down') ?? '0');
    const right = Number(saved.get('right') ?? '0');
    await this.#apply(down, right);
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (field) void this.#apply(this.#data.state.down, this.#data.state.right);
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (!action) return;
    if (action === 'share') void copyShareLink(this, this.querySelector('.status')!);
    else if (action === 'reset') void this.#apply(0, 0);
    else this.#move(action);
  }

  #onKey(e: KeyboardEvent): void {
    const move = KEYS[e.key];
    if (!move && e.key !== 'Home') return;
    e.preventDefault();
    if (move) this.#move(move);
    else void this.#apply(0, 0);
  }

  #move(action: string): void {
    const delta = MOVES[action];
    if (!delta) return;
    void this.#apply(this.#data.state.down + delta[0], this.#data.state.right + delta[1]);
  }

  /** Reads the controls, fetches another digit if needed, runs the engine and renders, or explains the problem. */
  async #apply(down: number, right: number): Promise<void> {
    const seq = ++this.#seq;
    const sizeField = this.#control('size');
    const size = parseInteger(sizeField.value, { name: 'the window size', min: 1, max: MAX_WINDOW });
    setFieldError(sizeField, size.ok ? null : size.message);
    const shiftBox = this.#shiftError();
    const bad = [down, right].find((v) => !Number.isInteger(v) || Math.abs(v) > MAX_SHIFT);
    shiftBox.hidden = bad === undefined;
    if (bad !== undefined) {
      shiftBox.textContent = `This demo moves the input at most ${MAX_SHIFT} pixels each way (asked for ${String(bad)}): small shifts are the point.`;
      return;
    }
    shiftBox.textContent = '';
    if (!size.ok) return;
    const source = this.querySelector<HTMLInputElement>('[data-field="source"]:checked')?.value;
    if (!isSource(source)) return;
    const select = this.querySelector<HTMLSelectElement>('select[data-field="digit"]')!;
    const digit = Number(select.value);
    const next: ShiftDemoState = { digit, source, size: size.value, down, right };
    let pixels = this.#data.pixels;
    if (digit !== this.#data.state.digit) {
      try {
        const samples = await loadSampleDigits();
        if (seq !== this.#seq) return;
        pixels = samples.digits[digit]!.pixels;
        setFieldError(select, null);
      } catch (err) {
        setFieldError(select, err instanceof Error ? err.message : 'The sample digits could not be loaded.');
        return;
      }
    }
    let result: ShiftResult;
    try {
      result = computeShift(next, pixels, this.#data.rows, this.#data.cols);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(sizeField, err.message);
      return;
    }
    this.#data = { ...this.#data, state: next, pixels };
    this.#result = result;
    this.#render();
  }

  #render(): void {
    const s = this.#data.state;
    this.querySelector('.stage')!.innerHTML = renderStage(s, this.#result);
    this.querySelector('.status')!.textContent = describe(s, this.#result);
    for (const [action, [dy, dx]] of Object.entries(MOVES)) {
      const blocked = Math.abs(s.down + dy) > MAX_SHIFT || Math.abs(s.right + dx) > MAX_SHIFT;
      this.querySelector(`[data-action="${action}"]`)!.setAttribute('aria-disabled', String(blocked));
    }
    const { digit, source, size, down, right } = s;
    writeUrlState(this.id, {
      digit: String(digit),
      source,
      size: String(size),
      down: String(down),
      right: String(right),
    });
  }
}

export function defineShiftDemo(): void {
  if (!customElements.get('shift-demo')) customElements.define('shift-demo', ShiftDemoElement);
}
