import type { ImageSource, LayerActivation } from '../../src/ml/index.ts';
import { esc } from '../internal/format.ts';
import { codeOf, messageOf, type Lab } from './context.ts';
import { pct } from './lab-format.ts';
import { channelOf, imageCanvas } from './pixels.ts';
import { topK } from './view.ts';
import { nextFrame } from '../internal/next-frame.ts';

/** Layers whose activations repeat another's (flatten) or are identity at inference (dropout) are not shown. */
const SKIP = /^(flatten|.*_dropout)$/;

/** Zoom so a map is about 56 CSS pixels wide, at least 2 px per value. */
const zoomFor = (side: number) => Math.max(2, Math.round(56 / side));

/**
 * "Inside the model": sends a test digit (or the drawing) to the worker, gets every layer's activations back, and
 * draws each layer's feature maps; also draws the first conv layer's kernels.
 */
export class InsideController {
  private readonly lab: Lab;
  /** The last drawing, so "Use my drawing" can be pressed after drawing. */
  drawing: Float32Array | null = null;
  private source: 'test' | 'drawing' = 'test';
  private pending = false;
  private again = false;

  constructor(lab: Lab) {
    this.lab = lab;
  }

  /** Shows the current source (test digit or drawing) through the current model; quietly waits for a model. */
  async refresh(): Promise<void> {
    if (!this.lab.state.modelPreset) return;
    if (this.source === 'test') {
      // Test digits need MNIST in the worker; wait for it outside the one-at-a-time lock, so a drawing can go first.
      this.status('Loading MNIST to show the test digit…');
      try {
        await this.lab.ensureData();
      } catch (err) {
        this.status(messageOf(err));
        return;
      }
      if (this.source !== 'test') return;
    }
    if (this.pending) {
      // One request at a time; the latest choice runs when the current one is done.
      this.again = true;
      return;
    }
    const source: ImageSource =
      this.source === 'drawing' && this.drawing
        ? { pixels: this.drawing.slice() }
        : { testIndex: this.lab.state.digit };
    const what = 'pixels' in source ? 'your drawing' : `test digit ${source.testIndex}`;
    this.pending = true;
    try {
      const client = await this.lab.trainer();
      const r = await client.request({ type: 'inspect', source });
      await this.render(r.input, r.layers);
      const best = topK(r.probs, 1)[0]!;
      this.status(`Feature maps of ${what}: the model says ${best.digit} (${pct(best.p, 1)}).`);
      await this.kernels();
    } catch (err) {
      this.status(codeOf(err) === 'busy' ? 'The engine is busy; try again in a moment.' : messageOf(err));
    } finally {
      this.pending = false;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    }
  }

  /** Switches to test digit `n` (already validated) and shows it. */
  async showTest(n: number): Promise<void> {
    this.source = 'test';
    this.lab.set({ digit: n });
    await this.refresh();
  }

  /** Switches to the drawing, or explains what is missing. */
  async showDrawing(): Promise<void> {
    if (!this.drawing) {
      this.status('Draw a digit first (in “Draw a digit” below), then press “Use my drawing”.');
      return;
    }
    if (!this.lab.state.modelPreset) {
      this.status('Train or restore a model first; then your drawing can go through it.');
      return;
    }
    this.source = 'drawing';
    await this.refresh();
  }

  private status(text: string): void {
    this.lab.say('inside-status', text);
  }

  /**
   * Draws every layer's maps (about 50 canvases for LeNet-5), one layer per frame: all at once took 40-75 ms of one
   * task when a run ended (bench long-animation frames, 2026-12-06). The rows replace the old ones together, so the
   * section never shows half a model or changes height twice.
   */
  private async render(input: Float32Array, layers: LayerActivation[]): Promise<void> {
    const rows: HTMLElement[] = [
      row('input', '28 × 28', [imageCanvas(input, 28, 28, { label: 'The input image', zoom: 2, max: 1 })]),
    ];
    for (const l of layers) {
      if (SKIP.test(l.layer)) continue;
      await nextFrame();
      rows.push(layerRow(l));
    }
    this.lab.byId('inside').replaceChildren(...rows);
  }

  private async kernels(): Promise<void> {
    const holder = this.lab.byId('kernels');
    try {
      const client = await this.lab.trainer();
      const k = await client.request({ type: 'kernels' });
      const [kh, kw, cin, filters] = k.shape as [number, number, number, number];
      if (!kh || !filters) throw new Error('no kernels');
      const max = k.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const canvases: HTMLElement[] = [];
      for (let f = 0; f < filters; f++) {
        // [kh, kw, cin, filters]: the first input channel of filter f (MNIST has one channel).
        const values = new Float32Array(kh * kw);
        for (let i = 0; i < kh * kw; i++) values[i] = k.data[i * cin * filters + f]!;
        canvases.push(
          figure(
            imageCanvas(values, kw, kh, {
              label: `Kernel ${f + 1}, ${kh}×${kw}`,
              zoom: Math.round(48 / kw),
              mode: 'diverging',
              max,
            }),
            `${f + 1}`,
          ),
        );
      }
      holder.replaceChildren(...canvases);
    } catch {
      holder.innerHTML =
        '<p class="placeholder">This model has no convolution layer, so there are no kernels to show: an MLP looks at all 784 pixels at once.</p>';
    }
  }
}

function figure(canvas: HTMLCanvasElement, caption: string): HTMLElement {
  const f = document.createElement('figure');
  f.className = 'map';
  const c = document.createElement('figcaption');
  c.textContent = caption;
  f.append(canvas, c);
  return f;
}

function row(name: string, shape: string, items: HTMLElement[]): HTMLElement {
  const div = document.createElement('div');
  div.className = 'layer-row';
  div.innerHTML = `<p class="layer-name"><code>${esc(name)}</code> <span>${esc(shape)}</span></p>`;
  const maps = document.createElement('div');
  maps.className = 'maps';
  maps.append(...items);
  div.append(maps);
  return div;
}

function layerRow(l: LayerActivation): HTMLElement {
  const shape = l.shape.join(' × ');
  let lo = 0;
  let hi = 0;
  for (const v of l.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const mode = lo < 0 ? 'diverging' : 'ink';
  const max = Math.max(hi, -lo);
  if (l.shape.length === 3) {
    const [h, w, c] = l.shape as [number, number, number];
    const maps = Array.from({ length: c }, (_, k) =>
      figure(
        imageCanvas(channelOf(l.data, h, w, c, k), w, h, {
          label: `${l.layer} map ${k + 1}`,
          zoom: zoomFor(w),
          mode,
          max,
        }),
        `${k + 1}`,
      ),
    );
    return row(l.layer, shape, maps);
  }
  if (l.layer === 'softmax') {
    const list = document.createElement('ol');
    list.className = 'probs';
    list.start = 0;
    list.innerHTML = Array.from(l.data)
      .map(
        (p, d) =>
          `<li><span class="digit">${d}</span><span class="bar" style="--p:${p.toFixed(4)}"></span><span class="p">${pct(p, 1)}</span></li>`,
      )
      .join('');
    return row(l.layer, shape, [list]);
  }
  // A dense layer: one strip, a cell per unit.
  const n = l.data.length;
  const strip = imageCanvas(l.data, n, 1, {
    label: `${l.layer}: ${n} values`,
    zoom: Math.max(2, Math.floor(240 / n)),
    mode,
    max,
  });
  strip.classList.add('strip');
  strip.style.height = '14px';
  return row(l.layer, shape, [strip]);
}
