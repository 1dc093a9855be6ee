import { EngineError } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { parseInteger } from '../internal/parse.ts';
import { Player, keyedStep, syncStepButtons } from '../internal/stepper.ts';
import { copyShareLink, readUrlState, savedIndex, writeUrlState } from '../internal/url-state.ts';
import { FIELDS, LIMITS, MAX_WINDOWS, PRESETS, outputShape, type Im2colState, type LimitField } from './state.ts';
import { computeView, describeStep, renderStage, type Im2colView } from './view.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

/** Short URL keys for the size fields. */
const URL_KEYS: Record<LimitField, string> = {
  n: 'n',
  C: 'C',
  K: 'K',
  k: 'k',
  padding: 'p',
  stride: 's',
  dilation: 'd',
  seed: 'seed',
};

/** Which field an engine error about the window belongs beside. */
const ERROR_FIELD: Record<string, LimitField> = { padding: 'padding', stride: 'stride', dilation: 'dilation' };

/**
 * <im2col-stepper>: behaviour over the server-rendered stepper. One state object; a bad or incompatible size only
 * shows a message beside its field, and the last good patch matrix stays on screen.
 */
class Im2colStepperElement extends HTMLElement {
  #state!: Im2colState;
  #view!: Im2colView;
  #player!: Player;

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as Im2colState;
    this.#view = computeView(this.#state);
    this.#player = new Player(this, {
      step: () => this.#state.step,
      last: () => this.#view.P - 1,
      go: (step) => this.#go(step),
    });
    syncStepButtons(this, this.#state.step, this.#view.P - 1);
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => {
      if (!stepIntegerField(e, (f) => (f in LIMITS ? LIMITS[f as LimitField] : undefined))) this.#onStageKey(e);
    });
  }

  disconnectedCallback(): void {
    this.#player.stop();
  }

  #q<T extends HTMLElement>(selector: string): T {
    return this.querySelector<T>(selector)!;
  }

  #field(name: string): HTMLInputElement {
    return this.#q<HTMLInputElement>(`[data-field="${name}"]`);
  }

  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    for (const f of FIELDS) {
      const v = saved.get(URL_KEYS[f]);
      if (v !== undefined) this.#field(f).value = v;
    }
    this.#apply(savedIndex(saved), true, false);
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (!field) return;
    this.#player.stop();
    if (field === 'preset') {
      const preset = PRESETS.find((p) => p.id === (e.target as HTMLSelectElement).value);
      if (!preset) return;
      for (const [key, value] of Object.entries(preset.shape)) this.#field(key).value = String(value);
    }
    this.#apply(0, true);
  }

  /**
   * Reads every size field, checks the sizes with the engine, and adopts them or explains what is wrong. With
   * `keepPlace`, sizes typed back to what is on screen (after a bad value, say) keep the current column.
   */
  #apply(step: number, announce: boolean, keepPlace = true): void {
    const read: Partial<Record<LimitField, number>> = {};
    let ok = true;
    for (const f of FIELDS) {
      const r = parseInteger(this.#field(f).value, LIMITS[f]);
      setFieldError(this.#field(f), r.ok ? null : r.message);
      if (r.ok) read[f] = r.value;
      else ok = false;
    }
    if (!ok) return;
    const candidate = { ...(read as Record<LimitField, number>), step: 0 };
    let size: { OH: number; OW: number };
    try {
      size = outputShape(candidate);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(this.#field(ERROR_FIELD[err.field] ?? 'k'), err.message);
      return;
    }
    const windows = size.OH * size.OW;
    if (windows > MAX_WINDOWS) {
      setFieldError(
        this.#field('stride'),
        `These sizes make ${windows} windows (${size.OH} × ${size.OW}); the stepper shows at most ${MAX_WINDOWS}. Raise the stride or shrink the input.`,
      );
      return;
    }
    const same = keepPlace && FIELDS.every((f) => candidate[f] === this.#state[f]);
    this.#state = { ...candidate, step: Math.min(same ? this.#state.step : step, windows - 1) };
    this.#view = computeView(this.#state);
    const match = PRESETS.find((p) => Object.entries(p.shape).every(([k, v]) => this.#state[k as LimitField] === v));
    this.#q<HTMLSelectElement>('[data-field="preset"]').value = match?.id ?? 'custom';
    this.#render(announce);
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(announce: boolean): void {
    whenTex(this, () => this.#paint(announce));
  }

  #paint(announce: boolean): void {
    const s = this.#state;
    this.#q('.stage').innerHTML = renderStage(s, this.#view);
    if (announce) this.#q('.status').textContent = describeStep(s, this.#view);
    syncStepButtons(this, s.step, this.#view.P - 1);
    const url: Record<string, string> = { step: String(s.step) };
    for (const f of FIELDS) url[URL_KEYS[f]] = String(s[f]);
    writeUrlState(this.id, url);
  }

  #go(step: number): void {
    const next = Math.max(0, Math.min(this.#view.P - 1, step));
    if (next === this.#state.step) return;
    this.#state = { ...this.#state, step: next };
    this.#render(true);
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (action === 'back') {
      this.#player.stop();
      this.#go(this.#state.step - 1);
    } else if (action === 'next') this.#go(this.#state.step + 1);
    else if (action === 'reset') {
      this.#player.stop();
      this.#go(0);
    } else if (action === 'play') this.#player.toggle();
    else if (action === 'share') void copyShareLink(this, this.#q('.status'));
  }

  #onStageKey(e: KeyboardEvent): void {
    if (!(e.target as HTMLElement).classList.contains('stage')) return;
    const { step } = this.#state;
    const target = keyedStep(e, { ArrowRight: step + 1, ArrowLeft: step - 1, Home: 0, End: this.#view.P - 1 });
    if (target === undefined) return;
    this.#player.stop();
    this.#go(target);
  }
}

export function defineIm2colStepper(): void {
  if (!customElements.get('im2col-stepper')) customElements.define('im2col-stepper', Im2colStepperElement);
}
