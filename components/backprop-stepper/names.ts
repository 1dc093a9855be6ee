import type { TinyCell, TinyValue } from '../../src/lib/index.ts';

/** Display shape of each value of the tiny CNN (channel axis dropped; vectors as one row). */
export const DIMS: Record<TinyValue, { rows: number; cols: number }> = {
  x: { rows: 6, cols: 6 },
  w1: { rows: 3, cols: 3 },
  b1: { rows: 1, cols: 1 },
  z1: { rows: 4, cols: 4 },
  a1: { rows: 4, cols: 4 },
  m: { rows: 1, cols: 4 },
  w2: { rows: 3, cols: 4 },
  b2: { rows: 1, cols: 3 },
  z: { rows: 1, cols: 3 },
  p: { rows: 1, cols: 3 },
};

const TEXT: Record<TinyValue, string> = {
  x: 'x',
  w1: 'W₁',
  b1: 'b₁',
  z1: 'z₁',
  a1: 'a₁',
  m: 'm',
  w2: 'W₂',
  b2: 'b₂',
  z: 'z',
  p: 'p',
};

const TEX: Record<TinyValue, string> = {
  x: 'x',
  w1: 'W_1',
  b1: 'b_1',
  z1: 'z_1',
  a1: 'a_1',
  m: 'm',
  w2: 'W_2',
  b2: 'b_2',
  z: 'z',
  p: 'p',
};

function index(c: TinyCell): string {
  const { rows, cols } = DIMS[c.t];
  if (rows === 1 && cols === 1) return '';
  if (rows === 1) return `[${c.i}]`;
  return `[${Math.floor(c.i / cols)},${c.i % cols}]`;
}

/** "x[2,3]", "W₁[0,1]", "b₁", "m[2]" for text and announcements. */
export function cellText(c: TinyCell): string {
  return `${TEXT[c.t]}${index(c)}`;
}

/** The same name in TeX. */
export function cellTex(c: TinyCell): string {
  return `${TEX[c.t]}${index(c)}`;
}

/** TeX for the gradient of a cell: δ for the pre-activations z and z₁ (the deltas), ∂L/∂v otherwise. */
export function gradTex(c: TinyCell): string {
  if (c.t === 'z') return `\\delta${index(c)}`;
  if (c.t === 'z1') return `\\delta_1${index(c)}`;
  return `\\frac{\\partial L}{\\partial ${cellTex(c)}}`;
}

/** The gradient's name for text: "δ[1]", "δ₁[0,2]", "∂L/∂W₂[1,3]". */
export function gradText(c: TinyCell): string {
  if (c.t === 'z') return `δ${index(c)}`;
  if (c.t === 'z1') return `δ₁${index(c)}`;
  return `∂L/∂${cellText(c)}`;
}

export const key = (c: TinyCell): string => `${c.t}:${c.i}`;
