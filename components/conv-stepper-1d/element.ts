import { conv1d, EngineError, type Conv1dResult } from '../../src/lib/index.ts';
import { parseNumberList } from '../internal/parse.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { readUrlState, writeUrlState, shareUrl } from '../internal/url-state.ts';
import { renderStage, describeStep } from './view.ts';
import { isKind, isMode, type Stepper1dState } from './state.ts';

const PLAY_MS = 1100;
const MAX_LENGTH = 64;

/**
 * <conv-stepper-1d>: behaviour over the server-rendered stepper. It keeps one state object and the
 * last engine result that succeeded; bad input only shows a message, so the stage never breaks.
 */
class ConvStepper1dElement extends HTMLElement {
  #state!: Stepper1dState;
  #result!: Conv1dResult;
  #timer: number | null = null;

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as Stepper1dState;
    this.#result = conv1d(this.#state.x, this.#state.w, { mode: this.#state.mode, kind: this.#state.kind });
    this.#syncButtons();
    this.#keepKernelInView();
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('change', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.#stage().addEventListener('keydown', (e) => this.#onKey(e));
  }

  disconnectedCallback(): void {
    this.#stop();
  }

  #stage(): HTMLElement {
    return this.querySelector<HTMLElement>('.stage')!;
  }

  #control(field: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
  }

  /** A shared link overrides the defaults; anything invalid in it is reported like typed input. */
  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const x = saved.get('x');
    const w = saved.get('w');
    if (x !== undefined) this.#control('x').value = x;
    if (w !== undefined) this.#control('w').value = w;
    const mode = saved.get('mode');
    const kind = saved.get('kind');
    if (isMode(mode)) this.#check('mode', mode);
    if (isKind(kind)) this.#check('kind', kind);
    const step = Number(saved.get('step') ?? '0');
    this.#apply(Number.isInteger(step) && step >= 0 ? step : 0, true);
  }

  #check(name: string, value: string): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  }

  #selected(name: string): string | undefined {
    return this.querySelector<HTMLInputElement>(`[data-field="${name}"]:checked`)?.value;
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (!field) return;
    this.#stop();
    this.#apply(0, true);
  }

  /**
   * Reads every control, runs the engine, and either adopts the new state or explains what is wrong.
   * Messages go beside the field they concern; the previous good stage stays on screen.
   */
  #apply(step: number, announce: boolean): void {
    const xField = this.#control('x');
    const wField = this.#control('w');
    const modeError = this.querySelector<HTMLElement>(`#${this.id}-mode-error`)!;
    const x = parseNumberList(xField.value, { name: 'the input x', max: MAX_LENGTH });
    const w = parseNumberList(wField.value, { name: 'the kernel w', max: MAX_LENGTH });
    setFieldError(xField, x.ok ? null : x.message);
    setFieldError(wField, w.ok ? null : w.message);
    modeError.hidden = true;
    if (!x.ok || !w.ok) return;
    const mode = this.#selected('mode');
    const kind = this.#selected('kind');
    if (!isMode(mode) || !isKind(kind)) return;
    let result: Conv1dResult;
    try {
      result = conv1d(x.value, w.value, { mode, kind });
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      // The only setting-dependent failure: a kernel longer than the input in valid mode.
      modeError.textContent = err.message;
      modeError.hidden = false;
      return;
    }
    this.#state = { x: x.value, w: w.value, mode, kind, step: Math.min(step, result.steps.length - 1) };
    this.#result = result;
    this.#render(announce);
  }

  #render(announce: boolean): void {
    this.#stage().innerHTML = renderStage(this.#state, this.#result);
    this.#keepKernelInView();
    const status = this.querySelector('.status')!;
    if (announce) status.textContent = describeStep(this.#state, this.#result);
    this.#syncButtons();
    const { x, w, mode, kind, step } = this.#state;
    writeUrlState(this.id, { x: x.join(','), w: w.join(','), mode, kind, step: String(step) });
  }

  /** On a narrow screen the lanes scroll sideways; keep the sliding kernel in the middle of the view. */
  #keepKernelInView(): void {
    const track = this.querySelector<HTMLElement>('.track');
    const cells = this.querySelectorAll<HTMLElement>('.lanes td.w');
    if (!track || cells.length === 0 || track.scrollWidth <= track.clientWidth) return;
    const first = cells[0]!;
    const last = cells[cells.length - 1]!;
    const centre = (first.offsetLeft + last.offsetLeft + last.offsetWidth) / 2;
    track.scrollLeft = Math.max(0, centre - track.clientWidth / 2);
  }

  #syncButtons(): void {
    this.#button('back').setAttribute('aria-disabled', String(this.#state.step === 0));
    this.#button('next').setAttribute('aria-disabled', String(this.#state.step === this.#result.steps.length - 1));
  }

  #button(action: string): HTMLButtonElement {
    return this.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
  }

  #go(step: number): void {
    const last = this.#result.steps.length - 1;
    const next = Math.max(0, Math.min(last, step));
    if (next === this.#state.step) return;
    this.#state = { ...this.#state, step: next };
    this.#render(true);
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    switch (action) {
      case 'back':
        this.#stop();
        this.#go(this.#state.step - 1);
        break;
      case 'next':
        this.#go(this.#state.step + 1);
        break;
      case 'reset':
        this.#stop();
        this.#go(0);
        break;
      case 'play':
        if (this.#timer === null) this.#play();
        else this.#stop();
        break;
      case 'share':
        void this.#share();
        break;
    }
  }

  #onKey(e: KeyboardEvent): void {
    const moves: Record<string, number> = {
      ArrowRight: this.#state.step + 1,
      ArrowLeft: this.#state.step - 1,
      Home: 0,
      End: this.#result.steps.length - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    this.#stop();
    this.#go(target);
  }

  #play(): void {
    if (this.#state.step === this.#result.steps.length - 1) this.#go(0);
    const button = this.#button('play');
    button.textContent = 'Pause';
    button.setAttribute('aria-pressed', 'true');
    this.#timer = window.setInterval(() => {
      if (this.#state.step >= this.#result.steps.length - 1) this.#stop();
      else this.#go(this.#state.step + 1);
    }, PLAY_MS);
  }

  #stop(): void {
    if (this.#timer !== null) window.clearInterval(this.#timer);
    this.#timer = null;
    const button = this.#button('play');
    button.textContent = 'Play';
    button.setAttribute('aria-pressed', 'false');
  }

  async #share(): Promise<void> {
    const status = this.querySelector('.status')!;
    const url = shareUrl(this.id);
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'Link copied: it opens this widget in its current state.';
    } catch {
      status.textContent = `Copy this link to share the current state: ${url}`;
    }
  }
}

export function defineConvStepper1d(): void {
  if (!customElements.get('conv-stepper-1d')) customElements.define('conv-stepper-1d', ConvStepper1dElement);
}
