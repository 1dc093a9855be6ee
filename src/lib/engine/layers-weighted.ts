/**
 * The layers with weights (conv2d, dense) and the activation that may follow them; Sequential builds them
 * through buildLayer in layers.ts.
 */
import { conv2dBatch, conv2dBatchBackward, conv2dGeometry, type Conv2dOptions } from './conv2d.ts';
import { conv2dGemm, conv2dGemmBackward } from './conv2d-gemm.ts';
import { dense, denseBackward } from './dense.ts';
import { EngineError } from './errors.ts';
import { fans, initWeights, type InitScheme } from './init.ts';
import { Fused, cached, reluSignature, type Layer, type LayerSpec } from './layer-contract.ts';
import type { ParamRef } from './optim.ts';
import { conv2dParamCount, denseParamCount } from './params.ts';
import type { Rng } from './rng.ts';
import { shapeString, tensor, type Tensor } from './tensor.ts';

export class Conv2dLayer implements Layer {
  readonly type = 'conv2d';
  readonly outputShape: readonly number[];
  readonly paramCount: number;
  readonly w: ParamRef;
  readonly b: ParamRef | null;
  private readonly opts: Conv2dOptions;
  private readonly fused: Fused;
  private x: Tensor | null = null;
  readonly name: string;
  /** Which of the engine's two equal conv implementations runs: the direct loops or im2col + GEMM. */
  private readonly ops: { forward: typeof conv2dBatch; backward: typeof conv2dBatchBackward };

  /** @param path 'direct' (the loops chapter 3 teaches) or 'gemm' (chapter 11's im2col + GEMM, faster on LeNet) */
  constructor(
    name: string,
    inShape: readonly number[],
    spec: Extract<LayerSpec, { type: 'conv2d' }>,
    init: InitScheme,
    rng: Rng,
    path: 'direct' | 'gemm' = 'direct',
  ) {
    this.name = name;
    this.ops =
      path === 'gemm'
        ? { forward: conv2dGemm, backward: conv2dGemmBackward }
        : { forward: conv2dBatch, backward: conv2dBatchBackward };
    const [kh, kw] = typeof spec.kernel === 'number' ? [spec.kernel, spec.kernel] : spec.kernel;
    const C = inShape[0]!;
    this.paramCount = conv2dParamCount(C, spec.filters, kh, kw, spec.bias ?? true);
    this.opts = { stride: spec.stride ?? 1, padding: spec.padding ?? 0, dilation: spec.dilation ?? 1 };
    const wShape = [spec.filters, C, kh, kw];
    const { fanIn, fanOut } = fans(wShape);
    this.w = {
      name: `${name}.w`,
      value: initWeights(wShape, fanIn, fanOut, init, rng),
      grad: tensor(wShape),
      decay: true,
    };
    this.b =
      spec.bias === false
        ? null
        : { name: `${name}.b`, value: tensor([spec.filters]), grad: tensor([spec.filters]), decay: false };
    this.fused = new Fused(spec.activation ?? 'identity', name);
    // Validates the geometry (kernel vs padded input) and gives the output shape.
    const g = conv2dGeometry([1, ...inShape], wShape, this.opts);
    this.outputShape = [spec.filters, g.OH, g.OW];
  }

  forward(x: Tensor): Tensor {
    this.x = x;
    return this.fused.forward(this.ops.forward(x, this.w.value, this.b?.value ?? null, this.opts));
  }

  backward(dy: Tensor): Tensor {
    const dz = this.fused.backward(dy, this.name);
    const g = this.ops.backward(cached(this.x, this.name), this.w.value, dz, this.opts);
    this.w.grad.data.set(g.dw.data);
    this.b?.grad.data.set(g.db.data);
    return g.dx;
  }

  params(): ParamRef[] {
    return this.b === null ? [this.w] : [this.w, this.b];
  }

  signature(): string {
    return reluSignature(this.fused.z, this.fused.act);
  }
}

export class DenseLayer implements Layer {
  readonly type = 'dense';
  readonly outputShape: readonly number[];
  readonly paramCount: number;
  readonly w: ParamRef;
  readonly b: ParamRef | null;
  private readonly fused: Fused;
  private x: Tensor | null = null;
  readonly name: string;

  constructor(
    name: string,
    inShape: readonly number[],
    spec: Extract<LayerSpec, { type: 'dense' }>,
    init: InitScheme,
    rng: Rng,
  ) {
    this.name = name;
    if (inShape.length !== 1) {
      throw new EngineError(
        'layers',
        `${name} needs a flat input but gets ${shapeString(inShape)} per example; add { type: 'flatten' } before it.`,
      );
    }
    const n = inShape[0]!;
    this.paramCount = denseParamCount(n, spec.units, spec.bias ?? true);
    const wShape = [spec.units, n];
    this.w = {
      name: `${name}.w`,
      value: initWeights(wShape, n, spec.units, init, rng),
      grad: tensor(wShape),
      decay: true,
    };
    this.b =
      spec.bias === false
        ? null
        : { name: `${name}.b`, value: tensor([spec.units]), grad: tensor([spec.units]), decay: false };
    this.fused = new Fused(spec.activation ?? 'identity', name);
    this.outputShape = [spec.units];
  }

  forward(x: Tensor): Tensor {
    this.x = x;
    return this.fused.forward(dense(x, this.w.value, this.b?.value ?? null));
  }

  backward(dy: Tensor): Tensor {
    const dz = this.fused.backward(dy, this.name);
    const g = denseBackward(cached(this.x, this.name), this.w.value, dz);
    this.w.grad.data.set(g.dw.data);
    this.b?.grad.data.set(g.db.data);
    return g.dx;
  }

  params(): ParamRef[] {
    return this.b === null ? [this.w] : [this.w, this.b];
  }

  signature(): string {
    return reluSignature(this.fused.z, this.fused.act);
  }
}
