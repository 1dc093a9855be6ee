/**
 * The engine: tensors and the ops of a CNN, each with its backward pass beside its forward pass, plus the
 * networks, optimisers, initialisers and gradient checks built from them. What a framework would hold.
 * Float64, no DOM, no TensorFlow.js; imports nothing outside this folder.
 */
export * from './errors.ts';
export * from './tensor.ts';
export * from './rng.ts';
export * from './output-size.ts';
export * from './conv1d.ts';
export * from './conv2d.ts';
export * from './pool.ts';
export * from './activations.ts';
export * from './dense.ts';
export * from './loss.ts';
export * from './params.ts';
export * from './gradcheck.ts';
export * from './init.ts';
export * from './optim.ts';
export * from './receptive-field.ts';
export * from './image.ts';
export * from './network.ts';
export * from './digit-preprocess.ts';
export * from './model-summary.ts';
export * from './conv2d-grad-identities.ts';
export * from './im2col.ts';
export * from './conv2d-gemm.ts';
export * from './conv-transpose.ts';
export * from './batch-norm.ts';
export * from './dropout.ts';
export * from './kernel-layout.ts';
export * from './schedules.ts';
export * from './arch-summary.ts';
