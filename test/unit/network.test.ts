import { describe, expect, test } from 'vitest';
import { EngineError } from '../../src/lib/engine/errors.ts';
import { squaredError } from '../../src/lib/engine/loss.ts';
import { channelsLast } from '../../src/lib/engine/model-summary.ts';
import { Sequential, evaluate, trainEpoch, type LayerSpec } from '../../src/lib/engine/network.ts';
import { summarizeLayers } from '../../src/lib/explain/shape-walk.ts';
import { Adam, SGD } from '../../src/lib/engine/optim.ts';
import { conv2dParamCount, denseParamCount } from '../../src/lib/engine/params.ts';
import { Rng, randomTensor } from '../../src/lib/engine/rng.ts';
import { tensor, wrap, type Tensor } from '../../src/lib/engine/tensor.ts';
import { engineModel } from '../../src/ml/presets.ts';
import { expectClose } from './helpers.ts';

/** LeNet for 28x28 digits with 3x3 kernels, as the chapters build it: the lab catalogue's `lenet5-3x3`. */
const LENET_3X3: readonly LayerSpec[] = engineModel('lenet5-3x3').layers;

describe('Sequential.summary', () => {
  test('LeNet x=[1,28,28] 3x3 kernels: conv 60 and 880, dense 48,120, 10,164 and 850 parameters', () => {
    const model = new Sequential([1, 28, 28], LENET_3X3, { seed: 1 });
    const rows = model.summary();
    expect(rows.map((r) => r.layer)).toEqual([
      'conv1',
      'pool1',
      'conv2',
      'pool2',
      'flatten',
      'dense120',
      'dense84',
      'output',
    ]);
    expect(rows.map((r) => r.outputShape)).toEqual([
      [6, 26, 26],
      [6, 13, 13],
      [16, 11, 11],
      [16, 5, 5],
      [400],
      [120],
      [84],
      [10],
    ]);
    expect(rows.map((r) => r.params)).toEqual([60, 0, 880, 0, 0, 48120, 10164, 850]);
    expect(rows.map((r) => r.kind)).toEqual([
      'Conv2D 6@3x3 valid, relu',
      'Max pool 2x2',
      'Conv2D 16@3x3 valid, relu',
      'Max pool 2x2',
      'Flatten',
      'Dense 120, relu',
      'Dense 84, relu',
      'Dense 10',
    ]);
    expect(model.paramCount()).toBe(60 + 880 + 48120 + 10164 + 850);
    // The counts come from the tensors the model really holds, not only from the formulas.
    expect(model.params().reduce((s, p) => s + p.value.data.length, 0)).toBe(model.paramCount());
  });

  test('conv2dParamCount and denseParamCount: K*C*kh*kw + K and in*out + out', () => {
    expect(conv2dParamCount(1, 6, 3, 3)).toBe(60);
    expect(conv2dParamCount(6, 16, 3, 3)).toBe(880);
    expect(conv2dParamCount(6, 16, 3, 3, false)).toBe(864);
    expect(denseParamCount(400, 120)).toBe(48120);
    expect(denseParamCount(84, 10, false)).toBe(840);
    expect(() => conv2dParamCount(0, 6, 3, 3)).toThrow(EngineError);
    expect(() => denseParamCount(2.5, 3)).toThrow(/whole number/);
  });
});

