/** Behaviour the step-through widgets share; their buttons come from StepControls.astro. */

/** What a Player needs from its widget: where it is, where it ends, and how to move. */
export interface Steps {
  step(): number;
  last(): number;
  go(step: number): void;
}

// Long enough to read one step's sum before the next replaces it.
const PLAY_MS = 1100;

/**
 * Play/Pause for a stepper: one step forward per tick, stopping at the last step. The toggle's label
 * ("Play"/"Pause") and aria-pressed follow the timer, so screen readers hear which state it is in.
 */
export class Player {
  readonly #button: HTMLButtonElement;
  readonly #steps: Steps;
  #timer: number | null = null;

  /** `root` holds the StepControls rendered with `play`. */
  constructor(root: HTMLElement, steps: Steps) {
    this.#button = root.querySelector<HTMLButtonElement>('[data-action="play"]')!;
    this.#steps = steps;
  }

  /** The Play button's click: start, or pause if playing. */
  toggle(): void {
    if (this.#timer === null) this.#play();
    else this.stop();
  }

  /** Stops playing; safe when not playing, so any manual step or edit can call it. */
  stop(): void {
    if (this.#timer !== null) window.clearInterval(this.#timer);
    this.#timer = null;
    this.#show(false);
  }

  #play(): void {
    const s = this.#steps;
    // Play at the last step replays from the first rather than doing nothing.
    if (s.step() === s.last()) s.go(0);
    this.#show(true);
    this.#timer = window.setInterval(() => {
      if (s.step() >= s.last()) this.stop();
      else s.go(s.step() + 1);
    }, PLAY_MS);
  }

  #show(playing: boolean): void {
    this.#button.textContent = playing ? 'Pause' : 'Play';
    this.#button.setAttribute('aria-pressed', String(playing));
  }
}

/**
 * Marks Back and Next aria-disabled at the ends. Not `disabled`, which would drop keyboard focus from a
 * button the reader just pressed to reach the end.
 */
export function syncStepButtons(root: HTMLElement, step: number, last: number): void {
  root.querySelector('[data-action="back"]')!.setAttribute('aria-disabled', String(step === 0));
  root.querySelector('[data-action="next"]')!.setAttribute('aria-disabled', String(step === last));
}

/**
 * The step a key asks for in a widget's key map, or undefined for a key the stepper leaves alone. A key it
 * uses has its default (scrolling the page) prevented.
 */
export function keyedStep(e: KeyboardEvent, moves: Record<string, number>): number | undefined {
  const to = moves[e.key];
  if (to !== undefined) e.preventDefault();
  return to;
}
