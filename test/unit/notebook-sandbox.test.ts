/**
 * The notebook's kernel: compile errors and runtime errors point at the reader's own line and column, cells share
 * one scope with notebook semantics, and the worker's messaging cannot be reached from a cell.
 */
import { describe, expect, test } from 'vitest';
import { CellSyntaxError, compileCell } from '../../src/notebook/compile.ts';
import { CellRuntimeError } from '../../src/notebook/sandbox.ts';
import { testScope } from './notebook-kit.ts';

function runError(source: string, scope = testScope()): CellRuntimeError {
  try {
    scope.run('a', source);
  } catch (err) {
    if (err instanceof CellRuntimeError) return err;
    throw err;
  }
  throw new Error('expected the cell to throw');
}

function syntaxError(source: string): CellSyntaxError {
  try {
    compileCell(source);
  } catch (err) {
    if (err instanceof CellSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a syntax error');
}

describe('compileCell', () => {
  test('strips types, keeps lines, and lists top-level names (destructuring included)', () => {
    const c = compileCell(
      'function f(x: number[]): number {\n  return x.length;\n}\nconst { a, b: [c] } = { a: 1, b: [2] };\nlet d: string = "x";\nclass E {}\n',
    );
    expect(c.names).toEqual(['f', 'a', 'c', 'd', 'E']);
    expect(c.js.split('\n')[1]).toBe('  return x.length;');
    expect(c.js).not.toContain('number');
  });
  test('a TypeScript syntax error names the reader’s line and column', () => {
    const e = syntaxError('let x = 1;\nlet y = x +;\n');
    expect(e.position).toEqual({ line: 2, column: 12 });
    expect(e.message).toMatch(/^Syntax error/);
  });
  test('a JavaScript-level error acorn finds maps back through removed types', () => {
    // `break` outside a loop parses in Sucrase but not in acorn; the type annotation before it shifts columns.
    const e = syntaxError('const a: number = 1; break;\n');
    expect(e.position?.line).toBe(1);
    expect(e.position?.column).toBe(22);
  });
  test('import and import() are refused with a pointer to lib', () => {
    const e = syntaxError("const a = 1;\nimport x from 'y';");
    expect(e.message).toMatch(/lib/);
    expect(e.position?.line).toBe(2);
    expect(syntaxError("const m = import('https://example.com/x.js');").message).toMatch(/import\(\)/);
    expect(syntaxError("function f() { return import('./x.js'); }").message).toMatch(/import\(\)/);
  });
  test('1 MB of pasted text is refused before parsing', () => {
    expect(syntaxError('x'.repeat(1_000_000)).message).toMatch(/at most 100,000/);
  });
});

describe('NotebookScope', () => {
  test('a runtime error gives the reader’s line and column, after typed lines', () => {
    const e = runError('const a: number[] = [1, 2];\nconst b: number = 3;\nnull.foo;\n');
    expect(e.position).toEqual({ line: 3, column: 6 });
    expect(e.message).toMatch(/TypeError/);
  });
  test('an error inside a function from an earlier cell names that cell and line', () => {
    const scope = testScope();
    scope.run('first', 'function boom(): number {\n  throw new Error("no");\n}\n');
    const e = runError('boom();', scope);
    expect(e.cellId).toBe('first');
    expect(e.position?.line).toBe(2);
  });
  test('throw 42 is explained', () => {
    expect(runError('throw 42;').message).toMatch(/threw 42 \(a number\), not an Error/);
  });
  test('endless recursion is named', () => {
    expect(runError('function f(n: number): number { return f(n + 1) + 1; }\nf(0);').message).toMatch(
      /call stack overflowed/,
    );
  });
  test('a later cell sees the latest definition from an earlier one (lookups happen at call time)', () => {
    const scope = testScope();
    scope.run('a', 'function g() { return 1; }');
    scope.run('b', 'function h() { return g() + 10; }');
    expect((scope.vars['h'] as () => number)()).toBe(11);
    scope.run('a', 'function g() { return 2; }');
    expect((scope.vars['h'] as () => number)()).toBe(12);
  });
  test('what a cell defined before it threw stays defined', () => {
    const scope = testScope();
    runError('function kept() { return 7; }\nconst early = 1;\nthrow new Error("late");\nconst never = 2;', scope);
    expect((scope.vars['kept'] as () => number)()).toBe(7);
    expect(scope.vars['early']).toBe(1);
    expect('never' in scope.vars).toBe(false);
  });
  test('close, postMessage and fetch are guarded with a message', () => {
    expect(runError('close();').message).toMatch(/cannot stop its own worker/);
    expect(runError('postMessage(1);').message).toMatch(/reserved for the notebook/);
    expect(runError('fetch("x");').message).toMatch(/network/);
  });
  test('strict mode: assigning an undeclared name is an error, not a global', () => {
    expect(runError('undeclared = 3;').message).toMatch(/ReferenceError/);
  });
  test('prerequisites sit below the chapter’s own definitions', () => {
    const scope = testScope();
    scope.setPrerequisites([
      {
        label: 'a',
        source: 'function helper() { return "course"; }\nfunction dep() { return helper(); }',
        pick: ['dep'],
      },
      { label: 'b', source: 'function twice() { return dep() + dep(); }', pick: ['twice'] },
    ]);
    scope.run('c', 'const both = twice();');
    expect(scope.vars['both']).toBe('coursecourse');
    expect(() => scope.run('d', 'helper();')).toThrow(/helper is not defined/);
    scope.run('a', 'const seen = dep();');
    expect(scope.vars['seen']).toBe('course');
    scope.run('b', 'function dep() { return "mine"; }\nconst again = dep();');
    expect(scope.vars['again']).toBe('mine');
  });
  test('lib is the course engine', () => {
    const scope = testScope();
    scope.run('a', 'const y = lib.conv1d([0, 1, 2, 3, 4], [1, -1, 2], { mode: "valid" }).y;');
    // True convolution of the chapter's worked example, valid part: the flipped kernel (2, −1, 1) slides.
    expect(scope.vars['y']).toEqual([1, 3, 5]);
  });
});
