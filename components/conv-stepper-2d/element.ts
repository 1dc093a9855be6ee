import { EngineError } from '../../src/lib/index.ts';
import { parseInteger, parseMatrix } from '../internal/parse.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { readUrlState, writeUrlState, savedIndex, copyShareLink } from '../internal/url-state.ts';
import { Player, keyedStep, syncStepButtons } from '../internal/stepper.ts';
import { renderStage, describeStep } from './view.ts';
import {
  LIMITS,
  WORKED,
  compute,
  isKind,
  matrixToText,
  matrixToUrl,
  randomPreset,
  type Stepper2dResult,
  type Stepper2dState,
} from './state.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

/**
 * <conv-stepper-2d>: behaviour over the server-rendered 2D stepper. It keeps one state object and the last
 * engine result that succeeded; bad input only shows a message beside its field, so the stage never breaks.
 */
class ConvStepper2dElement extends HTMLElement {
  #state!: Stepper2dState;
  #result!: Stepper2dResult;
  #player!: Player;

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as Stepper2dState;
    this.#result = compute(this.#state);
    this.#player = new Player(this, {
      step: () => this.#state.step,
      last: () => this.#last(),
      go: (step) => this.#go(step),
    });
    syncStepButtons(this, this.#state.step, this.#last());
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('change', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => this.#onKey(e));
  }

  disconnectedCallback(): void {
    this.#player.stop();
  }

  #stage(): HTMLElement {
    return this.querySelector<HTMLElement>('.stage')!;
  }

  #control<T extends HTMLElement = HTMLInputElement>(field: string): T {
    return this.querySelector<T>(`[data-field="${field}"]`)!;
  }

  /** A shared link overrides the defaults; anything invalid in it is reported like typed input. */
  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const x = saved.get('x');
    const w = saved.get('w');
    const seed = saved.get('seed');
    const kind = saved.get('kind');
    // The URL separates rows with ";"; the text areas show one row per line.
    if (x !== undefined) this.#control<HTMLTextAreaElement>('x').value = x.replace(/;/g, '\n').replace(/,/g, ' ');
    if (w !== undefined) this.#control<HTMLTextAreaElement>('w').value = w.replace(/;/g, '\n').replace(/,/g, ' ');
    if (seed !== undefined) this.#control('seed').value = seed;
    if (isKind(kind)) this.#check(kind);
    this.#apply(savedIndex(saved), true);
  }

  #check(kind: string): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="kind"][value="${kind}"]`);
    if (radio) radio.checked = true;
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    // Radios report through 'change', text through 'input'; listening to one of each avoids double work.
    if (!field || (e.type === 'change') !== (field === 'kind')) return;
    this.#player.stop();
    this.#apply(0, true);
  }

  /** Reads the seed field; null (with the message shown beside it) when it is not a whole number in range. */
  #seed(): number | null {
    const field = this.#control('seed');
    const seed = parseInteger(field.value, { name: 'the seed', min: 0, max: LIMITS.seedMax });
    setFieldError(field, seed.ok ? null : seed.message);
    return seed.ok ? seed.value : null;
  }

  /**
   * Reads every control, runs the engine, and either adopts the new state or explains what is wrong.
   * Messages go beside the field they concern; the previous good stage stays on screen.
   */
  #apply(step: number, announce: boolean, prefix = ''): void {
    const xField = this.#control<HTMLTextAreaElement>('x');
    const wField = this.#control<HTMLTextAreaElement>('w');
    const x = parseMatrix(xField.value, { name: 'the input x', maxRows: LIMITS.input, maxCols: LIMITS.input });
    const w = parseMatrix(wField.value, { name: 'the kernel w', maxRows: LIMITS.kernel, maxCols: LIMITS.kernel });
    setFieldError(xField, x.ok ? null : x.message);
    setFieldError(wField, w.ok ? null : w.message);
    const seed = this.#seed();
    if (!x.ok || !w.ok || seed === null) return;
    if (w.value.rows > x.value.rows || w.value.cols > x.value.cols) {
      setFieldError(
        wField,
        `The kernel (${w.value.rows} × ${w.value.cols}) is larger than the input (${x.value.rows} × ${x.value.cols}): ` +
          'there is no position where it fits inside. Use a smaller kernel or a larger input.',
      );
      return;
    }
    const kind = this.querySelector<HTMLInputElement>('[data-field="kind"]:checked')?.value;
    if (!isKind(kind)) return;
    const next: Stepper2dState = { x: x.value, w: w.value, kind, step, seed };
    let result: Stepper2dResult;
    try {
      result = compute(next);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(err.field === 'input' ? xField : wField, err.message);
      return;
    }
    next.step = result.trace.oy * result.OW + result.trace.ox;
    // Show every row of a good matrix without scrolling the text area.
    xField.rows = Math.max(3, x.value.rows);
    wField.rows = Math.max(3, w.value.rows);
    this.#state = next;
    this.#result = result;
    this.#render(announce, prefix);
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(announce: boolean, prefix = ''): void {
    whenTex(this, () => this.#paint(announce, prefix));
  }

  #paint(announce: boolean, prefix = ''): void {
    const hadFocus = this.querySelector('.out-grid')?.contains(document.activeElement) ?? false;
    this.#stage().innerHTML = renderStage(this.#state, this.#result);
    // Re-rendering replaced the button that had focus; keep the keyboard where the reader was.
    if (hadFocus) this.querySelector<HTMLButtonElement>(`.out[data-step="${this.#state.step}"]`)?.focus();
    if (announce) this.querySelector('.status')!.textContent = prefix + describeStep(this.#result);
    syncStepButtons(this, this.#state.step, this.#last());
    const { x, w, kind, step, seed } = this.#state;
    writeUrlState(this.id, { x: matrixToUrl(x), w: matrixToUrl(w), kind, step: String(step), seed: String(seed) });
  }

  #last(): number {
    return this.#result.OH * this.#result.OW - 1;
  }

  #go(step: number): void {
    const next = Math.max(0, Math.min(this.#last(), step));
    if (next === this.#state.step) return;
    this.#state = { ...this.#state, step: next };
    this.#result = compute(this.#state);
    this.#render(true);
  }

  /** Puts a preset's matrices in the fields and applies them like typed input. */
  #preset(m: Pick<Stepper2dState, 'x' | 'w'>, prefix: string): void {
    this.#player.stop();
    this.#control<HTMLTextAreaElement>('x').value = matrixToText(m.x);
    this.#control<HTMLTextAreaElement>('w').value = matrixToText(m.w);
    this.#apply(0, true, prefix);
  }

  #onClick(e: MouseEvent): void {
    const target = (e.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (!target) return;
    if (target.dataset['step'] !== undefined) {
      this.#player.stop();
      this.#go(Number(target.dataset['step']));
      return;
    }
    switch (target.dataset['action']) {
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
      case 'worked':
        this.#preset(WORKED, 'Worked example. ');
        break;
      case 'random': {
        const seed = this.#seed();
        if (seed === null) return;
        const { x, w } = this.#state;
        this.#preset(
          randomPreset(seed, [x.rows, x.cols], [w.rows, w.cols]),
          `Random whole numbers from seed ${seed} (change the seed for others). `,
        );
        break;
      }
      case 'share':
        void copyShareLink(this, this.querySelector('.status')!);
        break;
    }
  }

  #onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (target.classList.contains('out')) this.#onGridKey(e, target);
    else if (target === this.#stage()) this.#onStageKey(e);
  }

  /** On the stage: ← → step, ↑ ↓ move one output row, Home/End jump to the first/last cell. */
  #onStageKey(e: KeyboardEvent): void {
    const { step } = this.#state;
    const OW = this.#result.OW;
    const to = keyedStep(e, {
      ArrowRight: step + 1,
      ArrowLeft: step - 1,
      ArrowDown: step + OW,
      ArrowUp: step - OW,
      Home: 0,
      End: this.#last(),
    });
    if (to === undefined) return;
    this.#player.stop();
    if (to >= 0 && to <= this.#last()) this.#go(to);
  }

  /** In the output grid: arrow keys move the focus between cells; Enter or Space (a button's click) jumps. */
  #onGridKey(e: KeyboardEvent, button: HTMLElement): void {
    const { OH, OW } = this.#result;
    const s = Number(button.dataset['step']);
    const [i, j] = [Math.floor(s / OW), s % OW];
    const moves: Record<string, [number, number]> = {
      ArrowRight: [i, j + 1],
      ArrowLeft: [i, j - 1],
      ArrowDown: [i + 1, j],
      ArrowUp: [i - 1, j],
      Home: [i, 0],
      End: [i, OW - 1],
    };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    const [ti, tj] = to;
    if (ti < 0 || ti >= OH || tj < 0 || tj >= OW) return;
    const next = this.querySelector<HTMLButtonElement>(`.out[data-step="${ti * OW + tj}"]`);
    if (!next) return;
    button.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }
}

export function defineConvStepper2d(): void {
  if (!customElements.get('conv-stepper-2d')) customElements.define('conv-stepper-2d', ConvStepper2dElement);
}
