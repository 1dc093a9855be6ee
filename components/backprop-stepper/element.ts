import { EngineError, type BackpropStage, type BackpropWalk } from '../../src/lib/index.ts';
import { parseInteger } from '../internal/parse.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { readUrlState, writeUrlState, savedIndex, copyShareLink } from '../internal/url-state.ts';
import { keyedStep, syncStepButtons } from '../internal/stepper.ts';
import { renderStage, describeStep } from './view.ts';
import { BACKPROP_STAGES, LIMITS, clampStep, compute, type BackpropState } from './state.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

/**
 * <backprop-stepper>: behaviour over the server-rendered walk. One state object (seed, label, step) and the
 * walk the engine computed for it; bad input only shows a message, so the stage never breaks.
 */
class BackpropStepperElement extends HTMLElement {
  #state!: BackpropState;
  #walk!: BackpropWalk;

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as BackpropState;
    this.#walk = compute(this.#state);
    this.#syncControls();
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('change', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.#seedField().addEventListener('keydown', (e) =>
      stepIntegerField(e, (f) => (f === 'seed' ? { min: 0, max: LIMITS.seedMax } : undefined)),
    );
    this.#stage().addEventListener('keydown', (e) => this.#onKey(e));
  }

  #stage(): HTMLElement {
    return this.querySelector<HTMLElement>('.stage')!;
  }

  #seedField(): HTMLInputElement {
    return this.querySelector<HTMLInputElement>('[data-field="seed"]')!;
  }

  #jump(): HTMLSelectElement {
    return this.querySelector<HTMLSelectElement>('[data-field="jump"]')!;
  }

  /** A shared link overrides the defaults; an invalid seed in it is reported like typed input. */
  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const seed = saved.get('seed');
    if (seed !== undefined) this.#seedField().value = seed;
    const label = saved.get('label');
    const radio = this.querySelector<HTMLInputElement>(`[data-field="label"][value="${label ?? ''}"]`);
    if (radio) radio.checked = true;
    this.#apply(savedIndex(saved));
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (field === 'jump') {
      if (e.type !== 'change') return;
      const stage = this.#jump().value as BackpropStage;
      this.#go(this.#walk.steps.findIndex((s) => s.stage === stage));
      return;
    }
    if (field === 'seed' || field === 'label') this.#apply(this.#state.step);
  }

  /** Reads the seed and label, runs the engine, and either adopts the new walk or explains what is wrong. */
  #apply(step: number): void {
    const seedField = this.#seedField();
    const seed = parseInteger(seedField.value, { name: 'the seed', min: 0, max: LIMITS.seedMax });
    setFieldError(seedField, seed.ok ? null : seed.message);
    if (!seed.ok) return;
    const label = Number(this.querySelector<HTMLInputElement>('[data-field="label"]:checked')?.value ?? '0');
    let walk: BackpropWalk;
    try {
      walk = compute({ seed: seed.value, label, step });
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(seedField, err.message);
      return;
    }
    this.#walk = walk;
    this.#state = { seed: seed.value, label, step: clampStep(step, walk) };
    this.#render();
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(): void {
    whenTex(this, () => this.#paint());
  }

  #paint(): void {
    this.#stage().innerHTML = renderStage(this.#state, this.#walk);
    this.querySelector('.status')!.textContent = describeStep(this.#state, this.#walk);
    this.#syncControls();
    const { seed, label, step } = this.#state;
    writeUrlState(this.id, { seed: String(seed), label: String(label), step: String(step) });
  }

  #syncControls(): void {
    syncStepButtons(this, this.#state.step, this.#walk.steps.length - 1);
    this.#jump().value = this.#walk.steps[this.#state.step]!.stage;
  }

  #go(step: number): void {
    const next = clampStep(step, this.#walk);
    if (next === this.#state.step) return;
    this.#state = { ...this.#state, step: next };
    this.#render();
  }

  /** PageDown: the next layer's first step (or the very end); PageUp: this layer's first step, or the previous one's. */
  #stageJump(direction: 1 | -1): number {
    const steps = this.#walk.steps;
    const at = BACKPROP_STAGES.indexOf(steps[this.#state.step]!.stage);
    const start = (i: number): number => steps.findIndex((s) => s.stage === BACKPROP_STAGES[i]);
    if (direction === 1) return at + 1 < BACKPROP_STAGES.length ? start(at + 1) : steps.length - 1;
    return this.#state.step > start(at) ? start(at) : start(Math.max(0, at - 1));
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    const last = this.#walk.steps.length - 1;
    if (action === 'back') this.#go(this.#state.step - 1);
    else if (action === 'next') this.#go(this.#state.step + 1);
    else if (action === 'start') this.#go(0);
    else if (action === 'end') this.#go(last);
    else if (action === 'share') void copyShareLink(this, this.querySelector('.status')!);
  }

  #onKey(e: KeyboardEvent): void {
    const { step } = this.#state;
    const target = keyedStep(e, {
      ArrowRight: step + 1,
      ArrowLeft: step - 1,
      PageDown: this.#stageJump(1),
      PageUp: this.#stageJump(-1),
      Home: 0,
      End: this.#walk.steps.length - 1,
    });
    if (target !== undefined) this.#go(target);
  }
}

export function defineBackpropStepper(): void {
  if (!customElements.get('backprop-stepper')) customElements.define('backprop-stepper', BackpropStepperElement);
}
