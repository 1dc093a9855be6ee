import {
  type BackendName,
  type BackendStatus,
  ConfigError,
  DEFAULT_TRAIN_CONFIG,
  isPreset,
  MAX_WORKERS,
  type OptimizerName,
  type PresetName,
  type ScheduleName,
  SCHEDULE_NAMES,
  scheduleOf,
  type TrainConfig,
  type TrainHistory,
  validateConfig,
} from '../../src/ml/index.ts';
import type { SummaryRow } from '../../src/lib/index.ts';
import { parseNumber } from '../internal/parse.ts';

/** What the lab is doing; decides which buttons are enabled. */
export type Phase = 'idle' | 'starting' | 'loading-data' | 'building' | 'training' | 'paused' | 'stopping' | 'busy';

/**
 * The lines of text the lab keeps up to date, each drawn into the element `#<id>-<line>`: the main live region
 * (`status`), the backend, download and training lines, and each section's status.
 */
export const LAB_LINES = [
  'status',
  'backend-line',
  'data-text',
  'train-text',
  'results-text',
  'saved-note',
  'draw-status',
  'raw-text',
  'inside-status',
  'scratch-status',
] as const;
export type LabLine = (typeof LAB_LINES)[number];

/** Progress and messages: what the lab says about its work, drawn by the element's render. */
export interface LabDisplay {
  /** What each line says; a line not set yet keeps the text it was built with. */
  lines: Partial<Record<LabLine, string>>;
  /** The MNIST download and the training run, each from 0 to 1. */
  progress: { data: number; train: number };
  /** Alert boxes (`#<id>-<box>`, e.g. `run-error`) and their messages; null hides the box. */
  alerts: Record<string, string | null>;
}

/** Everything the lab shows, serializable (typed arrays such as feature maps live in their own views). */
export interface LabState {
  /** Last good settings from the form (bad input never replaces them). */
  config: TrainConfig;
  /** The backend the reader asked for; `auto` tries webgpu, webgl, wasm, cpu. */
  backend: BackendName | 'auto';
  /** Test digit shown inside the model, 0..9999. */
  digit: number;
  phase: Phase;
  /** The backend the worker runs on, once started. */
  activeBackend: BackendName | null;
  backends: BackendStatus[];
  /** Workers training data-parallel and the device's cores, once the worker has started. */
  workers: { used: number; cores: number } | null;
  /** The trained (or restored) model's preset, or null before one exists. */
  modelPreset: PresetName | null;
  /** Summary rows: from the pure engine before a model exists, from the TF.js model after. */
  summary: { rows: SummaryRow[]; fromModel: boolean };
  history: TrainHistory | null;
  /** Set while an exercise run is going, to label its row in the comparison table. */
  runTag: string | null;
  /** True while "Train both" runs (the engine's worker can outlast the TF.js run it started beside). */
  comparing: boolean;
  display: LabDisplay;
}

