/** Chapter 12's wrong solutions: im2col, a convolution as one matrix product (on the course's im2col), col2im. */
import type { WrongSolution } from '../notebook-wrong-solutions.ts';

/**
 * im2col as a learner writes it: `rows` are the loops that make one row each (over c, i, j in some order),
 * `windows` the loops that make one entry each (over oy, ox), `pad` the padding the geometry uses.
 */
const im2col = ({
  rows = 'for (let c = 0; c < C; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++)',
  windows = 'for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++)',
  pad = 'padding',
  transpose = false,
} = {}) => `function im2col(x: number[][][], kh: number, kw: number, stride: number, padding: number): number[][] {
  const C = x.length;
  const H = x[0].length;
  const W = x[0][0].length;
  const p = ${pad};
  const OH = Math.floor((H + 2 * p - kh) / stride) + 1;
  const OW = Math.floor((W + 2 * p - kw) / stride) + 1;
  const cols: number[][] = [];
  ${rows} {
    const row: number[] = [];
    ${windows} {
      const r = oy * stride - p + i;
      const col = ox * stride - p + j;
      row.push(r >= 0 && r < H && col >= 0 && col < W ? x[c][r][col] : 0);
    }
    cols.push(row);
  }
  ${transpose ? 'return cols[0].map((_, n) => cols.map((row) => row[n]));' : 'return cols;'}
}`;

/** conv2dIm2col with the filter's flattening, the reshape and the bias left open. */
const conv = ({
  flat = 'filter.flat(2)',
  bias = 'b[k]',
  reshape = 'out.slice(i * OW, (i + 1) * OW)',
} = {}) => `function conv2dIm2col(x: number[][][], w: number[][][][], b: number[], stride: number, padding: number): number[][][] {
  const C = x.length;
  const kh = w[0][0].length;
  const kw = w[0][0][0].length;
  const cols = im2col(x, kh, kw, stride, padding);
  const OH = Math.floor((x[0].length + 2 * padding - kh) / stride) + 1;
  const OW = cols[0].length / OH;
  return w.map((filter, k) => {
    const row: number[] = ${flat};
    const out = cols[0].map((_, n) => row.reduce((sum, v, r) => sum + v * cols[r][n], 0) + ${bias});
    return Array.from({ length: OH }, (_, i) => ${reshape});
  });
}`;

/** col2im with the update and the output's size left open. */
const col2im = ({
  update = '+=',
  cell = 'r >= 0 && r < H && col >= 0 && col < W',
  average = false,
} = {}) => `function col2im(cols: number[][], C: number, H: number, W: number, kh: number, kw: number, stride: number, padding: number): number[][][] {
  const OH = Math.floor((H + 2 * padding - kh) / stride) + 1;
  const OW = Math.floor((W + 2 * padding - kw) / stride) + 1;
  const dx = Array.from({ length: C }, () => Array.from({ length: H }, () => new Array<number>(W).fill(0)));
  const count = Array.from({ length: C }, () => Array.from({ length: H }, () => new Array<number>(W).fill(0)));
  for (let c = 0; c < C; c++)
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++) {
            const r = oy * stride - padding + i;
            const col = ox * stride - padding + j;
            if (${cell}) {
              dx[c][r][col] ${update} cols[(c * kh + i) * kw + j][oy * OW + ox];
              count[c][r][col] += 1;
            }
          }
  ${average ? 'return dx.map((m, c) => m.map((row, r) => row.map((v, col) => (count[c][r][col] ? v / count[c][r][col] : 0))));' : 'return dx;'}
}`;

const PADDED_COL2IM = `function col2im(cols: number[][], C: number, H: number, W: number, kh: number, kw: number, stride: number, padding: number): number[][][] {
  // works on the padded input and returns it as it is
  const [HP, WP] = [H + 2 * padding, W + 2 * padding];
  const OH = Math.floor((HP - kh) / stride) + 1;
  const OW = Math.floor((WP - kw) / stride) + 1;
  const dx = Array.from({ length: C }, () => Array.from({ length: HP }, () => new Array<number>(WP).fill(0)));
  for (let c = 0; c < C; c++)
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++)
            dx[c][oy * stride + i][ox * stride + j] += cols[(c * kh + i) * kw + j][oy * OW + ox];
  return dx;
}`;

export const CH11_WRONG: WrongSolution[] = [
  {
    id: 'im2col',
    mistake: 'rows in channels-last order',
    source: im2col({ rows: 'for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let c = 0; c < C; c++)' }),
  },
  {
    id: 'im2col',
    mistake: 'each window read column by column',
    source: im2col({ rows: 'for (let c = 0; c < C; c++) for (let j = 0; j < kw; j++) for (let i = 0; i < kh; i++)' }),
  },
  {
    id: 'im2col',
    mistake: 'windows listed down the columns',
    source: im2col({ windows: 'for (let ox = 0; ox < OW; ox++) for (let oy = 0; oy < OH; oy++)' }),
  },
  { id: 'im2col', mistake: 'one row per window (the transpose)', source: im2col({ transpose: true }) },
  { id: 'im2col', mistake: 'forgot the padding', source: im2col({ pad: '0' }) },
  {
    id: 'conv2d-im2col',
    mistake: 'filters flattened in a different order from the patch rows',
    // channels last, as a Keras kernel [kh][kw][C] would be flattened
    source: conv({
      flat: 'Array.from({ length: kh * kw * C }, (_, t) => filter[t % C][Math.floor(t / (C * kw))][Math.floor(t / C) % kw])',
    }),
  },
  {
    id: 'conv2d-im2col',
    mistake: 'output reshaped column-major',
    source: conv({ reshape: 'Array.from({ length: OW }, (_, j) => out[j * OH + i])' }),
  },
  { id: 'conv2d-im2col', mistake: 'bias added per column instead of per row', source: conv({ bias: 'b[n]' }) },
  { id: 'conv2d-im2col', mistake: 'forgot the bias', source: conv({ bias: '0' }) },
  { id: 'col2im', mistake: 'assigned (=) instead of adding (+=)', source: col2im({ update: '=' }) },
  { id: 'col2im', mistake: 'averaged the copies instead of adding them', source: col2im({ average: true }) },
  { id: 'col2im', mistake: 'kept the padding border', source: PADDED_COL2IM },
];
