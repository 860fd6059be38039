/**
 * The score parts of a surrogate (Pyro's ScoreParts, pyro/distributions/score_parts.py, and the
 * surrogate trick of its Trace_ELBO). Every latent site whose estimator rule has a score part
 * (src/inference/estimators/: score, vimco) adds
 *
 *   gradientOnly(estimate(log q(z) · stop(signal − baseline)))
 *
 * to the surrogate: zero in value, the score-function gradient in gradient (Williams 1992). The
 * objective supplies the learning signal and how a per-particle product is averaged; the rule
 * chooses the baseline: a moving average of the signal (kept in EstimatorState and updated after
 * the step), or VIMCO's per-particle leave-one-out bound (Mnih & Rezende 2016).
 */
import * as tf from '@tensorflow/tfjs';
import { ruleOf } from '../estimators/index';
import { stopGradient } from '../stop-gradient';
import { gradientOnly, type EstimatorState } from './common';
import type { SiteTerm } from './terms';

export interface ScoreSignal {
  /** log q of the site, shaped to multiply the signal. */
  readonly logq: tf.Tensor;
  /** The learning signal before its baseline. */
  readonly signal: tf.Tensor;
}

/** What an objective tells the score parts. */
export interface ScoreObjective {
  /** The site's log q and learning signal. */
  signal(t: SiteTerm): ScoreSignal;
  /** Averages log q · (signal − baseline) to a scalar. */
  estimate(x: tf.Tensor): tf.Tensor;
  /** The value a moving-average baseline tracks, a scalar (from the signal, no gradient). */
  level(signal: tf.Tensor): tf.Tensor;
  /** The leave-one-out baselines, per particle; absent when the objective has none (one particle). */
  leaveOneOut?(): tf.Tensor;
}

export interface ScoreResult {
  /** The surrogate with the score parts added. */
  readonly surrogate: tf.Scalar;
  /** Moving-average baseline updates: site -> the new level (applied after the step). */
  readonly baselineUpdates: Map<string, tf.Tensor>;
}

/** Adds the score part of every score-function site to the surrogate, in site order. */
export function addScoreParts(surrogate: tf.Scalar, terms: readonly SiteTerm[], objective: ScoreObjective, state: EstimatorState): ScoreResult {
  const baselineUpdates = new Map<string, tf.Tensor>();
  let out = surrogate;
  for (const t of terms) {
    const part = t.estimator === null ? null : ruleOf(t.estimator).score;
    if (!part || !t.lq) continue;
    const { logq, signal } = objective.signal(t);
    let centred: tf.Tensor;
    if (part.baseline === 'leave-one-out' && objective.leaveOneOut) {
      centred = stopGradient(tf.sub(signal, objective.leaveOneOut())); // per particle
    } else {
      centred = stopGradient(tf.sub(signal, state.baseline(t.name)));
      baselineUpdates.set(t.name, tf.keep(objective.level(signal)));
    }
    out = tf.add(out, gradientOnly(objective.estimate(tf.mul(logq, centred)))) as tf.Scalar;
  }
  return { surrogate: out, baselineUpdates };
}
