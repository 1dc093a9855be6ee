import {
  type Evaluation,
  presetShort,
  type TrainConfig,
  type TrainHistory,
  type WorkerResponse,
} from '../../src/ml/index.ts';
import { codeOf, messageOf, type Lab } from './context.ts';
import { count, epochDoneText, lossText, runEndText, runTimingText, type RunTiming } from './lab-format.ts';
import { makeRecord, type RunRecord } from './runs.ts';
import { fieldOfError, isBusy } from './state.ts';
import { describeProgress } from './view.ts';
import { nextFrame } from '../internal/next-frame.ts';

/** Said when Train is pressed with a bad field; cleared as soon as the form reads cleanly again. */
export const SETTINGS_MESSAGE = 'Some settings need fixing first: see the messages beside the fields.';

/**
 * The loss chart is redrawn at most this often while training. A redraw (Plot, then layout and paint of the chapter)
 * took 20-45 ms of the main thread in a trace of a run, on a machine whose other core trains: at 400 ms these were
 * the page's longest tasks and now and then passed 50 ms. Once a second still shows the curve fall.
 */
const CHART_EVERY_MS = 1000;

/**
 * Runs training from the page's side: validates the form, starts the worker, loads the data, builds the model,
 * streams progress into the progress bar and the charts, and records the finished run. The heavy work is all in the
 * worker; this code only moves small messages and redraws throttled charts.
 */
export class TrainingController {
  private readonly lab: Lab;
  private readonly onRun: (r: RunRecord) => void;
  private chartTimer: number | null = null;
  /** Epochs the accuracy chart showed when last drawn during this run (-1: not yet drawn). */
  private liveEpochsDrawn = -1;
  /** The step the live run will end at (from its batch events), for the loss chart's axis. */
  private liveLastStep: number | undefined;
  private live: TrainHistory | null = null;
  /** The live run's progress so far, for the training bar's closing line; its first step tells this run's steps. */
  private timing: (Omit<RunTiming, 'workers'> & { firstStep: number }) | null = null;
  /** Stop was asked for before the worker began training (while it started, loaded MNIST or built the model). */
  private cancelled = false;
  private charts: typeof import('./charts.ts') | null = null;

  constructor(lab: Lab, onRun: (r: RunRecord) => void) {
    this.lab = lab;
    this.onRun = onRun;
  }

  /** Refuses a second run while one is going, with a message where the reader clicked. */
  refuse(box: string): void {
    this.lab.alert(
      box,
      'A training run is already going. Wait for it to finish, or stop it, before starting another one.',
    );
    this.lab.announce('A run is already going; the new one was not started.');
  }

