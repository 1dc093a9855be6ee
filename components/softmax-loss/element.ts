import { EngineError } from '../../src/lib/index.ts';
import { parseInteger, parseNumber, parseNumberList, type Parsed } from '../internal/parse.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { LazyCharts, chartStatus } from '../internal/lazy-charts.ts';
import { readUrlState, writeUrlState, copyShareLink } from '../internal/url-state.ts';
import { computeSoftmaxLoss, type SoftmaxLossResult } from './compute.ts';
import { describe, renderNumbers } from './view.ts';
import { DEFAULT_STATE, MAX_ABS_LOGIT, MAX_CLASSES, SLIDER, T_MAX, T_MIN, type SoftmaxLossState } from './state.ts';

/** Example buttons: logits and true class that make a point. */
const EXAMPLES: Record<string, { logits: string; label: string; t?: string }> = {
  wrong: { logits: '8, 0, -2', label: '2' },
  huge: { logits: '1000, 999, 998', label: '0' },
  reset: {
    logits: DEFAULT_STATE.logits.join(', '),
    label: String(DEFAULT_STATE.label),
    t: String(DEFAULT_STATE.temperature),
  },
};

/** Reads the temperature: a positive number in [T_MIN, T_MAX], or a message saying why not. */
export function parseTemperature(text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: `Enter a temperature T from ${T_MIN} to ${T_MAX}.` };
  const v = parseNumber(t);
  if (v === null || !Number.isFinite(v))
    return { ok: false, message: `“${t}” is not a number; the temperature T must be a positive number.` };
  if (v <= 0) {
    return {
      ok: false,
      message: `The temperature must be greater than 0 (you gave ${t}): softmax divides the logits by T. As T shrinks toward 0, softmax becomes a hard max.`,
    };
  }
  if (v < T_MIN || v > T_MAX)
    return { ok: false, message: `Use a temperature from ${T_MIN} to ${T_MAX}; you gave ${t}.` };
  return { ok: true, value: v };
}

/**
 * <softmax-loss>: reads logits, true class and temperature, recomputes everything with the engine and redraws.
 * Observable Plot is loaded only on the first change: the first state's charts are static SVG from the build.
 */
class SoftmaxLossElement extends HTMLElement {
  #state!: SoftmaxLossState;
  #result!: SoftmaxLossResult;
  #charts = new LazyCharts(() => import('./charts.ts'));

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as SoftmaxLossState;
    this.#result = computeSoftmaxLoss(this.#state);
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.querySelector<HTMLElement>('.stage')!.addEventListener('keydown', (e) => this.#onKey(e));
    const saved = readUrlState(this.id);
    if (saved.size > 0) {
      for (const f of ['logits', 'label', 'temperature']) {
        const v = saved.get(f);
        if (v !== undefined) this.#control(f).value = v;
      }
      this.#apply();
    }
  }

  #control(field: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (!field) return;
    if (field === 'temperature-range') this.#control('temperature').value = this.#control('temperature-range').value;
    this.#apply();
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
    this.#control('logits').value = ex.logits;
    this.#control('label').value = ex.label;
    if (ex.t) this.#control('temperature').value = ex.t;
    this.#apply();
  }

  /** ← → move the true logit by 0.5, ↑ ↓ pick the next or previous class as the true one. */
  #onKey(e: KeyboardEvent): void {
    const { logits, label } = this.#state;
    const n = logits.length;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const z = [...logits];
      z[label] = z[label]! + (e.key === 'ArrowRight' ? 0.5 : -0.5);
      this.#control('logits').value = z.join(', ');
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      this.#control('label').value = String((label + (e.key === 'ArrowUp' ? 1 : n - 1)) % n);
    } else return;
    e.preventDefault();
    this.#apply();
  }

  /** Reads the fields; on success adopts the state and redraws, otherwise explains beside the field. */
  #apply(): void {
    const logitsField = this.#control('logits');
    const labelField = this.#control('label');
    const tField = this.#control('temperature');
    let logits = parseNumberList(logitsField.value, { name: 'the logits', min: 2, max: MAX_CLASSES });
    if (logits.ok && logits.value.some((z) => Math.abs(z) > MAX_ABS_LOGIT)) {
      logits = {
        ok: false,
        message: `Keep every logit between −${MAX_ABS_LOGIT} and ${MAX_ABS_LOGIT}; larger ones show nothing new.`,
      };
    }
    const n = logits.ok ? logits.value.length : this.#state.logits.length;
    const label = parseInteger(labelField.value, { name: 'the true class', min: 0, max: n - 1 });
    const t = parseTemperature(tField.value);
    setFieldError(logitsField, logits.ok ? null : logits.message);
    setFieldError(labelField, label.ok ? null : label.message);
    setFieldError(tField, t.ok ? null : t.message);
    if (!logits.ok || !label.ok || !t.ok) return;
    const next: SoftmaxLossState = { logits: logits.value, label: label.value, temperature: t.value };
    try {
      this.#result = computeSoftmaxLoss(next);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      setFieldError(err.field === 'temperature' ? tField : logitsField, err.message);
      return;
    }
    this.#state = next;
    if (t.value >= SLIDER.min && t.value <= SLIDER.max) this.#control('temperature-range').value = String(t.value);
    this.#render();
  }

  /** Numbers, status and charts together, once Plot is in (LazyCharts). */
  #render(): void {
    this.#charts.paint(this, (charts) => this.#paint(charts));
  }

  #paint(charts: typeof import('./charts.ts') | null): void {
    const s = this.#state;
    this.querySelector('.numbers-box')!.innerHTML = renderNumbers(s, this.#result);
    this.querySelector('.status')!.textContent = chartStatus(describe(s, this.#result), charts);
    writeUrlState(this.id, { logits: s.logits.join(','), label: String(s.label), temperature: String(s.temperature) });
    if (!charts) return;
    const svg = charts.renderCharts(s, this.#result);
    for (const key of ['probs', 'grads', 'sweep'] as const) {
      this.querySelector(`[data-chart="${key}"]`)!.innerHTML = svg[key];
    }
  }
}

export function defineSoftmaxLoss(): void {
  if (!customElements.get('softmax-loss')) customElements.define('softmax-loss', SoftmaxLossElement);
}
