/**
 * Classic architectures after LeNet as plain data for `summarizeArchitecture`, each as its paper (or the reference
 * implementation named beside it) describes it. ReLU and dropout layers are left out: they have no parameters and
 * keep the shape, and the tables are easier to read without them. The unit tests check the totals against the
 * published counts (AlexNet 60,965,224 as in Caffe's bvlc_alexnet, VGG-16 138,357,544 and ResNet-18 11,689,512 as in
 * torchvision, inception (3a) 128 M multiply-adds as in Szegedy et al.'s Table 1).
 */
import type { ArchLayer } from '../engine/arch-summary.ts';

/** One architecture: what it is, where its numbers come from, its input [C, H, W] and its layers. */
export interface Architecture {
  id: string;
  label: string;
  /** The paper and, where it differs from the paper, the implementation followed. */
  source: string;
  input: [number, number, number];
  layers: ArchLayer[];
}

const conv = (
  name: string,
  filters: number,
  kernel: number,
  extra: Partial<Extract<ArchLayer, { type: 'conv' }>> = {},
): ArchLayer => ({
  type: 'conv',
  name,
  filters,
  kernel,
  ...extra,
});
const maxPool = (name: string, size: number, stride = size, padding = 0): ArchLayer => ({
  type: 'maxPool',
  name,
  size,
  stride,
  padding,
});
const dense = (name: string, units: number): ArchLayer => ({ type: 'dense', name, units });
const bn = (name: string): ArchLayer => ({ type: 'batchNorm', name });

/** Krizhevsky, Sutskever & Hinton 2012, on 227×227 inputs (the paper's "224" does not fit its own sizes) with the two-GPU grouping. */
export const ALEXNET: Architecture = {
  id: 'alexnet',
  label: 'AlexNet',
  source: 'Krizhevsky et al. 2012; channel groups as in Caffe’s bvlc_alexnet',
  input: [3, 227, 227],
  layers: [
    conv('conv1', 96, 11, { stride: 4 }),
    { type: 'lrn', name: 'norm1' },
    maxPool('pool1', 3, 2),
    conv('conv2', 256, 5, { padding: 2, groups: 2 }),
    { type: 'lrn', name: 'norm2' },
    maxPool('pool2', 3, 2),
    conv('conv3', 384, 3, { padding: 1 }),
    conv('conv4', 384, 3, { padding: 1, groups: 2 }),
    conv('conv5', 256, 3, { padding: 1, groups: 2 }),
    maxPool('pool5', 3, 2),
    { type: 'flatten', name: 'flatten' },
    dense('fc6', 4096),
    dense('fc7', 4096),
    dense('fc8', 1000),
  ],
};

/** A VGG block: n 3×3 convolutions with padding 1, then 2×2 max pooling (Simonyan & Zisserman 2015, D2L §8.2). */
function vggBlock(index: number, convs: number, filters: number): ArchLayer {
  return {
    type: 'block',
    name: `block${index}`,
    layers: [
      ...Array.from({ length: convs }, (_, i) => conv(`conv${index}_${i + 1}`, filters, 3, { padding: 1 })),
      maxPool(`pool${index}`, 2),
    ],
  };
}

/** VGG-16 (configuration D). */
export const VGG16: Architecture = {
  id: 'vgg16',
  label: 'VGG-16',
  source: 'Simonyan & Zisserman 2015, configuration D; torchvision vgg16',
  input: [3, 224, 224],
  layers: [
    vggBlock(1, 2, 64),
    vggBlock(2, 2, 128),
    vggBlock(3, 3, 256),
    vggBlock(4, 3, 512),
    vggBlock(5, 3, 512),
    { type: 'flatten', name: 'flatten' },
    dense('fc6', 4096),
    dense('fc7', 4096),
    dense('fc8', 1000),
  ],
};

/** A NiN block: one ordinary convolution, then two 1×1 convolutions acting as a per-pixel MLP. */
function ninBlock(index: number, filters: number, kernel: number, stride: number, padding: number): ArchLayer {
  return {
    type: 'block',
    name: `nin${index}`,
    layers: [
      conv(`nin${index}_conv`, filters, kernel, { stride, padding }),
      conv(`nin${index}_1x1a`, filters, 1),
      conv(`nin${index}_1x1b`, filters, 1),
    ],
  };
}

