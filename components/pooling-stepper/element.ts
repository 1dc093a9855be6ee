import { EngineError, poolOutputSize } from '../../src/lib/index.ts';
import { parseInteger, parseMatrix } from '../internal/parse.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { readUrlState, writeUrlState, savedIndex, copyShareLink } from '../internal/url-state.ts';
import { keyedStep, syncStepButtons } from '../internal/stepper.ts';
import { edgeFeatureMap, loadSampleDigits, strongestPatch } from '../internal/digits.ts';
import { computePool, type PoolResult } from './compute.ts';
import { renderStage, describeStep } from './view.ts';
import { MAX_SIDE, defaultGradient, isDirection, isKind, matrixText, type PoolStepperState } from './state.ts';

/** Engine error fields -> the control the message belongs beside. */
const FIELD_OF: Record<string, string> = { size: 'size', stride: 'stride', gradient: 'dy' };

/**
 * <pooling-stepper>: behaviour over the server-rendered stepper. It keeps one state object and the last
 * engine result that succeeded; bad input only shows a message beside its field, so the stage never breaks.
 */
class PoolingStepperElement extends HTMLElement {
  #state!: PoolStepperState;
  #result!: PoolResult;

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as PoolStepperState;
    this.#result = computePool(this.#state);
    syncStepButtons(this, this.#state.step, this.#last());
    this.#restoreFromUrl();
    // Text fields and radios both fire 'input' (radios also fire 'change'): one listener handles each edit once.
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.#stage().addEventListener('keydown', (e) => this.#onKey(e));
  }

