/**
 * The message protocol between a running program and its effect handlers (Pyro's poutine,
 * typed). A `~` statement becomes a SampleMsg; handlers fill in its value, seed, plate frames
 * or enumeration dim; the default action samples what is still missing.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Distribution } from '../distributions/types';
import type { SiteInfo } from '../dsl/checked';
import type { EstimatorKind } from './plan';
import type { Rng } from '../core/rng';
import type { CondIndepFrame } from './dims';

export interface Observation {
  /** The data value; for partly observed sites, missing entries hold a placeholder (class 0). */
  readonly value: tf.Tensor;
  /** For partly observed sites: a float mask [B], 1 where the value is observed. */
  readonly mask: tf.Tensor | null;
  /**
   * For a `?` site of any other kind: a float mask [B, ...event], 1 where the entry is observed;
   * `value` holds a fill value at the missing entries (src/inference/missing.ts).
   */
  readonly present?: tf.Tensor | null;
}

export interface SampleMsg {
  readonly kind: 'sample';
  readonly site: SiteInfo;
  readonly dist: Distribution;
  value: tf.Tensor | null;
  /** Set by `condition`: the observed value (and mask when partly observed). */
  observation: Observation | null;
  /** The gradient estimator of a latent guide site (from the plan). */
  estimator: EstimatorKind | null;
  /** Set by `enumerate`: the batch dim (negative, src/inference/dims.ts) this site's support occupies. */
  enumDim: number | null;
  /**
   * The plates the site sits in, outermost first (Pyro's cond_indep_stack): each `plate` handler
   * the message passes adds its frame. A fresh sample covers plateShape(plates) (src/inference/layout.ts).
   */
  plates: readonly CondIndepFrame[];
  rng: Rng | null;
  /** A log-density multiplier (minibatch scaling); 1 by default. */
  scale: number;
  /**
   * Set by `stepMask`: a float mask [B] multiplying the site's log-densities per example (a step
   * past an example's length counts 0); null when the site counts for every example.
   */
  mask: tf.Tensor | null;
  /** Stop the walk outward after this handler (as Pyro's `stop`). */
  stop: boolean;
  /** The value is final: the default action does nothing. */
  done: boolean;
}

export type Message = SampleMsg;

/** A fresh sample message for `site`: no value, no plates, scale 1. */
export function sampleMessage(site: SiteInfo, dist: Distribution, estimator: EstimatorKind | null = null): SampleMsg {
  return { kind: 'sample', site, dist, value: null, observation: null, estimator, enumDim: null, plates: [], rng: null, scale: 1, mask: null, stop: false, done: false };
}

/** An effect handler: either hook may be omitted. `process` runs innermost first. */
export interface Handler {
  process?(msg: Message): void;
  postprocess?(msg: Message): void;
}