/** Network in Network as D2L §8.3 builds it for 224×224 grey images and 10 classes: no dense layer at all. */
export const NIN: Architecture = {
  id: 'nin',
  label: 'Network in Network',
  source: 'Lin, Chen & Yan 2014; the version of D2L §8.3 (1×224×224 input, 10 classes)',
  input: [1, 224, 224],
  layers: [
    ninBlock(1, 96, 11, 4, 0),
    maxPool('pool1', 3, 2),
    ninBlock(2, 256, 5, 1, 2),
    maxPool('pool2', 3, 2),
    ninBlock(3, 384, 3, 1, 1),
    maxPool('pool3', 3, 2),
    ninBlock(4, 10, 3, 1, 1),
    { type: 'globalAvgPool', name: 'gap' },
    { type: 'flatten', name: 'flatten' },
  ],
};

/** GoogLeNet's inception (3a) on its 28×28×192 input: four branches, three of them with 1×1 reductions. */
export const INCEPTION_3A: Architecture = {
  id: 'inception-3a',
  label: 'Inception block (3a)',
  source: 'Szegedy et al. 2015, Table 1',
  input: [192, 28, 28],
  layers: [
    {
      type: 'concat',
      name: 'inception_3a',
      branches: [
        [conv('1x1', 64, 1)],
        [conv('3x3_reduce', 96, 1), conv('3x3', 128, 3, { padding: 1 })],
        [conv('5x5_reduce', 16, 1), conv('5x5', 32, 5, { padding: 2 })],
        [maxPool('pool', 3, 1, 1), conv('pool_proj', 32, 1)],
      ],
    },
  ],
};

/** ResNet's basic block (He et al. 2016): two 3×3 convolutions with batch norm; a 1×1 projection when the shape changes. */
export function basicBlock(name: string, filters: number, stride: number, project: boolean): ArchLayer {
  return {
    type: 'residual',
    name,
    body: [
      conv(`${name}_conv1`, filters, 3, { stride, padding: 1, bias: false }),
      bn(`${name}_bn1`),
      conv(`${name}_conv2`, filters, 3, { padding: 1, bias: false }),
      bn(`${name}_bn2`),
    ],
    shortcut: project ? [conv(`${name}_proj`, filters, 1, { stride, bias: false }), bn(`${name}_proj_bn`)] : [],
  };
}

/** One basic block at ResNet's first stage (56×56×64), identity shortcut. */
export const RESNET_BASIC_BLOCK: Architecture = {
  id: 'resnet-basic',
  label: 'Residual block (basic)',
  source: 'He et al. 2016, ResNet-18/34 stage conv2_x',
  input: [64, 56, 56],
  layers: [basicBlock('block', 64, 1, false)],
};

/** The bottleneck block of ResNet-50: 1×1 down to 64 channels, 3×3, 1×1 back up to 256. */
export const RESNET_BOTTLENECK: Architecture = {
  id: 'resnet-bottleneck',
  label: 'Residual block (bottleneck)',
  source: 'He et al. 2016, ResNet-50 stage conv2_x',
  input: [256, 56, 56],
  layers: [
    {
      type: 'residual',
      name: 'bottleneck',
      body: [
        conv('reduce', 64, 1, { bias: false }),
        bn('bn1'),
        conv('conv3x3', 64, 3, { padding: 1, bias: false }),
        bn('bn2'),
        conv('expand', 256, 1, { bias: false }),
        bn('bn3'),
      ],
    },
  ],
};

/** ResNet-18 as torchvision builds it (for the totals; the chapter's table shows the blocks). */
export const RESNET18: Architecture = {
  id: 'resnet18',
  label: 'ResNet-18',
  source: 'He et al. 2016; torchvision resnet18',
  input: [3, 224, 224],
  layers: [
    conv('conv1', 64, 7, { stride: 2, padding: 3, bias: false }),
    bn('bn1'),
    maxPool('pool1', 3, 2, 1),
    basicBlock('layer1_0', 64, 1, false),
    basicBlock('layer1_1', 64, 1, false),
    basicBlock('layer2_0', 128, 2, true),
    basicBlock('layer2_1', 128, 1, false),
    basicBlock('layer3_0', 256, 2, true),
    basicBlock('layer3_1', 256, 1, false),
    basicBlock('layer4_0', 512, 2, true),
    basicBlock('layer4_1', 512, 1, false),
    { type: 'globalAvgPool', name: 'gap' },
    { type: 'flatten', name: 'flatten' },
    dense('fc', 1000),
  ],
};

/** Every architecture the chapter can show, by id. */
export const ARCHITECTURES: readonly Architecture[] = [
  ALEXNET,
  VGG16,
  NIN,
  INCEPTION_3A,
  RESNET_BASIC_BLOCK,
  RESNET_BOTTLENECK,
  RESNET18,
];