describe('Sequential initialisation', () => {
  test('same seed gives the same weights, another seed different ones', () => {
    const a = new Sequential([1, 28, 28], LENET_3X3, { seed: 3 }).params();
    const b = new Sequential([1, 28, 28], LENET_3X3, { seed: 3 }).params();
    const c = new Sequential([1, 28, 28], LENET_3X3, { seed: 4 }).params();
    a.forEach((p, i) => expect(Array.from(p.value.data)).toEqual(Array.from(b[i]!.value.data)));
    expect(Array.from(a[0]!.value.data)).not.toEqual(Array.from(c[0]!.value.data));
  });

  test('He: dense120 W=[120,400] has mean ~0 and std ~sqrt(2/400); biases start at 0', () => {
    const params = new Sequential([1, 28, 28], LENET_3X3, { seed: 5 }).params();
    const w = params.find((p) => p.name === 'dense120.w')!.value.data;
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    expectClose(mean, 0, 0.002);
    expectClose(std / Math.sqrt(2 / 400), 1, 0.02);
    expect(params.filter((p) => p.name.endsWith('.b')).every((p) => p.value.data.every((v) => v === 0))).toBe(true);
  });

  test('Glorot: dense120 W=[120,400] is uniform within sqrt(6/520), variance 2/520', () => {
    const params = new Sequential([1, 28, 28], LENET_3X3, { seed: 5, init: 'glorot' }).params();
    const w = params.find((p) => p.name === 'dense120.w')!.value.data;
    const limit = Math.sqrt(6 / 520);
    expect(w.every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(Math.max(...w)).toBeGreaterThan(0.99 * limit);
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expectClose(variance / (2 / 520), 1, 0.03);
  });
});

describe('Sequential forward/backward', () => {
  test('forward x=[5,1,28,28] gives logits [5,10]; predict gives 5 classes; backward replaces (not adds) gradients', () => {
    const model = new Sequential([1, 28, 28], LENET_3X3, { seed: 2 });
    const x = randomTensor([5, 1, 28, 28], new Rng(1), 0, 1);
    expect(model.forward(x).shape).toEqual([5, 10]);
    const classes = model.predict(x);
    expect(classes).toHaveLength(5);
    expect(classes.every((c) => Number.isInteger(c) && c >= 0 && c < 10)).toBe(true);
    const dy = randomTensor([5, 10], new Rng(2));
    model.forward(x);
    const dx = model.backward(dy);
    expect(dx.shape).toEqual([5, 1, 28, 28]);
    const first = model.params().map((p) => Array.from(p.grad.data));
    model.forward(x);
    model.backward(dy);
    model.params().forEach((p, i) => expect(Array.from(p.grad.data)).toEqual(first[i]));
  });

  test("conv 'gemm' (im2col + GEMM) = conv 'direct' on the lab's LeNet-5, x=[4,1,28,28]: logits, dx and every gradient", () => {
    const layers = engineModel('lenet5').layers;
    const direct = new Sequential([1, 28, 28], layers, { seed: 3 });
    const gemm = new Sequential([1, 28, 28], layers, { seed: 3, conv: 'gemm' });
    const x = randomTensor([4, 1, 28, 28], new Rng(4), 0, 1);
    const dy = randomTensor([4, 10], new Rng(5));
    expectClose(gemm.forward(x), direct.forward(x), 1e-12);
    expectClose(gemm.backward(dy), direct.backward(dy), 1e-12);
    const names = direct.params().map((p) => p.name);
    expect(gemm.params().map((p) => p.name)).toEqual(names);
    gemm.params().forEach((p, i) => expectClose(p.grad, direct.params()[i]!.grad, 1e-12));
    expect(() => new Sequential([1, 28, 28], layers, { seed: 3, conv: 'fft' as 'gemm' })).toThrow(
      /conv path must be 'direct' or 'gemm', got fft/,
    );
  });

  test('bad models and inputs throw EngineError with a readable message', () => {
    expect(() => new Sequential([1, 8, 8], [{ type: 'dense', units: 3 }], { seed: 1 })).toThrow(/flatten/);
    expect(() => new Sequential([1, 4, 4], [{ type: 'conv2d', filters: 2, kernel: 5 }], { seed: 1 })).toThrow(
      /padded input/,
    );
    expect(() => new Sequential([1, 4, 4], [{ type: 'flatten' }, { type: 'maxPool', size: 2 }], { seed: 1 })).toThrow(
      EngineError,
    );
    expect(() => new Sequential([1, 4, 4], [], { seed: 1 })).toThrow(/at least one layer/);
    const typo = [{ type: 'flatten' }, { type: 'dense', units: 2, activation: 'relu6' }] as unknown as LayerSpec[];
    expect(() => new Sequential([1, 4, 4], typo, { seed: 1 })).toThrow(/dense_1: unknown activation "relu6"/);
    const model = new Sequential([1, 4, 4], [{ type: 'flatten' }, { type: 'dense', units: 2 }], { seed: 1 });
    expect(() => model.backward(tensor([1, 2]))).toThrow(/forward before backward/);
    expect(() => model.forward(tensor([1, 1, 5, 4]))).toThrow(/expects images of shape \[1, 4, 4\]/);
    const xs = tensor([3, 1, 4, 4]);
    expect(() => trainEpoch(model, new SGD(0.1), xs, [0, 1], { batchSize: 2, rng: new Rng(1) })).toThrow(
      /3 images but 2 labels/,
    );
  });
});

describe('learning a known kernel back from examples', () => {
  test('conv2d 1 filter 1x2 on x=[1,1,16] learns the edge detector [1,-1] (bias 0) to within 1e-3', () => {
    const rng = new Rng(42);
    const N = 16;
    const count = 128;
    const xs = randomTensor([count, 1, 1, N], rng);
    // Targets by the definition y[i] = x[i] - x[i+1], not by the engine's conv.
    const ys = tensor([count, 1, 1, N - 1]);
    for (let e = 0; e < count; e++) {
      for (let i = 0; i < N - 1; i++) ys.data[e * (N - 1) + i] = xs.data[e * N + i]! - xs.data[e * N + i + 1]!;
    }
    const model = new Sequential([1, 1, N], [{ type: 'conv2d', filters: 1, kernel: [1, 2] }], { seed: 7 });
    const opt = new SGD(0.02, { momentum: 0.9 });
    const batch = 16;
    for (let epoch = 0; epoch < 30; epoch++) {
      for (let start = 0; start < count; start += batch) {
        const x = slice(xs, start, batch);
        const { doutput } = squaredError(model.forward(x), slice(ys, start, batch));
        for (let i = 0; i < doutput.data.length; i++) doutput.data[i] = doutput.data[i]! / batch; // mean over the batch
        model.backward(doutput);
        opt.step(model.params());
      }
    }
    const [w, b] = model.params();
    expect(w!.value.shape).toEqual([1, 1, 1, 2]);
    expectClose(w!.value, tensor([1, 1, 1, 2], [1, -1]), 1e-3);
    expectClose(b!.value.data[0]!, 0, 1e-3);
  });
});

/** Examples start..start+n of [N, ...] as a batch. */
function slice(t: Tensor, start: number, n: number): Tensor {
  const per = t.data.length / t.shape[0]!;
  return wrap([n, ...t.shape.slice(1)], t.data.slice(start * per, (start + n) * per));
}

/**
 * Seeded 12x12 images of three classes, each at a random place with Gaussian noise (std 0.2):
 * 0 = a bar (horizontal or vertical, 5-8 long), 1 = a cross (a plus with arms of 2), 2 = four scattered dots.
 */
function shapesData(count: number, rng: Rng): { xs: Tensor; labels: number[] } {
  const S = 12;
  const xs = tensor([count, 1, S, S]);
  const labels: number[] = [];
  for (let e = 0; e < count; e++) {
    const label = e % 3;
    labels.push(label);
    const img = xs.data.subarray(e * S * S, (e + 1) * S * S);
    const on = (y: number, x: number): void => {
      img[y * S + x] = 1;
    };
    if (label === 0) {
      const len = rng.int(5, 9);
      const a = rng.int(0, S - len + 1);
      const b = rng.int(0, S);
      const vertical = rng.next() < 0.5;
      for (let i = 0; i < len; i++) on(vertical ? a + i : b, vertical ? b : a + i);
    } else if (label === 1) {
      const cy = rng.int(2, S - 2);
      const cx = rng.int(2, S - 2);
      for (let d = -2; d <= 2; d++) {
        on(cy + d, cx);
        on(cy, cx + d);
      }
    } else {
      for (let k = 0; k < 4; k++) on(rng.int(0, S), rng.int(0, S));
    }
    for (let i = 0; i < img.length; i++) img[i] = img[i]! + 0.2 * rng.normal();
  }
  return { xs, labels };
}

describe('training a small conv net on a seeded synthetic task', () => {
  test('bars vs crosses vs dots x=[600,1,12,12]: >= 95 % held-out accuracy on 300 new images, in under 10 s', () => {
    const rng = new Rng(2024);
    const train = shapesData(600, rng);
    const held = shapesData(300, rng);
    const model = new Sequential(
      [1, 12, 12],
      [
        { type: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'relu' },
        { type: 'maxPool', size: 2 },
        { type: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'relu' },
        { type: 'maxPool', size: 2 },
        // A 3x3 max-pool over the 3x3 maps is a global max: "is there a junction anywhere?", wherever the shape sits.
        { type: 'maxPool', size: 3 },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
      { seed: 11 },
    );
    const opt = new Adam(0.01, { weightDecay: 1e-4 });
    const before = evaluate(model, held.xs, held.labels);
    let last = { loss: Infinity, accuracy: 0 };
    for (let epoch = 0; epoch < 10; epoch++)
      last = trainEpoch(model, opt, train.xs, train.labels, { batchSize: 32, rng });
    const after = evaluate(model, held.xs, held.labels);
    expect(before.accuracy).toBeLessThan(0.6);
    expect(last.loss).toBeLessThan(before.loss);
    expect(after.accuracy).toBeGreaterThanOrEqual(0.95);
  }, 10_000);
});

describe('summarizeLayers (no weights) gives the rows of Sequential.summary()', () => {
  // Every layer type and setting the summary has words for: strides, dilation, each padding form, no bias.
  const cases: {
    name: string;
    input: [number, number, number];
    layers: LayerSpec[];
    names: string[];
    kinds: string[];
  }[] = [
    {
      name: 'x=[3,9,9] conv k=3 p=1 s=2, avg pool 2 s=1, activation, flatten, dense no bias',
      input: [3, 9, 9],
      layers: [
        { type: 'conv2d', name: 'c', filters: 4, kernel: 3, padding: 1, stride: 2, activation: 'tanh' },
        { type: 'avgPool', size: 2, stride: 1 },
        { type: 'activation', activation: 'sigmoid' },
        { type: 'flatten' },
        { type: 'dense', units: 5, bias: false },
      ],
      names: ['c', 'avgPool_1', 'activation_1', 'flatten_1', 'dense_1'],
      kinds: [
        'Conv2D 4@3x3 pad 1 stride 2, tanh',
        'Average pool 2x2 stride 1',
        'Activation sigmoid',
        'Flatten',
        'Dense 5',
      ],
    },
    {
      name: "x=[2,7,8] conv k=[3,2] 'same' dilation 2 no bias, max pool 3 padding 1, conv per-side padding",
      input: [2, 7, 8],
      layers: [
        { type: 'conv2d', filters: 3, kernel: [3, 2], padding: 'same', dilation: 2, bias: false },
        { type: 'maxPool', size: 3, padding: 1 },
        { type: 'conv2d', filters: 2, kernel: 2, padding: { top: 1, bottom: 0, left: 0, right: 1 } },
      ],
      names: ['conv2d_1', 'maxPool_1', 'conv2d_2'],
      kinds: ['Conv2D 3@3x2 same dilation 2', 'Max pool 3x3 pad 1', 'Conv2D 2@2x2 pad 1,0,0,1'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const rows = summarizeLayers(c.input, c.layers);
      expect(rows).toEqual(new Sequential(c.input, c.layers, { seed: 1 }).summary());
      expect(rows.map((r) => r.kind)).toEqual(c.kinds);
      // A named layer keeps its name; an unnamed one is called <type>_<n>, counted per type.
      expect(rows.map((r) => r.layer)).toEqual(c.names);
    });
  }

  test('x=[1,4,4] conv k=5 does not fit, and dense before flatten: EngineError, as Sequential', () => {
    const tooBig: LayerSpec[] = [{ type: 'conv2d', filters: 1, kernel: 5 }];
    expect(() => summarizeLayers([1, 4, 4], tooBig)).toThrow(EngineError);
    expect(() => new Sequential([1, 4, 4], tooBig, { seed: 1 })).toThrow(EngineError);
    const noFlatten: LayerSpec[] = [{ type: 'dense', units: 3 }];
    expect(() => summarizeLayers([1, 4, 4], noFlatten)).toThrow(/flatten/);
    expect(() => new Sequential([1, 4, 4], noFlatten, { seed: 1 })).toThrow(/flatten/);
  });

  test('channelsLast: [C, H, W] -> [H, W, C]; flat shapes unchanged', () => {
    expect(channelsLast([6, 28, 27])).toEqual([28, 27, 6]);
    expect(channelsLast([400])).toEqual([400]);
  });
});
