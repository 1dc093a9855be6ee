import type { TrainerClient } from '../../src/ml/client.ts';
import {
  type BackendName,
  type Evaluation,
  mnistIsCached,
  PRESETS,
  presetSummary,
  type TrainConfig,
  type TrainHistory,
} from '../../src/ml/index.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { parseInteger } from '../internal/parse.ts';
import { readUrlState, writeUrlState } from '../internal/url-state.ts';
import { messageOf, type Lab } from './context.ts';
import { SETTINGS_MESSAGE } from './training.ts';
import { DrawController } from './draw.ts';
import { findRun } from './exercises.ts';
import { WorkerLink } from './worker-link.ts';
import { InsideController } from './inside.ts';
import { showEvaluation } from './results.ts';
import { RunsTable } from './runs.ts';
import { SettingsForm } from './form.ts';
import {
  BACKEND_CHOICES,
  configToUrl,
  initialDisplay,
  isBusy,
  type LabLine,
  type LabState,
  type PageStatePart,
} from './state.ts';
import { StorageController } from './storage.ts';
import { TrainingController } from './training.ts';
import { displayLines, renderSummaryTable } from './view.ts';
import { setPageBusy } from '../../src/site/page-busy.ts';

/**
 * <lenet-lab>: behaviour over the server-rendered lab. It owns the one state object and the (lazily started)
 * training worker, and hands small jobs to the section controllers. Nothing here loads TensorFlow.js: the worker
 * does, on the first button that needs it.
 */
class LeNetLabElement extends HTMLElement implements Lab {
  state!: LabState;
  #worker = new WorkerLink(this);
  #runs!: RunsTable;
  #form!: SettingsForm;
  #training!: TrainingController;
  #storage!: StorageController;
  #inside!: InsideController;
  #draw!: DrawController;
  #scratch: import('./scratch.ts').ScratchController | null = null;

  connectedCallback(): void {
    const initial = JSON.parse(this.dataset['state'] ?? '{}') as Omit<LabState, PageStatePart>;
    const summary = { rows: presetSummary(initial.config.preset), fromModel: false };
    this.state = { ...initial, summary, display: initialDisplay() };
    this.#form = new SettingsForm(this);
    this.#runs = new RunsTable(this.id, this.byId('runs'));
    this.#training = new TrainingController(this, (r) => {
      if (!this.#runs.add(r))
        this.announce('The run table could not be kept in this browser (storage full or blocked).');
    });
    this.#inside = new InsideController(this);
    this.#storage = new StorageController(this, (h) => this.#afterLoad(h));
    this.#draw = new DrawController(this, (pixels) => (this.#inside.drawing = pixels));
    this.#restoreFromUrl();
    this.#storage.showNote();
    this.addEventListener('input', (e) => this.#onInput(e));
    this.addEventListener('change', (e) => this.#onChange(e));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => this.#form.onKey(e));
    window.addEventListener('beforeunload', this.#onLeave);
    this.#render();
    void this.#noteCachedData();
    this.#warmWhenNear();
  }

  /**
   * When the lab comes within a screen of the viewport, and the page is idle, start the engine and the data and ready
   * the charts, so that Train answers at once and the first chart does not stall the page mid-training; a reader who
   * only reads the chapter's top loads no TF.js, and first render is not delayed.
   */
  #warmWhenNear(): void {
    if (typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        io.disconnect();
        const idle = (f: () => void) =>
          'requestIdleCallback' in window ? window.requestIdleCallback(f, { timeout: 2000 }) : setTimeout(f, 200);
        idle(() => {
          this.#worker.warm();
          // The charts too, in an idle moment of their own (charts.ts warmUp).
          void import('./charts.ts').then((m) => idle(() => m.warmUp()));
        });
      },
      { rootMargin: '100% 0px' },
    );
    io.observe(this);
    this.#stopWarm = () => io.disconnect();
  }

  #stopWarm = (): void => {};

