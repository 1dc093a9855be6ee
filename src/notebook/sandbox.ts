/**
 * The notebook's "kernel": runs compiled cells inside one shared scope, the way a Jupyter kernel keeps the
 * functions of earlier cells. Lookups go through `with (scope)`, so a function defined in one cell sees the
 * latest version of a function from another cell when it is called, not the one that existed when it was defined.
 *
 * Layers, nearest first: the chapter's cells -> an exercise's prerequisites (the reader's passed functions or the
 * course's) -> the helpers (lib, show, console) -> guards that replace the worker's own messaging. Runs in a Web
 * Worker in the browser and in plain Node in the unit tests; never on the page's main thread.
 */
import { compileCell, type CompiledCell, type SourcePosition } from './compile.ts';
import { originalPosition } from './source-map.ts';

/** What running a cell defined, and where a thrown error came from. */
export interface RunOutcome {
  /** Top-level names the cell (re)defined in the scope. */
  defined: string[];
}

/** An error raised by the reader's code, described in words, with its place in that code when known. */
export class CellRuntimeError extends Error {
  readonly position: SourcePosition | null;
  /** Id of the cell the failing line belongs to (an earlier cell when a function from it failed). */
  readonly cellId: string | null;
  constructor(message: string, position: SourcePosition | null, cellId: string | null) {
    super(message);
    this.name = 'CellRuntimeError';
    this.position = position;
    this.cellId = cellId;
  }
}

const PREFIX = 'with (__scope) { return (function () { "use strict"; __hooks.grab = () => { const __o = {}; ';

/** Lines the Function constructor and our one-line prefix put before the reader's first line (measured once). */
let lineOffset: number | null = null;

function measureOffset(): number {
  if (lineOffset !== null) return lineOffset;
  try {
    build('throw new Error("probe")', [], 'probe')({}, {});
  } catch (err) {
    const m = /probe\.js:(\d+):\d+/.exec(String((err as Error).stack));
    lineOffset = m ? Number(m[1]) - 1 : 3;
  }
  return lineOffset ?? 3;
}

function build(js: string, names: readonly string[], file: string): (scope: object, hooks: object) => unknown {
  const grabs = names.map((n) => `try { __o[${JSON.stringify(n)}] = ${n}; } catch {}`).join(' ');
  const body = `${PREFIX}${grabs} return __o; };\n${js}\n})(); }\n//# sourceURL=${file}.js`;
  return new Function('__scope', '__hooks', body) as (scope: object, hooks: object) => unknown;
}

/** Names the reader must not shadow the worker's own with, and the reason shown if their code calls them. */
const GUARDED: Record<string, string> = {
  close: 'close() would end the notebook; a cell cannot stop its own worker.',
  postMessage: 'postMessage is reserved for the notebook; print with show(...) or console.log(...).',
  importScripts: 'Cells cannot load scripts; the course engine is available as `lib`.',
  fetch: 'Cells do not use the network; everything an exercise needs is already here.',
  XMLHttpRequest: 'Cells do not use the network; everything an exercise needs is already here.',
  WebSocket: 'Cells do not use the network; everything an exercise needs is already here.',
  Worker: 'Cells cannot start workers.',
  onmessage: 'onmessage is reserved for the notebook.',
};

function guards(): Record<string, unknown> {
  const g: Record<string, unknown> = Object.create(null);
  for (const [name, why] of Object.entries(GUARDED)) {
    g[name] = () => {
      throw new Error(why);
    };
  }
  g['onmessage'] = undefined;
  return g;
}

/**
 * One notebook scope. `helpers` are the globals every cell sees (lib, show, console); `setPrerequisites` swaps
 * in the functions an exercise builds on.
 */
export class NotebookScope {
  /** The chapter's own definitions, nearest layer. */
  readonly vars: Record<string, unknown>;
  private readonly helpers: Record<string, unknown>;
  private readonly cells = new Map<string, CompiledCell>();
  private runs = 0;

