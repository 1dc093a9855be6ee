import { EngineError, raceOptimizers, type RacePath } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { LazyCharts, chartStatus } from '../internal/lazy-charts.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { parseInteger, parseNumber, type Parsed } from '../internal/parse.ts';
import { copyShareLink, readUrlState, writeUrlState } from '../internal/url-state.ts';
import { describe, renderTable } from './view.ts';
import { LR_RANGE, STEPS, isSurface, type RaceState } from './state.ts';

/** Example buttons: the settings the chapter discusses. */
const EXAMPLES: Record<string, RaceState> = {
  d2l: { surface: 'ravine', lr: 0.4, steps: 20 },
  'too-high': { surface: 'ravine', lr: 0.6, steps: 30 },
  saddle: { surface: 'saddle', lr: 0.05, steps: 60 },
};

/** Reads the learning rate: a number in LR_RANGE, or a message saying why not. */
export function parseRate(text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: `Enter a learning rate from ${LR_RANGE.min} to ${LR_RANGE.max}.` };
  const v = parseNumber(t);
  if (v === null || !Number.isFinite(v))
    return { ok: false, message: `“${t}” is not a number; the learning rate is a positive number such as 0.1.` };
  if (v <= 0)
    return {
      ok: false,
      message: `The learning rate must be greater than 0 (you gave ${t}): a step of 0 or less never goes downhill.`,
    };
  if (v < LR_RANGE.min || v > LR_RANGE.max) {
    return { ok: false, message: `Use a learning rate from ${LR_RANGE.min} to ${LR_RANGE.max}; you gave ${t}.` };
  }
  return { ok: true, value: v };
}

/**
 * <optimizer-race>: reruns the three optimisers with the engine on every change and redraws; Plot is loaded on the
 * first change. A run that diverges stops and says so in the table and the status; bad input keeps the last race.
 */
class OptimizerRaceElement extends HTMLElement {
  #state!: RaceState;
  #paths: RacePath[] = [];
  #charts = new LazyCharts(() => import('./charts.ts'));

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as RaceState;
    this.addEventListener('input', (e) => {
      if ((e.target as HTMLElement).dataset['field']) this.#apply();
    });
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => stepIntegerField(e, (f) => (f === 'steps' ? STEPS : undefined)));
    const saved = readUrlState(this.id);
    if (saved.size > 0) {
      this.#set({
        surface: isSurface(saved.get('surface')) ? (saved.get('surface') as RaceState['surface']) : this.#state.surface,
        lr: saved.get('lr') ?? String(this.#state.lr),
        steps: saved.get('steps') ?? String(this.#state.steps),
      });
      this.#apply();
    }
  }

  #field(name: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`input[data-field="${name}"]`)!;
  }

  #set(v: { surface: RaceState['surface']; lr: string; steps: string }): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="surface"][value="${v.surface}"]`);
    if (radio) radio.checked = true;
    this.#field('lr').value = v.lr;
    this.#field('steps').value = v.steps;
  }

  #apply(): void {
    const lrField = this.#field('lr');
    const stepsField = this.#field('steps');
    const lr = parseRate(lrField.value);
    const steps = parseInteger(stepsField.value, STEPS);
    setFieldError(lrField, lr.ok ? null : lr.message);
    setFieldError(stepsField, steps.ok ? null : steps.message);
    const surface = this.querySelector<HTMLInputElement>('[data-field="surface"]:checked')?.value;
    if (!lr.ok || !steps.ok || !isSurface(surface)) return;
    const next: RaceState = { surface, lr: lr.value, steps: steps.value };
    try {
      this.#paths = raceOptimizers(next.surface, next.lr, next.steps);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(err.field === 'steps' ? stepsField : lrField, err.message);
      return;
    }
    this.#state = next;
    this.#render();
  }

  /** Numbers, status and charts together, once Plot is in (LazyCharts). */
  #render(): void {
    this.#charts.paint(this, (charts) => this.#paint(charts));
  }

  #paint(charts: typeof import('./charts.ts') | null): void {
    const s = this.#state;
    this.querySelector('.race-table-box')!.innerHTML = renderTable(s, this.#paths);
    this.querySelector('.status')!.textContent = chartStatus(describe(s, this.#paths), charts);
    writeUrlState(this.id, { surface: s.surface, lr: String(s.lr), steps: String(s.steps) });
    if (charts) this.querySelector('.plot')!.innerHTML = charts.renderRace(s.surface, this.#paths);
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (action === 'share') void copyShareLink(this, this.querySelector('.status')!);
    const ex = action ? EXAMPLES[action] : undefined;
    if (!ex) return;
    this.#set({ surface: ex.surface, lr: String(ex.lr), steps: String(ex.steps) });
    this.#apply();
  }
}

export function defineOptimizerRace(): void {
  if (!customElements.get('optimizer-race')) customElements.define('optimizer-race', OptimizerRaceElement);
}
