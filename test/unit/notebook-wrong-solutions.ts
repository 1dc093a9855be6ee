/**
 * Wrong solutions as a learner would write them, each with the mistake the checker must name. Written in the
 * reader's TypeScript and run through the notebook's own compile-and-run path. One file per chapter in
 * notebook-wrong/.
 */
import { CH01_WRONG } from './notebook-wrong/ch01.ts';
import { CH02_WRONG } from './notebook-wrong/ch02.ts';
import { CH03_WRONG } from './notebook-wrong/ch03.ts';
import { CH04_WRONG } from './notebook-wrong/ch04.ts';
import { CH05_WRONG } from './notebook-wrong/ch05.ts';
import { CH06_WRONG } from './notebook-wrong/ch06.ts';
import { CH07_WRONG } from './notebook-wrong/ch07.ts';
import { CH08_WRONG } from './notebook-wrong/ch08.ts';
import { CH09_WRONG } from './notebook-wrong/ch09.ts';
import { CH10_WRONG } from './notebook-wrong/ch10.ts';
import { CAPSTONE_WRONG, CH12_WRONG } from './notebook-wrong/ch12.ts';
import { CH11_WRONG } from './notebook-wrong/ch11.ts';
import { CH13_WRONG } from './notebook-wrong/ch13.ts';
import { CH14_WRONG } from './notebook-wrong/ch14.ts';

export interface WrongSolution {
  id: string;
  mistake: string;
  source: string;
}

export const WRONG_SOLUTIONS: WrongSolution[] = [
  ...CH01_WRONG,
  ...CH02_WRONG,
  ...CH03_WRONG,
  ...CH04_WRONG,
  ...CH05_WRONG,
  ...CH06_WRONG,
  ...CH07_WRONG,
  ...CH08_WRONG,
  ...CH09_WRONG,
  ...CH10_WRONG,
  ...CH12_WRONG,
  ...CAPSTONE_WRONG,
  ...CH11_WRONG,
  ...CH13_WRONG,
  ...CH14_WRONG,
];
