import { readUrlState, writeUrlState, copyShareLink } from '../internal/url-state.ts';
import { controlNote, renderGrids, renderReadout, describe, planesOf, type Planes } from './view.ts';
import {
  CHANNELS,
  ZOOM,
  channelsFromString,
  channelsToString,
  clampCursor,
  isView,
  type Channel,
  type PixelViewerState,
  type ViewerImage,
} from './state.ts';
import { primeTex, whenTex } from '../internal/katex-lazy.ts';

/**
 * <pixel-viewer>: behaviour over the server-rendered pixel grid. The pictures travel in the page as JSON
 * (a few tens of kilobytes), so switching images needs no network. One state object; the view re-renders from it.
 */
class PixelViewerElement extends HTMLElement {
  #state!: PixelViewerState;
  #images = new Map<string, ViewerImage>();
  #planes = new Map<string, Planes>();

  connectedCallback(): void {
    // The first state is server-rendered; KaTeX for the live formula loads once the reader comes near.
    primeTex(this);
    const data = this.querySelector<HTMLScriptElement>('script[type="application/json"]')?.textContent ?? '[]';
    for (const img of JSON.parse(data) as ViewerImage[]) this.#images.set(img.key, img);
    this.#state = JSON.parse(this.dataset['state'] ?? '{}') as PixelViewerState;
    this.#restoreFromUrl();
    this.addEventListener('change', (e) => this.#onChange(e));
    this.addEventListener('input', (e) => {
      if ((e.target as HTMLElement).dataset['field'] === 'zoom') this.#onChange(e);
    });
    this.addEventListener('click', (e) => this.#onClick(e));
    const grid = this.#grid();
    grid.addEventListener('keydown', (e) => this.#onKey(e));
    grid.addEventListener('pointermove', (e) => this.#onPointer(e, false));
    grid.addEventListener('pointerdown', (e) => this.#onPointer(e, true));
  }

  #grid(): HTMLElement {
    return this.querySelector<HTMLElement>('.pixel-grid')!;
  }

  #control<T extends HTMLElement = HTMLInputElement>(field: string): T {
    return this.querySelector<T>(`[data-field="${field}"]`)!;
  }

  #image(): ViewerImage {
    return this.#images.get(this.#state.image)!;
  }

  #planesOf(img: ViewerImage): Planes {
    let p = this.#planes.get(img.key);
    if (!p) {
      p = planesOf(img);
      this.#planes.set(img.key, p);
    }
    return p;
  }

  /** A shared link overrides the defaults; values that make no sense are ignored, never thrown. */
  #restoreFromUrl(): void {
    const saved = readUrlState(this.id);
    if (saved.size === 0) return;
    const image = saved.get('image');
    const view = saved.get('view');
    const ch = saved.get('ch');
    const zoom = Number(saved.get('zoom'));
    const next: PixelViewerState = { ...this.#state };
    if (image !== undefined && this.#images.has(image)) next.image = image;
    if (isView(view)) next.view = view;
    if (ch !== undefined && channelsToString(channelsFromString(ch)) !== '') next.on = channelsFromString(ch);
    if (Number.isInteger(zoom) && zoom >= ZOOM.min && zoom <= ZOOM.max) next.zoom = zoom;
    next.row = Number(saved.get('row') ?? next.row);
    next.col = Number(saved.get('col') ?? next.col);
    this.#state = clampCursor(next, this.#images.get(next.image)!);
    this.#syncControls();
    this.#render(true, true);
  }

  /** Puts every control in line with the state (after a link restored it). */
  #syncControls(): void {
    const s = this.#state;
    this.#control<HTMLSelectElement>('image').value = s.image;
    for (const radio of this.querySelectorAll<HTMLInputElement>('[data-field="view"]'))
      radio.checked = radio.value === s.view;
    for (const c of CHANNELS) this.#control(`ch-${c}`).checked = s.on[c];
    this.#control('zoom').value = String(s.zoom);
  }

  #onChange(e: Event): void {
    const field = (e.target as HTMLElement).dataset['field'];
    if (!field) return;
    const s = this.#state;
    const error = this.querySelector<HTMLElement>(`#${this.id}-channels-error`)!;
    if (field === 'image') {
      const key = this.#control<HTMLSelectElement>('image').value;
      if (!this.#images.has(key)) return;
      this.#state = clampCursor({ ...s, image: key }, this.#images.get(key)!);
    } else if (field === 'view') {
      const view = this.querySelector<HTMLInputElement>('[data-field="view"]:checked')?.value;
      if (!isView(view)) return;
      this.#state = { ...s, view };
    } else if (field.startsWith('ch-')) {
      const on = Object.fromEntries(CHANNELS.map((c) => [c, this.#control(`ch-${c}`).checked])) as Record<
        Channel,
        boolean
      >;
      if (!on.r && !on.g && !on.b) {
        // Nothing to show: explain, keep the last picture (the box stays unticked until another is ticked).
        error.textContent = 'Switch on at least one channel: with R, G and B all off there is no matrix to show.';
        error.hidden = false;
        return;
      }
      error.hidden = true;
      error.textContent = '';
      this.#state = { ...s, on };
    } else if (field === 'zoom') {
      const zoom = Number(this.#control('zoom').value);
      if (!Number.isInteger(zoom) || zoom < ZOOM.min || zoom > ZOOM.max) return;
      this.#state = { ...s, zoom };
    } else return;
    this.#render(true, true);
  }

  /** Redraws the pictures (only when something but the cursor changed) and the read-out, then announces. */
  /** Paints the new state; before KaTeX has loaded (the first change) it waits for it, see katex-lazy.ts. */
  #render(pictures: boolean, announce: boolean): void {
    whenTex(this, () => this.#paint(pictures, announce));
  }

  #paint(pictures: boolean, announce: boolean): void {
    const img = this.#image();
    const p = this.#planesOf(img);
    const s = this.#state;
    if (pictures) {
      this.#grid().innerHTML = renderGrids(s, img, p);
      const digit = img.channels === 1;
      for (const fs of this.querySelectorAll<HTMLFieldSetElement>('[data-photo-only]')) {
        fs.disabled = digit || (fs.dataset['photoOnly'] === 'channels' && s.view === 'gray');
      }
      const note = this.querySelector<HTMLElement>('[data-photo-note]')!;
      note.textContent = controlNote(s, img);
      note.hidden = note.textContent === '';
      this.querySelector('.zoom-value')!.textContent = `${s.zoom} px`;
      this.#control('zoom').setAttribute('aria-valuetext', `${s.zoom} px`);
      this.#grid().setAttribute('aria-label', `${img.name}: pixel grid. Arrow keys move the cursor.`);
    } else {
      for (const rect of this.#grid().querySelectorAll('rect.cursor')) {
        rect.setAttribute('x', String(s.col));
        rect.setAttribute('y', String(s.row));
      }
    }
    this.querySelector<HTMLElement>('.readout')!.innerHTML = renderReadout(s, img, p);
    if (announce) this.querySelector('.status')!.textContent = describe(s, img, p);
    writeUrlState(this.id, {
      image: s.image,
      view: s.view,
      ch: channelsToString(s.on),
      zoom: String(s.zoom),
      row: String(s.row),
      col: String(s.col),
    });
  }

  #moveTo(row: number, col: number): void {
    const next = clampCursor({ ...this.#state, row, col }, this.#image());
    if (next.row === this.#state.row && next.col === this.#state.col) return;
    this.#state = next;
    this.#render(false, true);
    this.#revealCursor();
  }

  /** A zoomed picture scrolls inside its box; keep the cursor in view as the arrow keys move it. */
  #revealCursor(): void {
    const grid = this.#grid();
    const cursor = grid.querySelector('rect.cursor');
    if (!cursor) return;
    const box = grid.getBoundingClientRect();
    const cell = cursor.getBoundingClientRect();
    const margin = cell.width;
    if (cell.left < box.left + margin) grid.scrollLeft -= box.left + margin - cell.left;
    else if (cell.right > box.right - margin) grid.scrollLeft += cell.right - (box.right - margin);
  }

  #onKey(e: KeyboardEvent): void {
    const { row, col } = this.#state;
    const img = this.#image();
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      ArrowLeft: [row, col - 1],
      ArrowRight: [row, col + 1],
      Home: [row, 0],
      End: [row, img.cols - 1],
      PageUp: [0, col],
      PageDown: [img.rows - 1, col],
    };
    const target = moves[e.key];
    if (!target) return;
    e.preventDefault();
    this.#moveTo(target[0], target[1]);
  }

  /** Hovering reads a pixel; pressing also focuses the grid so the arrow keys carry on from there. */
  #onPointer(e: PointerEvent, press: boolean): void {
    const svg = (e.target as Element).closest('svg.pixels');
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const img = this.#image();
    const col = Math.floor(((e.clientX - box.left) / box.width) * img.cols);
    const row = Math.floor(((e.clientY - box.top) / box.height) * img.rows);
    if (press) this.#grid().focus();
    this.#moveTo(row, col);
  }

  #onClick(e: MouseEvent): void {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset['action'];
    if (action === 'share') void this.#share();
  }

  #share(): Promise<void> {
    return copyShareLink(this, this.querySelector('.status')!, {
      copied: 'Link copied: it opens this viewer on the same picture and pixel.',
      shares: 'the current view',
    });
  }
}

export function definePixelViewer(): void {
  if (!customElements.get('pixel-viewer')) customElements.define('pixel-viewer', PixelViewerElement);
}
