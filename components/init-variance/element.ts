import { EngineError, type InitVarianceResult } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { LazyCharts, chartStatus } from '../internal/lazy-charts.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { parseInteger, parseNumber, type Parsed } from '../internal/parse.ts';
import { copyShareLink, readUrlState, writeUrlState } from '../internal/url-state.ts';
import { computeVariances } from './compute.ts';
import { describe, renderTable } from './view.ts';
import { LIMITS, STD_RANGE, isActivation, isInit, type InitVarianceState } from './state.ts';

const INT_FIELDS = ['depth', 'width', 'seed'] as const;

/** Example buttons: the combinations the chapter discusses. */
const EXAMPLES: Record<string, Partial<InitVarianceState>> = {
  'he-relu': { init: 'he', activation: 'relu' },
  'glorot-tanh': { init: 'glorot', activation: 'tanh' },
  'small-tanh': { init: 'fixed', activation: 'tanh', std: 0.01 },
};

/** Reads the fixed standard deviation: a number in STD_RANGE, or a message saying why not. */
export function parseStd(text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: `Enter a standard deviation from ${STD_RANGE.min} to ${STD_RANGE.max}.` };
  const v = parseNumber(t);
  if (v === null || !Number.isFinite(v))
    return { ok: false, message: `“${t}” is not a number; the std must be a positive number.` };
  if (v < STD_RANGE.min || v > STD_RANGE.max) {
    return { ok: false, message: `The std must be from ${STD_RANGE.min} to ${STD_RANGE.max}; you gave ${t}.` };
  }
  return { ok: true, value: v };
}

/**
 * <init-variance>: reads the controls, reruns the engine's measurement and redraws. Plot is loaded on the first
 * change only; the first chart is static SVG from the build. Bad input shows a message and keeps the last chart.
 */
class InitVarianceElement extends HTMLElement {
  #state!: InitVarianceState;
  #result!: InitVarianceResult;
  #charts = new LazyCharts(() => import('./charts.ts'));

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as InitVarianceState;
    this.addEventListener('input', (e) => {
      if ((e.target as HTMLElement).dataset['field']) this.#apply();
    });
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => stepIntegerField(e, (f) => LIMITS[f as keyof typeof LIMITS]));
    const saved = readUrlState(this.id);
    if (saved.size > 0) {
      for (const f of [...INT_FIELDS, 'std'] as const) {
        const v = saved.get(f);
        if (v !== undefined) this.#field(f).value = v;
      }
      const a = saved.get('activation');
      const i = saved.get('init');
      if (isActivation(a)) this.#check('activation', a);
      if (isInit(i)) this.#check('init', i);
      this.#apply();
    }
  }

  #field(name: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`input[data-field="${name}"]`)!;
  }

  #check(name: string, value: string): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  }

  #selected(name: string): string | undefined {
    return this.querySelector<HTMLInputElement>(`[data-field="${name}"]:checked`)?.value;
  }

  #apply(): void {
    const ints: Partial<Record<(typeof INT_FIELDS)[number], number>> = {};
    let ok = true;
    for (const f of INT_FIELDS) {
      const r = parseInteger(this.#field(f).value, LIMITS[f]);
      setFieldError(this.#field(f), r.ok ? null : r.message);
      if (r.ok) ints[f] = r.value;
      else ok = false;
    }
    const std = parseStd(this.#field('std').value);
    setFieldError(this.#field('std'), std.ok ? null : std.message);
    const activation = this.#selected('activation');
    const init = this.#selected('init');
    if (!ok || !std.ok || !isActivation(activation) || !isInit(init)) return;
    const next: InitVarianceState = {
      depth: ints.depth!,
      width: ints.width!,
      seed: ints.seed!,
      std: std.value,
      activation,
      init,
    };
    try {
      this.#result = computeVariances(next);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(this.#field(err.field === 'std' ? 'std' : err.field === 'width' ? 'width' : 'depth'), err.message);
      return;
    }
    this.#state = next;
    this.#render();
  }

  /** Numbers, status and chart together, once Plot is in (LazyCharts). */
  #render(): void {
    this.#charts.paint(this, (charts) => this.#paint(charts));
  }

  #paint(charts: typeof import('./charts.ts') | null): void {
    const s = this.#state;
    this.querySelector('.iv-table-box')!.innerHTML = renderTable(this.#result);
    this.querySelector('.status')!.textContent = chartStatus(describe(s, this.#result), charts);
    writeUrlState(this.id, {
      init: s.init,
      activation: s.activation,
      depth: String(s.depth),
      width: String(s.width),
      std: String(s.std),
      seed: String(s.seed),
    });
    if (charts) this.querySelector('.plot')!.innerHTML = charts.renderChart(this.#result);
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (!action) return;
    if (action === 'share') {
      void copyShareLink(this, this.querySelector('.status')!);
      return;
    }
    const ex = EXAMPLES[action];
    if (!ex) return;
    if (ex.init) this.#check('init', ex.init);
    if (ex.activation) this.#check('activation', ex.activation);
    if (ex.std !== undefined) this.#field('std').value = String(ex.std);
    this.#apply();
  }
}

export function defineInitVariance(): void {
  if (!customElements.get('init-variance')) customElements.define('init-variance', InitVarianceElement);
}
