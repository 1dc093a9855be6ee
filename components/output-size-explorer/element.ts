import { EngineError } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { parseInteger } from '../internal/parse.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { readUrlState, writeUrlState, copyShareLink } from '../internal/url-state.ts';
import { explore, isPadMode, LIMITS, NUMBER_FIELDS, type ExplorerState, type Explored } from './state.ts';
import { describeWindow, renderMath, renderStage } from './view.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

/**
 * <output-size-explorer>: behaviour over the server-rendered explorer. Reads the fields, asks the engine for the
 * window positions, and redraws; bad input or a kernel that does not fit only shows a message beside the field.
 */
class OutputSizeExplorerElement extends HTMLElement {
  #state!: ExplorerState;
  #ex!: Explored;

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as ExplorerState;
    this.#ex = explore(this.#state);
    // ↑ and ↓ in a number field step it within its limits.
    this.addEventListener('keydown', (e) =>
      stepIntegerField(e, (f) => (f in LIMITS ? LIMITS[f as keyof typeof LIMITS] : undefined)),
    );
    this.#control('padding').disabled = this.#state.padMode !== 'number';
    this.#restoreFromUrl();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('change', (e) => this.#onInput(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.querySelector<HTMLElement>('.eo-stage')!.addEventListener('keydown', (e) => this.#onKey(e));
  }

  #control(field: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
  }

  #selected(name: string): string | undefined {
    return this.querySelector<HTMLInputElement>(`[data-field="${name}"]:checked`)?.value;
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (!field) return;
    if (field === 'pos') {
      this.#go(Number(this.#control('pos').value) - 1);
      return;
    }
    this.#apply(true, this.#state.pos, field);
  }

  /** Reads every control; adopts the new state if the engine accepts it, else explains beside the field. */
  #apply(announce: boolean, pos = this.#state.pos, changed?: string): void {
    const padMode = this.#selected('padMode');
    const dims = this.#selected('dims') === '2' ? 2 : 1;
    const ceil = this.#selected('ceil') === 'ceil';
    if (!isPadMode(padMode)) return;
    this.#control('padding').disabled = padMode !== 'number';
    const values: Partial<Record<(typeof NUMBER_FIELDS)[number], number>> = {};
    let ok = true;
    for (const f of NUMBER_FIELDS) {
      const el = this.#control(f);
      if (f === 'padding' && padMode !== 'number') {
        setFieldError(el, null);
        values.padding = this.#state.padding;
        continue;
      }
      const r = parseInteger(el.value, LIMITS[f]);
      const message = r.ok ? null : f === 'stride' && el.value.trim() === '0' ? STRIDE_ZERO : r.message;
      setFieldError(el, message);
      if (r.ok) values[f] = r.value;
      else ok = false;
    }
    if (!ok) return;
    const next: ExplorerState = {
      dims,
      input: values.input!,
      kernel: values.kernel!,
      padding: values.padding!,
      padMode,
      stride: values.stride!,
      dilation: values.dilation!,
      ceil,
      pos: 0,
    };
    let ex: Explored;
    try {
      ex = explore(next);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      // Put the message beside the field the reader just changed when it is one that sets the fit.
      const fitFields = ['input', 'kernel', 'padding', 'dilation'];
      const target =
        changed && fitFields.includes(changed) ? changed : fitFields.includes(err.field) ? err.field : 'kernel';
      setFieldError(this.#control(target), err.message);
      return;
    }
    next.pos = Math.max(0, Math.min(ex.windows - 1, pos));
    this.#state = next;
    this.#ex = ex;
    this.#render(announce);
  }

  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(announce: boolean): void {
    whenTex(this, () => this.#paint(announce));
  }

  #paint(announce: boolean): void {
    const s = this.#state;
    const ex = this.#ex;
    this.querySelector('.eo-stage')!.innerHTML = renderStage(s, ex);
    this.#revealCurrent();
    this.querySelector('.eo-math')!.innerHTML = renderMath(s, ex);
    const slider = this.#control('pos');
    slider.max = String(ex.windows);
    slider.value = String(s.pos + 1);
    slider.setAttribute('aria-valuetext', `window ${s.pos + 1} of ${ex.windows}`);
    this.querySelector('.eo-pos-label')!.textContent = `Window ${s.pos + 1} of ${ex.windows}`;
    if (announce) {
      const size = s.dims === 2 ? `${ex.r.size} × ${ex.r.size}` : String(ex.r.size);
      this.querySelector('[role="status"]')!.textContent = `Output size ${size}. ${describeWindow(s, ex)}`;
    }
    const p = s.padMode === 'number' ? String(s.padding) : s.padMode;
    writeUrlState(this.id, {
      dims: String(s.dims),
      i: String(s.input),
      k: String(s.kernel),
      p,
      s: String(s.stride),
      d: String(s.dilation),
      c: s.ceil ? '1' : '0',
      pos: String(s.pos),
    });
  }

  /** Wide grids scroll sideways; keep the current window and output cell in view (without scrolling the page). */
  #revealCurrent(): void {
    for (const cell of this.querySelectorAll<HTMLElement>('.eo-stage td.tap, .eo-stage td.o.current')) {
      const box = cell.closest<HTMLElement>('.eo-scroll');
      if (!box) continue;
      const b = box.getBoundingClientRect();
      const c = cell.getBoundingClientRect();
      if (c.right > b.right) box.scrollLeft += c.right - b.right + 8;
      else if (c.left < b.left) box.scrollLeft -= b.left - c.left + 8;
    }
  }

  #go(pos: number): void {
    const next = Math.max(0, Math.min(this.#ex.windows - 1, pos));
    if (next === this.#state.pos) return;
    this.#state = { ...this.#state, pos: next };
    this.#render(true);
  }

  #onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const action = target.closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (action === 'prev') return this.#go(this.#state.pos - 1);
    if (action === 'next') return this.#go(this.#state.pos + 1);
    if (action === 'share') return void this.#share();
    const cell = target.closest<HTMLElement>('[data-pos]');
    if (cell) this.#go(Number(cell.dataset['pos']));
  }

  #onKey(e: KeyboardEvent): void {
    const out = this.#ex.r.size;
    const row = this.#state.dims === 2 ? out : 0;
    const moves: Record<string, number> = {
      ArrowRight: this.#state.pos + 1,
      ArrowLeft: this.#state.pos - 1,
      Home: 0,
      End: this.#ex.windows - 1,
      ...(row ? { ArrowDown: this.#state.pos + row, ArrowUp: this.#state.pos - row } : {}),
    };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.#go(to);
  }

  /** A shared link overrides the defaults; bad values in it are reported like typed input. */
  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const set = (field: string, key: string) => {
      const v = saved.get(key);
      if (v !== undefined) this.#control(field).value = v;
    };
    set('input', 'i');
    set('kernel', 'k');
    set('stride', 's');
    set('dilation', 'd');
    const p = saved.get('p');
    const mode = p === 'same' || p === 'valid' ? p : 'number';
    if (p !== undefined && mode === 'number') this.#control('padding').value = p;
    this.#check('padMode', mode);
    this.#check('dims', saved.get('dims') === '2' ? '2' : '1');
    this.#check('ceil', saved.get('c') === '1' ? 'ceil' : 'floor');
    const pos = Number(saved.get('pos') ?? '0');
    this.#apply(true, Number.isInteger(pos) && pos >= 0 ? pos : 0);
  }

  #check(name: string, value: string): void {
    const radio = this.querySelector<HTMLInputElement>(`[data-field="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  }

  #share(): Promise<void> {
    return copyShareLink(this, this.querySelector('[role="status"]')!, {
      copied: 'Link copied: it opens the explorer with these settings.',
    });
  }
}

const STRIDE_ZERO = 'A stride of 0 would never move the window: every output would read the same cells. Use 1 or more.';

export function defineOutputSizeExplorer(): void {
  if (!customElements.get('output-size-explorer'))
    customElements.define('output-size-explorer', OutputSizeExplorerElement);
}
