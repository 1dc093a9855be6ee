import * as Plot from '@observablehq/plot';
import { createScratchTrainer, type ScratchClient } from '../../src/ml/client.ts';
import type { LossPoint, ScratchConfig } from '../../src/ml/index.ts';
import { plotElement } from '../internal/plot-svg.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { parseInteger } from '../internal/parse.ts';
import { messageOf, type Lab } from './context.ts';
import { count, lossText, pct } from './lab-format.ts';
import type { TrainingController } from './training.ts';
import { besideEngineConfig } from './state.ts';

type Engine = 'engine (src/lib)' | 'TensorFlow.js';
interface Point {
  step: number;
  loss: number;
  engine: Engine;
}
/**
 * "From scratch beside TF.js": the course's own engine (float64 TypeScript, the code of the backprop chapter) trains
 * LeNet-5 in its own worker while TF.js trains the same network on the same images in the same order; both loss
 * curves share one chart. The initial weights differ (He in the engine, Glorot in TF.js), so the curves are close,
 * not identical.
 */
export class ScratchController {
  private readonly lab: Lab;
  private readonly training: TrainingController;
  private client: ScratchClient | null = null;
  private points: Point[] = [];
  private running = false;
  private timer: number | null = null;

  constructor(lab: Lab, training: TrainingController) {
    this.lab = lab;
    this.training = training;
  }

  private read(key: string, name: string, min: number, max: number): number | null {
    const input = this.lab.byId<HTMLInputElement>(key);
    const r = parseInteger(input.value, { name, min, max });
    setFieldError(input, r.ok ? null : r.message);
    return r.ok ? r.value : null;
  }

  async run(): Promise<void> {
    if (this.running) return this.training.refuse('scratch-error');
    const n = this.read('scratch-train', 'the number of training images', 100, 10000);
    const tests = this.read('scratch-test', 'the number of test images', 100, 10000);
    const epochs = this.read('scratch-epochs', 'the number of epochs', 1, 5);
    const form = this.lab.readForm();
    if (n === null || tests === null || epochs === null || !form) {
      this.lab.alert('scratch-error', 'Fix the highlighted settings first (here or in the form above).');
      return;
    }
    if (this.lab.state.phase !== 'idle') return this.training.refuse('scratch-error');
    this.lab.alert('scratch-error', null);
    const tf = besideEngineConfig(form, n, epochs);
    const sc: ScratchConfig = {
      trainSubset: n,
      testSubset: tests,
      epochs,
      batchSize: form.batchSize,
      learningRate: form.learningRate,
      seed: form.seed,
    };
    this.points = [];
    this.running = true;
    this.lab.set({ comparing: true });
    const speed: Record<Engine, number> = { 'engine (src/lib)': 0, 'TensorFlow.js': 0 };
    const say = (t: string) => this.lab.say('scratch-status', t);
    try {
      say('Loading MNIST, then starting both engines…');
      await this.lab.ensureData();
      this.client ??= createScratchTrainer();
      const scratch = this.client.train(sc, (ev) => {
        if (ev.type !== 'batch') return;
        this.add(ev.point, 'engine (src/lib)');
        speed['engine (src/lib)'] = ev.imagesPerSec;
        say(
          `Engine: ${count(ev.imagesSeen)} of ${count(ev.imagesTotal)} images at ${count(ev.imagesPerSec)} images/s; ` +
            `TensorFlow.js at ${count(speed['TensorFlow.js'])} images/s.`,
        );
      });
      const tfRun = this.training.start({
        resume: false,
        tag: 'Beside the engine: TensorFlow.js',
        box: 'scratch-error',
        config: tf,
        listener: (ev) => {
          if (ev.type !== 'batch') return;
          this.add(ev.point, 'TensorFlow.js');
          speed['TensorFlow.js'] = ev.imagesPerSec;
        },
      });
      const [s, evaluation] = await Promise.all([scratch, tfRun]);
      this.draw();
      if (!evaluation) {
        // The TF.js run refused or failed; its reason is in the box above the chart.
        const why = this.lab.state.display.alerts['scratch-error'] ?? 'TensorFlow.js did not train.';
        say(`The comparison did not finish: ${why}`);
        return;
      }
      const engineAcc = s.testAccuracy;
      say(
        `${s.reason === 'stopped' ? 'Both stopped' : 'Both done'}. Test accuracy: engine ${pct(engineAcc)} on the first ${count(tests)} test digits, ` +
          `TensorFlow.js ${evaluation ? pct(evaluation.accuracy) : '—'} on all of them. Speed: engine ` +
          `${count(speed['engine (src/lib)'])} images/s, TensorFlow.js ${count(speed['TensorFlow.js'])} images/s.`,
      );
    } catch (err) {
      // One side failed: stop the other, and say why where the status is read. The engine's worker is replaced
      // next time, since a worker that died (or never loaded) would not answer again.
      this.client?.terminate();
      this.client = null;
      void this.training.stop();
      this.lab.alert('scratch-error', messageOf(err));
      say(`The comparison did not finish: ${messageOf(err)}`);
    } finally {
      this.running = false;
      this.lab.set({ comparing: false });
    }
  }

  async stop(): Promise<void> {
    if (!this.running || !this.client) return;
    this.client.stop();
    await this.training.stop();
  }

  private add(p: LossPoint, engine: Engine): void {
    if (Number.isFinite(p.loss)) this.points.push({ step: p.step, loss: p.loss, engine });
    if (this.timer === null) {
      this.timer = window.setTimeout(() => {
        this.timer = null;
        this.draw();
      }, 400);
    }
  }

  private draw(): void {
    if (this.points.length === 0) return;
    const holder = this.lab.byId('scratch-chart');
    const last = (e: Engine) => this.points.filter((p) => p.engine === e).at(-1);
    const a = last('engine (src/lib)');
    const b = last('TensorFlow.js');
    const label =
      `Batch loss of both engines: engine ${a ? `${lossText(a.loss)} after ${a.step} batches` : 'not started'}, ` +
      `TensorFlow.js ${b ? `${lossText(b.loss)} after ${b.step} batches` : 'not started'}.`;
    const chart = plotElement(
      {
        width: Math.max(280, Math.min(640, holder.clientWidth || 560)),
        height: 220,
        marginLeft: 44,
        style: { background: 'transparent', color: 'currentColor' },
        x: { label: 'batches →' },
        y: {
          label: '↑ batch loss (mean of the last 8)',
          grid: true,
          domain: [0, Math.max(0.5, ...this.points.map((p) => p.loss))],
        },
        color: { domain: ['engine (src/lib)', 'TensorFlow.js'], range: ['var(--neg)', 'var(--accent)'] },
        marks: [
          Plot.line(
            this.points,
            Plot.windowY({ k: 8, anchor: 'end' }, { x: 'step', y: 'loss', stroke: 'engine', strokeWidth: 1.8 }),
          ),
          Plot.ruleY([0]),
        ],
      },
      label,
    );
    const legend = document.createElement('p');
    legend.className = 'legend';
    legend.setAttribute('aria-hidden', 'true');
    legend.innerHTML =
      '<span><i style="background:var(--neg)"></i>engine (src/lib)</span><span><i style="background:var(--accent)"></i>TensorFlow.js</span>';
    holder.replaceChildren(legend, chart);
  }
}
