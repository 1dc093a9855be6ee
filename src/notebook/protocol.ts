/**
 * Messages between a page and its notebook worker. Plain, structured-cloneable data only. One job runs at a time;
 * every reply carries the job number it answers.
 */
import type { CheckReport } from '../lib/exercises/notebook/types.ts';
import type { CapstonePoint, CapstoneSettings } from './capstone.ts';
import type { OutputItem } from './format.ts';

/** Code of a function an exercise builds on: the reader's passed version, or the course's solution. */
export interface Prerequisite {
  /** Exercise id it comes from, e.g. "conv2d-pad-stride". */
  exercise: string;
  /** The function it provides. */
  fn: string;
  /** The reader's passed code; empty for the course's version, which the worker takes from the registry. */
  source: string;
  origin: 'yours' | 'course';
}

export type ToWorker =
  /** Run a cell in the chapter scope. `quiet` (replaying after a restart) sends no output. */
  | { type: 'run'; job: number; cellId: string; code: string; prereqs: Prerequisite[]; quiet?: boolean }
  /** Run an exercise cell, then grade the function it defines. */
  | { type: 'check'; job: number; cellId: string; exerciseId: string; code: string; prereqs: Prerequisite[] }
  /** Forget every definition (a restarted kernel). */
  | { type: 'reset'; job: number }
  /**
   * Run the capstone cell (defining forward and trainStep), then train with them on the MNIST subset found at
   * `dataUrl` (a folder URL), sending progress as it goes.
   */
  | {
      type: 'train';
      job: number;
      cellId: string;
      code: string;
      prereqs: Prerequisite[];
      settings: CapstoneSettings;
      dataUrl: string;
    };

/** Where in the reader's code an error is (1-based), and in which cell. */
export interface ErrorInfo {
  kind: 'syntax' | 'runtime';
  message: string;
  line?: number;
  column?: number;
  /** The cell the line belongs to, when it is not the one that ran (a function from an earlier cell failed). */
  cellId?: string;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'output'; job: number; items: OutputItem[] }
  /** Sent by long jobs so the page's time limit measures silence, not total time. */
  | { type: 'heartbeat'; job: number }
  /** Training progress (also a heartbeat). */
  | { type: 'progress'; job: number; point: CapstonePoint }
  | {
      type: 'done';
      job: number;
      /** Names the cell defined. */
      defined: string[];
      ms: number;
      error?: ErrorInfo;
      report?: CheckReport;
      /** Which version of each prerequisite was used. */
      used?: { fn: string; exercise: string; origin: 'yours' | 'course' }[];
      /** A training job's final test accuracy in [0, 1]. */
      accuracy?: number;
    };
