/**
 * Just enough of the source map format (v3) to map a place in the transpiled cell back to the reader's code.
 * Sucrase keeps lines, but a removed type annotation shifts later columns on its line; its map records each token.
 */

/** The parts of a v3 source map this module reads. */
export interface SourceMapV3 {
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one segment's base64 VLQ fields ("AAAA" -> [0, 0, 0, 0]). */
export function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    if (digit < 0) return out;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** [generatedColumn, sourceLine, sourceColumn] per segment, one list per generated line (all 0-based). */
export function decodeMappings(mappings: string): [number, number, number][][] {
  const lines: [number, number, number][][] = [];
  let srcLine = 0;
  let srcCol = 0;
  for (const line of mappings.split(';')) {
    const segs: [number, number, number][] = [];
    let genCol = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const f = decodeVlq(seg);
      genCol += f[0] ?? 0;
      if (f.length >= 4) {
        srcLine += f[2]!;
        srcCol += f[3]!;
        segs.push([genCol, srcLine, srcCol]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/**
 * The reader's position (1-based line and column) for a 1-based line and 0-based column in the compiled code.
 * Falls back to the same line when the map has nothing there (Sucrase never moves code between lines).
 */
export function originalPosition(map: SourceMapV3, line: number, column: number): { line: number; column: number } {
  const segs = decodeMappings(map.mappings)[line - 1] ?? [];
  let best: [number, number, number] | undefined;
  for (const s of segs) if (s[0] <= column) best = s;
  if (!best) return { line, column: column + 1 };
  return { line: best[1] + 1, column: best[2] + (column - best[0]) + 1 };
}
