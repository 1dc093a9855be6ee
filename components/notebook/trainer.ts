/**
 * The capstone trainer once Train is pressed: two workers train the same network from the same seed, one with the
 * reader's functions and one with the course's, and the page draws both curves as progress arrives. Settings are
 * checked first; a bad one gets a message beside its field and nothing starts.
 */
import {
  CAPSTONE_DEFAULTS,
  CAPSTONE_LIMITS,
  type CapstonePoint,
  type CapstoneSettings,
} from '../../src/notebook/capstone.ts';
import type { Prerequisite } from '../../src/notebook/protocol.ts';
import { NotebookRunner, timeoutMessage, type JobResult } from '../../src/notebook/runner.ts';
import { exerciseKey, readNotebook, STORAGE_KEY } from '../../src/notebook/store.ts';
import { setFieldError } from '../internal/field-errors.ts';
import { esc } from '../internal/format.ts';
import { parseNumber } from '../internal/parse.ts';
import { spawnNotebookWorker } from './spawn.ts';

const CAPSTONE_ID = 'capstone-train-step';
/** Silence allowed between progress messages (a step of the reader's code that never returns is caught here). */
const TRAIN_LIMIT_MS = 15_000;

type Run = 'yours' | 'course';

interface RunState {
  points: CapstonePoint[];
  accuracy?: number;
  started: number;
}

class Trainer {
  private readonly runners: Record<Run, NotebookRunner> = {
    yours: new NotebookRunner(() => spawnNotebookWorker('convnotebook-capstone-yours')),
    course: new NotebookRunner(() => spawnNotebookWorker('convnotebook-capstone-course')),
  };
  private runs: Record<Run, RunState> = { yours: { points: [], started: 0 }, course: { points: [], started: 0 } };
  private training = false;
  private frame = 0;

  constructor(private readonly el: HTMLElement) {
    el.addEventListener('click', (e) => {
      const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
      if (action === 'train') void this.train();
      if (action === 'stop') this.stop();
    });
  }

  private part(role: string): HTMLElement {
    return this.el.querySelector<HTMLElement>(`[data-role="${role}"]`)!;
  }

  private say(text: string): void {
    this.part('status').textContent = text;
  }

  private message(text: string | null): void {
    const m = this.part('message');
    m.textContent = text ?? '';
    m.hidden = text === null;
  }

  /** Reads and checks the four fields; null (with messages beside the bad fields) if any is wrong. */
  private settings(): CapstoneSettings | null {
    const out: CapstoneSettings = { ...CAPSTONE_DEFAULTS };
    let ok = true;
    for (const key of ['images', 'epochs', 'lr', 'seed'] as const) {
      const input = this.el.querySelector<HTMLInputElement>(`[data-field="${key}"]`)!;
      const v = parseNumber(input.value);
      const [lo, hi] = CAPSTONE_LIMITS[key];
      const whole = key !== 'lr';
      let problem: string | null = null;
      if (input.value.trim() === '') problem = 'Enter a number.';
      else if (v === null || !Number.isFinite(v)) problem = `“${input.value.trim()}” is not a number.`;
      else if (whole && !Number.isInteger(v)) problem = 'Enter a whole number.';
      else if (v < lo || v > hi) problem = `Choose between ${lo} and ${hi.toLocaleString('en-US')}.`;
      setFieldError(input, problem);
      if (problem || v === null) ok = false;
      else out[key] = v;
    }
    return ok ? out : null;
  }

  /** For each piece: the reader's passed code, or the course's. */
  private prereqs(origin: 'reader' | 'course'): Prerequisite[] {
    const pieces = JSON.parse(this.el.dataset['pieces'] ?? '[]') as { fn: string; exercise: string }[];
    const data = readNotebook(localStorage.getItem(STORAGE_KEY));
    return pieces.map((p) => {
      const mine = origin === 'reader' ? data.cells[exerciseKey(p.exercise)]?.passedCode : undefined;
      return mine
        ? { exercise: p.exercise, fn: p.fn, source: mine, origin: 'yours' as const }
        : { exercise: p.exercise, fn: p.fn, source: '', origin: 'course' as const };
    });
  }

  private showPieces(prereqs: Prerequisite[]): void {
    for (const p of prereqs) {
      const li = this.el.querySelector<HTMLElement>(`[data-role="pieces"] li[data-fn="${p.fn}"]`);
      if (!li) continue;
      li.dataset['origin'] = p.origin;
      li.innerHTML = `<code>${esc(p.fn)}</code>: ${p.origin === 'yours' ? 'yours (it passed its exercise)' : 'the course’s (yours has not passed yet)'}`;
    }
  }

