/**
 * Chapter 14 exercise: a network's table from its layer sizes alone, each layer's output shape, parameters and
 * multiply-adds for conv (filters, kernel, stride, padding, channel groups), max-pool, flatten and dense layers.
 * Reference: the engine's summarizeArchitecture. The worked examples are the chapter's AlexNet (with its two-GPU
 * channel groups) and VGG-16, whose totals the engine's tests hold to the published counts.
 */
import { architectureTotals, summarizeArchitecture, type ArchLayer } from '../../engine/arch-summary.ts';
import { ALEXNET, VGG16 } from '../../explain/architectures.ts';
import { Rng, between } from './random.ts';
import type { CheckCase, ExerciseSpec, Mistake } from './types.ts';

/** The layers the reader's function handles (a subset of the engine's ArchLayer). */
type Layer =
  | { type: 'conv'; name: string; filters: number; kernel: number; stride?: number; padding?: number; groups?: number }
  | { type: 'maxPool'; name: string; size: number; stride?: number }
  | { type: 'flatten'; name: string }
  | { type: 'dense'; name: string; units: number };

interface Row {
  name: string;
  outputShape: number[];
  params: number;
  macs: number;
}

type Summarize = (input: number[], layers: Layer[]) => Row[];

/** An architecture's layers in the reader's terms: blocks unrolled, shape-keeping layers without weights dropped. */
function readerLayers(layers: readonly ArchLayer[]): Layer[] {
  return layers.flatMap((l): Layer[] => {
    if (l.type === 'block') return readerLayers(l.layers);
    if (l.type === 'conv' || l.type === 'dense' || l.type === 'flatten') return [{ ...l } as Layer];
    if (l.type === 'maxPool') return [{ type: 'maxPool', name: l.name, size: l.size, stride: l.stride ?? l.size }];
    return [];
  });
}

/** The engine's table, in the reader's terms. */
const engineTable = (input: number[], layers: readonly ArchLayer[]): Row[] =>
  summarizeArchitecture(input as [number, number, number], layers).map((r) => ({
    name: r.name,
    outputShape: r.outputShape,
    params: r.params,
    macs: r.macs,
  }));

const table: Summarize = engineTable;

const thousands = (n: number) => n.toLocaleString('en-US');

/** LeNet-5 with max pooling, the pools' stride left to its default (the pool's size). */
const LENET: Layer[] = [
  { type: 'conv', name: 'C1', filters: 6, kernel: 5, padding: 2 },
  { type: 'maxPool', name: 'S2', size: 2 },
  { type: 'conv', name: 'C3', filters: 16, kernel: 5 },
  { type: 'maxPool', name: 'S4', size: 2 },
  { type: 'flatten', name: 'flatten' },
  { type: 'dense', name: 'F5', units: 120 },
  { type: 'dense', name: 'F6', units: 84 },
  { type: 'dense', name: 'output', units: 10 },
];

/** A seeded small network that fits its input: convs and pools, then flatten and one or two dense layers. */
function randomNetwork(rng: Rng): { input: number[]; layers: Layer[] } {
  const C = between(rng, 1, 4);
  const size0 = between(rng, 6, 24);
  let [channels, size] = [C, size0];
  const layers: Layer[] = [];
  for (let i = 0, n = between(rng, 1, 4); i < n; i++) {
    if (rng.next() < 0.6) {
      const padding = between(rng, 0, 2);
      const kernel = between(rng, 1, Math.min(5, size + 2 * padding));
      const stride = between(rng, 1, 2);
      const groups = channels % 2 === 0 && rng.next() < 0.4 ? 2 : 1;
      const filters = groups * between(rng, 1, 6);
      layers.push({ type: 'conv', name: `conv${i + 1}`, filters, kernel, stride, padding, groups });
      [channels, size] = [filters, Math.floor((size + 2 * padding - kernel) / stride) + 1];
    } else if (size >= 2) {
      const poolSize = between(rng, 2, Math.min(3, size));
      const pool: Layer = { type: 'maxPool', name: `pool${i + 1}`, size: poolSize };
      if (rng.next() < 0.5) pool.stride = between(rng, 1, poolSize);
      layers.push(pool);
      size = Math.floor((size - poolSize) / (pool.stride ?? poolSize)) + 1;
    }
  }
  layers.push({ type: 'flatten', name: 'flatten' }, { type: 'dense', name: 'fc1', units: between(rng, 1, 20) });
  if (rng.next() < 0.5) layers.push({ type: 'dense', name: 'fc2', units: between(rng, 1, 10) });
  return { input: [C, size0, size0], layers };
}

