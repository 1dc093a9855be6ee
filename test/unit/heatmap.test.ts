import { inflateSync, crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { base64, encodeIndexedPng, zlibStored } from '../../components/internal/png.ts';
import { heatmapDataUrl, heatmapIndex, heatmapStats } from '../../components/internal/heatmap.ts';

/** Splits a PNG into its chunks, checking every CRC with Node's own zlib.crc32. */
function chunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const buf = Buffer.from(png);
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: { type: string; data: Buffer }[] = [];
  for (let o = 8; o < buf.length;) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    const data = buf.subarray(o + 8, o + 8 + len);
    expect(buf.readUInt32BE(o + 8 + len), `CRC of ${type}`).toBe(zlibCrc32(buf.subarray(o + 4, o + 8 + len)));
    out.push({ type, data });
    o += 12 + len;
  }
  return out;
}

describe('png', () => {
  test('indexed PNG 3x2: IHDR, palette and scanlines survive a round trip through Node zlib', () => {
    const idx = new Uint8Array([0, 1, 2, 2, 1, 0]);
    const palette = new Uint8Array([0, 0, 0, 128, 128, 128, 255, 255, 255]);
    const parts = chunks(encodeIndexedPng(idx, 3, 2, palette));
    expect(parts.map((p) => p.type)).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
    const ihdr = parts[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([3, 2, 8, 3]);
    expect([...parts[1]!.data]).toEqual([...palette]);
    // Each row starts with filter byte 0.
    expect([...inflateSync(parts[2]!.data)]).toEqual([0, 0, 1, 2, 0, 2, 1, 0]);
  });

  test('stored zlib blocks split at 65535 bytes (raw length 70000) and inflate back', () => {
    const raw = new Uint8Array(70000).map((_, i) => (i * 7) % 251);
    expect(Buffer.compare(inflateSync(zlibStored(raw)), Buffer.from(raw))).toBe(0);
  });

  test('base64 of 0..4 bytes matches Buffer', () => {
    for (let n = 0; n <= 4; n++) {
      const bytes = new Uint8Array(n).map((_, i) => 250 - i * 60);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});

describe('heatmap', () => {
  const values = [-100, 0, 100, 300];

  test("'clip' range [0,255] counts clipped cells and maps 100 to index 100", () => {
    const s = heatmapStats(values, 'clip');
    expect(s).toMatchObject({ min: -100, max: 300, lo: 0, hi: 255, below: 1, above: 1, count: 4 });
    expect(values.map((v) => heatmapIndex(v, s))).toEqual([0, 0, 100, 255]);
  });

  test("'rescale' maps min to 0 and max to 255; a constant map is mid gray", () => {
    const s = heatmapStats(values, 'rescale');
    expect(s).toMatchObject({ lo: -100, hi: 300, below: 0, above: 0 });
    expect(values.map((v) => heatmapIndex(v, s))).toEqual([0, 64, 128, 255]);
    expect(heatmapIndex(5, heatmapStats([5, 5], 'rescale'))).toBe(128);
  });

  test("'diverging' is symmetric around 0 by the largest |value|", () => {
    const s = heatmapStats(values, 'diverging');
    expect(s).toMatchObject({ lo: -300, hi: 300 });
    expect(heatmapIndex(0, s)).toBe(128);
    expect(heatmapIndex(-300, s)).toBe(0);
  });

  test('data URL 2x2 decodes to the indices heatmapIndex gives; NaN is drawn mid-scale, not skipped', () => {
    const { url, stats } = heatmapDataUrl([0, 255, NaN, 51], 2, 2, 'clip');
    expect(stats.count).toBe(3);
    const png = Buffer.from(url.replace('data:image/png;base64,', ''), 'base64');
    const idat = chunks(png).find((p) => p.type === 'IDAT')!.data;
    expect([...inflateSync(idat)]).toEqual([0, 0, 255, 0, 128, 51]);
  });
});
