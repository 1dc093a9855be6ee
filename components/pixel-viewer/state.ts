/** One picture the viewer can show: whole numbers 0-255, row by row, each pixel's channels together (HWC). */
export interface ViewerImage {
  /** Stable key used in the URL: "digit-0" … "digit-19" or "photo". */
  key: string;
  /** What the picker shows ("Digit 7 (MNIST test image 0)"). */
  name: string;
  /** Short name for announcements ("the digit 7", "the photo"). */
  short: string;
  rows: number;
  cols: number;
  channels: 1 | 3;
  /** Row-major values, shape [rows, cols, channels]. */
  pixels: number[];
}

/** How a colour photo is drawn: as one colour image, as its three channel matrices, or converted to gray. */
export type PhotoView = 'colour' | 'channels' | 'gray';
export const VIEWS: readonly PhotoView[] = ['colour', 'channels', 'gray'];
export const VIEW_LABELS: Record<PhotoView, string> = {
  colour: 'Colour (R, G, B stacked)',
  channels: 'Three channel matrices',
  gray: 'Grayscale (computed)',
};

export type Channel = 'r' | 'g' | 'b';
export const CHANNELS: readonly Channel[] = ['r', 'g', 'b'];
export const CHANNEL_NAMES: Record<Channel, string> = { r: 'red', g: 'green', b: 'blue' };

/** Everything the viewer shows, serializable to the URL. */
export interface PixelViewerState {
  image: string;
  view: PhotoView;
  /** Channels switched on (a switched-off channel counts as 0 in the colour view and is hidden as a matrix). */
  on: Record<Channel, boolean>;
  /** Size of one pixel on screen, in CSS pixels. */
  zoom: number;
  /** The cursor: the pixel whose numbers are read out. */
  row: number;
  col: number;
}

// Numbers are drawn at 12 px (the course's floor for text) whatever the zoom; three digits of that need a 28-px cell.
export const ZOOM = { min: 4, max: 40, initial: 9, numbersFrom: 28 } as const;
/** Side of the square of numbers shown around the cursor. */
export const NEIGHBOURHOOD = 5;

export function isView(s: string | undefined): s is PhotoView {
  return s !== undefined && (VIEWS as readonly string[]).includes(s);
}

/** "rgb", "rb", … for the URL. */
export function channelsToString(on: Record<Channel, boolean>): string {
  return CHANNELS.filter((c) => on[c]).join('');
}

/** Reads "rgb"/"gb"/… back; unknown letters are ignored, so a mangled link still opens. */
export function channelsFromString(s: string): Record<Channel, boolean> {
  return { r: s.includes('r'), g: s.includes('g'), b: s.includes('b') };
}

/** Keeps the cursor inside the picture (after a switch to a smaller image or a bad link). */
export function clampCursor(state: PixelViewerState, img: ViewerImage): PixelViewerState {
  const row = Math.max(0, Math.min(img.rows - 1, Math.trunc(state.row) || 0));
  const col = Math.max(0, Math.min(img.cols - 1, Math.trunc(state.col) || 0));
  return { ...state, row, col };
}
