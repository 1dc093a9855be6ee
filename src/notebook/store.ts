/**
 * The reader's notebook as data: each cell's code and last result, kept in localStorage and exported or imported
 * as one JSON file. Reading and validating are pure functions of the stored text, so the rules (what a valid file
 * is, what an import changes) are unit-tested in Node; only `browserStore` touches localStorage.
 */
import { FULL_LIMIT, MAX_SOURCE_CHARS, STORAGE_KEY } from './constants.ts';

export { STORAGE_KEY };
export const FILE_FORMAT = 'convnotebook-notebook';

export type CellStatus = 'passed' | 'failed' | 'ran' | 'error';

/** One cell as kept between visits. */
export interface CellRecord {
  code: string;
  /** ms since 1970, when the code last changed. */
  updated: number;
  /** Result of the last Run or Check. */
  status?: CellStatus;
  /** One line describing that result ("3 of 30 cases passed …"). */
  summary?: string;
  /** For exercises: the code that last passed its check (what later exercises and the capstone use). */
  passedCode?: string;
}

export interface NotebookData {
  format: typeof FILE_FORMAT;
  version: 1;
  /** Key: "exercise:<id>" or "<chapter slug>/<cell id>". */
  cells: Record<string, CellRecord>;
}

export function emptyNotebook(): NotebookData {
  return { format: FILE_FORMAT, version: 1, cells: {} };
}

/** Key of an exercise's cell. Exercise ids are unique across the course. */
export function exerciseKey(id: string): string {
  return `exercise:${id}`;
}

const STATUSES: readonly string[] = ['passed', 'failed', 'ran', 'error'];
/** Most cells a file may hold: far above the course's, low enough that a bad file cannot fill storage. */
const MAX_CELLS = 500;

/** Why a file or stored text is not a notebook, in words for the reader. */
export class NotebookFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFileError';
  }
}

/** Parses and validates a notebook file's text. Throws NotebookFileError naming the first problem. */
export function parseNotebook(text: string): NotebookData {
  if (text.length > MAX_CELLS * (MAX_SOURCE_CHARS * 2 + FULL_LIMIT)) {
    throw new NotebookFileError('This file is far larger than any notebook; it was not imported.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new NotebookFileError('This file is not JSON, so it cannot be a notebook export. Nothing was changed.');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new NotebookFileError('This JSON file is not a notebook export (no notebook object). Nothing was changed.');
  }
  const r = raw as Record<string, unknown>;
  if (r['format'] !== FILE_FORMAT) {
    throw new NotebookFileError(
      `This JSON file is not a ConvNotebook export (its "format" is ${JSON.stringify(r['format']) ?? 'missing'}). Nothing was changed.`,
    );
  }
  if (r['version'] !== 1) {
    throw new NotebookFileError(
      `This export has version ${String(r['version'])}; this site reads version 1. Nothing was changed.`,
    );
  }
  const cells = r['cells'];
  if (!cells || typeof cells !== 'object' || Array.isArray(cells)) {
    throw new NotebookFileError('This export has no "cells" object. Nothing was changed.');
  }
  const entries = Object.entries(cells as Record<string, unknown>);
  if (entries.length > MAX_CELLS)
    throw new NotebookFileError(`This export has ${entries.length} cells; at most ${MAX_CELLS} are allowed.`);
  const out = emptyNotebook();
  for (const [key, value] of entries) out.cells[key] = parseCell(key, value);
  return out;
}

function parseCell(key: string, v: unknown): CellRecord {
  const bad = (why: string) => new NotebookFileError(`Cell "${key.slice(0, 60)}" ${why}. Nothing was changed.`);
  if (!/^[\w:/.-]{1,120}$/.test(key)) throw bad('has a name this site does not use');
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('is not an object');
  const c = v as Record<string, unknown>;
  if (typeof c['code'] !== 'string') throw bad('has no code');
  if (c['code'].length > MAX_SOURCE_CHARS)
    throw bad(`holds more than ${MAX_SOURCE_CHARS.toLocaleString('en-US')} characters of code`);
  const rec: CellRecord = {
    code: c['code'],
    updated: typeof c['updated'] === 'number' && Number.isFinite(c['updated']) ? c['updated'] : 0,
  };
  if (c['status'] !== undefined) {
    if (typeof c['status'] !== 'string' || !STATUSES.includes(c['status'])) throw bad('has an unknown status');
    rec.status = c['status'] as CellStatus;
  }
  if (c['summary'] !== undefined) {
    if (typeof c['summary'] !== 'string') throw bad('has a summary that is not text');
    rec.summary = c['summary'].slice(0, 2_000);
  }
  if (c['passedCode'] !== undefined) {
    if (typeof c['passedCode'] !== 'string' || c['passedCode'].length > MAX_SOURCE_CHARS)
      throw bad('has unreadable passed code');
    rec.passedCode = c['passedCode'];
  }
  return rec;
}

/**
 * Reads what localStorage held, keeping every readable cell: one damaged cell must not cost the reader the rest.
 * Anything unreadable as a whole counts as an empty notebook. Never throws.
 */
export function readNotebook(text: string | null): NotebookData {
  const out = emptyNotebook();
  if (!text) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return out;
  }
  const cells = (raw as { cells?: unknown } | null)?.cells;
  if (!cells || typeof cells !== 'object' || Array.isArray(cells)) return out;
  for (const [key, value] of Object.entries(cells as Record<string, unknown>)) {
    try {
      out.cells[key] = parseCell(key, value);
    } catch {
      // Skipped: the rest of the notebook stays.
    }
  }
  return out;
}

/** The export file's text. */
export function exportNotebook(data: NotebookData, exportedAt = new Date()): string {
  return JSON.stringify({ ...data, exportedAt: exportedAt.toISOString() }, null, 2);
}

/** Exercise ids that pass, from the stored cells. */
export function passedExercises(data: NotebookData): string[] {
  return Object.entries(data.cells)
    .filter(([k, c]) => k.startsWith('exercise:') && c.status === 'passed')
    .map(([k]) => k.slice('exercise:'.length));
}

/** The minimal Storage this module needs (localStorage fits; tests pass a Map-backed fake). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Load, change one cell, save; reports a full or blocked storage instead of throwing. */
export function updateCell(
  storage: StorageLike,
  key: string,
  change: (old: CellRecord | undefined) => CellRecord | undefined,
): { ok: true } | { ok: false; message: string } {
  try {
    const data = readNotebook(storage.getItem(STORAGE_KEY));
    const next = change(data.cells[key]);
    if (next && next.code.length > MAX_SOURCE_CHARS) {
      return {
        ok: false,
        message: `This cell holds more than ${MAX_SOURCE_CHARS.toLocaleString('en-US')} characters, so it is not saved; shorten it to keep it across visits.`,
      };
    }
    if (next) data.cells[key] = next;
    else delete data.cells[key];
    storage.setItem(STORAGE_KEY, JSON.stringify(data));
    return { ok: true };
  } catch (err) {
    const full = err instanceof Error && /quota/i.test(`${err.name} ${err.message}`);
    return {
      ok: false,
      message: full
        ? 'Your code could not be saved: this browser’s storage for the site is full. Export the notebook to keep a copy.'
        : 'Your code could not be saved: this browser does not allow the site to store data (private mode?).',
    };
  }
}
