/** Chapter 14's wrong solutions: a network's table, transposed convolution, a 1 × 1 convolution. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

const TYPES = `type Layer =
  | { type: 'conv'; name: string; filters: number; kernel: number; stride?: number; padding?: number; groups?: number }
  | { type: 'maxPool'; name: string; size: number; stride?: number }
  | { type: 'flatten'; name: string }
  | { type: 'dense'; name: string; units: number };
interface Row { name: string; outputShape: number[]; params: number; macs: number }`;

/** summarize with the counts left open (C, g, k = l.kernel, OH, OW, in = shape[0] in scope where they apply). */
const summarize = ({
  convParams = 'l.filters * (C / g) * k * k + l.filters',
  convMacs = 'OH * OW * l.filters * (C / g) * k * k',
  denseParams = 'shape[0] * l.units + l.units',
  poolStride = 'l.stride ?? l.size',
} = {}) => `${TYPES}
function summarize(input: number[], layers: Layer[]): Row[] {
  let shape = [...input];
  return layers.map((l) => {
    let params = 0;
    let macs = 0;
    if (l.type === 'conv') {
      const [C, H, W] = shape;
      const [s, p, g, k] = [l.stride ?? 1, l.padding ?? 0, l.groups ?? 1, l.kernel];
      const OH = Math.floor((H + 2 * p - k) / s) + 1;
      const OW = Math.floor((W + 2 * p - k) / s) + 1;
      params = ${convParams};
      macs = ${convMacs};
      shape = [l.filters, OH, OW];
    } else if (l.type === 'maxPool') {
      const s = ${poolStride};
      shape = [shape[0], Math.floor((shape[1] - l.size) / s) + 1, Math.floor((shape[2] - l.size) / s) + 1];
    } else if (l.type === 'flatten') {
      shape = [shape.reduce((a, b) => a * b, 1)];
    } else {
      params = ${denseParams};
      macs = shape[0] * l.units;
      shape = [l.units];
    }
    return { name: l.name, outputShape: shape, params, macs };
  });
}`;

/** convTranspose with the update, the crop and the kernel's indexing left open. */
const transpose = ({
  update = '+=',
  pad = 'padding',
  kernel = 'w[k][c][a][b]',
} = {}) => `function convTranspose(x: number[][][], w: number[][][][], stride: number, padding: number): number[][][] {
  const p = ${pad};
  const [K, H, W] = [x.length, x[0].length, x[0][0].length];
  const [C, kh, kw] = [w[0].length, w[0][0].length, w[0][0][0].length];
  const OH = (H - 1) * stride - 2 * p + kh;
  const OW = (W - 1) * stride - 2 * p + kw;
  const y = Array.from({ length: C }, () => Array.from({ length: OH }, () => new Array<number>(OW).fill(0)));
  for (let k = 0; k < K; k++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let c = 0; c < C; c++)
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++) {
              const r = i * stride + a - p;
              const col = j * stride + b - p;
              if (r >= 0 && r < OH && col >= 0 && col < OW) y[c][r][col] ${update} x[k][i][j] * ${kernel};
            }
  return y;
}`;

export const CH14_WRONG: WrongSolution[] = [
  {
    id: 'arch-params',
    mistake: 'forgot the biases',
    source: summarize({ convParams: 'l.filters * (C / g) * k * k', denseParams: 'shape[0] * l.units' }),
  },
  {
    id: 'arch-params',
    mistake: 'counted a grouped convolution as if every filter saw every channel',
    source: summarize({ convParams: 'l.filters * C * k * k + l.filters', convMacs: 'OH * OW * l.filters * C * k * k' }),
  },
  {
    id: 'arch-params',
    mistake: 'multiply-adds of a conv layer without the output size',
    source: summarize({ convMacs: 'l.filters * (C / g) * k * k' }),
  },
  {
    id: 'arch-params',
    mistake: 'a pool’s stride taken as 1 when it is left out',
    source: summarize({ poolStride: 'l.stride ?? 1' }),
  },
  {
    id: 'conv-transpose',
    mistake: 'assigned instead of adding where stamps overlap',
    source: transpose({ update: '=' }),
  },
  { id: 'conv-transpose', mistake: 'forgot to crop the padding', source: transpose({ pad: '0' }) },
  {
    id: 'conv-transpose',
    mistake: 'rotated the kernel',
    source: transpose({ kernel: 'w[k][c][kh - 1 - a][kw - 1 - b]' }),
  },
  {
    id: 'conv-transpose',
    mistake: 'read w as [C][K] instead of [K][C]',
    source: transpose({ kernel: 'w[c][k][a][b]' }),
  },
  {
    id: 'one-by-one',
    mistake: 'read w as [C][K] (transposed)',
    source: `function conv1x1(x: number[][][], w: number[][]): number[][][] {
  const [H, W] = [x[0].length, x[0][0].length];
  const X = x.map((plane) => plane.flat());
  return w.map((_, k) => {
    const flat = X[0].map((_, p) => X.reduce((s, row, c) => s + w[c][k] * row[p], 0));
    return Array.from({ length: H }, (_, i) => flat.slice(i * W, (i + 1) * W));
  });
}`,
  },
  {
    id: 'one-by-one',
    mistake: 'reshaped x to [H·W][C] where a transpose was needed',
    source: `function conv1x1(x: number[][][], w: number[][]): number[][][] {
  const [C, H, W] = [x.length, x[0].length, x[0][0].length];
  const flat = x.flat(2);
  // like x.reshape(H * W, C) in NumPy: the numbers keep their channels-first order
  const pixels = Array.from({ length: H * W }, (_, p) => flat.slice(p * C, (p + 1) * C));
  const out = pixels.map((v) => w.map((row) => row.reduce((s, wv, c) => s + wv * v[c], 0))).flat();
  return w.map((_, k) => Array.from({ length: H }, (_, i) => out.slice((k * H + i) * W, (k * H + i + 1) * W)));
}`,
  },
];
