import type { InkRaster } from '../../src/lib/index.ts';

/** Brush width in canvas pixels on the 280x280 pad: about a tenth of the side, like a pen stroke on MNIST's forms. */
const BRUSH = 20;
/** The keyboard cursor moves on a grid of brush-sized cells: 14 x 14 on the 280-pixel pad. */
const CELLS = 14;

/**
 * A drawing pad on a <canvas>: mouse, touch and pen through pointer events (one pointer at a time, coalesced events
 * for smooth fast strokes). Ink goes on a transparent canvas, so the alpha channel is the ink raster.
 */
export class DrawPad {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private active: number | null = null;
  private last: { x: number; y: number } | null = null;
  private inked = false;
  private readonly onChange: (final: boolean) => void;
  private readonly onCursor: (text: string) => void;
  /** The keyboard cursor, in cells; shown by the element right after the canvas (`.pad-cursor`). */
  private cursor = { row: 7, col: 7 };

  /**
   * @param onChange called while drawing (final false) and when a stroke ends or the pad is cleared (final true).
   * @param onCursor told where the keyboard cursor is after each key, for the status line.
   */
  constructor(canvas: HTMLCanvasElement, onChange: (final: boolean) => void, onCursor: (text: string) => void) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.onCursor = onCursor;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
    canvas.addEventListener('keydown', (e) => this.key(e));
    this.showCursor();
  }

  /**
   * The keyboard path: arrows move the cursor, Shift + arrow draws a line as it moves, Space or Enter inks the
   * cursor's cell, Delete or Backspace rubs it out.
   */
  private key(e: KeyboardEvent): void {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const from = this.centre();
    const move = moves[e.key];
    if (move) {
      this.cursor = {
        row: Math.max(0, Math.min(CELLS - 1, this.cursor.row + move[0])),
        col: Math.max(0, Math.min(CELLS - 1, this.cursor.col + move[1])),
      };
      if (e.shiftKey) this.stroke(from, this.centre());
    } else if (e.key === ' ' || e.key === 'Enter') {
      this.stroke(from, from);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      const side = this.canvas.width / CELLS;
      this.ctx.clearRect(this.cursor.col * side, this.cursor.row * side, side, side);
      this.inked = this.raster().data.some((a) => a > 0);
    } else return;
    e.preventDefault();
    this.showCursor();
    const { row, col } = this.cursor;
    this.onCursor(`Cursor at row ${row + 1}, column ${col + 1} of ${CELLS}${this.inkAtCursor() ? ', on ink' : ''}.`);
    if (move && !e.shiftKey) return;
    this.onChange(true);
  }

  private centre(): { x: number; y: number } {
    const side = this.canvas.width / CELLS;
    return { x: (this.cursor.col + 0.5) * side, y: (this.cursor.row + 0.5) * side };
  }

  private inkAtCursor(): boolean {
    const { x, y } = this.centre();
    return this.ctx.getImageData(Math.floor(x), Math.floor(y), 1, 1).data[3]! > 0;
  }

  /** Places the cursor square (the element after the canvas) over the cursor's cell. */
  private showCursor(): void {
    const box = this.canvas.nextElementSibling as HTMLElement | null;
    if (!box?.classList.contains('pad-cursor')) return;
    box.style.left = `${(100 * this.cursor.col) / CELLS}%`;
    box.style.top = `${(100 * this.cursor.row) / CELLS}%`;
    box.style.width = box.style.height = `${100 / CELLS}%`;
  }

  get isBlank(): boolean {
    return !this.inked;
  }

  clear(): void {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
    this.onChange(true);
  }

  /** The ink as a raster: the canvas's alpha channel, 0..255. */
  raster(): InkRaster {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const data = new Uint8ClampedArray(width * height);
    for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4 + 3]!;
    return { width, height, data };
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) / r.width) * this.canvas.width,
      y: ((e.clientY - r.top) / r.height) * this.canvas.height,
    };
  }

  private down(e: PointerEvent): void {
    if (this.active !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.active = e.pointerId;
    this.canvas.setPointerCapture?.(e.pointerId);
    const p = this.point(e);
    this.last = p;
    this.stroke(p, p);
  }

  private move(e: PointerEvent): void {
    if (e.pointerId !== this.active || !this.last) return;
    e.preventDefault();
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length > 0 ? events : [e]) {
      const p = this.point(ev);
      this.stroke(this.last, p);
      this.last = p;
    }
    this.onChange(false);
  }

  private up(e: PointerEvent): void {
    if (e.pointerId !== this.active) return;
    this.active = null;
    this.last = null;
    this.onChange(true);
  }

  private stroke(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const ctx = this.ctx;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    // A tap draws a dot: a zero-length round-capped line.
    ctx.lineTo(b.x + (a.x === b.x && a.y === b.y ? 0.01 : 0), b.y);
    ctx.stroke();
    this.inked = true;
  }
}
