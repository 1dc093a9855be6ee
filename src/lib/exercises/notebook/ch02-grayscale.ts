/**
 * Chapter 2 exercise: grayscale from RGB with the course's ITU-R BT.601 weights (0.299, 0.587, 0.114), on a
 * channels-first image [3][H][W]. The worked example is the 3 x 3 patch of the chapter's photo around the orange
 * suit pixel (row 20, column 6).
 */
import { rgbToGray } from '../../engine/image.ts';
import { fromNested } from '../../engine/tensor.ts';
import { compareValues } from './compare.ts';
import { planeOf, shapeOf, transpose } from './nested.ts';
import { Rng, between } from './random.ts';
import type { CheckCase, ExerciseSpec } from './types.ts';

/**
 * Rows 19-21, columns 5-7 of the chapter's 32 x 32 astronaut photo (components/pixel-viewer/photo), channels
 * first; the centre is the suit pixel (227, 109, 70). A unit test checks these numbers against the photo file.
 */
export const SUIT_PATCH = [
  [
    [225, 235, 219],
    [215, 227, 203],
    [230, 222, 185],
  ],
  [
    [112, 133, 100],
    [88, 109, 93],
    [115, 92, 67],
  ],
  [
    [71, 93, 62],
    [49, 70, 63],
    [78, 51, 39],
  ],
];

const gray = (rgb: number[][][]): number[][] => planeOf(rgbToGray(fromNested(rgb)));

/** Grayscale with other weights, per channel in R, G, B order (the wrong answers below). */
function weighted(rgb: number[][][], wr: number, wg: number, wb: number): number[][] {
  const [r, g, b] = rgb as [number[][], number[][], number[][]];
  return r.map((row, i) => row.map((v, j) => wr * v + wg * g[i]![j]! + wb * b[i]![j]!));
}

/** A colour image [3][h][w] of 8-bit values, or of reals in [0, 1] (pixels already scaled for a network). */
function image(rng: Rng, h: number, w: number, scaled: boolean): number[][][] {
  const px = () => (scaled ? Math.round(rng.next() * 1000) / 1000 : rng.int(0, 256));
  return Array.from({ length: 3 }, () => Array.from({ length: h }, () => Array.from({ length: w }, px)));
}

function grayCases(): CheckCase[] {
  const names = ['rgb'];
  const cases: CheckCase[] = [
    { label: 'the worked example: the photo around the suit pixel (row 20, column 6)', names, args: [SUIT_PATCH] },
    {
      label: 'pure red, pure green, pure blue and a gray (v, v, v)',
      names,
      args: [
        [
          [
            [255, 0],
            [0, 128],
          ],
          [
            [0, 255],
            [0, 128],
          ],
          [
            [0, 0],
            [255, 128],
          ],
        ],
      ],
    },
    { label: 'a single pixel', names, args: [[[[10]], [[20]], [[30]]]] },
    {
      label: 'a wide image (2 rows, 4 columns)',
      names,
      args: [
        [
          [
            [1, 2, 3, 4],
            [5, 6, 7, 8],
          ],
          [
            [8, 7, 6, 5],
            [4, 3, 2, 1],
          ],
          [
            [0, 10, 20, 30],
            [40, 50, 60, 70],
          ],
        ],
      ],
    },
  ];
  const seed = 201;
  const rng = new Rng(seed);
  for (let i = 0; i < 24; i++) {
    cases.push({
      label: `random case ${i + 1} (seed ${seed})`,
      names,
      args: [image(rng, between(rng, 1, 6), between(rng, 1, 6), i >= 16)],
    });
  }
  return cases;
}

export const grayscale: ExerciseSpec = {
  id: 'grayscale',
  chapter: 'images-as-matrices',
  title: 'Grayscale from RGB',
  fn: 'grayscale',
  signature: 'grayscale(rgb: number[][][]): number[][]',
  starter: `// rgb is channels first: rgb[0] is the red matrix, rgb[1] green, rgb[2] blue, each H x W.
// Return the H x W gray image 0.299 R + 0.587 G + 0.114 B (do not round).
function grayscale(rgb: number[][][]): number[][] {
  const [r, g, b] = rgb;
  const out: number[][] = [];
  // your code here
  return out;
}

show(grayscale([[[227]], [[109]], [[70]]])); // the suit pixel
`,
  solution: `function grayscale(rgb: number[][][]): number[][] {
  const [r, g, b] = rgb;
  return r.map((row, i) => row.map((red, j) => 0.299 * red + 0.587 * g[i][j] + 0.114 * b[i][j]));
}

show(grayscale([[[227]], [[109]], [[70]]])); // the suit pixel
`,
  hints: [
    'Every output pixel depends only on the three values at the same row and column: R = rgb[0][i][j], G = rgb[1][i][j], B = rgb[2][i][j].',
    'Loop over the rows i and columns j of one channel and push 0.299 * R + 0.587 * G + 0.114 * B.',
    '`return r.map((row, i) => row.map((red, j) => 0.299 * red + 0.587 * g[i][j] + 0.114 * b[i][j]));`',
  ],
  cases: grayCases,
  reference: gray,
  mistakes: [
    {
      name: 'plain average of the channels',
      advice:
        '(R + G + B) / 3 treats the three colours alike, but the eye is most sensitive to green and least to blue. Use the BT.601 weights 0.299, 0.587, 0.114.',
      impl: (rgb: number[][][]) => weighted(rgb, 1 / 3, 1 / 3, 1 / 3),
    },
    {
      name: 'channels in the wrong order (BGR)',
      advice:
        'The weights were applied to B, G, R: 0.299 went to blue. In this course rgb[0] is red and rgb[2] is blue (OpenCV loads images as BGR, which is where this usually comes from).',
      impl: (rgb: number[][][]) => weighted(rgb, 0.114, 0.587, 0.299),
    },
    {
      name: 'the BT.709 weights instead of BT.601',
      advice:
        '0.2126, 0.7152, 0.0722 (or scikit-image’s 0.2125, 0.7154, 0.0721) are the HDTV standard, ITU-R BT.709. The course, PIL and OpenCV use BT.601: 0.299, 0.587, 0.114.',
      impl: (rgb: number[][][]) => weighted(rgb, 0.2126, 0.7152, 0.0722),
      detect: (got, _e, args) => {
        const skimage = weighted(args[0] as number[][][], 0.2125, 0.7154, 0.0721);
        return compareValues(skimage, got).ok;
      },
    },
    {
      name: 'rounded to whole numbers',
      advice:
        'An 8-bit image file would round, but the exercise asks for the exact weighted sum: drop Math.round (a network wants the real values, chapter 2 scales them, it does not round).',
      impl: (rgb: number[][][]) => gray(rgb).map((row) => row.map(Math.round)),
    },
    {
      name: 'rows and columns swapped',
      advice:
        'The result has shape [W][H] or its entries are transposed: index pixels as [row][column], rows first, and build out[i][j] from rgb[c][i][j].',
      impl: (rgb: number[][][]) => transpose(gray(rgb)),
    },
    {
      name: 'kept the channel axis ([1][H][W])',
      advice: 'The gray image has no channel axis here: return the H x W matrix itself, not a list holding it.',
      detect: (got, expected) => {
        const s = shapeOf(got);
        return s.length === 3 && s[0] === 1 && s[1] === shapeOf(expected)[0];
      },
    },
  ],
};

export const CH02_EXERCISES = [grayscale];