  #stage(): HTMLElement {
    return this.querySelector<HTMLElement>('.stage')!;
  }
  #control(field: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
  }
  #area(field: 'x' | 'dy'): HTMLTextAreaElement {
    return this.querySelector<HTMLTextAreaElement>(`textarea[data-field="${field}"]`)!;
  }
  #selected(name: string): string | undefined {
    return this.querySelector<HTMLInputElement>(`[data-field="${name}"]:checked`)?.value;
  }
  #check(name: string, value: string): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  }

  /** A shared link overrides the defaults; anything invalid in it is reported like typed input. */
  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const rows = (v: string): string => v.split(';').join('\n').replace(/,/g, ' ');
    for (const f of ['x', 'dy', 'size', 'stride']) {
      const v = saved.get(f);
      if (v !== undefined) this.#control(f).value = f === 'x' || f === 'dy' ? rows(v) : v;
    }
    const kind = saved.get('kind');
    const dir = saved.get('dir');
    if (isKind(kind)) this.#check('kind', kind);
    if (isDirection(dir)) this.#check('direction', dir);
    this.#apply(savedIndex(saved), saved.has('dy') ? 'dy' : 'x');
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (!field || field === 'digit') return;
    // The windows stay where they are when only the rule or the pass changes; a new map or window starts over.
    const keep = field === 'direction' || field === 'kind' || field === 'dy';
    this.#apply(keep ? this.#state.step : 0, field);
  }

  /**
   * Reads every control, runs the engine, and either adopts the new state or explains what is wrong beside
   * the field concerned. `changed` names the control the reader touched: only a typed gradient is held to the
   * output's shape; any other change resets a gradient that no longer fits.
   */
  #apply(step: number, changed: string): void {
    const x = parseMatrix(this.#control('x').value, { name: 'the input map', maxRows: MAX_SIDE, maxCols: MAX_SIDE });
    const size = parseInteger(this.#control('size').value, { name: 'the window size', min: 1, max: MAX_SIDE });
    const stride = parseInteger(this.#control('stride').value, { name: 'the stride', min: 1, max: MAX_SIDE });
    for (const [f, p] of [
      ['x', x],
      ['size', size],
      ['stride', stride],
    ] as const) {
      setFieldError(this.#control(f), p.ok ? null : p.message);
    }
    if (!x.ok || !size.ok || !stride.ok) return;
    const { rows, cols, values } = x.value;
    const k = size.value;
    if (k > rows || k > cols) {
      const most = Math.min(rows, cols);
      const msg = `A ${k} × ${k} window does not fit in the ${rows} × ${cols} map: use a window of at most ${most}.`;
      setFieldError(this.#control('size'), msg);
      return;
    }
    const kind = this.#selected('kind');
    const direction = this.#selected('direction');
    if (!isKind(kind) || !isDirection(direction)) return;
    let dyCount: number;
    let ow: number;
    try {
      ow = poolOutputSize(cols, k, stride.value).size;
      dyCount = poolOutputSize(rows, k, stride.value).size * ow;
    } catch (err) {
      this.#engineError(err);
      return;
    }
    const dy = this.#readGradient(dyCount, ow, changed === 'dy');
    if (dy === null) return;
    const next: PoolStepperState = {
      rows,
      cols,
      x: values,
      kind,
      size: k,
      stride: stride.value,
      direction,
      dy,
      step: Math.min(step, dyCount - 1),
    };
    try {
      this.#result = computePool(next);
    } catch (err) {
      this.#engineError(err);
      return;
    }
    this.#state = next;
    this.querySelector<HTMLElement>('.dy-controls')!.hidden = direction === 'forward';
    this.#render();
  }

  /** The typed gradient if it fits [OH, OW]; else null with a message (typed) or the default 1, 2, 3, … (other changes). */
  #readGradient(count: number, ow: number, typed: boolean): number[] | null {
    const field = this.#area('dy');
    const oh = count / ow;
    const parsed = parseMatrix(field.value, { name: 'the upstream gradient', maxRows: MAX_SIDE, maxCols: MAX_SIDE });
    const fits = parsed.ok && parsed.value.rows === oh && parsed.value.cols === ow;
    if (fits) {
      setFieldError(field, null);
      return parsed.value.values;
    }
    if (typed) {
      const got = parsed.ok ? `; you gave ${parsed.value.rows} × ${parsed.value.cols}` : '';
      const msg = parsed.ok ? `The upstream gradient must have y's shape, ${oh} × ${ow}${got}.` : parsed.message;
      setFieldError(field, msg);
      return null;
    }
    const fresh = defaultGradient(count);
    field.value = matrixText(fresh, ow);
    field.rows = Math.min(oh, MAX_SIDE);
    setFieldError(field, null);
    return fresh;
  }

  #engineError(err: unknown): void {
    if (!(err instanceof EngineError)) throw err;
    setFieldError(this.#control(FIELD_OF[err.field] ?? 'x'), err.message);
  }

  #render(prefix = ''): void {
    this.#stage().innerHTML = renderStage(this.#state, this.#result);
    this.querySelector('.status')!.textContent = prefix + describeStep(this.#state, this.#result);
    syncStepButtons(this, this.#state.step, this.#last());
    const s = this.#state;
    const rowsText = (v: readonly number[], c: number): string => matrixText(v, c, ';').replace(/ /g, ',');
    writeUrlState(this.id, {
      x: rowsText(s.x, s.cols),
      kind: s.kind,
      size: String(s.size),
      stride: String(s.stride),
      dir: s.direction,
      dy: rowsText(s.dy, this.#result.ow),
      step: String(s.step),
    });
  }

  #last(): number {
    return this.#result.oh * this.#result.ow - 1;
  }

  #go(step: number): void {
    const next = Math.max(0, Math.min(this.#last(), step));
    if (next === this.#state.step) return;
    this.#state = { ...this.#state, step: next };
    this.#result = computePool(this.#state);
    this.#render();
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (action === 'back') this.#go(this.#state.step - 1);
    else if (action === 'next') this.#go(this.#state.step + 1);
    else if (action === 'reset') this.#go(0);
    else if (action === 'share') void copyShareLink(this, this.querySelector('.status')!);
    else if (action === 'load') void this.#loadDigit();
  }

  #onKey(e: KeyboardEvent): void {
    const { step } = this.#state;
    const target = keyedStep(e, {
      ArrowRight: step + 1,
      ArrowDown: step + 1,
      ArrowLeft: step - 1,
      ArrowUp: step - 1,
      Home: 0,
      End: this.#last(),
    });
    if (target !== undefined) this.#go(target);
  }

  /** Fetches the sample digits, makes the edge feature map in the browser and loads its strongest patch. */
  async #loadDigit(): Promise<void> {
    const select = this.querySelector<HTMLSelectElement>('select[data-field="digit"]')!;
    const index = Number(select.value);
    try {
      const samples = await loadSampleDigits();
      const d = samples.digits[index];
      if (!d) throw new Error(`There is no sample digit ${index}.`);
      const patch = strongestPatch(edgeFeatureMap(d.pixels, samples.rows, samples.cols), MAX_SIDE);
      setFieldError(select, null);
      this.#control('x').value = matrixText(patch.values, MAX_SIDE);
      this.#apply(0, 'x');
      if (this.#state.x.join() !== patch.values.join()) return; // another field is still invalid; its message shows
      const where = `rows ${patch.top}–${patch.top + MAX_SIDE - 1}, columns ${patch.left}–${patch.left + MAX_SIDE - 1}`;
      this.#render(`Loaded the edge map of digit ${d.index} (a ${d.label}), ${where} of its feature map. `);
    } catch (err) {
      setFieldError(select, err instanceof Error ? err.message : 'The sample digits could not be loaded.');
    }
  }
}

export function definePoolingStepper(): void {
  if (!customElements.get('pooling-stepper')) customElements.define('pooling-stepper', PoolingStepperElement);
}
