import { conv1d, EngineError, type Conv1dResult } from '../../src/lib/index.ts';
import { parseNumberList } from '../internal/parse.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { readUrlState, writeUrlState, savedIndex, copyShareLink } from '../internal/url-state.ts';
import { Player, keyedStep, syncStepButtons } from '../internal/stepper.ts';
import { renderStage, describeStep } from './view.ts';
import { isKind, isMode, type Stepper1dState } from './state.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

const MAX_LENGTH = 64;

/**
 * <conv-stepper-1d>: behaviour over the server-rendered stepper. It keeps one state object and the
 * last engine result that succeeded; bad input only shows a message, so the stage never breaks.
 */
class ConvStepper1dElement extends HTMLElement {
  #state!: Stepper1dState;
  #result!: Conv1dResult;
  #player!: Player;

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as Stepper1dState;
    this.#result = conv1d(this.#state.x, this.#state.w, { mode: this.#state.mode, kind: this.#state.kind });
    this.#player = new Player(this, {
      step: () => this.#state.step,
      last: () => this.#last(),
      go: (step) => this.#go(step),
    });
    syncStepButtons(this, this.#state.step, this.#last());
    this.#keepKernelInView();
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('change', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.#stage().addEventListener('keydown', (e) => this.#onKey(e));
  }

  disconnectedCallback(): void {
    this.#player.stop();
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
    this.#apply(savedIndex(saved), true);
  }

  #check(name: string, value: string): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  }

  #selected(name: string): string | undefined {
    return this.querySelector<HTMLInputElement>(`[data-field="${name}"]:checked`)?.value;
  }

  #onInput(e: Event): void {
    const target = e.target as HTMLInputElement;
    const field = target.dataset['field'];
    if (!field) return;
    // One event per edit: a radio fires both input and change, and a second pass would clear the message that
    // explains a refused switch to valid.
    if ((target.type === 'radio') !== (e.type === 'change')) return;
    this.#player.stop();
    this.#apply(0, true);
  }

  /**
   * Reads every control, runs the engine, and either adopts the new state or explains what is wrong.
   * Messages go beside the field they concern; the previous good stage stays on screen.
   */
  #apply(step: number, announce: boolean): void {
    const xField = this.#control('x');
    const wField = this.#control('w');
    const x = parseNumberList(xField.value, { name: 'the input x', max: MAX_LENGTH });
    const w = parseNumberList(wField.value, { name: 'the kernel w', max: MAX_LENGTH });
    setFieldError(xField, x.ok ? null : x.message);
    setFieldError(wField, w.ok ? null : w.message);
    if (!x.ok || !w.ok) return;
    const mode = this.#selected('mode');
    const kind = this.#selected('kind');
    if (!isMode(mode) || !isKind(kind)) return;
    const modeGroup = this.querySelector<HTMLElement>('fieldset[aria-describedby$="-mode-error"]')!;
    let result: Conv1dResult;
    try {
      result = conv1d(x.value, w.value, { mode, kind });
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      // The only setting-dependent failure is a kernel longer than the input in valid mode.
      if (mode !== this.#state.mode) {
        // Switching to valid caused it: the radio goes back to the mode on screen (controls never claim a state
        // the stage does not show), and the message beside the radios says why.
        const shown = this.#state.mode;
        this.#check('mode', shown);
        this.#apply(step, announce);
        setFieldError(modeGroup, `${err.message} The output stays ${shown}.`);
        return;
      }
      // Typing the kernel or input caused it: the message goes beside the kernel field (with aria-invalid) and
      // names the mode, so the reader sees both ways out.
      setFieldError(wField, err.message);
      return;
    }
    setFieldError(modeGroup, null);
    this.#state = { x: x.value, w: w.value, mode, kind, step: Math.min(step, result.steps.length - 1) };
    this.#result = result;
    this.#render(announce);
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(announce: boolean): void {
    whenTex(this, () => this.#paint(announce));
  }

  #paint(announce: boolean): void {
    this.#stage().innerHTML = renderStage(this.#state, this.#result);
    this.#keepKernelInView();
    const status = this.querySelector('.status')!;
    if (announce) status.textContent = describeStep(this.#state, this.#result);
    syncStepButtons(this, this.#state.step, this.#last());
    const { x, w, mode, kind, step } = this.#state;
    writeUrlState(this.id, { x: x.join(','), w: w.join(','), mode, kind, step: String(step) });
  }

  /**
   * On a narrow screen the lanes scroll sideways. Scroll only when the sliding kernel leaves the part of the view
   * right of the row labels, and then centre it there: centring on every step opened the strip scrolled, with
   * the row labels cut ("lipped kernel").
   */
  #keepKernelInView(): void {
    const track = this.querySelector<HTMLElement>('.track');
    const cells = this.querySelectorAll<HTMLElement>('.lanes td.w');
    if (!track || cells.length === 0 || track.scrollWidth <= track.clientWidth) return;
    const origin = track.getBoundingClientRect().left - track.scrollLeft;
    const left = cells[0]!.getBoundingClientRect().left - origin;
    const right = cells[cells.length - 1]!.getBoundingClientRect().right - origin;
    const labels = this.querySelector<HTMLElement>('.lanes th')?.getBoundingClientRect().width ?? 0;
    if (left >= track.scrollLeft + labels && right <= track.scrollLeft + track.clientWidth) return;
    const middle = labels + (track.clientWidth - labels) / 2;
    track.scrollLeft = Math.max(0, (left + right) / 2 - middle);
  }

  #last(): number {
    return this.#result.steps.length - 1;
  }

  #go(step: number): void {
    const next = Math.max(0, Math.min(this.#last(), step));
    if (next === this.#state.step) return;
    this.#state = { ...this.#state, step: next };
    this.#render(true);
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    switch (action) {
      case 'back':
        this.#player.stop();
        this.#go(this.#state.step - 1);
        break;
      case 'next':
        this.#go(this.#state.step + 1);
        break;
      case 'reset':
        this.#player.stop();
        this.#go(0);
        break;
      case 'play':
        this.#player.toggle();
        break;
      case 'share':
        void copyShareLink(this, this.querySelector('.status')!);
        break;
    }
  }

  #onKey(e: KeyboardEvent): void {
    const { step } = this.#state;
    const target = keyedStep(e, { ArrowRight: step + 1, ArrowLeft: step - 1, Home: 0, End: this.#last() });
    if (target === undefined) return;
    this.#player.stop();
    this.#go(target);
  }
}

export function defineConvStepper1d(): void {
  if (!customElements.get('conv-stepper-1d')) customElements.define('conv-stepper-1d', ConvStepper1dElement);
}
