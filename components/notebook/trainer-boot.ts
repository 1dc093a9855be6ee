/**
 * <capstone-trainer>'s first part: shows the controls, and loads the trainer (runners, chart) the first time the
 * reader presses Train. Chapters that never train pay for nothing but this file.
 */
class CapstoneTrainerElement extends HTMLElement {
  #live: Promise<void> | null = null;

  connectedCallback(): void {
    for (const role of ['controls', 'actions'])
      this.querySelector<HTMLElement>(`[data-role="${role}"]`)?.removeAttribute('hidden');
    this.addEventListener('click', (e) => {
      const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
      if (action === 'train' && !this.#live) {
        this.#live = import('./trainer.ts')
          .then((m) => m.goLiveTrainer(this))
          .catch(() => {
            const msg = this.querySelector<HTMLElement>('[data-role="message"]')!;
            msg.textContent =
              'The trainer could not be loaded (offline, or the site was updated). Reload the page to try again.';
            msg.hidden = false;
            this.#live = null;
          });
      }
    });
  }
}

export function defineCapstoneTrainer(): void {
  if (!customElements.get('capstone-trainer')) customElements.define('capstone-trainer', CapstoneTrainerElement);
}
