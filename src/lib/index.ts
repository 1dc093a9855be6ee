/**
 * The ConvNotebook engine's public API, in three folders by purpose:
 * - engine/    ops with their backward passes, networks, optimisers, gradient checks;
 * - exercises/ planted problems and fixtures for the chapters' exercises (built on engine/);
 * - explain/   step traces, shape walks and comparisons the widgets narrate (built on engine/ and exercises/).
 * Pure TypeScript, float64, no DOM. Widgets and chapters import from here, never from a folder's files.
 */
export * from './engine/index.ts';
export * from './exercises/index.ts';
export * from './explain/index.ts';