function archCases(): CheckCase[] {
  const names = ['input', 'layers'];
  const total = (input: number[], layers: Layer[]) =>
    thousands(architectureTotals(summarizeArchitecture(input as [number, number, number], layers)).params);
  const alex = readerLayers(ALEXNET.layers);
  const vgg = readerLayers(VGG16.layers);
  const cases: CheckCase[] = [
    {
      label: `the worked example: AlexNet with its channel groups (${total(ALEXNET.input, alex)} parameters)`,
      names,
      args: [[...ALEXNET.input], alex],
    },
    { label: `VGG-16 (${total(VGG16.input, vgg)} parameters)`, names, args: [[...VGG16.input], vgg] },
    { label: 'LeNet-5 with max pooling (the pools’ stride left out)', names, args: [[1, 28, 28], LENET] },
    {
      label: 'one conv layer with stride 2 and padding 1',
      names,
      args: [[3, 7, 7], [{ type: 'conv', name: 'conv', filters: 4, kernel: 3, stride: 2, padding: 1 }]],
    },
    {
      label: 'a depthwise convolution (groups = channels), then a 1 × 1 one',
      names,
      args: [
        [8, 10, 10],
        [
          { type: 'conv', name: 'depthwise', filters: 8, kernel: 3, padding: 1, groups: 8 },
          { type: 'conv', name: 'pointwise', filters: 16, kernel: 1 },
        ],
      ],
    },
    {
      label: 'overlapping pooling (3 × 3, stride 2) and a dense layer on a 1 × 1 map',
      names,
      args: [
        [2, 7, 7],
        [
          { type: 'maxPool', name: 'pool', size: 3, stride: 2 },
          { type: 'conv', name: 'conv', filters: 5, kernel: 3 },
          { type: 'flatten', name: 'flatten' },
          { type: 'dense', name: 'fc', units: 3 },
        ],
      ],
    },
  ];
  const seed = 1401;
  const rng = new Rng(seed);
  for (let i = 0; i < 20; i++) {
    const { input, layers } = randomNetwork(rng);
    cases.push({ label: `random case ${i + 1} (seed ${seed})`, names, args: [input, layers] });
  }
  return cases;
}

/** The table of the layers changed by `edit` (for the known mistakes). */
const tableOf =
  (edit: (l: Layer) => ArchLayer): Summarize =>
  (input, layers) =>
    engineTable(input, layers.map(edit));

const ARCH_MISTAKES: Mistake[] = [
  {
    name: 'forgot the biases',
    advice:
      'Each filter of a conv layer and each unit of a dense layer has one bias: conv params = K·(C/groups)·k² + K, dense params = in·out + out.',
    impl: tableOf((l) => (l.type === 'conv' || l.type === 'dense' ? { ...l, bias: false } : l)),
  },
  {
    name: 'counted a grouped convolution as if every filter saw every channel',
    advice:
      'With g groups the channels are split into g parts and each filter sees only its part, C/g channels: a filter has (C/g)·k² weights, and the layer g times fewer weights and multiply-adds than an ungrouped one. AlexNet’s conv2, conv4 and conv5 have 2 groups.',
    impl: tableOf((l) => (l.type === 'conv' ? { ...l, groups: 1 } : l)),
  },
  {
    name: 'multiply-adds of a conv layer without the output size',
    advice:
      'A conv layer uses every weight once at every output position: multiply-adds = OH·OW·K·(C/groups)·k². Its weights alone are the cost of one position.',
    impl: (input: number[], layers: Layer[]) =>
      table(input, layers).map((r, i) => {
        const l = layers[i]!;
        const [, OH, OW] = r.outputShape as [number, number, number];
        return l.type === 'conv' ? { ...r, macs: r.macs / (OH * OW) } : r;
      }),
  },
  {
    name: 'a pool’s stride taken as 1 when it is left out',
    advice:
      'A pooling layer whose stride is not given moves by its own size (2 × 2 pooling halves the map), as in Keras and PyTorch: stride = l.stride ?? l.size.',
    impl: tableOf((l) => (l.type === 'maxPool' && l.stride === undefined ? { ...l, stride: 1 } : l)),
  },
];

