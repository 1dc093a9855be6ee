/**
 * The other widgets' views in Node: the first state (computed as the widget's .astro computes it) and a few changed
 * states, rendered by the widgets' own pure state/view code and compared with stored snapshots (see snapshot.ts).
 */
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, test } from 'vitest';
import { parseSampleDigits } from '../../../components/internal/digits.ts';
import { serverDocument } from '../../../components/internal/server-document.ts';
import {
  DEFAULT_STATE as AV,
  computeMaps,
  mostNegative,
  type ActivationViewerState,
} from '../../../components/activation-viewer/state.ts';
import { describeCell, renderStage as stageAv } from '../../../components/activation-viewer/view.ts';
import type { ShiftDemoState } from '../../../components/shift-demo/state.ts';
import {
  computeShift,
  describe as describeShift,
  renderStage as stageShift,
} from '../../../components/shift-demo/view.ts';
import { DEFAULT_STATE as SM, type SoftmaxLossState } from '../../../components/softmax-loss/state.ts';
import { computeSoftmaxLoss } from '../../../components/softmax-loss/compute.ts';
import { renderCharts } from '../../../components/softmax-loss/charts.ts';
import { describe as describeSm, renderNumbers } from '../../../components/softmax-loss/view.ts';
import { DEFAULT_STATE as EO, explore, type ExplorerState } from '../../../components/output-size-explorer/state.ts';
import { describeWindow, renderMath, renderStage as stageEo } from '../../../components/output-size-explorer/view.ts';
import { DEFAULT_STATE as PC, type ParamCalcState } from '../../../components/param-calculator/state.ts';
import { convView, denseView, receptiveView } from '../../../components/param-calculator/view.ts';
import { viewerImage } from '../../../components/pixel-viewer/images.ts';
import { ZOOM, clampCursor, type PixelViewerState } from '../../../components/pixel-viewer/state.ts';
import { describe as describePv, planesOf, renderGrids, renderReadout } from '../../../components/pixel-viewer/view.ts';
import { DEFAULT_STATE as SW, walk, type WalkerState } from '../../../components/shape-walker/state.ts';
import { describeWalk, renderChain, renderLayers } from '../../../components/shape-walker/view.ts';
import { loadImageSet } from '../../../components/kernel-playground/load-images.ts';
import {
  DEFAULT_STATE as KP,
  imageOf,
  weightsOf,
  type PlaygroundState,
} from '../../../components/kernel-playground/state.ts';
import { presetById } from '../../../components/kernel-playground/presets.ts';
import {
  describe as describeKp,
  featureMap,
  renderArithmetic,
  renderPictures,
  traceOf,
} from '../../../components/kernel-playground/view.ts';
import {
  DEFAULT_STATE as GC,
  compute as computeGc,
  type CheckerState,
} from '../../../components/gradient-checker/state.ts';
import { describe as describeGc, renderStage as stageGc } from '../../../components/gradient-checker/view.ts';
import { expectView } from './snapshot.ts';

const samples = parseSampleDigits(
  JSON.parse(readFileSync(`${process.cwd()}/public/data/mnist/sample-digits.json`, 'utf8')) as unknown,
);
const deflate = (raw: Uint8Array) => new Uint8Array(deflateSync(raw));

describe('activation-viewer', () => {
  const view = (s: ActivationViewerState) => {
    const d = samples.digits[s.digit]!;
    const digit = { pixels: d.pixels, size: samples.rows, label: d.label };
    const maps = computeMaps(digit.pixels, digit.size, s);
    return { stage: stageAv(s, maps, digit, deflate), status: describeCell(s, maps) };
  };
  const first = (): ActivationViewerState => {
    const d = samples.digits[AV.digit]!;
    return { ...AV, ...mostNegative(computeMaps(d.pixels, samples.rows, AV)) };
  };
  test('first state: ReLU on the vertical-edge map, the most negative cell chosen', async () => {
    await expectView('activation-viewer', 'first', view(first()));
  });
  test('sigmoid with a bias, another cell; leaky ReLU on another digit', async () => {
    await expectView(
      'activation-viewer',
      'sigmoid-bias',
      view({ ...first(), activation: 'sigmoid', bias: -1, row: 5 }),
    );
    await expectView(
      'activation-viewer',
      'leaky-digit-3',
      view({ ...AV, digit: 3, activation: 'leakyRelu', alpha: 0.1 }),
    );
  });
});

