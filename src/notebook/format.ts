/**
 * What a cell prints, as plain data a page can draw: text, aligned grids for arrays and matrices, heatmaps.
 * Numbers are rounded for reading (never for checking), and anything long is cut with a count of what was left
 * out, so a cell that prints a million numbers sends a few kilobytes. Pure: runs in the worker and in Node.
 */
import { FULL_LIMIT } from './constants.ts';

/** One printed thing. `full` holds the whole text when `text` was cut (up to FULL_LIMIT characters). */
export type OutputItem =
  | { kind: 'text'; text: string; full?: string; stream?: 'log' | 'warn' | 'error' }
  | { kind: 'grid'; label?: string; rows: string[][]; note?: string; full?: string }
  | { kind: 'heatmap'; label?: string; values: number[][]; min: number; max: number; note?: string };

/** Most rows and columns a grid shows before it is cut. */
export const GRID_ROWS = 24;
export const GRID_COLS = 16;
/** Most characters a text item shows before "Show all". */
export const TEXT_LIMIT = 2_000;
/** Most characters kept for "Show all"; beyond this the output is cut for good. */
export { FULL_LIMIT };

/** A number as a reader wants to see it: integers whole, others to 4 significant decimals, tiny or huge in e-form. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(n, -0)) return '0';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-4 || a >= 1e15)) return n.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(n.toFixed(4)));
}

/** True for an array of numbers (typed arrays included). */
export function isNumberArray(v: unknown): v is ArrayLike<number> {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return true;
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

/** True for a non-empty array of number arrays of one length (a matrix). */
export function isMatrix(v: unknown): v is ArrayLike<number>[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every(isNumberArray)) return false;
  const w = (v[0] as ArrayLike<number>).length;
  return v.every((r) => (r as ArrayLike<number>).length === w);
}

/** An engine tensor ({ shape, data }) turned into nested arrays so it prints like one. */
function tensorToNested(v: unknown): unknown {
  const t = v as { shape?: unknown; data?: unknown };
  if (!t || typeof t !== 'object' || !Array.isArray(t.shape) || !(t.data instanceof Float64Array)) return v;
  const shape = t.shape as number[];
  const data = t.data;
  const build = (dim: number, offset: number): unknown => {
    if (dim === shape.length) return data[offset];
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[dim]! }, (_, i) => build(dim + 1, offset + i * stride));
  };
  return shape.length === 0 ? data[0] : build(0, 0);
}

/** Formats one value given to show() or console.log(). `heatmap` draws a matrix as colours with its numbers. */
export function formatValue(value: unknown, opts: { label?: string; heatmap?: boolean } = {}): OutputItem[] {
  const v = tensorToNested(value);
  const label = opts.label;
  if (isMatrix(v)) return [matrixItem(v, label, opts.heatmap === true)];
  if (isNumberArray(v)) return [gridItem([Array.from(v)], label)];
  if (Array.isArray(v) && v.length > 0 && v.every(isMatrix)) {
    const shown = v.slice(0, 8).flatMap((m, i) => formatValue(m, { ...opts, label: `${label ?? ''}[${i}]` }));
    if (v.length > 8) shown.push({ kind: 'text', text: `… and ${v.length - 8} more matrices` });
    return shown;
  }
  const text = (label ? `${label}: ` : '') + inspect(v);
  return [textItem(text)];
}

/** console.log-style line: strings as they are, everything else inspected, separated by spaces. */
export function formatLog(args: unknown[], stream: 'log' | 'warn' | 'error' = 'log'): OutputItem {
  const parts = args.map((a) => (typeof a === 'string' ? a : inspect(tensorToNested(a))));
  const item = textItem(parts.join(' '));
  return item.kind === 'text' ? { ...item, stream } : item;
}

function textItem(text: string): OutputItem {
  if (text.length <= TEXT_LIMIT) return { kind: 'text', text };
  const full =
    text.length > FULL_LIMIT
      ? `${text.slice(0, FULL_LIMIT)}\n… (cut at ${FULL_LIMIT.toLocaleString('en-US')} characters)`
      : text;
  return { kind: 'text', text: `${text.slice(0, TEXT_LIMIT)} …`, full };
}

function gridItem(rows: number[][], label?: string): OutputItem {
  const cutRows = rows.length > GRID_ROWS;
  const cutCols = rows.some((r) => r.length > GRID_COLS);
  const shown = rows.slice(0, GRID_ROWS).map((r) => {
    const cells = r.slice(0, GRID_COLS).map(formatNumber);
    if (r.length > GRID_COLS) cells.push('…');
    return cells;
  });
  const item: OutputItem = { kind: 'grid', rows: shown };
  if (label !== undefined) item.label = label;
  if (cutRows || cutCols) {
    const width = rows[0]?.length ?? 0;
    item.note =
      rows.length === 1
        ? `${width} values; first ${GRID_COLS} shown`
        : `${rows.length}×${width}; top-left ${Math.min(rows.length, GRID_ROWS)}×${Math.min(width, GRID_COLS)} shown`;
    item.full = fullText(rows);
  }
  return item;
}

function fullText(rows: number[][]): string {
  let out = '';
  for (const r of rows) {
    out += r.map(formatNumber).join('\t') + '\n';
    if (out.length > FULL_LIMIT)
      return `${out.slice(0, FULL_LIMIT)}\n… (cut at ${FULL_LIMIT.toLocaleString('en-US')} characters)`;
  }
  return out;
}

function matrixItem(m: ArrayLike<number>[], label: string | undefined, heatmap: boolean): OutputItem {
  const rows = m.map((r) => Array.from(r));
  if (!heatmap) return gridItem(rows, label);
  const cut = rows.slice(0, 64).map((r) => r.slice(0, 64));
  let min = Infinity;
  let max = -Infinity;
  for (const r of cut) for (const x of r) if (Number.isFinite(x)) [min, max] = [Math.min(min, x), Math.max(max, x)];
  if (min === Infinity) [min, max] = [0, 0];
  const item: OutputItem = { kind: 'heatmap', values: cut, min, max };
  if (label !== undefined) item.label = label;
  if (rows.length > 64 || rows[0]!.length > 64) item.note = `${rows.length}×${rows[0]!.length}; top-left 64×64 shown`;
  return item;
}

/** A readable one-line rendering of any value (like Node's util.inspect, much smaller), never longer than ~FULL_LIMIT. */
export function inspect(v: unknown, depth = 0, seen: Set<unknown> = new Set()): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return depth === 0 ? v : JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}…` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined || v === null || typeof v === 'boolean' || typeof v === 'symbol') return String(v);
  if (typeof v === 'function') return `[function ${v.name || '(anonymous)'}]`;
  if (seen.has(v)) return '[circular]';
  if (depth > 4) return Array.isArray(v) ? '[…]' : '{…}';
  seen.add(v);
  try {
    if (v instanceof Error) return `${v.name}: ${v.message}`;
    if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      const arr = v as ArrayLike<unknown>;
      const n = Math.min(arr.length, 100);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(inspect(arr[i], depth + 1, seen));
      if (arr.length > n) parts.push(`… ${arr.length - n} more`);
      return `[${parts.join(', ')}]`;
    }
    const entries = Object.entries(v as object).slice(0, 50);
    return `{ ${entries.map(([k, x]) => `${k}: ${inspect(x, depth + 1, seen)}`).join(', ')} }`;
  } catch {
    return Object.prototype.toString.call(v);
  } finally {
    seen.delete(v);
  }
}
