import { EngineError } from './errors.ts';

/** A dense, row-major float64 array with a shape. `data[i]` for index (a,b,c) is at ((a*B)+b)*C+c. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** Number of elements in a tensor of this shape (1 for the scalar shape []). Throws on non-whole or negative dims. */
export function size(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (!Number.isInteger(d) || d < 0) {
      throw new EngineError(
        'shape',
        `Shape [${shape.join(', ')}] is not valid: dimension ${i} is ${d}, and each dimension must be a whole number of at least 0.`,
      );
    }
    n *= d;
  }
  return n;
}

/**
 * Most values one tensor may hold: 2^28 float64s (2 GiB). Far above anything the course builds (all of MNIST's
 * training images are 47 million values); a larger shape is a typo, and allocating it would crash the page.
 */
export const MAX_TENSOR_SIZE = 2 ** 28;

/**
 * Makes a tensor; copies `data` if given (so later edits to the source do not leak in), zeros otherwise.
 * Throws if the number of values does not match the shape, or exceeds MAX_TENSOR_SIZE.
 */
export function tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor {
  if (!Array.isArray(shape)) throw new EngineError('shape', 'The shape must be a list of dimensions, e.g. [2, 3].');
  const n = size(shape);
  if (n > MAX_TENSOR_SIZE) {
    throw new EngineError(
      'shape',
      `Shape [${shape.join(', ')}] has ${n.toLocaleString('en-US')} values, more than one tensor may hold ` +
        `(${MAX_TENSOR_SIZE.toLocaleString('en-US')}, 2 GiB); check the dimensions.`,
    );
  }
  if (data === undefined) return { shape: [...shape], data: new Float64Array(n) };
  if (data.length !== n) {
    throw new EngineError('shape', `Shape [${shape.join(', ')}] needs ${n} values, but ${data.length} were given.`);
  }
  return { shape: [...shape], data: Float64Array.from(data) };
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[]): Tensor {
  return tensor(shape);
}

/** Wraps an existing Float64Array without copying (engine-internal fast path; the caller hands over ownership). */
export function wrap(shape: readonly number[], data: Float64Array): Tensor {
  const n = size(shape);
  if (data.length !== n) {
    throw new EngineError('shape', `Shape [${shape.join(', ')}] needs ${n} values, but ${data.length} were given.`);
  }
  return { shape: [...shape], data };
}

/** A copy with a new shape of the same size (row-major order is kept). */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  const n = size(shape);
  if (n !== t.data.length) {
    throw new EngineError(
      'shape',
      `Cannot reshape [${t.shape.join(', ')}] (${t.data.length} values) to [${shape.join(', ')}] (${n} values).`,
    );
  }
  return { shape: [...shape], data: Float64Array.from(t.data) };
}

type Nested = number | readonly Nested[];

/**
 * Builds a tensor from nested arrays, e.g. fromNested([[1, 2], [3, 4]]) has shape [2, 2].
 * Throws if the rows are ragged or an entry is not a number.
 */
export function fromNested(nested: number[] | number[][] | number[][][] | number[][][][]): Tensor {
  const shape: number[] = [];
  let probe: Nested = nested;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = (probe as readonly Nested[])[0]!;
  }
  const out: number[] = [];
  const walk = (node: Nested, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new EngineError('input', `Entry ${path} should be a number but is a list.`);
      out.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new EngineError(
        'input',
        `The nested lists are ragged: entry ${path || '(top)'} should have ${shape[depth]} items.`,
      );
    }
    (node as readonly Nested[]).forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(nested, 0, '');
  return tensor(shape, out);
}

/** The inverse of fromNested: nested plain arrays (a number for shape []). */
export function toNested(t: Tensor): unknown {
  const build = (depth: number, offset: number): unknown => {
    if (depth === t.shape.length) return t.data[offset]!;
    const n = t.shape[depth]!;
    let stride = 1;
    for (let i = depth + 1; i < t.shape.length; i++) stride *= t.shape[i]!;
    const rows: unknown[] = [];
    for (let i = 0; i < n; i++) rows.push(build(depth + 1, offset + i * stride));
    return rows;
  };
  return build(0, 0);
}

/** "[2, 3, 4]", for error messages. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Throws unless `t` is a tensor: an object with a `shape` array and Float64Array `data` holding exactly
 * size(shape) values. Catches null, undefined and plain arrays before any op reads `t.data`.
 */
export function assertTensor(t: Tensor, field: string, what: string): void {
  if (t === null || typeof t !== 'object' || !(t.data instanceof Float64Array) || !Array.isArray(t.shape)) {
    throw new EngineError(field, `${what} must be a tensor (shape + Float64Array data).`);
  }
  if (size(t.shape) !== t.data.length) {
    throw new EngineError(field, `${what} has shape ${shapeString(t.shape)} but ${t.data.length} values.`);
  }
}

/** Throws unless `t` is a tensor with `rank` dimensions, each at least 1. `what` names it in the message. */
export function assertRank(t: Tensor, rank: number, field: string, what: string, layout: string): void {
  if (t === null || typeof t !== 'object' || !(t.data instanceof Float64Array) || !Array.isArray(t.shape)) {
    throw new EngineError(field, `${what} must be a tensor (shape + Float64Array data).`);
  }
  if (t.shape.length !== rank) {
    throw new EngineError(
      field,
      `${what} must have ${rank} dimensions ${layout}, but its shape is ${shapeString(t.shape)}.`,
    );
  }
  if (size(t.shape) !== t.data.length) {
    throw new EngineError(field, `${what} has shape ${shapeString(t.shape)} but ${t.data.length} values.`);
  }
  for (const d of t.shape) {
    if (d < 1) throw new EngineError(field, `${what} has an empty dimension: shape ${shapeString(t.shape)}.`);
  }
}

/** Throws if any entry is NaN or infinite, naming the first bad index. */
export function assertFiniteTensor(t: Tensor, field: string, what: string): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v - v !== 0) {
      throw new EngineError(
        field,
        `${what} contains ${String(v)} at flat index ${i}; every entry must be a finite number.`,
      );
    }
  }
}

/** Throws unless two shapes are identical. */
export function assertSameShape(a: readonly number[], b: readonly number[], field: string, what: string): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new EngineError(field, `${what}: expected shape ${shapeString(a)}, got ${shapeString(b)}.`);
  }
}
