import { downsampleRaw, EngineError, preprocessDigit } from '../../src/lib/index.ts';
import { codeOf, messageOf, type Lab } from './context.ts';
import { DrawPad } from './draw-pad.ts';
import { pct } from './lab-format.ts';
import { imageCanvas } from './pixels.ts';
import { renderTop3, topK } from './view.ts';

/** While the pen moves, predict at most this often. */
const LIVE_EVERY_MS = 200;

/**
 * The draw-a-digit section: the pad, the MNIST-style preprocessing (src/lib, on the page: no TF.js needed to see
 * the 28x28 image), and predictions from the worker for the preprocessed and for the naively resized image.
 */
export class DrawController {
  private readonly lab: Lab;
  private readonly pad: DrawPad;
  private readonly onDrawing: (pixels: Float32Array | null) => void;
  private lastLive = 0;
  private inFlight = false;
  private again = false;

  /** @param onDrawing receives each new preprocessed drawing (null when cleared), e.g. for "inside the model" */
  constructor(lab: Lab, onDrawing: (pixels: Float32Array | null) => void) {
    this.lab = lab;
    this.onDrawing = onDrawing;
    this.pad = new DrawPad(
      lab.byId<HTMLCanvasElement>('pad'),
      (final) => this.changed(final),
      (text) => this.status(text),
    );
  }

  clear(): void {
    this.pad.clear();
  }

  /** The Predict button: a blank pad gets "draw a digit first", never a prediction. */
  async predictNow(): Promise<void> {
    if (this.pad.isBlank) {
      this.lab.alert('draw-error', 'Draw a digit first: the drawing area is empty.');
      this.status('Draw a digit first.');
      return;
    }
    await this.update();
  }

  /** A model appeared: predict the current drawing, if any. */
  modelChanged(): void {
    if (!this.pad.isBlank) void this.update();
  }

  private changed(final: boolean): void {
    if (this.pad.isBlank) {
      this.lab.byId('seen').innerHTML = '<span class="placeholder">Nothing drawn yet.</span>';
      this.lab.byId('raw').innerHTML = '<span class="placeholder">—</span>';
      this.lab.byId('top3').innerHTML = '';
      this.lab.say('raw-text', '');
      this.onDrawing(null);
      this.status('Cleared. Draw a digit.');
      return;
    }
    const now = performance.now();
    if (!final && now - this.lastLive < LIVE_EVERY_MS) return;
    this.lastLive = now;
    void this.update();
  }

  private status(text: string): void {
    this.lab.say('draw-status', text);
  }

  /** Preprocesses the drawing, shows it, and asks the model when there is one (one request at a time). */
  private async update(): Promise<void> {
    let pixels: Float32Array;
    let raw: Float32Array;
    try {
      const raster = this.pad.raster();
      pixels = Float32Array.from(preprocessDigit(raster).pixels);
      raw = Float32Array.from(downsampleRaw(raster));
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      this.lab.alert('draw-error', err.message);
      return;
    }
    this.lab.alert('draw-error', null);
    this.lab
      .byId('seen')
      .replaceChildren(
        imageCanvas(pixels, 28, 28, { label: 'Your digit as the model sees it, 28 by 28', zoom: 4, max: 1 }),
      );
    this.lab
      .byId('raw')
      .replaceChildren(imageCanvas(raw, 28, 28, { label: 'Your drawing simply shrunk to 28 by 28', zoom: 2, max: 1 }));
    this.onDrawing(pixels);
    if (!this.lab.state.modelPreset) {
      this.status('This is what the model would see. Train or restore a model to get a prediction.');
      return;
    }
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      const client = await this.lab.trainer();
      const [p, q] = await Promise.all([
        client.request({ type: 'predict', source: { pixels } }),
        client.request({ type: 'predict', source: { pixels: raw } }),
      ]);
      this.lab.byId('top3').innerHTML = renderTop3(p.probs);
      const [a, b, c] = topK(p.probs, 3);
      const rawBest = topK(q.probs, 1)[0]!;
      this.lab.say('raw-text', `The model would say ${rawBest.digit} (${pct(rawBest.p, 1)}) to this one.`);
      this.status(
        `The model reads your drawing as ${a!.digit} (${pct(a!.p, 1)}), then ${b!.digit} (${pct(b!.p, 1)}), ` +
          `then ${c!.digit} (${pct(c!.p, 1)}).`,
      );
    } catch (err) {
      this.status(
        codeOf(err) === 'busy' ? 'The engine is busy; the prediction will update when it is free.' : messageOf(err),
      );
    } finally {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        void this.update();
      }
    }
  }
}
