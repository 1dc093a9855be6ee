/**
 * What a page may import from src/ml without loading TensorFlow.js: the model catalogue, the training settings and
 * their validation, and the types of the messages to and from the workers. The other entry is client.ts, which
 * starts the workers (where TF.js loads); a page imports it lazily, when the reader first needs it.
 */
export * from './presets.ts';
export * from './config.ts';
export * from './idx.ts';
export * from './mnist-cache.ts';
export type * from './protocol.ts';
