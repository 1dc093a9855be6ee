import type { TrainerClient } from '../../src/ml/client.ts';
import type { Evaluation, TrainConfig } from '../../src/ml/index.ts';
import type { LabLine, LabState } from './state.ts';

/**
 * What the lab's section controllers (training, storage, inside, draw, exercises) get from the element: the shared
 * state, the lazily started worker, and ways to report. Keeps each controller small and the element the only owner:
 * progress, status lines and alerts go into the state (`display`), and the element's render draws them.
 */
export interface Lab {
  readonly id: string;
  readonly state: Readonly<LabState>;
  /** Finds `#<id>-<suffix>` inside the lab. */
  byId<T extends HTMLElement = HTMLElement>(suffix: string): T;
  /** Changes state and refreshes what depends on it (buttons, backend line, summary). */
  set(patch: Partial<LabState>): void;
  /** Starts the worker on first use (TF.js loads inside it) and initialises the chosen backend. */
  trainer(): Promise<TrainerClient>;
  /** Downloads (or reads from the cache) and decodes MNIST in the worker, once. */
  ensureData(): Promise<void>;
  /** Reads and validates the form; shows messages beside bad fields and returns null when any is bad. */
  readForm(): TrainConfig | null;
  /** Puts a config into the form fields (exercise runs, a restored model's settings). */
  fillForm(config: TrainConfig): void;
  /** Says something in the main live region (the `status` line). */
  announce(text: string): void;
  /** Puts a text on one of the lab's lines. */
  say(line: LabLine, text: string): void;
  /** Moves the download or training bar, 0 to 1. */
  setProgress(bar: 'data' | 'train', value: number): void;
  /** Shows a message in an alert box (`#<id>-<box>`), or hides it when `message` is null. */
  alert(box: string, message: string | null): void;
  /** Shows a message beside a field of the settings form (the worker refused its value). */
  fieldError(field: string, message: string): void;
  /** Shows test results (confusion matrix, per-class errors, gallery). */
  showEvaluation(e: Evaluation): Promise<void>;
  /** A model appeared or changed (trained, restored, imported): refresh the views that use it. */
  modelChanged(): void;
}

/** The message to show for any failure: worker errors carry a reader-facing message; others get a generic one. */
export function messageOf(err: unknown): string {
  if (err instanceof Error && err.name === 'TrainerError') return err.message;
  if (err instanceof Error && err.message) return `Something went wrong: ${err.message}`;
  return 'Something went wrong. Reload the page to start again.';
}

/** The worker's error code, when the failure came from the worker. */
export function codeOf(err: unknown): string | null {
  return err instanceof Error && err.name === 'TrainerError' ? ((err as Error & { code: string }).code ?? null) : null;
}
