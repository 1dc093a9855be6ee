/**
 * The ConvNotebook engine: pure TypeScript, float64, no DOM. Everything a chapter, widget or test needs.
 * See each module for shapes and contracts.
 */
export * from './errors.ts';
export * from './tensor.ts';
export * from './rng.ts';
export * from './output-size.ts';
export * from './conv1d.ts';
export * from './conv1d-trace.ts';
export * from './conv2d.ts';
export * from './conv2d-trace.ts';
export * from './pool.ts';
export * from './pool-trace.ts';
export * from './activations.ts';
export * from './dense.ts';
export * from './loss.ts';
export * from './params.ts';
export * from './gradcheck.ts';
export * from './init.ts';
export * from './optim.ts';
export * from './receptive-field.ts';
export * from './compose-dense.ts';
export * from './gradient-chain.ts';
export * from './shape-walk.ts';
export * from './image.ts';
export * from './network.ts';
export * from './shift.ts';
export * from './softmax-compare.ts';
export * from './digit-preprocess.ts';
export * from './model-summary.ts';
export * from './tiny-cnn.ts';
export * from './tiny-cnn-trace.ts';
export * from './conv2d-grad-identities.ts';
export * from './broken-backward.ts';
export * from './gradcheck-problems.ts';
