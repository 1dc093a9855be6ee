import { describe, expect, it } from 'vitest';
import { parseNumberList, parseMatrix } from '../../components/internal/parse.ts';
import { fmt, tex } from '../../components/internal/format.ts';
import { parseDivisor } from '../../components/kernel-playground/kernel-grid.ts';

// The two helpers every widget reads input and shows numbers through: what they refuse and how they print.
describe('parseNumberList', () => {
  it('reads commas, spaces, semicolons and a typographic minus', () => {
    expect(parseNumberList('0, 1  2;−3, 1e-3', { name: 'x' })).toEqual({ ok: true, value: [0, 1, 2, -3, 0.001] });
  });

  const refused: [text: string, message: RegExp][] = [
    ['', /Enter x as numbers/],
    ['1, two', /“two” \(entry 2 of x\) is not a number/],
    ['NaN', /not a finite number/],
    ['-Infinity', /not a finite number/],
    ['1e308, 1', /“1e308” \(entry 1 of x\) is too large: keep entries between −1,000,000 and 1,000,000/],
    ['1, -2000000', /entry 2 of x\) is too large/],
    [Array.from({ length: 65 }, () => '1').join(','), /at most 64 numbers; you gave 65/],
    // An empty entry between two separators is said, not dropped (issue 15).
    ['1,,2', /^X has an empty entry after entry 1 \(two commas with nothing between them\)/],
    ['1, 2 ; ; 3', /^X has an empty entry after entry 2 /],
    [', 1, 2', /^X starts with an empty entry/],
  ];
  for (const [text, message] of refused) {
    it(`refuses ${JSON.stringify(text.slice(0, 20))} in words`, () => {
      const r = parseNumberList(text, { name: 'x' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    });
  }

  it('accepts a trailing separator (the next number is still to come)', () => {
    expect(parseNumberList('1, 2,', { name: 'x' })).toEqual({ ok: true, value: [1, 2] });
    expect(parseNumberList(' 1 2 ; ', { name: 'x' })).toEqual({ ok: true, value: [1, 2] });
  });

  it('accepts the bound itself and a wider bound when a widget asks for one', () => {
    expect(parseNumberList('1000000, -1000000', { name: 'x' }).ok).toBe(true);
    expect(parseNumberList('5e7', { name: 'x', maxAbs: 1e8 }).ok).toBe(true);
  });

  it('applies the bound to every row of a matrix', () => {
    const r = parseMatrix('1 2; 3 1e9', { name: 'the kernel', maxRows: 5, maxCols: 5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/entry 2 of row 2 of the kernel\) is too large/);
  });
});

describe('parseDivisor', () => {
  it('says what the field wants in words, not "must be one" (read as "must be 1")', () => {
    const r = parseDivisor('abc');
    expect(r).toEqual({
      ok: false,
      message: '“abc” is not a number: type the number to divide every entry by (1 for none).',
    });
  });
});

describe('fmt', () => {
  const cases: [value: number, shown: string][] = [
    [8, '8'],
    [-1, '\u22121'],
    [0.1234, '0.123'],
    [2.5, '2.5'],
    [-0, '0'],
    // Too small for three decimals: two significant digits, not a 0 the engine did not compute.
    [0.0004, '0.0004'],
    [-0.00042, '\u22120.00042'],
    [1.5e-9, '1.5e\u22129'],
    // Float64 rounding noise stays 0.
    [0.1 + 0.2 - 0.3, '0'],
    [NaN, '—'],
    [Infinity, '—'],
  ];
  for (const [value, shown] of cases) {
    it(`shows ${value} as ${shown}`, () => expect(fmt(value)).toBe(shown));
  }

  it('gives TeX an ASCII minus everywhere, including in an exponent', () => {
    expect(tex(-1.5e-9)).toBe('-1.5e-9');
    expect(tex(-2, 3, true)).toBe('(-2)');
  });
});
