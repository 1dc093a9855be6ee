import { DEFAULT_TRAIN_CONFIG, presetSummary } from '../../src/ml/index.ts';
import type { PresetName, TrainConfig } from '../../src/ml/index.ts';
import { MNIST_SIZE, receptiveField } from '../../src/lib/index.ts';

/** One run of an exercise: a label for its button and the settings it loads into the form. */
export interface ExerciseRun {
  key: string;
  label: string;
  config: TrainConfig;
}

/** A guided experiment: a question, the runs to compare, and what to look for in the results. */
export interface Exercise {
  id: string;
  title: string;
  question: string;
  runs: ExerciseRun[];
  lookFor: string;
}

// Exercises train on 10,000 images for 2 epochs: long enough to separate the contenders, short enough to repeat.
// A tenth is held out for validation, so runs are compared on images no setting was chosen by; the test set stays
// for the final figure.
// They keep the recipe they were measured with (bench/lab-accuracy.json), the lab's default before it moved to batch
// 32 for speed on several cores (and then to cosine restarts and shifted images for accuracy in 3 epochs): their
// comparisons need steps enough on 10,000 images, and one change at a time, not speed.
const RECIPE: Partial<TrainConfig> = {
  batchSize: 16,
  learningRate: 0.002,
  lrDecay: 0.3,
  schedule: 'exponential',
  augment: { shift: 0, rotate: 0 },
};
const BASE: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...RECIPE, trainSubset: 10000, validationSplit: 0.1, epochs: 2 };
// Overfitting needs a small training set, many epochs at a constant rate, and a validation split to watch.
const SMALL: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  ...RECIPE,
  trainSubset: 1000,
  validationSplit: 0.2,
  epochs: 30,
  lrDecay: 1,
  learningRate: 0.001,
  evaluateEachEpoch: false,
};

const run = (key: string, label: string, over: Partial<TrainConfig>, base = BASE): ExerciseRun => ({
  key,
  label,
  config: { ...base, ...over },
});

// Every number the texts quote is computed from the presets' own summaries (the engine, no TF.js) or the settings.
const fmt = (n: number) => n.toLocaleString('en-US');
const validationImages = (c: TrainConfig) => Math.round(c.trainSubset * c.validationSplit);
const total = (p: PresetName) => presetSummary(p).reduce((s, r) => s + r.params, 0);
const convWeights = (p: PresetName) =>
  presetSummary(p)
    .filter((r) => r.layer.startsWith('conv'))
    .reduce((s, r) => s + r.params, 0);
const side = (p: PresetName, layer: string) => presetSummary(p).find((r) => r.layer === layer)!.outputShape[0]!;
const shape = (p: PresetName, layer: string) =>
  presetSummary(p)
    .find((r) => r.layer === layer)!
    .outputShape.join('x');
/** Input side, then each conv and pool layer's output side: 28 -> 26 -> 13 -> 11 -> 5. */
const chain = (p: PresetName) =>
  [MNIST_SIZE, ...['conv1', 'pool1', 'conv2', 'pool2'].map((l) => side(p, l))].join(' -> ');
/** Receptive field after pool2 of the LeNet body with k x k kernels (padding does not change it). */
const fieldAfterPool2 = (k: number) =>
  receptiveField([{ kernel: k }, { kernel: 2, stride: 2 }, { kernel: k }, { kernel: 2, stride: 2 }]).size;

