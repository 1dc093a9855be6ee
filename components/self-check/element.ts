import { parseNumber } from '../internal/parse.ts';

/**
 * <self-check>: lets the reader answer before revealing. Numbers are compared with the engine's answer within a
 * tolerance; a single choice with the right index. Either way the explanation opens, so the verdict comes with why.
 * Without JavaScript the form stays hidden and the reveal works as before.
 */
class SelfCheckElement extends HTMLElement {
  connectedCallback(): void {
    const form = this.querySelector<HTMLFormElement>('form.try');
    if (!form) return;
    form.hidden = false;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#check(form);
    });
  }

  #verdict(ok: boolean | null, text: string): void {
    const p = this.querySelector<HTMLElement>('.verdict')!;
    p.textContent = text;
    if (ok === null) delete p.dataset['ok'];
    else p.dataset['ok'] = String(ok);
  }

  #check(form: HTMLFormElement): void {
    const answers = JSON.parse(this.dataset['answer'] ?? '[]') as number[];
    if (answers.length > 0) {
      this.#checkNumbers(form, answers);
      return;
    }
    const picked = form.querySelector<HTMLInputElement>('input[type="radio"]:checked');
    if (!picked) {
      this.#verdict(null, 'Pick one of the answers first.');
      return;
    }
    const ok = picked.value === this.dataset['correct'];
    this.#verdict(ok, ok ? 'Right. The explanation is below.' : 'Not quite. The explanation below says why.');
    this.#reveal();
  }

  #checkNumbers(form: HTMLFormElement, answers: number[]): void {
    const inputs = [...form.querySelectorAll<HTMLInputElement>('input[type="text"]')];
    const labels = JSON.parse(this.dataset['labels'] ?? '[]') as string[];
    const shown = JSON.parse(this.dataset['shown'] ?? '[]') as string[];
    const tol = Number(this.dataset['tolerance'] ?? '0.005');
    const values: number[] = [];
    for (const [i, input] of inputs.entries()) {
      const v = parseNumber(input.value.replace(/,/g, ''));
      const bad = v === null || !Number.isFinite(v);
      input.setAttribute('aria-invalid', String(bad));
      if (bad) {
        const what = labels[i] ? ` for ${labels[i]}` : '';
        this.#verdict(
          null,
          input.value.trim()
            ? `“${input.value.trim()}” is not a number; type one${what}, e.g. 12.`
            : `Type a number${what} first.`,
        );
        input.focus();
        return;
      }
      values.push(v);
    }
    const wrong = values
      .map((v, i) => (Math.abs(v - answers[i]!) <= tol * Math.max(1, Math.abs(answers[i]!)) ? -1 : i))
      .filter((i) => i >= 0);
    for (const [i, input] of inputs.entries()) input.setAttribute('aria-invalid', String(wrong.includes(i)));
    if (wrong.length === 0) {
      this.#verdict(true, `Right: ${shown.join(', ')}. The explanation is below.`);
    } else {
      const which = wrong.map((i) => (labels[i] ? `${labels[i]} should be ${shown[i]}` : `the answer is ${shown[i]}`));
      this.#verdict(false, `Not quite: ${which.join('; ')}. The explanation below shows how.`);
    }
    this.#reveal();
  }

  #reveal(): void {
    const details = this.querySelector('details');
    if (details) details.open = true;
  }
}

export function defineSelfCheck(): void {
  if (!customElements.get('self-check')) customElements.define('self-check', SelfCheckElement);
}
