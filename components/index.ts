/**
 * The components a chapter may use. Chapters import from this file only, never from a widget's folder,
 * so a widget's internals can change without touching any chapter.
 */

/**
 * A self-check question whose answer the reader reveals (native <details>, works without JavaScript). With
 * `answer` (numbers, one per `labels` entry) or `choices` + `correct`, the reader answers first and is told right or
 * wrong. Props: question, answer?, labels?, tolerance?, choices?, correct?.
 */
export { default as SelfCheck } from './self-check/SelfCheck.astro';
/** Engine-computed short answers for SelfCheck's `answer` (never type a computed number into a chapter). */
export { answers } from './self-check/answers.ts';
/** A highlighted aside: kind "note" | "warning" | "tip". */
export { default as Callout } from './callout/Callout.astro';
/** A free notebook cell: starter code, Run, output below; cells of a chapter share one scope. Props: id, code, title?, limitMs?. Children: an introduction. */
export { default as CodeCell } from './notebook/CodeCell.astro';
/** A graded code exercise (task = children; starter, hints, solution and checker from src/lib/exercises/notebook by id). Props: id. */
export { default as Exercise } from './notebook/Exercise.astro';
/** Chapter 12's capstone: trains the reader's CNN (their forward and trainStep) on an MNIST subset beside the course's. Props: id. */
export { default as CapstoneTrainer } from './notebook/CapstoneTrainer.astro';
/** A citation linking to the references page: "(LeCun et al., 1998)". Props: id (src/site/references.ts), at?, textual?. */
export { default as Cite } from './cite/Cite.astro';
/** Chapter 1: step through a 1D convolution or cross-correlation (full/same/valid). Props: id, x?, w?, mode?, kind?. */
export { default as ConvStepper1D } from './conv-stepper-1d/ConvStepper1D.astro';
/** Inline engine-computed 1D convolution result or length. Props: x, w, mode?, kind?, show? ("values" | "length"). */
export { default as Conv1dOutput } from './conv1d-output/Conv1dOutput.astro';
/** Static SVG of a 1D convolution as a computational graph (x -> products -> sums). Props: x, w, mode?, caption. */
export { default as ConvGraph1D } from './conv-graph-1d/ConvGraph1D.astro';
/** Inline fact about MNIST from the code and data ("28 × 28", "20 × 20", "60,000"). Props: show ("size" | "box" | "side" | "box-side" | "pixels" | "train" | "test"). */
export { default as MnistFact } from './mnist-fact/MnistFact.astro';
/** Chapter 2: pixel grid viewer of an MNIST digit and a colour photo (hover/arrow keys, channels, zoom). Props: id, image?, view?, title?. */
export { default as PixelViewer } from './pixel-viewer/PixelViewer.astro';
/** Inline engine-computed fact about a viewer picture. Props: image ("digit-0" … "photo"), show, row?, col?. */
export { default as PixelFact } from './pixel-viewer/PixelFact.astro';
/** Chapter 2: the grayscale formula with the engine's BT.601 weights (KaTeX at build time). Props: show? ("formula" | "sum"). */
export { default as GrayFormula } from './pixel-viewer/GrayFormula.astro';
/** Chapter 3: step through a 2D convolution or cross-correlation cell by cell. Props: id, x?, w? (rows), kind?, seed?, title?. */
export { default as ConvStepper2D } from './conv-stepper-2d/ConvStepper2D.astro';
/** Inline engine-computed 2D result. Props: w, x?, kind?, show? ("values" | "shape" | "cell" | "products" | "rotated"), row?, col?, as? ("text" | "tex"). */
export { default as Conv2dOutput } from './conv2d-output/Conv2dOutput.astro';
/** Chapter 6: step through a multi-channel conv (C input channels, K filters, bias) channel by channel. Props: id, seed?, title?. */
export { default as MultiChannelStepper } from './multichannel-stepper/MultiChannelStepper.astro';
/** Chapter 6: parameter counts of a dense layer, a conv layer, and stacked small kernels vs one large. Props: id, title?. */
export { default as ParamCalculator } from './param-calculator/ParamCalculator.astro';
/** Inline engine-computed parameter count. Props: dense? [inputs, units], conv? { C, K, k }, sum? (several layers). */
export { default as ParamCount } from './param-count/ParamCount.astro';
/** Inline engine-computed receptive field ("5×5") of stacked layers. Props: kernels, strides?. */
export { default as ReceptiveFieldSize } from './receptive-field/ReceptiveFieldSize.astro';
/** Inline engine-computed conv output shape ("3×3×2") of an n×n×C input and K k×k filters. Props: n, C, K, k, padding?, stride?. */
export { default as Conv2dShape } from './conv2d-shape/Conv2dShape.astro';
/** Table of LeNet-5's per-layer output shapes and parameter counts from the engine's model. Props: preset (a lab preset, e.g. "lenet5-3x3"), caption. */
export { default as LeNetParams } from './lenet-lab/numbers/LeNetParams.astro';
/** Chapter 7: two dense layers without activation equal one (W2W1, W2b1 + b2), and with ReLU they do not. Props: seed?, caption. */
export { default as LinearCollapse } from './linear-collapse/LinearCollapse.astro';
/** Chapter 7: ReLU, leaky ReLU, sigmoid, tanh and their derivatives (Observable Plot, static SVG). Props: alpha?, caption. */
export { default as ActivationPlots } from './activation-plots/ActivationPlots.astro';
/** Chapter 7: gradient factor through n layers of activations, log scale (static SVG). Props: layers?, caption. */
export { default as VanishingGradientPlot } from './activation-plots/VanishingGradientPlot.astro';
/** Inline engine-computed gradient factor after n activations ("9.5 × 10⁻⁷"). Props: name, layers, kind? ("zero" | "random"). */
export { default as GradientFactor } from './activation-plots/GradientFactor.astro';
/** Chapter 7: an activation applied to a digit's edge feature map, before/after heatmaps with numbers. Props: id, digit?, title?. */
export { default as ActivationViewer } from './activation-viewer/ActivationViewer.astro';
/** Chapter 8: step through max/avg/sum pooling forward and backward. Props: id, x? (rows), digit?, kind?, size?, stride?, direction?. */
export { default as PoolingStepper } from './pooling-stepper/PoolingStepper.astro';
/** Chapter 8: shift an MNIST digit by pixels and compare max- and average-pooled maps. Props: id, digit?, source?, size?, right?, down?. */
export { default as ShiftDemo } from './shift-demo/ShiftDemo.astro';
/** Inline engine-computed pooled matrix (KaTeX). Props: x (rows), kind?, size?, stride?. */
export { default as PoolResult } from './pool-numbers/PoolResult.astro';
/** Inline engine-computed pooling output length along one axis. Props: n, size, stride?, show? ("size" | "unvisited"). */
export { default as PoolSize } from './pool-numbers/PoolSize.astro';
/** Table of dense-layer parameters after different poolings of a conv output. Props: channels, side, units, windows, caption. */
export { default as PoolingSavings } from './pool-numbers/PoolingSavings.astro';
/** Chapter 9: flatten a small pooled map and multiply by a seeded weight matrix, with numbers. Props: x ([c][r][col]), units?, seed?. */
export { default as DenseExample } from './dense-example/DenseExample.astro';
/** Chapter 9: softmax with temperature, cross-entropy vs squared-error gradients, Plot charts. Props: id, logits?, label?, temperature?. */
export { default as SoftmaxLoss } from './softmax-loss/SoftmaxLoss.astro';
/** Inline engine-computed softmax / loss numbers. Props: logits?, label?, temperature?, show, at?, digits?. */
export { default as SoftmaxNumbers } from './softmax-numbers/SoftmaxNumbers.astro';
/** Table: naive softmax (float64, float32) vs max-subtracted, on the same logits. Props: logits, temperature?, caption. */
export { default as SoftmaxOverflow } from './softmax-numbers/SoftmaxOverflow.astro';
/** Chapter 12: the LeNet-5 training lab (train on MNIST in a worker, charts, results, feature maps, drawing, exercises). Props: id, title?. */
export { default as LeNetLab } from './lenet-lab/LeNetLab.astro';
/** Static model summary table (layer, output shape, parameters) of a lab preset, computed at build time. Props: preset, dropout?, caption?. */
export { default as LeNetSummary } from './lenet-lab/numbers/LeNetSummary.astro';
/** Inline engine-computed LeNet number. Props: what ("total" | "params" | "shape" | "c3-partial" | "c3-full"), preset?, layer?. */
export { default as LeNetNumber } from './lenet-lab/numbers/LeNetNumber.astro';
/** Inline measured result of a lab run (bench/lab-accuracy.json): "99.1 %". Props: run (id, or prefix ending "/" for a range over seeds), show? ("test" | "train" | "val" | "images" | "epochs"). */
export { default as LabFigure } from './lenet-lab/numbers/LabFigure.astro';
/** Inline parameter count of LeNet-5 as the 1998 paper built it ("60,000"). Props: layer? ("C1" … "output"), show? ("trainable" | "fixed"). */
export { default as PaperLeNet } from './lenet-lab/numbers/PaperLeNet.astro';
/** A link that opens the chapter 12 lab with a preset selected, named by the preset. Props: preset. */
export { default as LabPreset } from './lenet-lab/numbers/LabPreset.astro';
/** Static table of LeNet-5's C3 connection scheme (LeCun et al. 1998, Table I). No props. */
export { default as LeNetC3Table } from './lenet-lab/numbers/LeNetC3Table.astro';
/** Chapter 4: filter a photo or an MNIST digit with a preset or edited 3x3/5x5 kernel; live feature map, one cell's arithmetic, and the layer's depth. Props: id, preset?, image?, digit?, scale?. */
export { default as KernelPlayground } from './kernel-playground/KernelPlayground.astro';
/** Chapter 4: a preset kernel typeset with KaTeX; show="flat" gives its output on a patch of 100s; minus="other" shows A − B = C. Props: preset, minus?, show?. */
export { default as KernelMatrix } from './kernel-playground/KernelMatrix.astro';
/** Chapter 5: input, kernel, padding (number/valid/TF same), stride, dilation -> every window position, coverage, the formula. Props: id, dims?, input?, kernel?, padding?, stride?, dilation?. */
export { default as OutputSizeExplorer } from './output-size-explorer/OutputSizeExplorer.astro';
/** Chapter 5: a network's shapes layer by layer (default the 3x3 LeNet, 28 -> 26 -> 13 -> 11 -> 5), every layer editable. Props: id, network?. */
export { default as ShapeWalker } from './shape-walker/ShapeWalker.astro';
/** Inline engine-computed output size. Props: i, k, p? (number | 'same' | 'valid'), s?, d?, pool?, ceil?, show? ('size' | 'square' | 'short' | 'formula' | 'unread' | 'padding' | 'remainder'); transposed? with a? (output padding) for a transposed convolution's size. */
export { default as OutputSize } from './output-size/OutputSize.astro';
/** Chapter 10: walk the tiny CNN (6x6 -> conv 3x3 -> ReLU -> max-pool -> dense 3 -> softmax-CE) backward, one gradient at a time. Props: id, seed?, label?, title?. */
export { default as BackpropStepper } from './backprop-stepper/BackpropStepper.astro';
/** Chapter 10: analytic vs numerical gradients per element for a layer or the tiny CNN, a deliberate-bug toggle, error-vs-ε charts. Props: id, target?, seed?, title?. */
export { default as GradientChecker } from './gradient-checker/GradientChecker.astro';
/** Inline engine-computed number from the error-vs-ε curve. Props: precision ("float64" | "float32"), show ("best-eps" | "best-error" | "error-at"), eps?, seed?. */
export { default as EpsilonFact } from './gradient-checker/EpsilonFact.astro';
/** Engine-computed proof that conv backward is two convolutions: conv2dBackward beside x ⋆ δ (show="dw") or pad(δ) ⋆ rot180(W) (show="dx"); show="forward" gives the setup. Props: x, w, dy, show, caption?. */
export { default as ConvBackwardIdentity } from './backprop-examples/ConvBackwardIdentity.astro';
/** Inline size of chapter 10's tiny CNN (TINY_CNN). Props: show ("input" | "kernel" | "conv" | "conv-cells" | "pool" | "pooled-cells" | "classes"). */
export { default as TinyCnnNumber } from './backprop-examples/TinyCnnNumber.astro';
/** One layer's backward pass with numbers (KaTeX). Props: op ("maxpool" | "avgpool" | "relu" | "softmax-ce" | "conv1d") and its inputs (x/dy rows, logits/label, x1/w1/dy1/mode), caption?. */
export { default as BackwardExample } from './backprop-examples/BackwardExample.astro';
/** Chapter 11: step through im2col (channels, filters, stride, padding, dilation), the patch matrix, W·cols and the output maps. Props: id, preset?, title?. */
export { default as Im2colStepper } from './im2col-stepper/Im2colStepper.astro';
/** Inline engine-computed cost of a conv layer as im2col + GEMM. Props: input [C,H,W], w [K,C,kh,kw], padding?, stride?, batch?, show. */
export { default as ConvCostNumber } from './conv-cost/ConvCostNumber.astro';
/** Table: patch-matrix memory and multiply-adds (GEMM vs direct loop) of conv layers, per image. Props: layers, batch?, caption. */
export { default as ConvCostTable } from './conv-cost/ConvCostTable.astro';
/** A conv layer's forward or backward pass as matrix products beside chapter 10's convolution form. Props: x, w, dy (rows), show ("forward" | "dw" | "dx" | "copies"), caption?. */
export { default as GemmBackward } from './gemm-backward/GemmBackward.astro';
/** Porting kernels between [out, in, kh, kw] and TensorFlow's [kh, kw, in, out]: transpose vs the reshape bug, with outputs. Props: seed?, caption?. */
export { default as KernelLayout } from './kernel-layout/KernelLayout.astro';
/** Chapter 13: activation and gradient variance per layer of a deep stack for Glorot, He or a fixed std and a chosen activation. Props: id, activation?, init?, title?. */
export { default as InitVariance } from './init-variance/InitVariance.astro';
/** Inline engine-computed variance of the init widget's deep stack. Props: activation, init, std?, depth?, width?, show ("ratio" | "grad-ratio" | "first" | "last"). */
export { default as InitNumber } from './init-variance/InitNumber.astro';
/** Chapter 13: SGD, momentum and Adam on a ravine, a saddle or Rosenbrock's valley; learning rate and steps; a diverging run stops and says so. Props: id, surface?, lr?, steps?, title?. */
export { default as OptimizerRace } from './optimizer-race/OptimizerRace.astro';
/** Inline engine-computed number of an optimiser race (the widget's own runs). Props: lr, show ("end" | "diverged" | "factor"), surface?, steps?, optimizer?, momentum?, axis?. */
export { default as RaceNumber } from './optimizer-race/RaceNumber.astro';
/** Static chart of learning-rate schedules (constant, step, cosine with warm-up, exponential) from the engine. Props: steps?, lr?, caption. */
export { default as LrScheduleChart } from './lr-schedules/LrScheduleChart.astro';
/** Inverted dropout on a small vector: a seeded mask, train and test outputs, the mean over many masks. Props: x?, rate?, seed?, draws?, caption?. */
export { default as DropoutExample } from './dropout-example/DropoutExample.astro';
/** Chapter 13: a layer's activations before and after batch norm, training or inference mode. Props: id, title?. */
export { default as BatchNormDemo } from './batch-norm/BatchNormDemo.astro';
/** Learning curves of real, seeded runs of the lab's exercise presets (stored with their script). Props: show ("overfit" | "diverge" | "underfit"), caption?. */
export { default as LearningCurves } from './learning-curves/LearningCurves.astro';
/** Chapter 14: an architecture's layer table (shapes, parameters, multiply-adds, receptive field) from the engine. Props: arch, depth?, caption?. */
export { default as ArchTable } from './arch-table/ArchTable.astro';
/** Inline engine-computed number about an architecture, or a depthwise-separable comparison. Props: arch?, layer?, separable?, show. */
export { default as ArchNumber } from './arch-table/ArchNumber.astro';
/** Chapter 14: a 1×1 convolution pixel by pixel, as W times each pixel's channel vector. Props: id, title?. */
export { default as OneByOneConv } from './one-by-one/OneByOneConv.astro';
/** Transposed convolution with engine numbers: show="stamp" (equals the strided conv's input gradient) or "checkerboard". Props: show, caption?. */
export { default as TransposedConv } from './transposed-conv/TransposedConv.astro';