const LENET_SOURCE = `const lenet: Layer[] = [
  { type: 'conv', name: 'C1', filters: 6, kernel: 5, padding: 2 },
  { type: 'maxPool', name: 'S2', size: 2 },
  { type: 'conv', name: 'C3', filters: 16, kernel: 5 },
  { type: 'maxPool', name: 'S4', size: 2 },
  { type: 'flatten', name: 'flatten' },
  { type: 'dense', name: 'F5', units: 120 },
  { type: 'dense', name: 'F6', units: 84 },
  { type: 'dense', name: 'output', units: 10 },
];
show(summarize([1, 28, 28], lenet));
`;

const TYPES = `type Layer =
  | { type: 'conv'; name: string; filters: number; kernel: number; stride?: number; padding?: number; groups?: number }
  | { type: 'maxPool'; name: string; size: number; stride?: number }
  | { type: 'flatten'; name: string }
  | { type: 'dense'; name: string; units: number };
interface Row { name: string; outputShape: number[]; params: number; macs: number }
`;

export const archParams: ExerciseSpec = {
  id: 'arch-params',
  chapter: 'beyond-lenet',
  title: 'A network’s table: shapes, parameters, multiply-adds',
  fn: 'summarize',
  signature: 'summarize(input: number[], layers: Layer[]): Row[]',
  starter: `// input is one example's shape [C, H, W]. For each layer return its name, the output shape
// ([C, H, W], or [F] after flatten and dense), its parameters (weights and biases) and its
// multiply-adds for one example. Defaults: stride 1 (a pool's: its size), padding 0, groups 1.
${TYPES}
function summarize(input: number[], layers: Layer[]): Row[] {
  const rows: Row[] = [];
  // your code here
  return rows;
}

${LENET_SOURCE}`,
  solution: `${TYPES}
function summarize(input: number[], layers: Layer[]): Row[] {
  let shape = [...input];
  const rows: Row[] = [];
  for (const l of layers) {
    let params = 0;
    let macs = 0;
    if (l.type === 'conv') {
      const [C, H, W] = shape;
      const [s, p, g] = [l.stride ?? 1, l.padding ?? 0, l.groups ?? 1];
      const OH = Math.floor((H + 2 * p - l.kernel) / s) + 1;
      const OW = Math.floor((W + 2 * p - l.kernel) / s) + 1;
      const perFilter = (C / g) * l.kernel * l.kernel; // a filter sees only its group's channels
      params = l.filters * perFilter + l.filters;
      macs = OH * OW * l.filters * perFilter; // every weight, at every output position
      shape = [l.filters, OH, OW];
    } else if (l.type === 'maxPool') {
      const [C, H, W] = shape;
      const s = l.stride ?? l.size;
      shape = [C, Math.floor((H - l.size) / s) + 1, Math.floor((W - l.size) / s) + 1];
    } else if (l.type === 'flatten') {
      shape = [shape.reduce((a, b) => a * b, 1)];
    } else {
      params = shape[0] * l.units + l.units;
      macs = shape[0] * l.units;
      shape = [l.units];
    }
    rows.push({ name: l.name, outputShape: shape, params, macs });
  }
  return rows;
}

${LENET_SOURCE}`,
  hints: [
    'Carry the shape from layer to layer. A conv layer makes [K, OH, OW] with OH = ⌊(H + 2p − k)/s⌋ + 1; a pool keeps C; flatten multiplies everything into one length.',
    'A conv filter sees C/groups channels: it has (C/groups)·k² weights and one bias. A dense layer has in·out weights and out biases.',
    'Multiply-adds: a conv layer uses each weight at every output position, OH·OW·K·(C/groups)·k²; a dense layer in·out; pools and flatten none.',
  ],
  cases: archCases,
  reference: table,
  mistakes: ARCH_MISTAKES,
};

export const CH14_ARCH_EXERCISES = [archParams];