  /** Leaving (or reloading) mid-run would lose the run: the browser asks first. */
  #onLeave = (e: BeforeUnloadEvent): void => {
    const p = this.state.phase;
    if (p === 'training' || p === 'paused' || p === 'stopping' || this.state.comparing) e.preventDefault();
  };

  /** MNIST already in the browser's cache (an earlier visit): say so instead of "Not downloaded yet". */
  async #noteCachedData(): Promise<void> {
    if ((await mnistIsCached()) && this.state.display.lines['data-text'] === undefined)
      this.say('data-text', 'In your browser’s cache from an earlier visit: no download needed.');
  }

  disconnectedCallback(): void {
    window.removeEventListener('beforeunload', this.#onLeave);
    this.#stopWarm();
    this.#worker.terminate();
    setPageBusy(false);
  }

  byId<T extends HTMLElement = HTMLElement>(suffix: string): T {
    return this.querySelector<T>(`#${CSS.escape(`${this.id}-${suffix}`)}`)!;
  }

  set(patch: Partial<LabState>): void {
    this.state = { ...this.state, ...patch };
    this.#render();
    // A run (and its results) keeps the page busy: background work waits for it (src/site/page-busy.ts).
    setPageBusy(isBusy(this.state.phase) || this.state.comparing);
  }

  announce(text: string): void {
    this.say('status', text);
  }

  say(line: LabLine, text: string): void {
    const d = this.state.display;
    this.set({ display: { ...d, lines: { ...d.lines, [line]: text } } });
  }

  setProgress(bar: 'data' | 'train', value: number): void {
    if (!Number.isFinite(value)) return;
    const d = this.state.display;
    this.set({ display: { ...d, progress: { ...d.progress, [bar]: Math.max(0, Math.min(1, value)) } } });
  }

  alert(box: string, message: string | null): void {
    const d = this.state.display;
    this.set({ display: { ...d, alerts: { ...d.alerts, [box]: message } } });
  }

  fieldError(field: string, message: string): void {
    if (this.#form.has(field)) setFieldError(this.#field(field), message);
  }

  showEvaluation(e: Evaluation): Promise<void> {
    return showEvaluation(this, e);
  }

  modelChanged(): void {
    this.#draw.modelChanged();
    void this.#inside.refresh();
  }

  trainer(): Promise<TrainerClient> {
    return this.#worker.client();
  }

  ensureData(): Promise<void> {
    return this.#worker.ensureData();
  }

  #field(key: string): HTMLInputElement | HTMLSelectElement {
    return this.#form.field(key);
  }

  readForm(): TrainConfig | null {
    const config = this.#form.read(this.state.config);
    if (!config) return null;
    this.state = { ...this.state, config };
    writeUrlState(this.id, configToUrl(config, this.state.backend, this.state.digit));
    return config;
  }

  fillForm(c: TrainConfig): void {
    this.#form.fill(c);
    this.readForm();
    this.#render();
  }

  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    for (const [key, value] of saved) {
      if (key === 'backend') {
        if ((BACKEND_CHOICES as readonly string[]).includes(value)) {
          this.#field('backend').value = value;
          this.state = { ...this.state, backend: value as BackendName | 'auto' };
        }
      } else if (key === 'digit') {
        this.#field('digit').value = value;
        this.#digitFromField();
      } else if (this.#form.has(key)) {
        this.#form.setFromText(key, value);
      }
    }
    this.readForm();
  }

  /** Buttons, lines, bars, alerts and the summary follow the state. */
  #render(): void {
    this.#renderControls();
    this.#renderDisplay();
  }

  /** Progress, status lines and alert boxes, from `state.display` (view.ts derives the lines). */
  #renderDisplay(): void {
    for (const [line, text] of Object.entries(displayLines(this.state))) {
      const el = this.byId(line);
      if (el && el.textContent !== text) el.textContent = text;
    }
    const { progress, alerts } = this.state.display;
    for (const bar of ['data', 'train'] as const) {
      const el = this.byId<HTMLProgressElement>(`${bar}-progress`);
      if (el.value !== progress[bar]) el.value = progress[bar];
    }
    for (const [box, message] of Object.entries(alerts)) {
      const el = this.byId(box);
      if (!el) continue;
      if (el.textContent !== (message ?? '')) el.textContent = message ?? '';
      el.hidden = message === null;
    }
  }

  /** Buttons and the summary table. */
  #renderControls(): void {
    const { phase, modelPreset, config } = this.state;
    const busy = isBusy(phase);
    const enable = (action: string, on: boolean) =>
      this.querySelector(`[data-action="${action}"]`)?.setAttribute('aria-disabled', String(!on));
    enable('train', !busy);
    enable('continue', !busy && modelPreset !== null && modelPreset === config.preset && this.state.history !== null);
    enable('pause', phase === 'training');
    enable('resume', phase === 'paused');
    enable('stop', phase === 'training' || phase === 'paused');
    enable('save', !busy && modelPreset !== null);
    enable('export', !busy && modelPreset !== null);
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-action="exercise"]'))
      b.setAttribute('aria-disabled', String(busy));
    enable('scratch', !busy && !this.state.comparing);
    enable('scratch-stop', this.state.comparing);
    (this.#field('backend') as HTMLSelectElement).disabled = busy;
    const fromModel = this.state.summary.fromModel && modelPreset === config.preset;
    const rows = fromModel ? this.state.summary.rows : presetSummary(config.preset, config.dropout);
    const label = PRESETS.find((p) => p.name === config.preset)!.label;
    const html = renderSummaryTable(rows, `${label}: layers, output shapes and parameters`);
    const holder = this.byId('summary');
    if (holder.innerHTML !== html) holder.innerHTML = html;
    this.byId('summary-note').textContent = fromModel
      ? 'Read from the TensorFlow.js model that is in the worker now.'
      : 'Computed from the layer sizes by the course’s engine; once a model is built, the table comes from the TensorFlow.js model itself.';
  }

  #onInput(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (!field || field === 'backend' || field.startsWith('scratch-')) return;
    if (field === 'digit') {
      this.#digitFromField();
      return;
    }
    if (this.readForm()) {
      // The refusal to start is about settings that are fine now: it goes once the form reads cleanly.
      if (this.state.display.alerts['run-error'] === SETTINGS_MESSAGE) this.alert('run-error', null);
      this.#render();
    }
  }

  #onChange(e: Event): void {
    const target = e.target as HTMLElement;
    if (target.dataset['field'] === 'backend') void this.#switchBackend((target as HTMLSelectElement).value);
    else if (target.dataset['action'] === 'import') void this.#storage.importFiles(target as HTMLInputElement);
  }

  async #switchBackend(value: string): Promise<void> {
    if (!(BACKEND_CHOICES as readonly string[]).includes(value)) return;
    this.set({ backend: value as BackendName | 'auto' });
    this.readForm();
    this.alert('backend-error', null);
    if (!this.#worker.started || value === 'auto') return;
    try {
      const client = await this.trainer();
      const r = await client.request({ type: 'set-backend', backend: value as BackendName });
      const cores = this.state.workers?.cores ?? 1;
      this.set({ activeBackend: r.backend, backends: r.backends, workers: { used: r.workers, cores } });
      this.announce(`Switched to the ${r.backend} backend; the model's weights were kept.`);
    } catch (err) {
      this.alert('backend-error', messageOf(err));
    }
  }

  #digitFromField(): number | null {
    const input = this.#field('digit') as HTMLInputElement;
    const r = parseInteger(input.value, { name: 'the test digit number', min: 0, max: 9999 });
    setFieldError(input, r.ok ? null : r.message);
    if (!r.ok) return null;
    if (r.value !== this.state.digit) void this.#inside.showTest(r.value);
    writeUrlState(this.id, configToUrl(this.state.config, this.state.backend, r.value));
    return r.value;
  }

  #onClick(e: MouseEvent): void {
    const el = (e.target as HTMLElement).closest<HTMLElement>('button[data-action]');
    const action = el?.dataset['action'];
    if (!el || !action) return;
    if (el.getAttribute('aria-disabled') === 'true') {
      if (action === 'train' || action === 'continue' || action === 'exercise' || action === 'scratch') {
        const box = action === 'exercise' ? 'ex-error' : action === 'scratch' ? 'scratch-error' : 'run-error';
        if (isBusy(this.state.phase) || this.state.comparing) this.#training.refuse(box);
        else this.alert('run-error', 'There is no model to continue yet: train one first.');
      }
      return;
    }
    const jobs: Record<string, () => unknown> = {
      train: () => this.#training.start({ resume: false, tag: 'Your settings' }),
      continue: () => this.#training.start({ resume: true, tag: 'Your settings (continued)' }),
      pause: () => this.#training.pause(),
      resume: () => this.#training.resume(),
      stop: () => this.#training.stop(),
      save: () => this.#storage.save(),
      restore: () => this.#storage.restore(),
      export: () => this.#storage.exportFiles(),
      'reset-storage': () => this.#storage.reset(),
      predict: () => this.#draw.predictNow(),
      clear: () => this.#draw.clear(),
      'digit-prev': () => this.#stepDigit(-1),
      'digit-next': () => this.#stepDigit(1),
      'inspect-drawing': () => this.#inside.showDrawing(),
      exercise: () => this.#runExercise(el.dataset['run'] ?? ''),
      'clear-runs': () => {
        this.#runs.clear();
        this.announce('The comparison table is empty again.');
      },
      scratch: async () => (await this.#scratchController()).run(),
      'scratch-stop': () => this.#scratch?.stop(),
    };
    void jobs[action]?.();
  }

  /** The comparison loads Plot and its worker only when first used. */
  async #scratchController(): Promise<import('./scratch.ts').ScratchController> {
    const { ScratchController } = await import('./scratch.ts');
    this.#scratch ??= new ScratchController(this, this.#training);
    return this.#scratch;
  }

  #stepDigit(d: number): void {
    const input = this.#field('digit') as HTMLInputElement;
    input.value = String(Math.max(0, Math.min(9999, this.state.digit + d)));
    this.#digitFromField();
  }

  async #runExercise(ref: string): Promise<void> {
    const found = findRun(ref);
    if (!found) return;
    if (isBusy(this.state.phase)) return this.#training.refuse('ex-error');
    this.alert('ex-error', null);
    // The exercise sets the hyperparameters; the reader's choice of workers (an engine setting, as the backend) stays.
    const { workers } = this.state.config;
    this.fillForm(workers === undefined ? found.run.config : { ...found.run.config, workers });
    this.announce(`Loaded the settings of “${found.run.label}” into the form.`);
    this.byId('run-heading').scrollIntoView({ block: 'start', behavior: 'smooth' });
    await this.#training.start({ resume: false, tag: `${found.exercise.title}: ${found.run.label}`, box: 'ex-error' });
  }

  /**
   * After a restore or import: charts from the saved history at once, and the model is usable right away (drawings
   * need no data). The test results follow in the background, since they need MNIST loaded first.
   */
  async #afterLoad(history: TrainHistory | null): Promise<void> {
    if (history && history.losses.length > 0) await this.#training.drawCharts(history).catch(() => undefined);
    this.set({ phase: 'idle' });
    this.modelChanged();
    this.say('results-text', 'Testing the restored model on the test digits (MNIST loads first)…');
    try {
      await this.ensureData();
      const client = await this.trainer();
      const r = await client.request({ type: 'evaluate', maxMisclassified: 24 });
      await showEvaluation(this, r.evaluation);
    } catch (err) {
      this.say('results-text', `The restored model could not be tested: ${messageOf(err)}`);
    }
  }
}

export function defineLeNetLab(): void {
  if (!customElements.get('lenet-lab')) customElements.define('lenet-lab', LeNetLabElement);
}
