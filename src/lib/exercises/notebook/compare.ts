/**
 * Compares what the reader's function returned with the engine's answer, structurally (numbers, nested arrays,
 * records of them), and says what is wrong in one sentence a learner can act on. Also cuts values down for
 * display. Pure.
 */
import { describeSource, isSeededSource } from './seeded.ts';
import type { Preview } from './types.ts';

/** Path to an entry: array indices and record keys, outermost first. */
export type Path = (number | string)[];

export interface Comparison {
  ok: boolean;
  /** Empty when ok. */
  message: string;
  /** Leaf entries that differ (at most MAX_DIFFS). */
  diffs: Path[];
}

const MAX_DIFFS = 200;

/** "[1][2]" or ".out[0]". */
export function pathText(path: Path): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'undefined') return 'undefined';
  return `a ${typeof v}`;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** True when |a − b| ≤ tol · max(1, |b|). */
export function closeEnough(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

/**
 * Compares `got` with `expected` (tolerance scaled by max(1, |expected|)). Type and length problems come first and
 * stop the comparison; then every differing number is listed.
 */
export function compareValues(expected: unknown, got: unknown, tol = 1e-9): Comparison {
  const diffs: Path[] = [];
  let leaves = 0;
  let firstDiff: { path: Path; e: number; g: number } | null = null;
  let problem: string | null = null;

  const walk = (e: unknown, g: unknown, path: Path): void => {
    if (problem) return;
    const where = path.length ? ` at ${pathText(path)}` : '';
    if (typeof e === 'number') {
      leaves++;
      if (typeof g !== 'number') {
        problem = path.length
          ? `Entry ${pathText(path)} is ${typeName(g)}, not a number.`
          : g === undefined
            ? 'Your function returned undefined: is there a `return` at the end?'
            : `Your function returned ${typeName(g)}; it should return a number.`;
        return;
      }
      if (Number.isNaN(g)) {
        problem = `Entry${where} is NaN (a 0/0, a sum over an empty range, or an undefined read as a number?).`;
        return;
      }
      if (!closeEnough(g, e, tol)) {
        if (diffs.length < MAX_DIFFS) diffs.push(path);
        firstDiff ??= { path, e, g };
      }
      return;
    }
    if (isArrayLike(e)) {
      if (!isArrayLike(g)) {
        problem =
          g === undefined && path.length === 0
            ? 'Your function returned undefined: is there a `return` at the end?'
            : `Expected an array${where}, got ${typeName(g)}${typeof g === 'string' ? ` ("${g.slice(0, 40)}")` : ''}.`;
        return;
      }
      if (g.length !== e.length) {
        problem = `Expected ${e.length} ${e.length === 1 ? 'entry' : 'entries'}${where}, got ${g.length}.`;
        return;
      }
      for (let i = 0; i < e.length && !problem; i++) walk(e[i], g[i], [...path, i]);
      return;
    }
    if (e !== null && typeof e === 'object') {
      if (g === null || typeof g !== 'object' || isArrayLike(g)) {
        const keys = Object.keys(e).join(', ');
        problem = `Expected an object with ${keys}${where}, got ${typeName(g)}.`;
        return;
      }
      for (const key of Object.keys(e)) {
        if (!(key in g)) {
          problem = `The result has no "${key}"${where}.`;
          return;
        }
        walk((e as Record<string, unknown>)[key], (g as Record<string, unknown>)[key], [...path, key]);
      }
      return;
    }
    if (e !== g) problem = `Expected ${String(e)}${where}, got ${typeName(g)}.`;
  };

  walk(expected, got, []);
  if (problem) return { ok: false, message: problem, diffs: [] };
  if (diffs.length === 0) return { ok: true, message: '', diffs };
  const f = firstDiff!;
  const at = f.path.length ? ` (first at ${pathText(f.path)}: expected ${fmt(f.e)}, got ${fmt(f.g)})` : '';
  const message =
    leaves === 1
      ? `Expected ${fmt(f.e)}, got ${fmt(f.g)}.`
      : `${countDiffs(diffs.length)} of ${leaves} entries differ${at}.`;
  return { ok: false, message, diffs };
}

function countDiffs(n: number): string {
  return n >= MAX_DIFFS ? `At least ${MAX_DIFFS}` : String(n);
}

/** Short number for messages: up to 6 significant digits. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

/**
 * Deep copy of plain data (numbers, arrays, typed arrays, records), for the "did it change its input?" check. A
 * seeded source is copied as a fresh source with the same seed (seeded.ts).
 */
export function clonePlain<T>(v: T): T {
  if (isSeededSource(v)) return v.fresh() as T;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return (v as unknown as { slice(): T }).slice();
  if (Array.isArray(v)) return v.map((x) => clonePlain(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = clonePlain(x);
    return out as T;
  }
  return v;
}

/** Exact structural equality of plain data (for inputs before and after the call); seeded sources by their seed. */
export function samePlain(a: unknown, b: unknown): boolean {
  if (isSeededSource(a) && isSeededSource(b)) return a.seed === b.seed && a.kind === b.kind;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  if (isArrayLike(a) && isArrayLike(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlain(a[i], b[i])) return false;
    return true;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => samePlain((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

const PREVIEW_MAX = 32;

/** A value cut to at most 32 entries per axis (and 4 levels), with a note when something was dropped. */
export function preview(v: unknown): Preview {
  let cut = false;
  const walk = (x: unknown, depth: number): unknown => {
    if (isArrayLike(x)) {
      if (depth >= 4) {
        cut = true;
        return '…';
      }
      if (x.length > PREVIEW_MAX) cut = true;
      return Array.from({ length: Math.min(x.length, PREVIEW_MAX) }, (_, i) => walk(x[i], depth + 1));
    }
    if (isSeededSource(x)) return describeSource(x);
    if (typeof x === 'function') return `[function ${x.name || '(anonymous)'}]`;
    if (typeof x === 'string' && x.length > 200) {
      cut = true;
      return `${x.slice(0, 200)}…`;
    }
    if (x !== null && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      const entries = Object.entries(x);
      if (entries.length > 16) cut = true;
      for (const [k, y] of entries.slice(0, 16)) out[k] = walk(y, depth + 1);
      return out;
    }
    if (typeof x === 'bigint' || typeof x === 'symbol') return String(x);
    return x;
  };
  const value = walk(v, 0);
  return cut ? { value, cut: `cut to ${PREVIEW_MAX} entries per axis` } : { value };
}