  constructor(helpers: Record<string, unknown>) {
    this.helpers = Object.assign(Object.create(guards()) as Record<string, unknown>, helpers);
    this.vars = Object.create(this.helpers) as Record<string, unknown>;
  }

  /**
   * Replaces the prerequisite layer (between the chapter's cells and the helpers) with the functions `pick`ed from
   * each source, evaluated in order so a later one can call an earlier one. Other names in those sources stay
   * private to them.
   */
  setPrerequisites(list: readonly { label: string; source: string; pick: readonly string[] }[]): void {
    const layer = Object.create(this.helpers) as Record<string, unknown>;
    for (const p of list) {
      const defs = this.evaluate(p.label, p.source, layer);
      for (const name of p.pick) if (name in defs) layer[name] = defs[name];
    }
    Object.setPrototypeOf(this.vars, layer);
  }

  /** Removes every definition the chapter's cells made (a restarted kernel). */
  clear(): void {
    for (const key of Object.keys(this.vars)) delete this.vars[key];
  }

  /**
   * Compiles and runs one cell; its top-level names go into the scope, even when it throws half-way (what it
   * defined before the error stays, as in a notebook). Throws CellSyntaxError or CellRuntimeError.
   */
  run(cellId: string, source: string): RunOutcome {
    const compiled = compileCell(source);
    const file = `cell-${safeId(cellId)}-${++this.runs}`;
    this.cells.set(file, compiled);
    const hooks: { grab?: () => Record<string, unknown> } = {};
    const fn = build(compiled.js, compiled.names, file);
    try {
      fn(this.vars, hooks);
    } catch (err) {
      this.adopt(hooks.grab?.() ?? {});
      throw this.describe(err);
    }
    const defined = hooks.grab?.() ?? {};
    this.adopt(defined);
    return { defined: Object.keys(defined) };
  }

  /** Runs `source` with `scope` as its outer scope and returns what it defines at the top level. */
  private evaluate(label: string, source: string, scope: Record<string, unknown>): Record<string, unknown> {
    const compiled = compileCell(source);
    const file = `cell-${safeId(label)}-${++this.runs}`;
    this.cells.set(file, compiled);
    const hooks: { grab?: () => Record<string, unknown> } = {};
    build(compiled.js, compiled.names, file)(scope, hooks);
    return hooks.grab?.() ?? {};
  }

  private adopt(defs: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(defs)) this.vars[k] = v;
  }

  /** Turns anything thrown into a CellRuntimeError that names the line in the reader's code. */
  describe(err: unknown): CellRuntimeError {
    if (err instanceof CellRuntimeError) return err;
    const where = this.locate(err);
    return new CellRuntimeError(explainThrown(err), where?.position ?? null, where?.cellId ?? null);
  }

  private locate(err: unknown): { position: SourcePosition; cellId: string } | null {
    const stack = err instanceof Error ? String(err.stack ?? '') : '';
    const offset = measureOffset();
    for (const m of stack.matchAll(/(cell-([\w-]+?)-(\d+))\.js:(\d+):(\d+)/g)) {
      const compiled = this.cells.get(m[1]!);
      if (!compiled) continue;
      const line = Number(m[4]) - offset;
      if (line < 1) continue;
      return { position: originalPosition(compiled.map, line, Number(m[5]) - 1), cellId: m[2]! };
    }
    return null;
  }
}

function safeId(id: string): string {
  return id.replace(/[^\w]/g, '_');
}

/** The message for a thrown value, with the causes a learner most often meets spelled out. */
export function explainThrown(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return 'The call stack overflowed: a function calls itself without end (check the recursion stops).';
  }
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  let shown: string;
  try {
    shown = typeof err === 'string' ? JSON.stringify(err) : String(err);
  } catch {
    shown = Object.prototype.toString.call(err);
  }
  return `Your code threw ${shown.slice(0, 200)} (a ${err === null ? 'null' : typeof err}), not an Error; throw new Error("…") carries a message and a line.`;
}
