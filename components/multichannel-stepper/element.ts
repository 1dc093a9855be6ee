import { EngineError } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { parseInteger, parseMatrix, parseNumberList, type Parsed } from '../internal/parse.ts';
import { copyShareLink, readUrlState, savedIndex, writeUrlState } from '../internal/url-state.ts';
import { keyedStep, syncStepButtons } from '../internal/stepper.ts';
import { LIMITS, PRESETS, drawValues, type MultiChannelState, type Shape } from './state.ts';
import { computeView, describeStep, renderEditor, renderStage, type StepView } from './view.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

type LimitField = keyof typeof LIMITS;
const SHAPE_FIELDS: readonly LimitField[] = ['n', 'C', 'K', 'k', 'padding', 'stride', 'seed'];
const NAMES: Record<LimitField, string> = {
  n: 'the input size',
  C: 'the number of input channels',
  K: 'the number of filters',
  k: 'the kernel size',
  padding: 'the padding',
  stride: 'the stride',
  seed: 'the seed',
};
// Entries beyond this stop being hand-checkable and overflow the cells.
const MAX_ABS = 999;

/**
 * <multichannel-stepper>: behaviour over the server-rendered stepper. One state object; bad input only shows a
 * message beside its field and the last good state stays on screen.
 */
class MultiChannelStepperElement extends HTMLElement {
  #state!: MultiChannelState;
  #view!: StepView;

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as MultiChannelState;
    this.#view = computeView(this.#state);
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => {
      if (!stepIntegerField(e, (f) => LIMITS[f as LimitField])) this.#onStageKey(e);
    });
    this.#syncButtons();
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
    for (const f of SHAPE_FIELDS) {
      const v = saved.get(f === 'padding' ? 'p' : f === 'stride' ? 's' : f);
      if (v !== undefined) this.#field(f).value = v;
    }
    if (!this.#applyShape(true, false)) return;
    const s = this.#state;
    const x = parseNumberList(saved.get('x') ?? '', { name: 'x', max: s.C * s.n * s.n, min: s.C * s.n * s.n });
    const w = parseNumberList(saved.get('w') ?? '', {
      name: 'w',
      max: s.K * s.C * s.k * s.k,
      min: s.K * s.C * s.k * s.k,
    });
    const b = parseNumberList(saved.get('b') ?? '', { name: 'b', max: s.K, min: s.K });
    // Values from the link go through the editor, so anything wrong in them is explained there.
    if (x.ok && w.ok && b.ok) {
      this.#fillEditor({ ...s, x: x.value, w: w.value, b: b.value });
      this.#applyValues(false);
    }
    this.#go(Math.min(savedIndex(saved), this.#view.total - 1), true);
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (field === 'preset') {
      const preset = PRESETS.find((p) => p.id === (e.target as HTMLSelectElement).value);
      if (!preset) return;
      for (const [key, value] of Object.entries(preset.shape)) this.#field(key).value = String(value);
      this.#applyShape(true, true);
    } else if (field === 'padding' || field === 'stride') this.#applyShape(false, true);
    else if (field && (SHAPE_FIELDS as readonly string[]).includes(field)) this.#applyShape(true, true);
    else if (field === 'x' || field === 'w' || field === 'b') this.#applyValues(true);
  }

  /** Reads the size fields; sizes or seed that changed draw new values from the seed. Returns false on bad input. */
  #applyShape(redraw: boolean, announce: boolean): boolean {
    const read: Partial<Record<LimitField, number>> = {};
    let ok = true;
    for (const f of SHAPE_FIELDS) {
      const r = parseInteger(this.#field(f).value, { name: NAMES[f], ...LIMITS[f] });
      setFieldError(this.#field(f), r.ok ? null : r.message);
      if (r.ok) read[f] = r.value;
      else ok = false;
    }
    if (!ok) return false;
    const shape = read as Shape & { seed: number };
    const old = this.#state;
    const sizes = shape.n !== old.n || shape.C !== old.C || shape.K !== old.K || shape.k !== old.k;
    const values = redraw && (sizes || shape.seed !== old.seed) ? drawValues(shape, shape.seed) : old;
    const candidate: MultiChannelState = { ...shape, x: values.x, w: values.w, b: values.b, step: 0 };
    if (!this.#adopt(candidate, announce)) return false;
    if (values !== old) this.#fillEditor(candidate);
    return true;
  }

  /** Reads every text area of the editor and the biases. */
  #applyValues(announce: boolean): void {
    const s = this.#state;
    const read = (el: HTMLTextAreaElement, size: number, name: string): number[] | null => {
      const r = checkBlock(parseMatrix(el.value, { name, maxRows: size, maxCols: size }), size, name);
      setFieldError(el, r.ok ? null : r.message);
      return r.ok ? r.value : null;
    };
    const x = [...this.querySelectorAll<HTMLTextAreaElement>('textarea[data-field="x"]')].map((el) =>
      read(el, s.n, `input channel ${el.dataset['c']}`),
    );
    const w = [...this.querySelectorAll<HTMLTextAreaElement>('textarea[data-field="w"]')].map((el) =>
      read(el, s.k, `filter ${el.dataset['k']}, channel ${el.dataset['c']}`),
    );
    const bField = this.#field('b');
    const b = checkBias(parseNumberList(bField.value, { name: 'the biases', max: 16 }), s.K);
    setFieldError(bField, b.ok ? null : b.message);
    if (!b.ok || x.some((v) => v === null) || w.some((v) => v === null)) return;
    this.#adopt({ ...s, x: x.flat() as number[], w: w.flat() as number[], b: b.value }, announce);
  }

  /** Runs the engine on a candidate state; a setting the engine rejects is explained beside its field. */
  #adopt(candidate: MultiChannelState, announce: boolean): boolean {
    let view: StepView;
    try {
      view = computeView(candidate);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      const field = err.field === 'padding' || err.field === 'stride' ? err.field : 'k';
      setFieldError(this.#field(field), err.message);
      return false;
    }
    this.#state = { ...candidate, step: Math.min(candidate.step, view.total - 1) };
    this.#view = view;
    const match = PRESETS.find((p) => Object.entries(p.shape).every(([key, v]) => candidate[key as keyof Shape] === v));
    this.#q<HTMLSelectElement>('[data-field="preset"]').value = match?.id ?? 'custom';
    this.#render(announce);
    return true;
  }

  #fillEditor(s: MultiChannelState): void {
    this.#q('.mc-editor-body').innerHTML = renderEditor(this.id, s);
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(announce: boolean): void {
    whenTex(this, () => this.#paint(announce));
  }

  #paint(announce: boolean): void {
    const s = this.#state;
    this.#view = computeView(s);
    this.#q('.stage').innerHTML = renderStage(s, this.#view);
    if (announce) this.#q('.status').textContent = describeStep(s, this.#view);
    this.#syncButtons();
    writeUrlState(this.id, {
      n: String(s.n),
      C: String(s.C),
      K: String(s.K),
      k: String(s.k),
      p: String(s.padding),
      s: String(s.stride),
      seed: String(s.seed),
      x: s.x.join(','),
      w: s.w.join(','),
      b: s.b.join(','),
      step: String(s.step),
    });
  }

  #syncButtons(): void {
    const last = this.#view.total - 1;
    syncStepButtons(this, this.#state.step, last);
    this.#q('[data-action="cell"]').setAttribute('aria-disabled', String(this.#state.step >= last - this.#state.C));
  }

  #go(step: number, force = false): void {
    const next = Math.max(0, Math.min(this.#view.total - 1, step));
    if (next === this.#state.step && !force) return;
    this.#state = { ...this.#state, step: next };
    this.#render(true);
  }

  /** First sub-step of the output cell `delta` cells away. */
  #cellStep(delta: number): number {
    const per = this.#state.C + 1;
    return (Math.floor(this.#state.step / per) + delta) * per;
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (action === 'back') this.#go(this.#state.step - 1);
    else if (action === 'next') this.#go(this.#state.step + 1);
    else if (action === 'cell') this.#go(this.#cellStep(1));
    else if (action === 'reset') this.#go(0);
    else if (action === 'reroll') {
      const seed = this.#field('seed');
      seed.value = String((this.#state.seed + 1) % (LIMITS.seed.max + 1));
      this.#applyShape(true, true);
    } else if (action === 'share') void copyShareLink(this, this.#q('.status'));
  }

  #onStageKey(e: KeyboardEvent): void {
    if (!(e.target as HTMLElement).classList.contains('stage')) return;
    const { step } = this.#state;
    const target = keyedStep(e, {
      ArrowRight: step + 1,
      ArrowLeft: step - 1,
      ArrowDown: this.#cellStep(1),
      ArrowUp: this.#cellStep(-1),
      Home: 0,
      End: this.#view.total - 1,
    });
    if (target !== undefined) this.#go(target);
  }
}

/** A parsed block must be exactly size x size with readable entries. */
function checkBlock(
  r: Parsed<{ rows: number; cols: number; values: number[] }>,
  size: number,
  name: string,
): Parsed<number[]> {
  if (!r.ok) return r;
  const { rows, cols, values } = r.value;
  if (rows !== size || cols !== size) {
    return {
      ok: false,
      message: `${cap(name)} needs ${size} rows of ${size} numbers; you gave ${rows} row${rows === 1 ? '' : 's'} of ${cols}.`,
    };
  }
  return inRange(values, name);
}

function checkBias(r: Parsed<number[]>, K: number): Parsed<number[]> {
  if (!r.ok) return r;
  if (r.value.length !== K)
    return {
      ok: false,
      message: `Give one bias per filter: ${K} number${K === 1 ? '' : 's'}; you gave ${r.value.length}.`,
    };
  return inRange(r.value, 'the biases');
}

function inRange(values: number[], name: string): Parsed<number[]> {
  const bad = values.find((v) => Math.abs(v) > MAX_ABS);
  if (bad !== undefined)
    return {
      ok: false,
      message: `Keep the entries of ${name} between −${MAX_ABS} and ${MAX_ABS}; ${bad} is too large to read.`,
    };
  return { ok: true, value: values };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function defineMultiChannelStepper(): void {
  if (!customElements.get('multichannel-stepper'))
    customElements.define('multichannel-stepper', MultiChannelStepperElement);
}
