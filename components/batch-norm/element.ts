import { EngineError } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { LazyCharts, chartStatus } from '../internal/lazy-charts.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { parseInteger, parseNumber, type Parsed } from '../internal/parse.ts';
import { copyShareLink, readUrlState, writeUrlState } from '../internal/url-state.ts';
import { computeDemo, type BatchNormDemo } from './compute.ts';
import { describe, renderTable } from './view.ts';
import { INT_LIMITS, NUM_LIMITS, isMode, type BatchNormState } from './state.ts';

const INT_FIELDS = ['batch', 'seed'] as const;
const NUM_FIELDS = ['shift', 'scale', 'gamma', 'beta'] as const;

/** Reads a decimal within [min, max], or a message saying why not. */
function parseDecimal(text: string, r: { min: number; max: number; name: string }): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: `Enter ${r.name} (a number from ${r.min} to ${r.max}).` };
  const v = parseNumber(t);
  if (v === null || !Number.isFinite(v))
    return { ok: false, message: `“${t}” is not a number; ${r.name} must be a number.` };
  if (v < r.min || v > r.max)
    return {
      ok: false,
      message: `${r.name[0]!.toUpperCase()}${r.name.slice(1)} must be from ${r.min} to ${r.max}; you gave ${t}.`,
    };
  return { ok: true, value: v };
}

/**
 * <batch-norm-demo>: reruns the engine's batchNorm on every change and redraws; Plot is loaded on the first change.
 * A training batch of one is refused by the engine, and its message appears beside the batch size.
 */
class BatchNormDemoElement extends HTMLElement {
  #state!: BatchNormState;
  #demo!: BatchNormDemo;
  #charts = new LazyCharts(() => import('./charts.ts'));

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as BatchNormState;
    this.addEventListener('input', (e) => {
      if ((e.target as HTMLElement).dataset['field']) this.#apply();
    });
    this.addEventListener('click', (e) => {
      const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
      if (action === 'share') void copyShareLink(this, this.querySelector('.status')!);
    });
    this.addEventListener('keydown', (e) => stepIntegerField(e, (f) => INT_LIMITS[f as keyof typeof INT_LIMITS]));
    const saved = readUrlState(this.id);
    if (saved.size > 0) {
      for (const f of [...INT_FIELDS, ...NUM_FIELDS]) {
        const v = saved.get(f);
        if (v !== undefined) this.#field(f).value = v;
      }
      const mode = saved.get('mode');
      if (isMode(mode)) this.querySelector<HTMLInputElement>(`[data-field="mode"][value="${mode}"]`)!.checked = true;
      this.#apply();
    }
  }

  #field(name: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`input[data-field="${name}"]`)!;
  }

  #apply(): void {
    const read: Record<string, number> = {};
    let ok = true;
    for (const f of INT_FIELDS) {
      const r = parseInteger(this.#field(f).value, INT_LIMITS[f]);
      setFieldError(this.#field(f), r.ok ? null : r.message);
      if (r.ok) read[f] = r.value;
      else ok = false;
    }
    for (const f of NUM_FIELDS) {
      const r = parseDecimal(this.#field(f).value, NUM_LIMITS[f]);
      setFieldError(this.#field(f), r.ok ? null : r.message);
      if (r.ok) read[f] = r.value;
      else ok = false;
    }
    const mode = this.querySelector<HTMLInputElement>('[data-field="mode"]:checked')?.value;
    if (!ok || !isMode(mode)) return;
    const next = { ...(read as Omit<BatchNormState, 'mode'>), mode };
    try {
      this.#demo = computeDemo(next);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      // The one setting the engine refuses: a training batch of one (every value equals its mean).
      setFieldError(this.#field('batch'), err.message);
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
    this.querySelector('.bn-table-box')!.innerHTML = renderTable(s, this.#demo);
    this.querySelector('.status')!.textContent = chartStatus(describe(s, this.#demo), charts);
    const url: Record<string, string> = { mode: s.mode };
    for (const f of [...INT_FIELDS, ...NUM_FIELDS]) url[f] = String(s[f]);
    writeUrlState(this.id, url);
    if (!charts) return;
    const strips = charts.renderStrips(this.#demo.z, this.#demo.result.y);
    this.querySelector('[data-chart="before"]')!.innerHTML = strips.before;
    this.querySelector('[data-chart="after"]')!.innerHTML = strips.after;
  }
}

export function defineBatchNormDemo(): void {
  if (!customElements.get('batch-norm-demo')) customElements.define('batch-norm-demo', BatchNormDemoElement);
}
