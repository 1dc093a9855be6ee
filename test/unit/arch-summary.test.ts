/**
 * summarizeArchitecture against published counts nobody here computed: AlexNet 60,965,224 parameters (Caffe's
 * bvlc_alexnet), VGG-16 138,357,544 and 15.47 G multiply-adds (torchvision's model table), ResNet-18 11,689,512 and
 * 1.81 G (torchvision), inception (3a) 128 M multiply-adds (Szegedy et al. 2015, Table 1), and the NiN shapes D2L
 * §8.3 prints; plus the depthwise-separable saving and bad input.
 */
import { describe, expect, test } from 'vitest';
import {
  ALEXNET,
  ARCHITECTURES,
  EngineError,
  INCEPTION_3A,
  NIN,
  RESNET18,
  RESNET_BASIC_BLOCK,
  RESNET_BOTTLENECK,
  VGG16,
  architectureTotals,
  receptiveField,
  summarizeArchitecture,
  type ArchRow,
} from '../../src/lib/index.ts';

const rowsOf = (a: (typeof ARCHITECTURES)[number]) => summarizeArchitecture(a.input, a.layers);
const row = (rows: ArchRow[], name: string) => rows.find((r) => r.name === name)!;

describe('published totals', () => {
  test('AlexNet (two-GPU groups, 227x227): 60,965,224 parameters; maps 55, 27, 27, 13, 13, 13, 13, 6', () => {
    const rows = rowsOf(ALEXNET);
    expect(architectureTotals(rows).params).toBe(60_965_224);
    const sides = ['conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'conv4', 'conv5', 'pool5'].map(
      (n) => row(rows, n).outputShape[1],
    );
    expect(sides).toEqual([55, 27, 27, 13, 13, 13, 13, 6]);
    expect(row(rows, 'flatten').outputShape).toEqual([9216]);
    // Almost all of the weights are in the dense layers.
    expect(row(rows, 'fc6').params).toBe(37_752_832);
  });

  test('VGG-16: 138,357,544 parameters and 15.47 G multiply-adds (torchvision)', () => {
    const t = architectureTotals(rowsOf(VGG16));
    expect(t.params).toBe(138_357_544);
    expect(t.macs / 1e9).toBeCloseTo(15.47, 2);
  });

  test('ResNet-18: 11,689,512 parameters (batch-norm γ and β included) and 1.81 G multiply-adds (torchvision)', () => {
    const rows = rowsOf(RESNET18);
    const t = architectureTotals(rows);
    expect(t.params).toBe(11_689_512);
    expect(t.macs / 1e9).toBeCloseTo(1.81, 2);
    expect(row(rows, 'layer4_1').outputShape).toEqual([512, 7, 7]);
  });

  test('inception (3a): 28x28x256 out of 28x28x192, 128 M multiply-adds (Szegedy et al., Table 1)', () => {
    const rows = rowsOf(INCEPTION_3A);
    const block = row(rows, 'inception_3a');
    expect(block.outputShape).toEqual([256, 28, 28]);
    expect(Math.round(block.macs / 1e6)).toBe(128);
    // With biases; the paper's 159 K counts a little differently, the weights alone are 163,328.
    expect(block.params).toBe(163_696);
    expect(row(rows, '5x5').macs).toBe(28 * 28 * 32 * 16 * 25);
  });

  test('NiN as D2L §8.3 prints it: 96x54x54, 96x26x26, 256x26x26, 256x12x12, 384x12x12, 384x5x5, 10x5x5, 10x1x1, 10', () => {
    const rows = rowsOf(NIN).filter((r) => r.depth === 0);
    expect(rows.map((r) => r.outputShape)).toEqual([
      [96, 54, 54],
      [96, 26, 26],
      [256, 26, 26],
      [256, 12, 12],
      [384, 12, 12],
      [384, 5, 5],
      [10, 5, 5],
      [10, 1, 1],
      [10],
    ]);
  });
});

describe('per-layer arithmetic', () => {
  test('a block row sums its layers; the bottleneck has 69,632 weights + 1,024 batch-norm numbers', () => {
    const rows = rowsOf(RESNET_BOTTLENECK);
    const block = row(rows, 'bottleneck');
    const inner = rows.filter((r) => r.depth === 1);
    expect(block.params).toBe(inner.reduce((s, r) => s + r.params, 0));
    expect(block.params).toBe(256 * 64 + 64 * 64 * 9 + 64 * 256 + 2 * (64 + 64 + 256));
    expect(block.outputShape).toEqual([256, 56, 56]);
  });

  test('receptive fields follow receptiveField(): AlexNet conv1..pool5 and the basic block (two 3x3 on top of 1 = 5)', () => {
    const rows = rowsOf(ALEXNET);
    const stack = [
      { kernel: 11, stride: 4 },
      { kernel: 3, stride: 2 },
      { kernel: 5 },
      { kernel: 3, stride: 2 },
      { kernel: 3 },
      { kernel: 3 },
      { kernel: 3 },
      { kernel: 3, stride: 2 },
    ];
    const expected = receptiveField(stack).layers.map((l) => l.size);
    const names = ['conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'conv4', 'conv5', 'pool5'];
    expect(names.map((n) => row(rows, n).receptiveField)).toEqual(expected);
    expect(row(rows, 'fc6').receptiveField).toBeNull();
    expect(row(rowsOf(RESNET_BASIC_BLOCK), 'block').receptiveField).toBe(5);
  });

  test('depthwise separable: a 3x3 depthwise conv (groups = channels) plus a 1x1 conv has ~1/K + 1/9 of the weights', () => {
    const C = 128,
      K = 128;
    const full = summarizeArchitecture(
      [C, 28, 28],
      [{ type: 'conv', name: 'full', filters: K, kernel: 3, padding: 1, bias: false }],
    );
    const separable = summarizeArchitecture(
      [C, 28, 28],
      [
        { type: 'conv', name: 'dw', filters: C, kernel: 3, padding: 1, groups: C, bias: false },
        { type: 'conv', name: 'pw', filters: K, kernel: 1, bias: false },
      ],
    );
    expect(full[0]!.params).toBe(9 * C * K);
    expect(architectureTotals(separable).params).toBe(9 * C + C * K);
    expect(architectureTotals(separable).params / full[0]!.params).toBeCloseTo(1 / K + 1 / 9, 12);
  });
});

describe('bad input', () => {
  test.each([
    ['a kernel larger than the map', [{ type: 'conv', name: 'c', filters: 1, kernel: 9 }], 'kernel'],
    [
      'groups that do not divide the channels',
      [{ type: 'conv', name: 'c', filters: 4, kernel: 1, groups: 3 }],
      'groups',
    ],
    ['dense before flatten', [{ type: 'dense', name: 'd', units: 3 }], 'layers'],
    [
      'a residual whose shapes differ',
      [{ type: 'residual', name: 'r', body: [{ type: 'conv', name: 'c', filters: 8, kernel: 1 }] }],
      'layers',
    ],
    ['an unknown layer', [{ type: 'lstm', name: 'x' }], 'layers'],
  ] as [string, unknown[], string][])('%s throws EngineError (field %s)', (_n, layers, field) => {
    try {
      summarizeArchitecture([4, 5, 5], layers as never);
      expect.fail('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).field).toBe(field);
    }
  });
});
