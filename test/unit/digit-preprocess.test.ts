import { describe, expect, it } from 'vitest';
import { centreOfMass, downsampleRaw, preprocessDigit, type InkRaster } from '../../src/lib/engine/digit-preprocess.ts';
import { EngineError } from '../../src/lib/engine/errors.ts';
import { expectClose } from './helpers.ts';

/** A blank W x H raster with rectangles of full ink painted in (x, y, w, h). */
function raster(W: number, H: number, rects: [number, number, number, number][]): InkRaster {
  const data = new Float64Array(W * H);
  for (const [x0, y0, w, h] of rects) {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data[y * W + x] = 1;
  }
  return { width: W, height: H, data };
}

/**
 * Width and height of the ink in a 28x28 image, counting a column (row) by its strongest pixel: a bar that straddles
 * pixel borders (half-covered edge pixels) still measures its true size.
 */
function inkExtent(p: Float64Array): [number, number] {
  let w = 0;
  let h = 0;
  for (let k = 0; k < 28; k++) {
    let col = 0;
    let row = 0;
    for (let m = 0; m < 28; m++) {
      col = Math.max(col, p[m * 28 + k]!);
      row = Math.max(row, p[k * 28 + m]!);
    }
    w += col;
    h += row;
  }
  return [Math.round(w * 1e9) / 1e9, Math.round(h * 1e9) / 1e9];
}

const sum = (p: ArrayLike<number>) => Array.from(p).reduce((a, b) => a + b, 0);

describe('preprocessDigit (MNIST-style normalisation)', () => {
  it('raster=[280,280] square blob in a corner: centre of mass lands at the field centre (13.5, 13.5)', () => {
    const r = raster(280, 280, [[10, 20, 60, 60]]);
    const { pixels, scale, box } = preprocessDigit(r);
    expect(box).toEqual({ left: 10, top: 20, right: 70, bottom: 80 });
    expectClose(scale, 20 / 60);
    const c = centreOfMass(pixels, 28)!;
    expectClose([c.x, c.y], [13.5, 13.5], 1e-9);
    // A 60x60 square scaled by 1/3 is exactly 20x20 pixels of full ink.
    expect(inkExtent(pixels)).toEqual([20, 20]);
    expectClose(sum(pixels), 400, 1e-9);
  });

  it('raster=[200,300] lopsided "L" shape: centre of mass (not the box centre) is centred', () => {
    // A vertical bar and a heavy foot: mass sits low and right of the box centre.
    const r = raster(200, 300, [
      [40, 50, 20, 150],
      [40, 180, 100, 40],
    ]);
    const { pixels } = preprocessDigit(r);
    const c = centreOfMass(pixels, 28)!;
    expectClose([c.x, c.y], [13.5, 13.5], 0.02);
  });

  it('raster=[280,280] tall bar 40x160: aspect ratio kept (20 tall, 5 wide), not stretched to 20x20', () => {
    const r = raster(280, 280, [[100, 60, 40, 160]]);
    const { pixels, scale } = preprocessDigit(r);
    expectClose(scale, 20 / 160);
    expect(inkExtent(pixels)).toEqual([5, 20]);
    expectClose(sum(pixels), 100, 1e-9);
  });

  it('raster=[280,280] wide bar 200x50: the longer side fits 20, height 5', () => {
    const r = raster(280, 280, [[30, 100, 200, 50]]);
    const { pixels } = preprocessDigit(r);
    expect(inkExtent(pixels)).toEqual([20, 5]);
  });

  it('raster=[280,280] small digit 14x14 is scaled up to fill the 20x20 box', () => {
    const r = raster(280, 280, [[200, 200, 14, 14]]);
    const { pixels, scale } = preprocessDigit(r);
    expectClose(scale, 20 / 14);
    expect(inkExtent(pixels)).toEqual([20, 20]);
  });

  it('raster=[280,280] thin diagonal stroke gives grey anti-aliased levels, all in [0, 1]', () => {
    const W = 280;
    const data = new Float64Array(W * W);
    for (let t = 40; t < 240; t++) for (let d = -8; d <= 8; d++) data[t * W + t + d] = 1;
    const { pixels } = preprocessDigit({ width: W, height: W, data });
    const values = Array.from(pixels);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(values.filter((v) => v > 0.05 && v < 0.95).length).toBeGreaterThan(20);
  });

  it('raster=[4,3] Uint8ClampedArray 0..255 reads as ink 0..1', () => {
    const data = new Uint8ClampedArray(12);
    data[5] = 255;
    const { pixels, scale } = preprocessDigit({ width: 4, height: 3, data });
    expectClose(scale, 20);
    expectClose(sum(pixels), 400, 1e-9);
    const c = centreOfMass(pixels, 28)!;
    expectClose([c.x, c.y], [13.5, 13.5], 1e-9);
  });

  it('raster=[280,280] blank canvas: "Draw a digit first"', () => {
    const blank = raster(280, 280, []);
    expect(() => preprocessDigit(blank)).toThrow(EngineError);
    expect(() => preprocessDigit(blank)).toThrow(/draw a digit first/i);
    // Anti-aliasing dust below the ink threshold is still blank.
    blank.data[500] = 0.01;
    expect(() => preprocessDigit(blank)).toThrow(/draw a digit first/i);
  });

  it('raster=[10,10] with 99 values: clear size mismatch message', () => {
    expect(() => preprocessDigit({ width: 10, height: 10, data: new Float64Array(99) })).toThrow(
      /99 values but 10x10 = 100 pixels/,
    );
  });
});

describe('downsampleRaw (no normalisation, for comparison)', () => {
  it('raster=[280,280] blob in a corner stays in the corner, shrunk by 10', () => {
    const r = raster(280, 280, [[10, 20, 60, 60]]);
    const raw = downsampleRaw(r);
    const c = centreOfMass(raw, 28)!;
    // The blob's centre (40, 50) in raster pixels is (4, 5) in output pixels: index coordinates 3.5, 4.5.
    expectClose([c.x, c.y], [3.5, 4.5], 1e-9);
    expectClose(sum(raw), 36, 1e-9);
  });
});
