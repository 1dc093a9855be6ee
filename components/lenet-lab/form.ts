import { scheduleOf, type TrainConfig } from '../../src/ml/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { parseNumber } from '../internal/parse.ts';
import { NUMERIC_FIELDS, fieldText, getNumeric, readConfig, type NumericKey } from './state.ts';

/** Arrow-key steps of the fields outside the training settings. */
const OTHER_STEPS: Record<string, number> = {
  digit: 1,
  'scratch-train': 100,
  'scratch-test': 100,
  'scratch-epochs': 1,
};

/**
 * The settings form: reads it into a validated TrainConfig (a message beside each bad field), fills it from a
 * config, and steps numeric fields with the arrow keys.
 */
export class SettingsForm {
  private readonly root: HTMLElement;

  constructor(root: HTMLElement) {
    this.root = root;
  }

  /** The control with `data-field="<key>"`. */
  field(key: string): HTMLInputElement | HTMLSelectElement {
    return this.root.querySelector<HTMLInputElement>(`[data-field="${CSS.escape(key)}"]`)!;
  }

  has(key: string): boolean {
    return this.root.querySelector(`[data-field="${CSS.escape(key)}"]`) !== null;
  }

  /** Validates every field; shows or clears each message; null when anything is wrong. */
  read(base: TrainConfig): TrainConfig | null {
    const numbers = Object.fromEntries(NUMERIC_FIELDS.map((f) => [f.key, this.field(f.key).value])) as Record<
      NumericKey,
      string
    >;
    const r = readConfig(
      {
        numbers,
        preset: this.field('preset').value,
        optimizer: this.field('optimizer').value,
        schedule: this.field('schedule').value,
        evaluateEachEpoch: this.checkbox('evaluateEachEpoch').checked,
        workers: this.field('workers').value,
      },
      base,
    );
    for (const key of ['preset', 'optimizer', 'schedule', 'workers', ...NUMERIC_FIELDS.map((f) => f.key)]) {
      setFieldError(this.field(key), r.ok ? null : (r.errors.get(key) ?? null));
    }
    return r.ok ? r.config : null;
  }

  checkbox(key: string): HTMLInputElement {
    return this.field(key) as HTMLInputElement;
  }

  /** Sets one control from a URL value (a checkbox reads "0"/"false" as off). */
  setFromText(key: string, value: string): void {
    const el = this.field(key);
    if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = !/^(0|false)$/i.test(value);
    else el.value = value;
  }

  fill(c: TrainConfig): void {
    this.checkbox('evaluateEachEpoch').checked = c.evaluateEachEpoch;
    this.field('preset').value = c.preset;
    this.field('optimizer').value = c.optimizer;
    this.field('schedule').value = scheduleOf(c);
    this.field('workers').value = c.workers === undefined ? 'auto' : String(c.workers);
    for (const f of NUMERIC_FIELDS) this.field(f.key).value = fieldText(getNumeric(c, f.key));
  }

  /** ↑/↓ in a numeric field step it and fire `input`, as typing would. */
  onKey(e: KeyboardEvent): void {
    const input = e.target as HTMLInputElement;
    const key = input.dataset?.['field'];
    if (!key || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    const step = OTHER_STEPS[key] ?? NUMERIC_FIELDS.find((f) => f.key === key)?.step;
    const v = parseNumber(input.value);
    if (step === undefined || v === null || !Number.isFinite(v)) return;
    e.preventDefault();
    const next = v + (e.key === 'ArrowUp' ? step : -step);
    // Round to the step's decimals so 0.1 + 0.2 shows as 0.3.
    const decimals = (String(step).split('.')[1] ?? '').length;
    input.value = String(Number(next.toFixed(decimals)));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
