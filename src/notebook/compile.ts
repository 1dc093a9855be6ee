/**
 * Turns the reader's TypeScript into JavaScript a worker can run, and finds what it declares at the top level
 * (those names go into the notebook scope). Sucrase strips the types and keeps every line where it was; acorn
 * then parses the result to list the declarations and to catch the syntax errors Sucrase lets through. Pure: no
 * DOM, no worker API, so the same code runs in the unit tests.
 */
import { parse, type Node, type Pattern } from 'acorn';
import { transform } from 'sucrase';
import { originalPosition, type SourceMapV3 } from './source-map.ts';

import { MAX_SOURCE_CHARS } from './constants.ts';

export { MAX_SOURCE_CHARS };

/** A cell ready to run: plain JavaScript on the same lines as the reader's code, and its top-level names. */
export interface CompiledCell {
  js: string;
  /** Functions, classes and variables declared at the top level, in source order. */
  names: string[];
  /** Maps a position in `js` back to the reader's code (columns move where types were removed). */
  map: SourceMapV3;
}

/** Where in the reader's code something went wrong (1-based line and column). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Why a cell could not be compiled, in the reader's terms, with the position when one is known. */
export class CellSyntaxError extends Error {
  readonly position: SourcePosition | null;
  constructor(message: string, position: SourcePosition | null) {
    super(message);
    this.name = 'CellSyntaxError';
    this.position = position;
  }
}

/** Transpiles and inspects one cell. Throws CellSyntaxError for anything the reader must fix first. */
export function compileCell(source: string): CompiledCell {
  if (typeof source !== 'string') throw new CellSyntaxError('The cell holds no code.', null);
  if (source.length > MAX_SOURCE_CHARS) {
    throw new CellSyntaxError(
      `This cell is ${source.length.toLocaleString('en-US')} characters long; a cell may hold at most ` +
        `${MAX_SOURCE_CHARS.toLocaleString('en-US')}. Was something pasted by mistake?`,
      null,
    );
  }
  const moduleSyntax = /^[ \t]*(import\s*[\w{*'"]|export\s)/m.exec(source);
  if (moduleSyntax) {
    const line = source.slice(0, moduleSyntax.index).split('\n').length;
    throw new CellSyntaxError(explainSyntax("'import' and 'export' may appear only with 'sourceType: module'"), {
      line,
      column: moduleSyntax[0].length - moduleSyntax[0].trimStart().length + 1,
    });
  }
  let js: string;
  let map: SourceMapV3;
  try {
    const out = transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      filePath: 'cell.ts',
      sourceMapOptions: { compiledFilename: 'cell.js' },
    });
    js = out.code;
    map = out.sourceMap as unknown as SourceMapV3;
  } catch (err) {
    throw sucraseError(err);
  }
  let program: Node & { body: Node[] };
  try {
    program = parse(js, { ecmaVersion: 'latest', sourceType: 'script', locations: true }) as typeof program;
  } catch (err) {
    throw acornError(err, map);
  }
  const dynamicImport = findNode(program, 'ImportExpression');
  if (dynamicImport) {
    const loc = (dynamicImport as Node & { loc: { start: { line: number; column: number } } }).loc.start;
    throw new CellSyntaxError(
      'Cells cannot load code with import(): the course engine is already available as `lib`.',
      originalPosition(map, loc.line, loc.column),
    );
  }
  return { js, names: topLevelNames(program), map };
}

/** The first node of this type anywhere in the tree (depth first), or null. */
function findNode(node: unknown, type: string): Node | null {
  if (!node || typeof node !== 'object') return null;
  if ((node as Node).type === type) return node as Node;
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && 'type' in child) {
        const found = findNode(child, type);
        if (found) return found;
      }
    }
  }
  return null;
}

/** Sucrase reports "Unexpected token (2:12)" with a 1-based column; keep the words, move the place to `position`. */
function sucraseError(err: unknown): CellSyntaxError {
  const e = err as { message?: string; loc?: { line: number; column: number } };
  const message = String(e.message ?? err)
    .replace(/^Error transforming [^:]*:\s*/, '')
    .replace(/\s*\(\d+:\d+\)\s*$/, '');
  const position = e.loc ? { line: e.loc.line, column: Math.max(1, e.loc.column) } : null;
  return new CellSyntaxError(explainSyntax(message), position);
}

/** Acorn reports a 0-based column on the compiled code; map it back to the reader's code. */
function acornError(err: unknown, map: SourceMapV3): CellSyntaxError {
  const e = err as { message?: string; loc?: { line: number; column: number } };
  const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)\s*$/, '');
  const position = e.loc ? originalPosition(map, e.loc.line, e.loc.column) : null;
  return new CellSyntaxError(explainSyntax(message), position);
}

/** A few parser messages reworded for someone who has not met them before. */
function explainSyntax(message: string): string {
  if (/'import' and 'export' may appear only with 'sourceType: module'/.test(message)) {
    return 'Cells cannot import or export: the course engine is already available as `lib`, and functions from earlier cells are in scope.';
  }
  if (/^Unexpected token$/.test(message)) return 'Syntax error: unexpected token (a bracket, comma or operator).';
  if (/Unterminated string/.test(message)) return 'Syntax error: a string is not closed (a missing quote).';
  return `Syntax error: ${message.charAt(0).toLowerCase()}${message.slice(1)}.`.replace(/\.\.$/, '.');
}

/** Names bound by the program's top-level statements (function, class, var/let/const with any destructuring). */
function topLevelNames(program: { body: Node[] }): string[] {
  const names: string[] = [];
  const add = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  for (const stmt of program.body) {
    const s = stmt as Node & {
      id?: { name: string } | null;
      declarations?: { id: Pattern }[];
    };
    if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id) add(s.id.name);
    if (s.type === 'VariableDeclaration') for (const d of s.declarations ?? []) patternNames(d.id, add);
  }
  return names;
}

function patternNames(p: Pattern, add: (n: string) => void): void {
  switch (p.type) {
    case 'Identifier':
      add(p.name);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties) patternNames(prop.type === 'RestElement' ? prop.argument : prop.value, add);
      break;
    case 'ArrayPattern':
      for (const el of p.elements) if (el) patternNames(el, add);
      break;
    case 'RestElement':
      patternNames(p.argument, add);
      break;
    case 'AssignmentPattern':
      patternNames(p.left, add);
      break;
    default:
      break;
  }
}
