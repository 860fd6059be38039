/**
 * The resolved `train { ... }` block: every setting with its value and whether it came from the
 * file or is a default (the trainer prints defaults marked, and saves the whole config).
 */

import type { Objective } from './objectives';

export type { Objective } from './objectives';
export { formatObjective } from './objectives';

export type OptimizerConfig =
  | { readonly kind: 'adam'; readonly lr: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  | { readonly kind: 'sgd'; readonly lr: number; readonly momentum: number }
  | { readonly kind: 'rmsprop'; readonly lr: number; readonly decay: number; readonly momentum: number; readonly epsilon: number };

/** A constant KL weight, or a linear ramp `anneal(from -> to, epochs: E)` (or `steps: S`). */
export type BetaSchedule =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'anneal'; readonly from: number; readonly to: number; readonly unit: 'epochs' | 'steps'; readonly length: number };

export type KlMode = 'auto' | 'analytic' | 'mc';
export type Binarize = 'none' | 'dynamic' | 'threshold';

export interface TrainConfig {
  readonly objective: Objective;
  readonly particles: number;
  readonly optimizer: OptimizerConfig;
  readonly batch: number;
  readonly epochs: number;
  /** A fixed number of optimizer steps instead of epochs, when set. */
  readonly steps: number | null;
  readonly kl: KlMode;
  readonly beta: BetaSchedule;
  /** λ of free bits, in nats per latent dimension (0 = off). */
  readonly freeBits: number;
  /** Auxiliary classification loss α·log q(y|x) on labelled examples (Kingma et al. 2014). */
  readonly classify: { readonly site: string; readonly weight: number } | null;
  readonly dataset: string | null;
  readonly binarize: Binarize;
  /** Keep this many labels per class (the rest are missing), or null for all. */
  readonly labelsPerClass: number | null;
  readonly seed: number;
  /** Stop after this many epochs without a better validation ELBO (null = never). */
  readonly earlyStopping: number | null;
}

export const DEFAULT_TRAIN: TrainConfig = {
  objective: { kind: 'elbo' },
  particles: 1,
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  batch: 100,
  epochs: 10,
  steps: null,
  kl: 'auto',
  beta: { kind: 'constant', value: 1 },
  freeBits: 0,
  classify: null,
  dataset: null,
  binarize: 'none',
  labelsPerClass: null,
  seed: 1,
  earlyStopping: null,
};

export type TrainKey = keyof TrainConfig;

export interface ResolvedTrain {
  readonly config: TrainConfig;
  /** The keys given in the file (or on the command line); the others are defaults. */
  readonly explicit: ReadonlySet<TrainKey>;
}


export function formatOptimizer(o: OptimizerConfig): string {
  switch (o.kind) {
    case 'adam':
      return `adam(lr: ${o.lr}, beta1: ${o.beta1}, beta2: ${o.beta2}, epsilon: ${o.epsilon})`;
    case 'sgd':
      return `sgd(lr: ${o.lr}, momentum: ${o.momentum})`;
    case 'rmsprop':
      return `rmsprop(lr: ${o.lr}, decay: ${o.decay}, momentum: ${o.momentum}, epsilon: ${o.epsilon})`;
  }
}

export function formatBeta(b: BetaSchedule): string {
  return b.kind === 'constant' ? String(b.value) : `anneal(${b.from} -> ${b.to}, ${b.unit}: ${b.length})`;
}

/** The KL weight β at a point of training (linear ramp, then flat). */
export function betaAt(b: BetaSchedule, epoch: number, step: number): number {
  if (b.kind === 'constant') return b.value;
  const t = b.unit === 'epochs' ? epoch : step;
  const frac = Math.min(1, Math.max(0, t / b.length));
  return b.from + (b.to - b.from) * frac;
}
