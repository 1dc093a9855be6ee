import { describe, expect, test } from 'vitest';
import {
  EngineError,
  Rng,
  compareMaps,
  fromNested,
  pool2d,
  poolShift,
  randomTensor,
  shift2d,
  tensor,
  toNested,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

const img = fromNested([
  [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ],
]);

describe('shift2d', () => {
  test('shift2d x=[1,3,3] down 1 right 0 moves rows down and fills the top with 0', () => {
    expect(toNested(shift2d(img, 1, 0))).toEqual([
      [
        [0, 0, 0],
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
  });
  test('shift2d x=[1,3,3] up 1 left 2 loses what leaves the frame', () => {
    expect(toNested(shift2d(img, -1, -2))).toEqual([
      [
        [6, 0, 0],
        [9, 0, 0],
        [0, 0, 0],
      ],
    ]);
  });
  test('shift2d x=[2,5,4] by (2,-1) then (-2,1) restores the cells that stayed inside, every channel alike', () => {
    const x = randomTensor([2, 5, 4], new Rng(3));
    const back = shift2d(shift2d(x, 2, -1), -2, 1);
    for (let c = 0; c < 2; c++) {
      for (let y = 0; y < 3; y++) {
        for (let col = 1; col < 4; col++) expect(back.data[(c * 5 + y) * 4 + col]).toBe(x.data[(c * 5 + y) * 4 + col]);
      }
      for (let y = 3; y < 5; y++) expect(back.data[(c * 5 + y) * 4 + 2]).toBe(0);
    }
  });
  test('shift2d x=[1,3,3] by (0,0) is a copy, not the same array', () => {
    const s = shift2d(img, 0, 0);
    expect(Array.from(s.data)).toEqual(Array.from(img.data));
    expect(s.data).not.toBe(img.data);
  });
  test('shift2d rejects fractional shifts, shifts as large as the map and a 2D input', () => {
    expect(() => shift2d(img, 0.5, 0)).toThrow(/whole number of pixels/);
    expect(() => shift2d(img, 0, -3)).toThrow(/push the whole 3-pixel map out of view/);
    expect(() => shift2d(tensor([3, 3]), 1, 0)).toThrow(EngineError);
  });
});

describe('compareMaps', () => {
  test('compareMaps x=[1,3,3] counts changed, active and the relative change', () => {
    const b = tensor([1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 0]);
    const r = compareMaps(img, b);
    expect(r.count).toBe(1);
    expect(Array.from(r.changed)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(r.total).toBe(9);
    expect(r.active).toBe(9);
    expectClose(r.relativeChange, 9 / 45);
  });
  test('compareMaps of two zero maps reports nothing changed and relative change 0', () => {
    const z = tensor([1, 2, 2]);
    expect(compareMaps(z, z)).toMatchObject({ count: 0, active: 0, relativeChange: 0 });
    const b = tensor([1, 2, 2], [0, 2, 0, 0]);
    expect(compareMaps(z, b)).toMatchObject({ count: 1, active: 1, relativeChange: 1 });
  });
  test('compareMaps ignores differences within tol and rejects different shapes', () => {
    const b = tensor(
      [1, 3, 3],
      Array.from(img.data, (v) => v + 1e-12),
    );
    expect(compareMaps(img, b).count).toBe(0);
    expect(() => compareMaps(img, tensor([1, 9]))).toThrow(/same shape/);
  });
});

describe('poolShift', () => {
  // A 4x4 map with one bright pixel: max-pooling 2x2 keeps its value while it stays inside its window.
  const spot = tensor([1, 4, 4], [0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  test('poolShift x=[1,4,4] max size 2: a one-pixel move inside the window changes no pooled value', () => {
    const r = poolShift(spot, 'max', { size: 2 }, -1, -1);
    expect(toNested(r.before)).toEqual([
      [
        [9, 0],
        [0, 0],
      ],
    ]);
    expect(r.pooledChange.count).toBe(0);
    expect(r.inputChange.count).toBe(2);
  });
  test('poolShift x=[1,4,4] max size 2: crossing a window border moves the value to the next window', () => {
    const r = poolShift(spot, 'max', { size: 2 }, 0, 1);
    expect(toNested(r.after)).toEqual([
      [
        [0, 9],
        [0, 0],
      ],
    ]);
    expect(r.pooledChange.count).toBe(2);
  });
  test('poolShift x=[1,6,6] avg size 3 equals pooling the shifted map by hand', () => {
    const x = randomTensor([1, 6, 6], new Rng(11), 0, 1);
    const r = poolShift(x, 'avg', { size: 3 }, 1, 0);
    expectClose(r.after, pool2d(shift2d(x, 1, 0), 'avg', { size: 3 }).y);
    expectClose(r.before, pool2d(x, 'avg', { size: 3 }).y);
    // Every window's total changes when a random map moves: avg pooling keeps none of its values.
    expect(r.pooledChange.count).toBe(4);
  });
});
