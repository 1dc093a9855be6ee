import type { ActivationName } from './activations.ts';
import { EngineError } from './errors.ts';
import type { InitScheme } from './init.ts';
import { Fused, cached, reluSignature, type Layer, type LayerSpec } from './layer-contract.ts';
import { Conv2dLayer, DenseLayer } from './layers-weighted.ts';
import type { ParamRef } from './optim.ts';
import { pool2dBatch, pool2dBatchBackward, type PoolKind, type PoolOptions } from './pool.ts';
import type { Rng } from './rng.ts';
import { shapeString, tensor, wrap, type Tensor } from './tensor.ts';

export type { Layer, LayerSpec } from './layer-contract.ts';

class PoolLayer implements Layer {
  readonly outputShape: readonly number[];
  readonly paramCount = 0;
  private readonly kind: PoolKind;
  private readonly opts: PoolOptions;
  private x: Tensor | null = null;
  private argmax: Int32Array | null = null;
  readonly name: string;
  readonly type: 'maxPool' | 'avgPool';

  constructor(
    name: string,
    type: 'maxPool' | 'avgPool',
    inShape: readonly number[],
    spec: Extract<LayerSpec, { type: 'maxPool' | 'avgPool' }>,
  ) {
    this.name = name;
    this.type = type;
    this.kind = type === 'maxPool' ? 'max' : 'avg';
    this.opts = {
      size: spec.size,
      ...(spec.stride === undefined ? {} : { stride: spec.stride }),
      padding: spec.padding ?? 0,
    };
    this.outputShape = pool2dBatch(tensor([1, ...inShape]), this.kind, this.opts).y.shape.slice(1);
  }

  forward(x: Tensor): Tensor {
    this.x = x;
    const r = pool2dBatch(x, this.kind, this.opts);
    this.argmax = r.argmax;
    return r.y;
  }

  backward(dy: Tensor): Tensor {
    return pool2dBatchBackward(cached(this.x, this.name), this.kind, this.opts, dy, this.argmax);
  }

  params(): ParamRef[] {
    return [];
  }

  signature(): string {
    return this.argmax === null ? '' : this.argmax.join(',');
  }
}

class FlattenLayer implements Layer {
  readonly type = 'flatten';
  readonly outputShape: readonly number[];
  readonly paramCount = 0;
  private inShape: readonly number[] | null = null;
  readonly name: string;

  constructor(name: string, inShape: readonly number[]) {
    this.name = name;
    this.outputShape = [inShape.reduce((a, b) => a * b, 1)];
  }

  forward(x: Tensor): Tensor {
    this.inShape = x.shape;
    // Row-major data is already in flattened order: only the shape changes (no copy).
    return wrap([x.shape[0]!, this.outputShape[0]!], x.data);
  }

  backward(dy: Tensor): Tensor {
    return wrap(cached(this.inShape, this.name), dy.data);
  }

  params(): ParamRef[] {
    return [];
  }

  signature(): string {
    return '';
  }
}

class ActivationLayer implements Layer {
  readonly type = 'activation';
  readonly paramCount = 0;
  private readonly fused: Fused;
  readonly name: string;
  readonly outputShape: readonly number[];

  constructor(name: string, outputShape: readonly number[], act: ActivationName) {
    this.name = name;
    this.outputShape = outputShape;
    this.fused = new Fused(act, name);
  }

  forward(x: Tensor): Tensor {
    return this.fused.forward(x);
  }

  backward(dy: Tensor): Tensor {
    return this.fused.backward(dy, this.name);
  }

  params(): ParamRef[] {
    return [];
  }

  signature(): string {
    return reluSignature(this.fused.z, this.fused.act);
  }
}

/** Builds one layer for inputs of shape `inShape` (one example, no batch axis); `convPath` as in Sequential. */
export function buildLayer(
  name: string,
  inShape: readonly number[],
  spec: LayerSpec,
  init: InitScheme,
  rng: Rng,
  convPath: 'direct' | 'gemm' = 'direct',
): Layer {
  const needsImage = (what: string): void => {
    if (inShape.length !== 3) {
      throw new EngineError(
        'layers',
        `${name} (${what}) needs [channels, height, width] inputs but gets ${shapeString(inShape)}; put it before the flatten layer.`,
      );
    }
  };
  switch (spec.type) {
    case 'conv2d':
      needsImage('conv2d');
      return new Conv2dLayer(name, inShape, spec, init, rng, convPath);
    case 'maxPool':
    case 'avgPool':
      needsImage(spec.type);
      return new PoolLayer(name, spec.type, inShape, spec);
    case 'flatten':
      return new FlattenLayer(name, inShape);
    case 'dense':
      return new DenseLayer(name, inShape, spec, init, rng);
    case 'activation':
      return new ActivationLayer(name, inShape, spec.activation);
    default:
      throw new EngineError('layers', `Unknown layer type "${String((spec as { type: unknown }).type)}".`);
  }
}
