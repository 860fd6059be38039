/**
 * The messages between the playground page and its training worker. Plain data only
 * (structured clone): numbers, strings, typed arrays.
 */
import type { EpochRecord, StepRecord } from '../metrics/records';

/** The tfjs backends the worker can run on, best first. */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_ORDER)[number] | 'auto';

/** A file dropped on the page: its name and bytes. */
export interface DroppedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Where the training data come from. */
export type DataChoice = { readonly kind: 'bundled'; readonly limit?: number } | { readonly kind: 'files'; readonly files: readonly DroppedFile[] };

/** A program as the page holds it: the editor's text under a file name, and the zoo for `extends`. */
export interface ProgramText {
  readonly name: string;
  readonly text: string;
  readonly zoo: Readonly<Record<string, string>>;
}

export interface TrainRequest {
  readonly program: ProgramText;
  readonly data: DataChoice;
  /** Optimizer steps to take (default: the train block's epochs or steps). */
  readonly steps?: number;
  readonly seed?: number;
  /** Steps between read-backs of the statistics (default 10). */
  readonly every?: number;
}

export type ToWorker =
  | { readonly type: 'backend'; readonly backend: BackendChoice }
  | { readonly type: 'train'; readonly request: TrainRequest }
  | { readonly type: 'stop' }
  | { readonly type: 'resume'; readonly steps?: number }
  | { readonly type: 'samples'; readonly n?: number }
  | { readonly type: 'evaluate'; readonly k?: number; readonly limit?: number }
  | { readonly type: 'weights' }
  /** The estimator lab: `vae estimators` on the program (specs as its --estimators, S draws each). */
  | { readonly type: 'lab'; readonly program: ProgramText; readonly specs: string; readonly draws: number; readonly data: DataChoice }
  /** Loads and validates the data for a program without training (the page's data status line). */
  | { readonly type: 'checkData'; readonly program: ProgramText; readonly data: DataChoice };

/** A grid of images: n images of h×w values in [0, 1], row-major, one after another. */
export interface Images {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly cols: number;
  readonly pixels: Float32Array;
  readonly caption: string;
}

export interface EvalResult {
  readonly n: number;
  readonly k: number;
  readonly iwae: number;
  readonly iwaeSe: number;
  readonly elbo: number;
  readonly recon: number;
  readonly kl: number;
  readonly activeUnits: number;
  readonly latentDims: number;
  readonly klPerDim: readonly number[];
}

export type FromWorker =
  | { readonly type: 'backend'; readonly name: string; readonly available: readonly string[]; readonly detail: string }
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'data'; readonly text: string }
  | { readonly type: 'started'; readonly parameters: number; readonly train: number; readonly valid: number; readonly totalSteps: number; readonly stepsPerEpoch: number; readonly source: string }
  | { readonly type: 'steps'; readonly records: readonly StepRecord[]; readonly step: number; readonly examplesPerSec: number }
  | { readonly type: 'epoch'; readonly record: EpochRecord }
  | { readonly type: 'stopped'; readonly step: number; readonly reason: 'done' | 'stopped' }
  | { readonly type: 'samples'; readonly prior: Images; readonly recon: Images | null; readonly manifold: Images | null; readonly scatter: { readonly x: Float32Array; readonly y: Float32Array; readonly label: string } | null }
  | { readonly type: 'eval'; readonly result: EvalResult }
  | { readonly type: 'lab'; readonly lines: readonly string[]; readonly rows: readonly { readonly estimator: string; readonly group: string; readonly variance: number; readonly meanNorm: number; readonly snr: number | null }[]; readonly parameters: string; readonly data: string; readonly draws: number }
  | { readonly type: 'weights'; readonly json: string; readonly bin: ArrayBuffer }
  /** A failure: `code` (VAE...), the message, the hint and, for program errors, the rendered diagnostic. */
  | { readonly type: 'error'; readonly code: string; readonly message: string; readonly hint?: string; readonly rendered?: string; readonly step?: number; readonly site?: string };
