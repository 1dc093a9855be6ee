import { EngineError } from '../../src/lib/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { stepIntegerField } from '../internal/int-keys.ts';
import { parseInteger } from '../internal/parse.ts';
import { readUrlState, writeUrlState, copyShareLink } from '../internal/url-state.ts';
import { FIELDS, SECTIONS, isParamField, type ParamCalcState, type ParamField } from './state.ts';
import { convView, denseView, receptiveView, type SectionView } from './view.ts';

type Section = keyof typeof SECTIONS;
const VIEWS: Record<Section, (s: ParamCalcState) => SectionView> = {
  dense: denseView,
  conv: convView,
  rf: receptiveView,
};

/**
 * <param-calculator>: three small calculators sharing one state. Each section recomputes on its own, so a bad
 * field in one leaves the others (and its own last good result) on screen.
 */
class ParamCalculatorElement extends HTMLElement {
  #state!: ParamCalcState;

  connectedCallback(): void {
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as ParamCalcState;
    this.addEventListener('input', (e) => {
      const field = (e.target as HTMLElement).dataset['field'];
      if (isParamField(field)) this.#update(sectionOf(field), true);
    });
    this.addEventListener('keydown', (e) => stepIntegerField(e, (f) => (isParamField(f) ? FIELDS[f] : undefined)));
    this.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('button[data-action="share"]')) void this.#share();
    });
    this.#restoreFromUrl();
  }

  #field(name: ParamField): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-field="${name}"]`)!;
  }

  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    for (const [key, value] of saved) if (isParamField(key)) this.#field(key).value = value;
    for (const section of Object.keys(SECTIONS) as Section[]) this.#update(section, false);
  }

  /** Reads one section's fields and recomputes it, or explains what is wrong beside the field. */
  #update(section: Section, announce: boolean): void {
    const next = { ...this.#state };
    let ok = true;
    for (const f of SECTIONS[section]) {
      const r = parseInteger(this.#field(f).value, FIELDS[f]);
      setFieldError(this.#field(f), r.ok ? null : r.message);
      if (r.ok) next[f] = r.value;
      else ok = false;
    }
    if (!ok) return;
    let view: SectionView;
    try {
      view = VIEWS[section](next);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      // Only the conv section can fail: a kernel larger than the input it slides over.
      setFieldError(this.#field(section === 'conv' ? 'k' : SECTIONS[section][0]!), err.message);
      return;
    }
    this.#state = next;
    this.querySelector(`[data-result="${section}"]`)!.innerHTML = view.html;
    if (announce) this.querySelector('.status')!.textContent = view.sentence;
    writeUrlState(
      this.id,
      Object.fromEntries(Object.entries(this.#state).map(([k, v]) => [k, String(v)])) as Record<string, string>,
    );
  }

  #share(): Promise<void> {
    return copyShareLink(this, this.querySelector('.status')!, {
      copied: 'Link copied: it opens the calculator with these numbers.',
      shares: 'these numbers',
    });
  }
}

function sectionOf(field: ParamField): Section {
  return (Object.keys(SECTIONS) as Section[]).find((s) => SECTIONS[s].includes(field))!;
}

export function defineParamCalculator(): void {
  if (!customElements.get('param-calculator')) customElements.define('param-calculator', ParamCalculatorElement);
}
