/**
 * Pieces shared by the objectives: the objective's inputs and outputs, enumeration weights,
 * the score-function surrogate, and the auxiliary classification term.
 */
import * as tf from '@tensorflow/tfjs';
import type { CompiledProgram } from '../compile';
import type { Batch, Traces } from '../execute';
import type { ParamStore } from '../params';
import type { Plan } from '../plan';
import type { Rng } from '../../core/rng';
import { ruleOf } from '../estimators/index';
import { stopGradient } from '../stop-gradient';
import type { SiteTerm } from './terms';
import { sumEnumAxes, type Layout } from '../layout';

/** Per-site moving-average baselines for score-function sites (non-trainable variables). */
export class EstimatorState {
  readonly baselines = new Map<string, tf.Variable>();
  /** Decay of the moving average (Pyro's default baseline_beta). */
  constructor(readonly decay = 0.9) {}

  baseline(site: string): tf.Variable {
    let b = this.baselines.get(site);
    if (!b) {
      const zero = tf.scalar(0); // []
      b = tf.variable(zero, false); // [] (unnamed: tfjs keeps variable names unique)
      zero.dispose(); // the variable holds its own reference to the data
      this.baselines.set(site, b);
    }
    return b;
  }

  /** Applies the updates an objective returned (outside the gradient computation). */
  apply(updates: ReadonlyMap<string, tf.Tensor>): void {
    for (const [site, mean] of updates) {
      const b = this.baseline(site);
      const next = tf.tidy(() => tf.add(tf.mul(this.decay, b), tf.mul(1 - this.decay, mean))); // []
      b.assign(next);
      next.dispose(); // assign shares the data; the tensor handle itself would leak
    }
  }

  values(): Record<string, number> {
    return Object.fromEntries([...this.baselines].map(([k, v]) => [k, v.dataSync()[0]!]));
  }

  load(values: Readonly<Record<string, number>>): void {
    for (const [k, v] of Object.entries(values)) {
      const t = tf.scalar(v); // []
      this.baseline(k).assign(t);
      t.dispose();
    }
  }

  dispose(): void {
    for (const b of this.baselines.values()) b.dispose();
    this.baselines.clear();
  }
}

export interface ObjectiveSettings {
  readonly particles: number;
  readonly beta: number;
  readonly freeBits: number;
  readonly classify: { readonly site: string; readonly weight: number } | null;
}

export interface ObjectiveInput {
  readonly prog: CompiledProgram;
  readonly store: ParamStore;
  readonly plan: Plan;
  readonly batch: Batch;
  readonly rng: Rng;
  readonly settings: ObjectiveSettings;
  readonly state: EstimatorState;
}

export interface ObjectiveOutput {
  /** Maximize this: its value is the objective with β and free bits; its gradient is the estimator's. */
  readonly surrogate: tf.Scalar;
  /** The bound per example (ELBO or IWAE, β = 1, no free bits), [B]. */
  readonly bound: tf.Tensor1D;
  /** Average reconstruction log-likelihood and KL per example, [B] (ELBO only; IWAE gives the ELBO parts of its first particle). */
  readonly recon: tf.Tensor1D;
  readonly kl: tf.Tensor1D;
  /** Baseline updates: site -> mean learning signal (applied after the step). */
  readonly baselineUpdates: Map<string, tf.Tensor>;
  readonly traces: Traces;
  readonly terms: readonly SiteTerm[];
  /** Tensors kept across the gradient computation (DReG's weights); dispose after the step. */
  readonly keep: tf.Tensor[];
}

/** log-weights of the enumerated configurations, [...E, ...plate]-broadcastable, or null without enumeration. */
export function enumLogWeight(terms: readonly SiteTerm[]): tf.Tensor | null {
  let lw: tf.Tensor | null = null;
  for (const t of terms) {
    if (t.estimator === null || ruleOf(t.estimator).draw !== 'enumerate' || !t.lq) continue;
    const n = t.q?.enumerateSupport ? t.value.shape[0]! : 1;
    let w = t.lq; // q(y) where latent; 0 where observed
    if (t.observedMask) w = tf.add(w, tf.mul(t.observedMask, -Math.log(n))); // labelled rows: uniform 1/n over copies of y_obs
    const pad = paddedStepWeight(t, n);
    if (pad) w = tf.add(w, pad);
    lw = lw === null ? w : tf.add(lw, w);
  }
  return lw;
}

/**
 * An enumerated step past an example's length has log q = 0 for each of its n values (masked,
 * handlers/mask.ts): its log-weight there is log(1/n) instead, so its weights still sum to 1 and
 * the sum over its values leaves the rest unchanged. (1 − mask) · (−log n), [B]; null for a site
 * that is not a step of a sequence of up to T steps.
 */
export function paddedStepWeight(t: SiteTerm, n: number): tf.Tensor | null {
  return t.stepMask ? tf.mul(tf.sub(1, t.stepMask), -Math.log(n)) : null; // [B]
}

/** Broadcasts every tensor to their common shape and adds them. */
export function addAll(ts: readonly tf.Tensor[]): tf.Tensor {
  return ts.reduce((a, b) => tf.add(a, b));
}

/**
 * E_enum[x] = sum over enumerated configurations of W * x: a [...E, ...plate, ...event] tensor
 * summed over its enumeration axes (the layout's) -> [...plate, ...event], e.g. [K, B].
 */
export function enumExpect(x: tf.Tensor, weight: tf.Tensor | null, layout: Pick<Layout, 'plateRank'>, eventRank = 0): tf.Tensor {
  if (!weight) return x;
  return sumEnumAxes(tf.mul(weight, x), layout, eventRank); // [...plate, ...event]
}

/** The classification term α·log q(y_obs | x) on labelled rows, [B] (Kingma et al. 2014, eq. 9). */
export function classifyTerm(traces: Traces, classify: ObjectiveSettings['classify']): tf.Tensor | null {
  if (!classify) return null;
  const g = traces.guide.get(classify.site);
  const obs = traces.model.get(classify.site)?.observation;
  if (!g || !obs) return null;
  const lq = g.dist.logProb(obs.value); // [B]
  return tf.mul(classify.weight, obs.mask ? tf.mul(lq, obs.mask) : lq); // [B]
}

/** A value computed on first use only (tensors the hot path may not need). */
export function once<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

/** A term with the right gradient and zero value: x - stopGradient(x). */
export function gradientOnly(x: tf.Tensor): tf.Tensor {
  return tf.sub(x, stopGradient(x));
}

/** Ensures a tensor has the full shape `shape` (e.g. the layout's plate shape, for means over its axes). */
export function toShape(t: tf.Tensor, shape: readonly number[]): tf.Tensor {
  return t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : tf.broadcastTo(t, [...shape]);
}