describe('shift-demo', () => {
  const view = (s: ShiftDemoState) => {
    const d = samples.digits[s.digit]!;
    const r = computeShift(s, d.pixels, samples.rows, samples.cols);
    return { stage: stageShift(s, r), status: describeShift(s, r) };
  };
  const first: ShiftDemoState = { digit: 0, source: 'image', size: 2, down: 0, right: 1 };
  test('first state: digit 0 moved one pixel right, 2 x 2 pools', async () => {
    await expectView('shift-demo', 'first', view(first));
  });
  test('edge map moved down and left; 3 x 3 pools', async () => {
    await expectView('shift-demo', 'edges-down-left', view({ ...first, source: 'edges', down: 2, right: -1, size: 3 }));
  });
});

describe('softmax-loss', () => {
  const view = async (s: SoftmaxLossState) => {
    const r = computeSoftmaxLoss(s);
    const charts = renderCharts(s, r, await serverDocument());
    return { numbers: renderNumbers(s, r), status: describeSm(s, r), ...charts };
  };
  test('first state: logits (2, 1, 0.1), true class 1, T = 1', async () => {
    await expectView('softmax-loss', 'first', await view(SM));
  });
  test('the Huge logits preset (naive softmax overflows in both precisions), and logits that overflow only float32', async () => {
    await expectView('softmax-loss', 'huge-preset', await view({ logits: [1000, 999, 998], label: 0, temperature: 1 }));
    await expectView('softmax-loss', 'float32-only', await view({ logits: [100, 98, 95], label: 0, temperature: 1 }));
  });
  test('confidently wrong at T = 0.5; huge logits', async () => {
    await expectView('softmax-loss', 'wrong-t05', await view({ logits: [8, 0, -3], label: 2, temperature: 0.5 }));
    await expectView('softmax-loss', 'huge', await view({ logits: [1000, 999, -1000], label: 0, temperature: 1 }));
  });
});

describe('output-size-explorer', () => {
  const view = (s: ExplorerState) => {
    const ex = explore(s);
    return { stage: stageEo(s, ex), math: renderMath(s, ex), status: describeWindow(s, ex) };
  };
  test('first state (chapter 5): the default 1D explorer, first window', async () => {
    await expectView('output-size-explorer', 'first', view(EO));
  });
  test("chapter 5's 2D floor example, window 4; TF same with stride 2; dilation", async () => {
    const twoD: ExplorerState = {
      ...EO,
      dims: 2,
      input: 7,
      kernel: 3,
      padding: 0,
      padMode: 'number',
      stride: 3,
      pos: 3,
    };
    await expectView('output-size-explorer', '2d-floor', view(twoD));
    await expectView('output-size-explorer', 'same-stride-2', view({ ...EO, padMode: 'same', stride: 2, pos: 1 }));
    await expectView('output-size-explorer', 'dilation-3', view({ ...EO, kernel: 2, dilation: 3, stride: 4, pos: 0 }));
  });
});

describe('param-calculator', () => {
  const view = (s: ParamCalcState) => {
    const [d, c, r] = [denseView(s), convView(s), receptiveView(s)];
    return { dense: d.html, conv: c.html, rf: r.html, status: d.sentence };
  };
  test('first state and a larger layer', async () => {
    await expectView('param-calculator', 'first', view(PC));
    await expectView('param-calculator', 'larger', view({ ...PC, inputs: 3072, units: 512, C: 64, K: 128, k: 5 }));
  });
});