  private async train(): Promise<void> {
    if (this.training) return;
    const settings = this.settings();
    if (!settings) {
      this.message('Some settings need fixing first: see the messages beside the fields.');
      return;
    }
    const data = readNotebook(localStorage.getItem(STORAGE_KEY));
    const mine = data.cells[exerciseKey(CAPSTONE_ID)];
    const solution = this.el.dataset['solution'] ?? '';
    if (!mine?.code) {
      this.message(
        'Write trainStep in the capstone exercise above first (run it once so it is saved); until then only the course’s run has code to train.',
      );
      return;
    }
    this.message(
      mine.status === 'passed'
        ? null
        : 'Your trainStep has not passed its check yet: your curve may differ from the course’s, or stop with an error.',
    );
    const dataUrl = new URL(
      this.el.dataset['dataUrl'] ?? `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/mnist/`,
      location.href,
    ).href;
    const yours = this.prereqs('reader');
    this.showPieces(yours);
    this.training = true;
    this.setButtons();
    this.runs = {
      yours: { points: [], started: performance.now() },
      course: { points: [], started: performance.now() },
    };
    this.part('chart').hidden = false;
    this.part('results').hidden = false;
    this.say(
      `Training both runs on ${settings.images.toLocaleString('en-US')} images for ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'}…`,
    );
    const job = (run: Run, code: string, prereqs: Prerequisite[]) =>
      this.runners[run].submit(
        { type: 'train', cellId: `capstone-${run}`, code, prereqs, settings, dataUrl },
        { limitMs: TRAIN_LIMIT_MS, onProgress: (p) => this.progress(run, p) },
      );
    const [a, b] = await Promise.all([job('yours', mine.code, yours), job('course', solution, this.prereqs('course'))]);
    this.training = false;
    this.setButtons();
    this.say(`${this.verdict('Yours', a)} ${this.verdict('The course’s', b)}`);
  }

  private verdict(name: string, r: JobResult): string {
    if (r.type === 'cancelled') return `${name}: stopped.`;
    if (r.type === 'timeout') return `${name}: ${timeoutMessage(r.limitMs)}`;
    if (r.type === 'crashed') return `${name}: ${r.message}`;
    if (r.error) {
      const where =
        r.error.line !== undefined
          ? ` (line ${r.error.line} of ${r.error.cellId?.includes('capstone') ? 'the capstone code' : 'a function it calls'})`
          : '';
      return `${name} stopped with an error: ${r.error.message}${where}.`;
    }
    return `${name}: ${((r.accuracy ?? 0) * 100).toFixed(1)} % on the test digits after ${(r.ms / 1000).toFixed(1)} s.`;
  }

  private stop(): void {
    this.runners.yours.cancel();
    this.runners.course.cancel();
  }

  private setButtons(): void {
    this.el.querySelector<HTMLButtonElement>('[data-action="train"]')!.disabled = this.training;
    this.el.querySelector<HTMLButtonElement>('[data-action="stop"]')!.disabled = !this.training;
  }

  private progress(run: Run, p: CapstonePoint): void {
    const state = this.runs[run];
    state.points.push(p);
    if (p.accuracy !== undefined) state.accuracy = p.accuracy;
    const row = this.el.querySelector(`tr[data-run="${run}"]`)!;
    const cells = row.querySelectorAll('td');
    cells[0]!.textContent = `${p.step.toLocaleString('en-US')} of ${p.totalSteps.toLocaleString('en-US')}`;
    cells[1]!.textContent = p.loss.toFixed(3);
    cells[2]!.textContent = state.accuracy === undefined ? '–' : `${(state.accuracy * 100).toFixed(1)} %`;
    cells[3]!.textContent = `${((performance.now() - state.started) / 1000).toFixed(1)} s`;
    if (p.accuracy !== undefined) {
      this.say(
        `${run === 'yours' ? 'Yours' : 'The course’s'}: ${(p.accuracy * 100).toFixed(1)} % on the test digits after step ${p.step.toLocaleString('en-US')}.`,
      );
    }
    // One redraw per animation frame, however fast the points arrive.
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const W = 640;
    const H = 260;
    const m = { l: 48, r: 12, t: 12, b: 36 };
    const all = [...this.runs.yours.points, ...this.runs.course.points];
    if (all.length === 0) return;
    const xMax = all[0]!.totalSteps;
    const yMax = Math.max(0.5, Math.min(5, Math.max(...all.map((p) => p.loss)) * 1.1));
    const x = (s: number) => m.l + ((W - m.l - m.r) * s) / xMax;
    const y = (v: number) => m.t + (H - m.t - m.b) * (1 - Math.min(v, yMax) / yMax);
    const line = (run: Run) =>
      `<polyline class="${run}" fill="none" stroke-width="2" points="${this.runs[run].points.map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ')}"/>`;
    const ticks = [0, yMax / 2, yMax]
      .map((v) => `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`)
      .join('');
    const svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Training loss against steps for your run and the course's run">
      <line class="axis" x1="${m.l}" y1="${y(0)}" x2="${W - m.r}" y2="${y(0)}"/><line class="axis" x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${y(0)}"/>
      ${ticks}<text x="${m.l}" y="${H - 8}">0</text><text x="${W - m.r}" y="${H - 8}" text-anchor="end">${xMax.toLocaleString('en-US')} steps</text>
      <text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">step</text>
      ${line('course')}${line('yours')}</svg>`;
    this.part('svg').innerHTML = svg;
  }
}

export function goLiveTrainer(el: HTMLElement): void {
  const trainer = new Trainer(el);
  void trainer;
  el.querySelector<HTMLButtonElement>('[data-action="train"]')?.click();
}
