import { setFieldError } from '../internal/field-errors.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { parseInteger } from '../internal/parse.ts';
import { keyedStep, syncStepButtons } from '../internal/stepper.ts';
import { copyShareLink, readUrlState, savedIndex, writeUrlState } from '../internal/url-state.ts';
import { FIELDS, LIMITS, computeView, type LimitField, type OneByOneState, type OneByOneView } from './state.ts';
import { describe, renderStage } from './view.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

/** <one-by-one-conv>: steps a 1×1 convolution pixel by pixel; bad sizes get a message and the last state stays. */
class OneByOneElement extends HTMLElement {
  #state!: OneByOneState;
  #view!: OneByOneView;

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as OneByOneState;
    this.#view = computeView(this.#state);
    syncStepButtons(this, this.#state.step, this.#last());
    const saved = readUrlState(this.id);
    if (saved.size > 0) {
      for (const f of FIELDS) {
        const v = saved.get(f);
        if (v !== undefined) this.#field(f).value = v;
      }
      this.#apply(savedIndex(saved));
    }
    this.addEventListener('input', (e) => {
      if ((e.target as HTMLElement).dataset['field']) this.#apply(null);
    });
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => {
      if (!stepIntegerField(e, (f) => LIMITS[f as LimitField])) this.#onStageKey(e);
    });
  }

  #field(name: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`input[data-field="${name}"]`)!;
  }

  #last(): number {
    return this.#state.n * this.#state.n - 1;
  }

  /** Reads the size fields; `step` null keeps the current pixel when the size allows it. */
  #apply(step: number | null): void {
    const read: Partial<Record<LimitField, number>> = {};
    let ok = true;
    for (const f of FIELDS) {
      const r = parseInteger(this.#field(f).value, LIMITS[f]);
      setFieldError(this.#field(f), r.ok ? null : r.message);
      if (r.ok) read[f] = r.value;
      else ok = false;
    }
    if (!ok) return;
    const n = read.n!;
    const wanted = step ?? this.#state.step;
    this.#state = { ...(read as Record<LimitField, number>), step: Math.min(wanted, n * n - 1) };
    this.#render();
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(): void {
    whenTex(this, () => this.#paint());
  }

  #paint(): void {
    const s = this.#state;
    this.#view = computeView(s);
    this.querySelector('.stage')!.innerHTML = renderStage(s, this.#view);
    this.querySelector('.status')!.textContent = describe(s, this.#view);
    syncStepButtons(this, s.step, this.#last());
    writeUrlState(this.id, {
      C: String(s.C),
      K: String(s.K),
      n: String(s.n),
      seed: String(s.seed),
      step: String(s.step),
    });
  }

  #go(step: number): void {
    const next = Math.max(0, Math.min(this.#last(), step));
    if (next === this.#state.step) return;
    this.#state = { ...this.#state, step: next };
    this.#render();
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (action === 'back') this.#go(this.#state.step - 1);
    else if (action === 'next') this.#go(this.#state.step + 1);
    else if (action === 'reset') this.#go(0);
    else if (action === 'share') void copyShareLink(this, this.querySelector('.status')!);
  }

  #onStageKey(e: KeyboardEvent): void {
    if (!(e.target as HTMLElement).classList.contains('stage')) return;
    const { step, n } = this.#state;
    const target = keyedStep(e, {
      ArrowRight: step + 1,
      ArrowLeft: step - 1,
      ArrowDown: step + n <= this.#last() ? step + n : step,
      ArrowUp: step - n >= 0 ? step - n : step,
      Home: 0,
      End: this.#last(),
    });
    if (target !== undefined) this.#go(target);
  }
}

export function defineOneByOneConv(): void {
  if (!customElements.get('one-by-one-conv')) customElements.define('one-by-one-conv', OneByOneElement);
}
