/**
 * Explainers: step traces, shape walks and comparisons that the widgets narrate. Each computes with the
 * engine and returns plain data a view can draw; none adds maths the engine does not already do.
 */
export * from './conv2d-trace.ts';
export * from './pool-trace.ts';
export * from './compose-dense.ts';
export * from './gradient-chain.ts';
export * from './shape-walk.ts';
export * from './shift.ts';
export * from './softmax-compare.ts';
export * from './tiny-cnn-trace.ts';
export * from './architectures.ts';
export * from './im2col-explain.ts';
export * from './init-variance.ts';
export * from './optimizer-race.ts';