export const BACKEND_CHOICES: readonly (BackendName | 'auto')[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
const SCHEDULE_LABELS: Record<ScheduleName, string> = {
  'cosine-restarts': 'Cosine, restarting each epoch',
  exponential: 'Exponential, every batch',
};
/** The Schedule select's options: every schedule the worker accepts, each with its label. */
export const SCHEDULES = SCHEDULE_NAMES.map((name) => ({ name, label: SCHEDULE_LABELS[name] }));
export const OPTIMIZERS: readonly { name: OptimizerName; label: string }[] = [
  { name: 'adam', label: 'Adam' },
  { name: 'momentum', label: 'SGD with momentum 0.9' },
  { name: 'sgd', label: 'Plain SGD' },
];

/** The Workers select's values: automatic (absent from the config), or a fixed count from 1 to MAX_WORKERS. */
export const WORKER_CHOICES: readonly string[] = [
  'auto',
  ...Array.from({ length: MAX_WORKERS }, (_, i) => String(i + 1)),
];

/** A numeric setting of the form: its TrainConfig path, label, hint and arrow-key step. */
export interface NumericField {
  key: NumericKey;
  label: string;
  hint: string;
  step: number;
}
export type NumericKey =
  | 'learningRate'
  | 'lrDecay'
  | 'batchSize'
  | 'epochs'
  | 'trainSubset'
  | 'validationSplit'
  | 'l2'
  | 'dropout'
  | 'patience'
  | 'shift'
  | 'rotate'
  | 'seed';

export const NUMERIC_FIELDS: readonly NumericField[] = [
  { key: 'learningRate', label: 'Learning rate', hint: 'Greater than 0, e.g. 0.002.', step: 0.001 },
  {
    key: 'lrDecay',
    label: 'Decay per epoch',
    hint: 'The rate’s factor per epoch, 0 to 1; 1 with exponential = constant.',
    step: 0.1,
  },
  { key: 'batchSize', label: 'Batch size', hint: 'Images per step, 1 to 1024.', step: 8 },
  { key: 'epochs', label: 'Epochs', hint: 'Passes over the training images, 1 to 100.', step: 1 },
  { key: 'trainSubset', label: 'Training images', hint: 'How many of the 60,000 to use.', step: 1000 },
  { key: 'validationSplit', label: 'Validation split', hint: 'Fraction held out, 0 to below 0.5.', step: 0.05 },
  { key: 'l2', label: 'L2 penalty', hint: 'Weight decay on kernels, 0 = off.', step: 0.0001 },
  { key: 'dropout', label: 'Dropout', hint: 'After hidden dense layers, 0 to 0.9.', step: 0.1 },
  { key: 'patience', label: 'Early-stopping patience', hint: 'Epochs without progress; 0 = off.', step: 1 },
  { key: 'shift', label: 'Shift (px)', hint: 'Random shifts, 0 to 4.', step: 1 },
  { key: 'rotate', label: 'Rotation (°)', hint: 'Random turns, 0 to 30.', step: 5 },
  { key: 'seed', label: 'Seed', hint: 'Same seed, same run.', step: 1 },
];

/** Reads a numeric setting from a config. */
export function getNumeric(c: TrainConfig, key: NumericKey): number {
  if (key === 'shift' || key === 'rotate') return c.augment[key];
  return c[key];
}

/** A copy of `c` with one numeric setting replaced. */
export function withNumeric(c: TrainConfig, key: NumericKey, v: number): TrainConfig {
  if (key === 'shift' || key === 'rotate') return { ...c, augment: { ...c.augment, [key]: v } };
  return { ...c, [key]: v };
}

/** The form's field name for a ConfigError's field ("augment.shift" -> "shift"). */
export function fieldOfError(field: string): string {
  return field.replace(/^augment\./, '');
}

// Checking one field alone against settings that allow every value of the others (no cross-field conflicts).
const PERMISSIVE: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, validationSplit: 0.1, batchSize: 1 };

/** Raw text of the form: numeric fields as typed, and the select values. */
export interface FormValues {
  numbers: Record<NumericKey, string>;
  preset: string;
  optimizer: string;
  /** The Schedule select: a ScheduleName. */
  schedule: string;
  /** The "test after every epoch" checkbox. */
  evaluateEachEpoch: boolean;
  /** The Workers select: `auto` or a count (WORKER_CHOICES). */
  workers: string;
}

/**
 * Turns the typed form into a TrainConfig, or a message per bad field. Each field is checked alone first (so every
 * bad field gets its own message), then the whole config (conflicts such as a batch larger than the images).
 */