export const EXERCISES: readonly Exercise[] = [
  {
    id: 'mlp-vs-cnn',
    title: 'MLP against CNN',
    question: 'Does a network that slides small shared kernels over the image beat a plain multilayer perceptron?',
    runs: [
      run('mlp100', 'MLP 784-100-10', { preset: 'mlp-100' }),
      run('mlp5020', 'MLP 784-50-20-10', { preset: 'mlp-50-20' }),
      run('lenet', 'LeNet-5', { preset: 'lenet5' }),
    ],
    lookFor:
      `Compare the parameter counts in the model summary with the validation accuracies in the table. LeNet-5 has ` +
      `${fmt(total('lenet5'))} parameters, fewer than the 784-100-10 MLP's ${fmt(total('mlp-100'))}, yet makes ` +
      'fewer mistakes: each kernel is reused at every position, so the network does not have to learn a stroke ' +
      'detector separately for every place a stroke can appear.',
  },
  {
    id: 'kernel-size',
    title: '3x3 against 5x5 kernels',
    question: `LeNet-5 uses 5x5 kernels. What changes with 3x3 kernels (${chain('lenet5-3x3')})?`,
    runs: [run('k3', '3x3 kernels', { preset: 'lenet5-3x3' }), run('k5', '5x5 kernels', { preset: 'lenet5' })],
    lookFor:
      `The summary: the two conv layers with 3x3 kernels have ${fmt(convWeights('lenet5-3x3'))} parameters ` +
      `against ${fmt(convWeights('lenet5'))} with 5x5, yet the map after pool2 is ${shape('lenet5-3x3', 'pool2')} ` +
      `in both (the 5x5 network pads its first layer). What the small kernels give up is reach: a value after ` +
      `pool2 sees a patch ${fieldAfterPool2(3)} pixels wide, against ${fieldAfterPool2(5)} with 5x5 kernels. ` +
      'Compare the validation accuracies, and note the images per second too.',
  },
  {
    id: 'pooling',
    title: 'Max against average pooling',
    question: 'Does it matter whether pooling keeps the strongest response or the mean of the window?',
    runs: [
      run('avg', 'Average pooling', { preset: 'lenet5-avgpool' }),
      run('max', 'Max pooling', { preset: 'lenet5' }),
    ],
    lookFor:
      'Both have the same parameters (pooling has none). Max pooling usually learns a little faster early on: it ' +
      'passes a detected stroke on at full strength wherever it sits in the window, while averaging dilutes it ' +
      'with the empty pixels beside it. Look at the first epoch of the loss curve.',
  },
  {
    id: 'learning-rate',
    title: 'A learning rate that is too high',
    question: 'What does training look like when every step overshoots?',
    runs: [
      run('lr-ok', 'Adam, rate 0.002', { learningRate: 0.002 }),
      run('lr-high', 'Adam, rate 0.1', { learningRate: 0.1 }),
      run('sgd-high', 'Plain SGD, rate 2', { optimizer: 'sgd', learningRate: 2 }),
    ],
    lookFor:
      'With the high rates the batch loss jumps up instead of sliding down, then sits near ln 10, the loss of ' +
      'guessing every digit with probability 1/10, and the accuracy is stuck near chance. Many ReLU units have ' +
      'been pushed to where they output 0 for every image and no gradient flows through them any more.',
  },
  {
    id: 'nonlinearity',
    title: 'No nonlinearity',
    question:
      'What is left of LeNet-5 without its ReLUs? First take away the ReLUs and use average pooling, so every layer ' +
      'is linear; then keep max pooling as the only nonlinear step.',
    runs: [
      run('linear-avg', 'No activations, average pooling', { preset: 'lenet5-linear-avg' }),
      run('linear-max', 'No activations, max pooling', { preset: 'lenet5-linear' }),
      run('relu', 'ReLU and max pooling', { preset: 'lenet5' }),
    ],
    lookFor:
      'Without activations and with average pooling, every layer is linear, so the whole network is one linear map ' +
      'from pixels to logits: a linear classifier, however many layers it has, and it stays well behind the ReLU ' +
      'network. Max pooling alone changes that. A maximum is not linear (a maximum of linear maps is what a ' +
      '"maxout" unit computes), and the network with max pooling but no activations comes close to the ReLU one. ' +
      'Run each twice with different seeds before you call a small gap real.',
  },
  {
    id: 'overfitting',
    title: 'Overfitting on a small training set, and three cures',
    question:
      `With only ${SMALL.trainSubset - validationImages(SMALL)} training images and ` +
      `${SMALL.epochs} epochs, what do L2, dropout and early stopping each change?`,
    runs: [
      run('plain', 'No regularisation', {}, SMALL),
      run('l2', 'L2 0.001', { l2: 0.001 }, SMALL),
      run('dropout', 'Dropout 0.5', { dropout: 0.5 }, SMALL),
      run('early', 'Early stopping, patience 3', { patience: 3 }, SMALL),
    ],
    lookFor:
      'Without regularisation the training accuracy climbs close to 100 % while the validation accuracy stalls well ' +
      'below it: the gap is overfitting. L2 and dropout hold the training accuracy down and are meant to narrow ' +
      'the gap, though on a set this small one run may not show it (see the figures below); early stopping ends ' +
      'the run when the validation accuracy stops improving and keeps the best epoch. Compare the validation ' +
      'column, not the ' +
      `training one, and keep the test column for the end. With only ${validationImages(SMALL)} validation images, ` +
      `one image is ${100 / validationImages(SMALL)} percentage points, so small differences between these runs are ` +
      'noise: the test column shows how much of a validation gain was luck.',
  },
  {
    id: 'lenet-1998',
    title: 'The 1998 structure against the modern one',
    question: 'How much do tanh, average-pool subsampling and the 32x32 input cost, with the same optimizer?',
    runs: [
      run('1998', 'LeNet-5 (1998)', { preset: 'lenet5-1998' }),
      run('modern', 'LeNet-5 (modern)', { preset: 'lenet5' }),
    ],
    lookFor:
      (total('lenet5-1998') === total('lenet5')
        ? `The parameter counts are identical, ${fmt(total('lenet5'))} each: padding, activations and pooling ` +
          'have no parameters, and C5 as a dense layer has exactly the weights of the 5x5 convolution. '
        : `The parameter counts differ: ${fmt(total('lenet5-1998'))} against ${fmt(total('lenet5'))}. `) +
      'Compare the validation accuracies after two epochs. The 1998 network reached its published error with ' +
      'many more epochs and a hand-tuned second-order method, not with these settings.',
  },
  {
    id: 'optimizer',
    title: 'SGD, momentum and Adam',
    question: 'Which optimizer gets furthest in two epochs, each at a sensible learning rate?',
    runs: [
      run('sgd', 'SGD, rate 0.05', { optimizer: 'sgd', learningRate: 0.05 }),
      run('momentum', 'Momentum, rate 0.01', { optimizer: 'momentum', learningRate: 0.01 }),
      run('adam', 'Adam, rate 0.002', { optimizer: 'adam', learningRate: 0.002 }),
    ],
    lookFor:
      'The early part of the loss curves: plain SGD starts slowest, momentum and Adam move quickly. Given more ' +
      'epochs the gaps shrink; over a short run the differences are mostly about speed.',
  },
];

/** Finds an exercise run by "exercise-id/run-key". */
export function findRun(ref: string): { exercise: Exercise; run: ExerciseRun } | null {
  const [id, key] = ref.split('/');
  const exercise = EXERCISES.find((e) => e.id === id);
  const r = exercise?.runs.find((x) => x.key === key);
  return exercise && r ? { exercise, run: r } : null;
}
