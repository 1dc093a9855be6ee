/**
 * Shapes, parameters, multiply-adds and receptive fields of a network described as plain data, without building
 * it: the tables of the "Beyond LeNet" chapter (AlexNet, VGG, NiN, an inception block, residual blocks). Channels-
 * first like the rest of the engine. Branching blocks (inception's concatenation, ResNet's sum) nest layer lists.
 */
import { EngineError, assertInt } from './errors.ts';
import { outputSize, tfSamePadding } from './output-size.ts';

/** One layer or block. Layers without weights (ReLU, dropout, LRN, softmax) keep the shape and cost nothing here. */
export type ArchLayer =
  | {
      type: 'conv';
      name: string;
      filters: number;
      kernel: number;
      /** Default 1. */
      stride?: number;
      /** Zeros per side, or TensorFlow's 'same' / 'valid' (default 0). */
      padding?: number | 'same' | 'valid';
      /** Channel groups (default 1): AlexNet's two GPUs used 2; groups = channels is a depthwise convolution. */
      groups?: number;
      /** Default true. */
      bias?: boolean;
    }
  | { type: 'maxPool' | 'avgPool'; name: string; size: number; stride?: number; padding?: number }
  | { type: 'globalAvgPool' | 'flatten' | 'batchNorm' | 'relu' | 'dropout' | 'lrn' | 'softmax'; name: string }
  | { type: 'dense'; name: string; units: number; bias?: boolean }
  /** A named group of layers run one after the other (a VGG or NiN block), shown one level deeper. */
  | { type: 'block'; name: string; layers: readonly ArchLayer[] }
  /** Parallel branches on the same input, concatenated along channels (GoogLeNet's inception block). */
  | { type: 'concat'; name: string; branches: readonly (readonly ArchLayer[])[] }
  /** body(x) + shortcut(x) (the identity when `shortcut` is empty or absent), as in ResNet. */
  | { type: 'residual'; name: string; body: readonly ArchLayer[]; shortcut?: readonly ArchLayer[] };

/** One row of the table. */
export interface ArchRow {
  name: string;
  /** For display, e.g. "conv 96@11×11, stride 4". */
  kind: string;
  /** Nesting level: 0 for the network's own layers, 1 inside a block, ... */
  depth: number;
  /** Output of one example: [C, H, W], or [F] after flatten / dense. */
  outputShape: number[];
  /** Learnable numbers (weights + biases; γ and β for batch norm). A block row sums its inner layers. */
  params: number;
  /** Multiply-adds of one forward pass of one example (conv and dense layers; a block sums its layers). */
  macs: number;
  /** Input pixels one output sees along one axis, or null once every output sees the whole input. */
  receptiveField: number | null;
  /** Distance in input pixels between neighbouring outputs (the product of the strides so far). */
  jump: number;
}

interface Flow {
  shape: number[];
  rf: number | null;
  jump: number;
}

function kindOf(l: ArchLayer): string {
  switch (l.type) {
    case 'conv': {
      const extra = [
        (l.stride ?? 1) > 1 ? `stride ${l.stride}` : '',
        typeof l.padding === 'string' ? l.padding : l.padding ? `pad ${l.padding}` : '',
        (l.groups ?? 1) > 1 ? `${l.groups} groups` : '',
      ].filter(Boolean);
      return `conv ${l.filters}@${l.kernel}×${l.kernel}${extra.length ? `, ${extra.join(', ')}` : ''}`;
    }
    case 'maxPool':
    case 'avgPool': {
      const s = l.stride ?? l.size;
      return `${l.type === 'maxPool' ? 'max' : 'avg'} pool ${l.size}×${l.size}${s !== l.size ? `, stride ${s}` : ''}${l.padding ? `, pad ${l.padding}` : ''}`;
    }
    case 'dense':
      return `dense ${l.units}`;
    case 'globalAvgPool':
      return 'global avg pool';
    case 'batchNorm':
      return 'batch norm';
    case 'lrn':
      return 'local response norm';
    case 'block':
      return `${l.layers.length} layers`;
    case 'concat':
      return `concat ${l.branches.length} branches`;
    case 'residual':
      return l.shortcut && l.shortcut.length > 0 ? 'sum with projection' : 'sum with identity';
    default:
      return l.type;
  }
}

function spatial(f: Flow, name: string): [number, number, number] {
  if (f.shape.length !== 3)
    throw new EngineError('layers', `${name} needs an image input [C, H, W], not [${f.shape}].`);
  return f.shape as [number, number, number];
}