  /**
   * Starts a run. `resume` keeps the current weights and history (Continue training); `tag` labels the run in the
   * comparison table.
   */
  async start(opts: {
    resume: boolean;
    tag: string;
    box?: string;
    /** Settings to use instead of the form's (the from-scratch comparison). */
    config?: TrainConfig;
    /** Sees every streamed event too. */
    listener?: (ev: WorkerResponse) => void;
  }): Promise<Evaluation | null> {
    const lab = this.lab;
    const box = opts.box ?? 'run-error';
    if (isBusy(lab.state.phase)) {
      this.refuse(box);
      return null;
    }
    lab.alert(box, null);
    lab.alert('run-error', null);
    const config = opts.config ?? lab.readForm();
    if (!config) {
      lab.alert(box, SETTINGS_MESSAGE);
      return null;
    }
    const resume = opts.resume && lab.state.modelPreset === config.preset && lab.state.history !== null;
    this.cancelled = false;
    lab.set({ phase: 'starting', runTag: opts.tag });
    // Load Plot while the worker starts and MNIST loads, so evaluating it does not stall the page mid-training.
    void import('./charts.ts').then((m) => (this.charts ??= m));
    try {
      // MNIST loads beside the engine's start-up (the worker answers both at once), not after it.
      const data = lab.ensureData();
      const client = await lab.trainer();
      lab.set({ phase: 'loading-data' });
      await data;
      if (!resume) {
        lab.set({ phase: 'building' });
        const m = await client.request({
          type: 'build',
          preset: config.preset,
          seed: config.seed,
          dropout: config.dropout,
        });
        lab.set({ modelPreset: m.preset, summary: { rows: m.summary, fromModel: true }, history: null });
      }
      if (this.cancelled) {
        lab.set({ phase: 'idle', runTag: null });
        lab.announce('Stopped before training began.');
        return null;
      }
      const before = resume ? lab.state.history! : null;
      this.live = {
        config,
        epochs: before ? [...before.epochs] : [],
        losses: before ? [...before.losses] : [],
        updatedAt: new Date().toISOString(),
      };
      const epochsBefore = this.live.epochs.length;
      this.liveEpochsDrawn = -1;
      this.liveLastStep = undefined;
      this.timing = null;
      lab.set({ phase: 'training' });
      lab.announce(
        `Training ${presetShort(config.preset)} on ${count(config.trainSubset)} images for ${config.epochs} ` +
          `${config.epochs === 1 ? 'epoch' : 'epochs'}${resume ? ', continuing from the current weights' : ''}.`,
      );
      this.setProgress(0, 'Starting…');
      const end = await client.request({ type: 'train', config, resume }, (ev) => {
        this.onEvent(ev);
        opts.listener?.(ev);
      });
      this.flushCharts();
      lab.set({ history: end.history });
      // The results are drawn piece by piece, one frame each, so the page never freezes when a run ends.
      await nextFrame();
      await this.drawCharts(end.history);
      await nextFrame();
      await lab.showEvaluation(end.evaluation);
      await nextFrame();
      const text = runEndText({
        reason: end.reason,
        records: end.history.epochs.slice(epochsBefore),
        before: before ? before.epochs.filter((r) => r.partial === undefined).length : 0,
        testAccuracy: end.evaluation.accuracy,
      });
      // The bar's line gives the run's size and time, the status line below it how it ended: not the same sentence twice.
      this.setProgress(end.reason === 'completed' ? 1 : null, runTimingText(this.closingTiming()));
      lab.announce(text);
      await nextFrame();
      this.onRun(makeRecord(0, opts.tag, end.history, end.reason, end.evaluation.accuracy, epochsBefore));
      await nextFrame();
      lab.set({ phase: 'idle', runTag: null });
      await nextFrame();
      lab.modelChanged();
      return end.evaluation;
    } catch (err) {
      const code = codeOf(err);
      const field = (err as { field?: string }).field;
      if (code === 'bad-config' && field) lab.fieldError(fieldOfError(field), messageOf(err));
      lab.alert(box, messageOf(err));
      lab.announce(`Training did not finish: ${messageOf(err)}`);
      lab.set({ phase: 'idle', runTag: null });
      return null;
    } finally {
      this.live = null;
    }
  }

  async pause(): Promise<void> {
    if (this.lab.state.phase !== 'training') return;
    await this.simple('pause', 'paused', 'Paused. Resume continues from the same batch; the page is idle meanwhile.');
  }

  async resume(): Promise<void> {
    if (this.lab.state.phase !== 'paused') return;
    await this.simple('resume', 'training', 'Resumed.');
  }

  async stop(): Promise<void> {
    const p = this.lab.state.phase;
    if (p === 'starting' || p === 'loading-data' || p === 'building') {
      // Nothing to stop in the worker yet: the run ends before its first batch (start() checks this).
      this.cancelled = true;
      return;
    }
    if (p !== 'training' && p !== 'paused') return;
    this.lab.set({ phase: 'stopping' });
    this.lab.announce('Stopping after the current batch, then testing the model as it is…');
    try {
      const client = await this.lab.trainer();
      await client.request({ type: 'stop' });
    } catch (err) {
      this.lab.alert('run-error', messageOf(err));
    }
  }

  private async simple(type: 'pause' | 'resume', phase: 'paused' | 'training', text: string): Promise<void> {
    try {
      const client = await this.lab.trainer();
      await client.request({ type });
      // A run may have ended meanwhile; only then keep the idle phase.
      if (this.lab.state.phase === 'training' || this.lab.state.phase === 'paused') {
        this.lab.set({ phase });
      }
      this.lab.announce(text);
    } catch (err) {
      this.lab.alert('run-error', messageOf(err));
    }
  }

