/**
 * The notebook file format: what a valid export is, that every bad file is refused with a reason and nothing
 * else, and that a full or blocked localStorage is reported rather than thrown.
 */
import { describe, expect, test } from 'vitest';
import {
  STORAGE_KEY,
  emptyNotebook,
  exportNotebook,
  parseNotebook,
  passedExercises,
  readNotebook,
  updateCell,
  NotebookFileError,
  type StorageLike,
} from '../../src/notebook/store.ts';

function memory(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('notebook files', () => {
  test('export then parse gives the same cells back', () => {
    const nb = emptyNotebook();
    nb.cells['exercise:conv1d-full'] = {
      code: 'function conv1dFull() {}',
      updated: 5,
      status: 'passed',
      summary: 'ok',
      passedCode: 'x',
    };
    nb.cells['convolution-1d/explore'] = { code: 'show(1)', updated: 6, status: 'ran' };
    const back = parseNotebook(exportNotebook(nb, new Date(0)));
    expect(back.cells).toEqual(nb.cells);
    expect(passedExercises(back)).toEqual(['conv1d-full']);
  });
  const bad: [string, string, RegExp][] = [
    ['not JSON', '{oops', /not JSON/],
    ['an array', '[]', /not a notebook export/],
    ['another format', '{"format":"jupyter","version":1,"cells":{}}', /not a ConvNotebook export/],
    ['a future version', '{"format":"convnotebook-notebook","version":2,"cells":{}}', /version 2/],
    ['no cells', '{"format":"convnotebook-notebook","version":1}', /no "cells"/],
    [
      'a cell without code',
      '{"format":"convnotebook-notebook","version":1,"cells":{"exercise:a":{"updated":1}}}',
      /has no code/,
    ],
    [
      'an unknown status',
      '{"format":"convnotebook-notebook","version":1,"cells":{"exercise:a":{"code":"","status":"great"}}}',
      /unknown status/,
    ],
    [
      'a strange cell name',
      '{"format":"convnotebook-notebook","version":1,"cells":{"<script>":{"code":""}}}',
      /name this site does not use/,
    ],
  ];
  for (const [what, text, message] of bad) {
    test(`a file with ${what} is refused with a reason`, () => {
      expect(() => parseNotebook(text)).toThrow(NotebookFileError);
      expect(() => parseNotebook(text)).toThrow(message);
    });
  }
  test('code over the cell limit is refused', () => {
    const text = JSON.stringify({
      format: 'convnotebook-notebook',
      version: 1,
      cells: { 'exercise:a': { code: 'x'.repeat(100_001) } },
    });
    expect(() => parseNotebook(text)).toThrow(/more than 100,000 characters/);
  });
  test('a damaged cell in storage is skipped, the others kept', () => {
    const text = JSON.stringify({
      format: 'convnotebook-notebook',
      version: 1,
      cells: { 'a/x': { code: 'ok' }, 'a/y': { nope: 1 } },
    });
    expect(Object.keys(readNotebook(text).cells)).toEqual(['a/x']);
  });
  test('a cell too long to keep is not saved, and the notebook is untouched', () => {
    const s = memory();
    updateCell(s, 'a/x', () => ({ code: 'kept', updated: 1 }));
    const r = updateCell(s, 'a/y', () => ({ code: 'x'.repeat(100_001), updated: 2 }));
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/not saved/) });
    expect(Object.keys(readNotebook(s.data.get(STORAGE_KEY)!).cells)).toEqual(['a/x']);
  });
  test('unreadable stored text reads as an empty notebook', () => {
    expect(readNotebook('garbage').cells).toEqual({});
    expect(readNotebook(null).cells).toEqual({});
  });
});

describe('updateCell', () => {
  test('changes one cell and keeps the others', () => {
    const s = memory();
    updateCell(s, 'a/x', () => ({ code: '1', updated: 1 }));
    updateCell(s, 'a/y', () => ({ code: '2', updated: 2 }));
    updateCell(s, 'a/x', (old) => ({ ...old!, code: '3' }));
    expect(readNotebook(s.data.get(STORAGE_KEY)!).cells).toEqual({
      'a/x': { code: '3', updated: 1 },
      'a/y': { code: '2', updated: 2 },
    });
  });
  test('a full storage is reported, not thrown', () => {
    const full: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('exceeded the quota', 'QuotaExceededError');
      },
    };
    const r = updateCell(full, 'a/x', () => ({ code: '1', updated: 1 }));
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/storage for the site is full/) });
  });
  test('blocked storage (private mode) is reported, not thrown', () => {
    const blocked: StorageLike = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => undefined,
    };
    expect(updateCell(blocked, 'a/x', () => ({ code: '1', updated: 1 })).ok).toBe(false);
  });
});
