import { describe, expect, test } from 'vitest';
import {
  EngineError,
  conv2d,
  conv2dBackward,
  conv2dParamCount,
  receptiveField,
  tensor,
  type Tensor,
  type WindowLayer,
} from '../../src/lib/index.ts';

/**
 * The receptive field measured instead of derived: push a one-hot gradient at one output back through a stack of
 * all-ones 1-channel convolutions (conv2dBackward) and see which input pixels receive any of it.
 * Returns the first and last input column that influence output column `ox` (in the middle row).
 */
function measuredField(layers: readonly WindowLayer[], width: number, ox: number): [number, number] {
  const kernels = layers.map((l) => tensor([1, 1, 1, l.kernel], new Array<number>(l.kernel).fill(1)));
  const opts = layers.map((l) => ({
    stride: [1, l.stride ?? 1] as [number, number],
    dilation: [1, l.dilation ?? 1] as [number, number],
  }));
  const inputs: Tensor[] = [];
  let a = tensor([1, 1, width], new Array<number>(width).fill(1));
  layers.forEach((_, i) => {
    inputs.push(a);
    a = conv2d(a, kernels[i]!, null, opts[i]!);
  });
  let g = tensor(a.shape);
  g.data[ox] = 1;
  for (let i = layers.length - 1; i >= 0; i--) g = conv2dBackward(inputs[i]!, kernels[i]!, g, opts[i]!).dx;
  const hit = Array.from(g.data.keys()).filter((i) => g.data[i]! !== 0);
  return [hit[0]!, hit[hit.length - 1]!];
}

describe('receptiveField', () => {
  test('two stacked 3x3 layers see 5 pixels, like one 5x5; three see 7 (VGG, Simonyan & Zisserman 2014)', () => {
    expect(receptiveField([{ kernel: 3 }, { kernel: 3 }])).toMatchObject({ size: 5, jump: 1 });
    expect(receptiveField([{ kernel: 5 }]).size).toBe(5);
    expect(receptiveField([{ kernel: 3 }, { kernel: 3 }, { kernel: 3 }]).size).toBe(7);
    // ... with fewer weights for C channels in and out: 2 * 9 C^2 < 25 C^2 (biases aside).
    expect(2 * conv2dParamCount(16, 16, 3, 3, false)).toBeLessThan(conv2dParamCount(16, 16, 5, 5, false));
  });

  test('LeNet 3x3: conv3, pool2/2, conv3, pool2/2 gives field 10 and jump 4, layer by layer', () => {
    const r = receptiveField([{ kernel: 3 }, { kernel: 2, stride: 2 }, { kernel: 3 }, { kernel: 2, stride: 2 }]);
    expect(r.layers).toEqual([
      { size: 3, jump: 1 },
      { size: 4, jump: 2 },
      { size: 8, jump: 2 },
      { size: 10, jump: 4 },
    ]);
  });

  const stacks: [string, WindowLayer[]][] = [
    ['k3 k3', [{ kernel: 3 }, { kernel: 3 }]],
    ['k3 s2, k3', [{ kernel: 3, stride: 2 }, { kernel: 3 }]],
    [
      'k5, k2 s2, k5, k2 s2 (LeNet)',
      [{ kernel: 5 }, { kernel: 2, stride: 2 }, { kernel: 5 }, { kernel: 2, stride: 2 }],
    ],
    [
      'k3 d2, k3 d4',
      [
        { kernel: 3, dilation: 2 },
        { kernel: 3, dilation: 4 },
      ],
    ],
    ['k1, k4 s3, k2 s2 d2', [{ kernel: 1 }, { kernel: 4, stride: 3 }, { kernel: 2, stride: 2, dilation: 2 }]],
  ];
  for (const [name, layers] of stacks) {
    test(`formula matches the field measured by backpropagation through conv2d: ${name}`, () => {
      const r = receptiveField(layers);
      const [lo, hi] = measuredField(layers, 64, 1);
      expect(hi - lo + 1).toBe(r.size);
      const [lo2] = measuredField(layers, 64, 2);
      expect(lo2 - lo).toBe(r.jump);
    });
  }

  test('bad layers throw EngineError with the layer named', () => {
    expect(() => receptiveField([])).toThrow(EngineError);
    expect(() => receptiveField([{ kernel: 3 }, { kernel: 0 }])).toThrow(/kernel size of layer 2 must be at least 1/);
    expect(() => receptiveField([{ kernel: 3, stride: 0 }])).toThrow(/stride of layer 1/);
    expect(() => receptiveField([{ kernel: 2.5 }])).toThrow(/whole number/);
  });
});