/** Walks `layers` from `flow`, appending rows; returns the flow after the last layer. */
function walk(layers: readonly ArchLayer[], flow: Flow, depth: number, rows: ArchRow[]): Flow {
  let f = flow;
  for (const l of layers) {
    if (l === null || typeof l !== 'object')
      throw new EngineError('layers', 'Each layer must be an object with a type.');
    const name = l.name;
    let params = 0;
    let macs = 0;
    const start = rows.length;
    switch (l.type) {
      case 'conv': {
        const [C, H, W] = spatial(f, name);
        const stride = l.stride ?? 1;
        const groups = l.groups ?? 1;
        assertInt(l.filters, 'filters', `The filters of ${name}`, 1);
        assertInt(groups, 'groups', `The groups of ${name}`, 1);
        if (C % groups !== 0 || l.filters % groups !== 0) {
          throw new EngineError(
            'groups',
            `${name}: ${groups} groups must divide both the ${C} input channels and the ${l.filters} filters.`,
          );
        }
        const along = (n: number) => {
          const p = l.padding ?? 0;
          const pad =
            p === 'same'
              ? tfSamePadding(n, l.kernel, stride)
              : p === 'valid'
                ? { before: 0, after: 0 }
                : { before: p, after: p };
          return outputSize(n, l.kernel, [pad.before, pad.after], stride).size;
        };
        const [OH, OW] = [along(H), along(W)];
        params = l.filters * (C / groups) * l.kernel * l.kernel + (l.bias === false ? 0 : l.filters);
        macs = OH * OW * l.filters * (C / groups) * l.kernel * l.kernel;
        f = { shape: [l.filters, OH, OW], rf: grow(f, l.kernel), jump: f.jump * stride };
        break;
      }
      case 'maxPool':
      case 'avgPool': {
        const [C, H, W] = spatial(f, name);
        const stride = l.stride ?? l.size;
        const p = l.padding ?? 0;
        f = {
          shape: [C, outputSize(H, l.size, p, stride).size, outputSize(W, l.size, p, stride).size],
          rf: grow(f, l.size),
          jump: f.jump * stride,
        };
        break;
      }
      case 'globalAvgPool': {
        const [C] = spatial(f, name);
        f = { shape: [C, 1, 1], rf: null, jump: f.jump };
        break;
      }
      case 'flatten':
        f = { ...f, shape: [f.shape.reduce((a, b) => a * b, 1)] };
        break;
      case 'dense': {
        if (f.shape.length !== 1) throw new EngineError('layers', `${name} needs a flat input; add a flatten layer.`);
        assertInt(l.units, 'units', `The units of ${name}`, 1);
        params = f.shape[0]! * l.units + (l.bias === false ? 0 : l.units);
        macs = f.shape[0]! * l.units;
        f = { shape: [l.units], rf: null, jump: f.jump };
        break;
      }
      case 'batchNorm':
        params = 2 * f.shape[0]!;
        break;
      case 'relu':
      case 'dropout':
      case 'lrn':
      case 'softmax':
        break;
      case 'block':
        f = walk(l.layers, f, depth + 1, rows);
        break;
      case 'concat': {
        if (l.branches.length === 0) throw new EngineError('layers', `${name} needs at least one branch.`);
        const outs = l.branches.map((b) => walk(b, f, depth + 1, rows));
        const [, H, W] = spatial(outs[0]!, name);
        for (const o of outs) {
          const [, h, w] = spatial(o, name);
          if (h !== H || w !== W) {
            throw new EngineError(
              'layers',
              `${name}: the branches must keep one size to be concatenated (${H}×${W} vs ${h}×${w}).`,
            );
          }
        }
        f = { shape: [outs.reduce((s, o) => s + o.shape[0]!, 0), H, W], rf: maxRf(outs), jump: outs[0]!.jump };
        break;
      }
      case 'residual': {
        const body = walk(l.body, f, depth + 1, rows);
        const short = walk(l.shortcut ?? [], f, depth + 1, rows);
        if (body.shape.join() !== short.shape.join()) {
          throw new EngineError(
            'layers',
            `${name}: the body gives [${body.shape}] but the shortcut [${short.shape}]; a sum needs equal shapes.`,
          );
        }
        f = { shape: body.shape, rf: maxRf([body, short]), jump: body.jump };
        break;
      }
      default:
        throw new EngineError('layers', `Unknown layer type "${String((l as { type: unknown }).type)}".`);
    }
    // A block's row comes after its inner rows and adds them up.
    for (const r of rows.slice(start))
      if (r.depth === depth + 1) {
        params += r.params;
        macs += r.macs;
      }
    rows.push({
      name,
      kind: kindOf(l),
      depth,
      outputShape: [...f.shape],
      params,
      macs,
      receptiveField: f.rf,
      jump: f.jump,
    });
  }
  return f;
}

function grow(f: Flow, kernel: number): number | null {
  assertInt(kernel, 'kernel', 'The kernel size', 1);
  return f.rf === null ? null : f.rf + (kernel - 1) * f.jump;
}

function maxRf(flows: Flow[]): number | null {
  return flows.some((o) => o.rf === null) ? null : Math.max(...flows.map((o) => o.rf!));
}

/**
 * One row per layer, first to last; a block's inner layers come just before the block's own row, one level deeper.
 * @param input one example's shape [C, H, W]
 * @throws EngineError when a layer does not fit its input
 */
export function summarizeArchitecture(
  input: readonly [number, number, number],
  layers: readonly ArchLayer[],
): ArchRow[] {
  if (!Array.isArray(input) || input.length !== 3) throw new EngineError('input', 'The input shape must be [C, H, W].');
  input.forEach((d, i) => assertInt(d, 'input', `Input dimension ${i}`, 1));
  if (!Array.isArray(layers) || layers.length === 0)
    throw new EngineError('layers', 'The network needs at least one layer.');
  const rows: ArchRow[] = [];
  walk(layers, { shape: [...input], rf: 1, jump: 1 }, 0, rows);
  return rows;
}

/** Totals of the top-level rows: { params, macs }. */
export function architectureTotals(rows: readonly ArchRow[]): { params: number; macs: number } {
  const top = rows.filter((r) => r.depth === 0);
  return { params: top.reduce((s, r) => s + r.params, 0), macs: top.reduce((s, r) => s + r.macs, 0) };
}