export function readConfig(
  values: FormValues,
  base: TrainConfig,
): { ok: true; config: TrainConfig } | { ok: false; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  let config: TrainConfig = { ...base, augment: { ...base.augment }, evaluateEachEpoch: values.evaluateEachEpoch };
  if (isPreset(values.preset)) config.preset = values.preset;
  else errors.set('preset', 'Choose one of the listed models.');
  if (OPTIMIZERS.some((o) => o.name === values.optimizer)) config.optimizer = values.optimizer as OptimizerName;
  else errors.set('optimizer', 'Choose one of the listed optimizers.');
  if ((SCHEDULE_NAMES as readonly string[]).includes(values.schedule))
    config.schedule = values.schedule as ScheduleName;
  else errors.set('schedule', 'Choose one of the listed schedules.');
  if (values.workers === 'auto') delete config.workers;
  else if (WORKER_CHOICES.includes(values.workers)) config.workers = Number(values.workers);
  else errors.set('workers', `Choose automatic or a number of workers from 1 to ${MAX_WORKERS}.`);
  for (const f of NUMERIC_FIELDS) {
    const text = values.numbers[f.key].trim();
    const v = text === '' ? null : parseNumber(text);
    if (v === null || !Number.isFinite(v)) {
      errors.set(
        f.key,
        text === '' ? `Enter the ${f.label.toLowerCase()}. ${f.hint}` : `“${text}” is not a number. ${f.hint}`,
      );
      continue;
    }
    try {
      validateConfig(withNumeric(PERMISSIVE, f.key, v));
      config = withNumeric(config, f.key, v);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      errors.set(f.key, err.message);
    }
  }
  if (errors.size > 0) return { ok: false, errors };
  try {
    return { ok: true, config: validateConfig(config) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ok: false, errors: new Map([[fieldOfError(err.field), err.message]]) };
  }
}

/**
 * The TF.js side of "From scratch, beside TensorFlow.js", as the engine trains: modern LeNet-5, Adam at a constant
 * rate, no regularisation or augmentation, the form's batch size, rate and seed. The schedule is exponential with
 * decay 1: cosine restarts with decay 1 would still fall to 0 in every epoch.
 */
export function besideEngineConfig(form: TrainConfig, trainSubset: number, epochs: number): TrainConfig {
  return {
    ...form,
    preset: 'lenet5',
    optimizer: 'adam',
    schedule: 'exponential',
    lrDecay: 1,
    trainSubset,
    epochs,
    validationSplit: 0,
    patience: 0,
    dropout: 0,
    l2: 0,
    augment: { shift: 0, rotate: 0 },
    evaluateEachEpoch: false,
    reportEvery: 1,
  };
}

/** The settings that differ from the defaults, for the URL (`<id>.learningRate=0.01`). */
export function configToUrl(c: TrainConfig, backend: string, digit: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (c.preset !== DEFAULT_TRAIN_CONFIG.preset) out['preset'] = c.preset;
  if (c.optimizer !== DEFAULT_TRAIN_CONFIG.optimizer) out['optimizer'] = c.optimizer;
  if (scheduleOf(c) !== scheduleOf(DEFAULT_TRAIN_CONFIG)) out['schedule'] = scheduleOf(c);
  for (const f of NUMERIC_FIELDS) {
    const v = getNumeric(c, f.key);
    if (v !== getNumeric(DEFAULT_TRAIN_CONFIG, f.key)) out[f.key] = String(v);
  }
  if (!c.evaluateEachEpoch) out['evaluateEachEpoch'] = '0';
  if (c.workers !== undefined) out['workers'] = String(c.workers);
  if (backend !== 'auto') out['backend'] = backend;
  if (digit !== 0) out['digit'] = String(digit);
  return out;
}

/** Display text of a number in a form field (plain ASCII, as a reader would type it). */
export function fieldText(v: number): string {
  return String(v);
}

/** The parts of the state the page computes when it starts (they are not in the build-time `data-state`). */
export type PageStatePart = 'summary' | 'display';

/** Nothing said yet: every line keeps its build-time text, both bars are empty, no alert is shown. */
export function initialDisplay(): LabDisplay {
  return { lines: {}, progress: { data: 0, train: 0 }, alerts: {} };
}

/** The first state, rendered at build time. */
export function initialState(config: TrainConfig = DEFAULT_TRAIN_CONFIG): Omit<LabState, PageStatePart> {
  return {
    config,
    backend: 'auto',
    digit: 0,
    phase: 'idle',
    activeBackend: null,
    backends: [],
    workers: null,
    modelPreset: null,
    history: null,
    runTag: null,
    comparing: false,
  };
}

/** Whether a run or request is in flight (the Train button is disabled then). */
export function isBusy(p: Phase): boolean {
  return p !== 'idle';
}