  private onEvent(ev: WorkerResponse): void {
    const live = this.live;
    if (!live) return;
    if (ev.type === 'batch') {
      live.losses.push(ev.point);
      const firstStep = this.timing?.firstStep ?? ev.point.step;
      this.timing = {
        firstStep,
        steps: ev.point.step - firstStep + 1,
        helperSteps: ev.helperSteps,
        imagesSeen: ev.imagesSeen,
        elapsedMs: ev.elapsedMs,
      };
      // The step the run will end at, for the live loss chart's axis (partial batches can add a step per epoch).
      this.liveLastStep = ev.point.step + Math.ceil((ev.imagesTotal - ev.imagesSeen) / live.config.batchSize);
      const frac = ev.imagesTotal > 0 ? ev.imagesSeen / ev.imagesTotal : 0;
      this.setProgress(frac, `${describeProgress(ev)} · loss ${lossText(ev.point.loss)}`);
      // A run started with another Workers setting than the last trains on another count: the engine line follows.
      const w = this.lab.state.workers;
      if (w && w.used !== ev.workers) this.lab.set({ workers: { used: ev.workers, cores: w.cores } });
      this.scheduleCharts();
    } else if (ev.type === 'epoch') {
      live.epochs.push(ev.record);
      this.lab.announce(epochDoneText(ev.record));
      this.scheduleCharts();
    } else if (ev.type === 'backend-switch') {
      this.lab.set({ activeBackend: ev.to });
      this.lab.announce(
        `The ${ev.from} backend failed (${ev.reason}); training continues on ${ev.to} with the same weights.`,
      );
    } else if (ev.type === 'helper-lost') {
      const cores = this.lab.state.workers?.cores ?? ev.workers;
      this.lab.set({ workers: { used: ev.workers, cores } });
      const text =
        `Helper worker ${ev.index} stopped (${ev.reason}). Training goes on from the same weights with ` +
        `${ev.workers} ${ev.workers === 1 ? 'worker' : 'workers'}; the numbers are the same, only slower.`;
      this.lab.alert('run-error', text);
      this.lab.announce(text);
    }
  }

  /** The run's timing for its closing line, on the workers it used; null when no batch was reported. */
  private closingTiming(): RunTiming | null {
    return this.timing && { ...this.timing, workers: this.lab.state.workers?.used ?? 1 };
  }

  /** The training bar (left where it is when `frac` is null) and its line; "Paused · " is the view's to add. */
  private setProgress(frac: number | null, text: string): void {
    if (frac !== null) this.lab.setProgress('train', frac);
    this.lab.say('train-text', text);
  }

  private scheduleCharts(): void {
    if (this.chartTimer !== null) return;
    this.chartTimer = window.setTimeout(() => {
      this.chartTimer = null;
      const live = this.live;
      if (!live) return;
      // The accuracy chart changes only when an epoch ends: redraw it then, not with every loss update.
      const epochs = live.epochs.length;
      void this.drawCharts(live, epochs !== this.liveEpochsDrawn, this.liveLastStep);
      this.liveEpochsDrawn = epochs;
    }, CHART_EVERY_MS);
  }

  private flushCharts(): void {
    if (this.chartTimer !== null) window.clearTimeout(this.chartTimer);
    this.chartTimer = null;
  }

  /**
   * Draws the charts from a history (live, finished or restored); the accuracy chart unless told not to. A live run
   * passes the step it ends at: its loss line then grows in place between redraws (charts.ts updateLoss).
   */
  async drawCharts(history: TrainHistory, accuracy = true, lastStep?: number): Promise<void> {
    this.charts ??= await import('./charts.ts');
    const holder = this.lab.byId('loss-chart');
    if (lastStep === undefined || !this.charts.updateLoss(holder, history.losses)) {
      this.charts.renderLoss(holder, history.losses, lastStep);
    }
    if (!accuracy) return;
    await nextFrame();
    this.charts.renderAccuracy(this.lab.byId('acc-chart'), history);
  }
}