describe('pixel-viewer', () => {
  const view = (s: PixelViewerState) => {
    const img = viewerImage(s.image);
    const p = planesOf(img);
    return { grids: renderGrids(s, img, p), readout: renderReadout(s, img, p), status: describePv(s, img, p) };
  };
  const firstOf = (key: string, v: PixelViewerState['view'] = 'colour'): PixelViewerState => {
    const img = viewerImage(key);
    const ch0 = planesOf(img).chw.data.subarray(0, img.rows * img.cols);
    const b = ch0.indexOf(Math.max(...ch0));
    const on = { r: true, g: true, b: true };
    const s = { image: key, view: v, on, zoom: ZOOM.initial, row: Math.floor(b / img.cols), col: b % img.cols };
    return clampCursor(s, img);
  };
  test('first state: digit 0, cursor on its brightest pixel', async () => {
    await expectView('pixel-viewer', 'first', view(firstOf('digit-0')));
  });
  test('numbers (12 px on screen) in every cell from 28 px on, none at 27 px', async () => {
    await expectView('pixel-viewer', 'zoom-28', view({ ...firstOf('digit-0'), zoom: 28 }));
    await expectView('pixel-viewer', 'zoom-27', view({ ...firstOf('digit-0'), zoom: 27 }));
  });
  test('the photo: as three channels, and gray with its formula, zoomed in', async () => {
    await expectView('pixel-viewer', 'photo-channels', view(firstOf('photo', 'channels')));
    await expectView(
      'pixel-viewer',
      'photo-gray-zoom',
      view({ ...firstOf('photo', 'gray'), zoom: 30, row: 3, col: 4 }),
    );
  });
});

describe('shape-walker', () => {
  const view = (s: WalkerState) => {
    const w = walk(s);
    return { layers: renderLayers('sw', s), chain: renderChain(s, w), status: describeWalk(s, w) };
  };
  test('first state: the 3x3 LeNet body, 28 -> 26 -> 13 -> 11 -> 5', async () => {
    await expectView('shape-walker', 'first', view(SW));
  });
  test("a first conv with padding 'same'; a layer that does not fit stops the walk", async () => {
    const same = { ...SW, layers: SW.layers.map((l, i) => (i === 0 ? { ...l, padding: 'same' as const } : l)) };
    await expectView('shape-walker', 'same', view(same));
    const tooBig = {
      ...SW,
      size: 8,
      layers: [...SW.layers, { type: 'conv' as const, kernel: 5, stride: 1, padding: 0, filters: 4 }],
    };
    await expectView('shape-walker', 'does-not-fit', view(tooBig));
  });
});

const imageSet = await loadImageSet();

describe('kernel-playground', () => {
  const set = imageSet;
  const view = (s0: PlaygroundState) => {
    const image = imageOf(s0, set);
    const map = featureMap(image, weightsOf(s0), s0.size);
    const s = { ...s0, row: Math.min(s0.row, map.rows - 1), col: Math.min(s0.col, map.cols - 1) };
    const trace = traceOf(s, map);
    const pics = renderPictures(s, image, map, deflate);
    return {
      pictures: pics.html,
      arithmetic: renderArithmetic(s, trace, pics.stats),
      status: describeKp(s, image, map, trace, pics.stats),
    };
  };
  const preset = (id: string) => {
    const p = presetById(id)!;
    return { size: p.size, entries: [...p.entries], divisor: p.divisor };
  };
  test('first state: Sobel x on the camera photo', async () => {
    await expectView('kernel-playground', 'first', view({ ...KP, ...preset('sobel-x') }));
  });
  test('Gaussian 5x5 on a digit, another cell; Laplacian on the signed scale', async () => {
    const g = { ...KP, ...preset('gaussian-5'), image: 'digit', digit: 1, row: 10, col: 12 };
    await expectView('kernel-playground', 'gaussian-5-digit', view(g));
    await expectView(
      'kernel-playground',
      'laplacian-diverging',
      view({ ...KP, ...preset('laplacian'), scale: 'diverging' }),
    );
  });
});

describe('gradient-checker', () => {
  const view = (s: CheckerState) => {
    const r = computeGc(s);
    return { stage: stageGc(s, r), status: describeGc(s, r) };
  };
  test('first state: conv 3 x 3, seed 1, eps 1e-5', async () => {
    await expectView('gradient-checker', 'first', view(GC));
  });
  test('the whole network with its bug switched on, row 3; ReLU near its kink', async () => {
    await expectView('gradient-checker', 'network-broken', view({ ...GC, target: 'network', broken: true, row: 2 }));
    await expectView('gradient-checker', 'relu', view({ ...GC, target: 'relu' }));
  });
});
