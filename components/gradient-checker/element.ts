import { EngineError, type CheckTarget } from '../../src/lib/index.ts';
import { parseInteger } from '../internal/parse.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { readUrlState, writeUrlState, savedIndex, copyShareLink } from '../internal/url-state.ts';
import { keyedStep } from '../internal/stepper.ts';
import { epsText } from './numbers.ts';
import { describe, renderStage } from './view.ts';
import {
  DELIBERATE_BUGS,
  LIMITS,
  TARGET_BUG,
  compute,
  curve,
  isTarget,
  parseEps,
  type CheckerResult,
  type CheckerState,
} from './state.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

/**
 * <gradient-checker>: behaviour over the server-rendered check. One state object and the last result that
 * succeeded; bad input shows a message beside its field and leaves the table as it was.
 */
class GradientCheckerElement extends HTMLElement {
  #state!: CheckerState;
  #result!: CheckerResult;
  /** The seed and ε the charts show, so they are redrawn only when one of them changes. */
  #charted = '';

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as CheckerState;
    this.#result = compute(this.#state);
    this.#charted = `${this.#state.seed}|${this.#state.eps}`;
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('change', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.#field('seed').addEventListener('keydown', (e) =>
      stepIntegerField(e, (f) => (f === 'seed' ? { min: 0, max: LIMITS.seedMax } : undefined)),
    );
    this.#stage().addEventListener('keydown', (e) => this.#onKey(e));
  }

  #stage(): HTMLElement {
    return this.querySelector<HTMLElement>('.stage')!;
  }

  #field(name: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-field="${name}"]`)!;
  }

  /** A shared link overrides the defaults; anything invalid in it is reported like typed input. */
  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const target = saved.get('target');
    if (isTarget(target)) {
      const radio = this.querySelector<HTMLInputElement>(`[data-field="target"][value="${target}"]`);
      if (radio) radio.checked = true;
    }
    for (const name of ['seed', 'eps']) {
      const v = saved.get(name);
      if (v !== undefined) this.#field(name).value = v;
    }
    this.#field('broken').checked = saved.get('broken') === '1';
    this.#apply(savedIndex(saved, 'row'));
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (field === 'seed' || field === 'eps') this.#apply(this.#state.row);
    // Radios and the checkbox fire both events; one recomputation is enough.
    else if ((field === 'target' || field === 'broken') && e.type === 'change')
      this.#apply(field === 'target' ? 0 : this.#state.row);
  }

  /** Reads every control, runs the check, and either adopts the result or explains what is wrong. */
  #apply(row: number): void {
    const seedField = this.#field('seed');
    const epsField = this.#field('eps');
    const seed = parseInteger(seedField.value, { name: 'the seed', min: 0, max: LIMITS.seedMax });
    const eps = parseEps(epsField.value);
    setFieldError(seedField, seed.ok ? null : seed.message);
    setFieldError(epsField, eps.ok ? null : eps.message);
    if (!seed.ok || !eps.ok) return;
    const value = this.querySelector<HTMLInputElement>('[data-field="target"]:checked')?.value;
    const target: CheckTarget = isTarget(value) ? value : 'conv';
    const state: CheckerState = {
      target,
      seed: seed.value,
      eps: eps.value,
      broken: this.#field('broken').checked,
      row,
    };
    try {
      this.#commit(state);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(err.field === 'eps' ? epsField : seedField, err.message);
    }
  }

  /** Runs the check for a complete state and shows it (throws EngineError, leaving the last result on screen). */
  #commit(state: CheckerState): void {
    const result = compute(state);
    this.#state = { ...state, row: result.row };
    this.#result = result;
    this.#render();
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(): void {
    whenTex(this, () => this.#paint());
  }

  #paint(): void {
    // Re-rendering replaces the row buttons: keep keyboard focus on the selected row if it was on one.
    const active = document.activeElement;
    const focusRow =
      active instanceof HTMLElement && active.classList.contains('pick') && this.#stage().contains(active);
    this.#stage().innerHTML = renderStage(this.#state, this.#result);
    if (focusRow) this.querySelector<HTMLElement>(`button.pick[data-row="${this.#state.row}"]`)?.focus();
    this.querySelector('.status')!.textContent = describe(this.#state, this.#result);
    this.querySelector('.bug-text')!.textContent = DELIBERATE_BUGS[TARGET_BUG[this.#state.target]];
    const { target, seed, eps, broken, row } = this.#state;
    writeUrlState(this.id, {
      target,
      seed: String(seed),
      eps: epsText(eps),
      broken: broken ? '1' : '0',
      row: String(row),
    });
    void this.#redrawCharts();
  }

  /** Observable Plot is loaded only when a chart has to change (the first charts are static SVG). */
  async #redrawCharts(): Promise<void> {
    const key = `${this.#state.seed}|${this.#state.eps}`;
    if (key === this.#charted) return;
    this.#charted = key;
    // One dynamic import: importing the shared plot-svg.ts on its own makes the bundler build a namespace object for
    // it with a runtime helper that it then parks in an unrelated chunk (the lab's trainer client).
    const { plotElement, bestCaption, epsilonPlotOptions, epsilonPlotLabel } = await import('./plot.ts');
    if (key !== this.#charted) return; // a newer state arrived while loading
    const points = curve(this.#state.seed);
    for (const panel of this.querySelectorAll<HTMLElement>('.eps-plots .panel')) {
      const precision = panel.dataset['precision'] === 'float32' ? 'float32' : 'float64';
      const chart = plotElement(
        epsilonPlotOptions(points, precision, this.#state.eps),
        epsilonPlotLabel(points, precision, this.#state.eps),
      );
      panel.querySelector('.chart')!.replaceChildren(chart);
      panel.querySelector('.best')!.innerHTML = bestCaption(points, precision);
    }
    this.querySelector('.plot-seed')!.textContent = String(this.#state.seed);
  }

  #select(row: number): void {
    const last = this.#result.report.entries.length - 1;
    const next = Math.max(0, Math.min(last, row));
    if (next === this.#state.row) return;
    this.#commit({ ...this.#state, row: next });
    this.querySelector<HTMLElement>(`tr[data-row="${this.#state.row}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  #onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const pick = target.closest<HTMLButtonElement>('button.pick');
    if (pick) {
      this.#select(Number(pick.dataset['row']));
      return;
    }
    if (target.closest('button[data-action="share"]')) void copyShareLink(this, this.querySelector('.status')!);
  }

  #onKey(e: KeyboardEvent): void {
    const { row } = this.#state;
    const last = this.#result.report.entries.length - 1;
    const target = keyedStep(e, { ArrowDown: row + 1, ArrowUp: row - 1, Home: 0, End: last });
    if (target !== undefined) this.#select(target);
  }
}

export function defineGradientChecker(): void {
  if (!customElements.get('gradient-checker')) customElements.define('gradient-checker', GradientCheckerElement);
}
