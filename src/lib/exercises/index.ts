/**
 * Exercise fixtures: the planted problems of the chapters' exercises (deliberately broken backward passes,
 * gradient-check problems, the tiny CNN that chapter 10 walks and checks). Built on the engine only.
 */
export * from './tiny-cnn.ts';
export * from './broken-backward.ts';
export * from './gradcheck-problems.ts';
