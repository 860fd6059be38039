/**
 * The importance-weighted bound (Burda et al. 2015), per example, in the max-shift form:
 *   IWAE_K(x) = log (1/K) Σ_k w_k,  log w_k = log p(x, z_k) − log q(z_k | x),
 * computed per example and never summed over the batch before the log-sum-exp (the mistake of
 * Pyro tracker item 2220). Enumerated sites stratify the sum: Σ_k Σ_y p(x, y, z_ky)/q(z_ky | x, y);
 * the steps of a Markov chain are summed by the log-space forward algorithm (chain.ts).
 *
 * Gradients:
 *  - reparam: differentiate the bound (each particle weighted by its normalized weight w̃_k);
 *  - dreg (Tucker et al. 2018): log q at detached parameters, and the path derivative through z_k
 *    scaled once more by w̃_k, giving Σ_k w̃_k² ∂log w_k/∂z_k ∂z_k/∂φ for the guide;
 *  - score: Σ_k log q(z_k) · stop(IWAE − b);
 *  - vimco (Mnih & Rezende 2016): Σ_k log q(z_k) · stop(IWAE − IWAE_{−k}), the leave-one-out
 *    bound with log w_k replaced by the mean of the other log-weights.
 */
import * as tf from '@tensorflow/tfjs';
import { ruleOf } from '../estimators/index';
import { execute } from '../execute';
import { stopGradient, type GradScaleHolder } from '../stop-gradient';
import { enumAxes, expandParticles, logMeanExpOverParticles, meanOverParticles, particlesFirst, softmaxOverParticles, sumEnumAxes, type Layout } from '../layout';
import { addAll, classifyTerm, enumExpect, enumLogWeight, toShape, type ObjectiveInput, type ObjectiveOutput } from './common';
import { addScoreParts } from './score-parts';
import { siteKl, siteTerms, type SiteTerm } from './terms';
import { ChainElimination } from './chain';

/** This site's contribution to log w, [...E, K, B]. */
function logWeightPart(t: SiteTerm): tf.Tensor {
  if (!t.latent) return t.lp;
  if (t.estimator !== null && ruleOf(t.estimator).draw === 'enumerate') {
    // q(y) cancels between the proposal and the stratified sum; labelled rows average n copies.
    const n = t.value.shape[0]!;
    return t.observedMask ? tf.add(t.lp, tf.mul(t.observedMask, -Math.log(n))) : t.lp;
  }
  return tf.sub(t.lp, t.lq!);
}

/** The leave-one-out baselines of VIMCO: IWAE with log w_k replaced by the mean of the others, of the plate shape ([K, B]). */
function vimcoLeaveOneOut(logw: tf.Tensor, layout: Layout): tf.Tensor {
  return particlesFirst(logw, layout, (lw) => {
    const K = lw.shape[0]!;
    const sum = tf.sum(lw, 0); // [B]
    const others = tf.div(tf.sub(sum, lw), K - 1); // [K, B] mean of the other K-1 log-weights
    const eye = tf.eye(K).reshape([K, K, ...new Array<number>(lw.rank - 1).fill(1)]); // [K, K, 1]
    // Row k: the K log-weights with entry k replaced by `others_k`.
    const replaced = tf.add(tf.mul(tf.sub(1, eye), tf.expandDims(lw, 0)), tf.mul(eye, tf.expandDims(others, 1))); // [K, K, B]
    return tf.sub(tf.logSumExp(replaced, 1), Math.log(K)); // [K, B]
  });
}

export function iwaeObjective(inp: ObjectiveInput, k: number): ObjectiveOutput {
  const { prog, store, plan, batch, rng, settings, state } = inp;
  const hasDreg = plan.sites.some((s) => ruleOf(s.estimator).reweightPath);
  const holder: GradScaleHolder = { value: null };
  const traces = execute(prog, store, plan, batch, rng, { particles: k, ...(hasDreg ? { dregHolder: holder } : {}) });
  const terms = siteTerms(traces, plan);
  const layout = traces.layout;
  const chain = plan.chain ? new ChainElimination(plan.chain, terms, layout.plateRank) : null;
  let logw: tf.Tensor; // [K, B]: enumeration summed exactly
  if (chain) logw = chain.logSumExp(terms, logWeightPart);
  else {
    const logwFull = addAll(terms.map(logWeightPart)); // [...E, K, B]
    const axes = enumAxes(logwFull, layout);
    logw = axes.length > 0 ? tf.logSumExp(logwFull, axes) : logwFull;
  }
  const full = toShape(logw, layout.plate); // [K, B]
  const bound = logMeanExpOverParticles(full, layout) as tf.Tensor1D; // [B]
  let surrogate = tf.mean(bound) as tf.Scalar; // []

  const keep: tf.Tensor[] = [];
  if (hasDreg) {
    const wTilde = tf.keep(stopGradient(softmaxOverParticles(full, layout))); // [K, B] normalized weights
    holder.value = wTilde;
    keep.push(wTilde);
  }

  // Score parts: Σ_k log q(z_k) · stop(IWAE − b), b a moving average or VIMCO's leave-one-out bound.
  let baselineUpdates: Map<string, tf.Tensor>;
  ({ surrogate, baselineUpdates } = addScoreParts(surrogate, terms, {
    signal: (t) => ({
      logq: toShape(sumEnumAxes(t.lq!, layout), layout.plate), // [K, B]
      signal: expandParticles(bound, layout), // [1, B]
    }),
    estimate: (x) => tf.mean(tf.sum(x, layout.particleAxis)), // [K, B] -> []
    level: () => tf.mean(stopGradient(bound)), // []
    ...(k > 1 ? { leaveOneOut: () => vimcoLeaveOneOut(full, layout) } : {}), // [K, B]
  }, state));

  const cls = classifyTerm(traces, settings.classify);
  if (cls) surrogate = tf.add(surrogate, tf.mean(cls)) as tf.Scalar;

  // ELBO parts of the particles, for reporting alongside the bound; enumerated configurations
  // are averaged under q (as the ELBO does), which also removes their [...E] axes.
  let recon: tf.Tensor; // [K, B]
  let kl: tf.Tensor; // [K, B]
  if (chain) {
    recon = toShape(stopGradient(chain.expect(terms.filter((t) => !t.latent), (t) => t.lp)), layout.plate);
    kl = toShape(stopGradient(chain.expect(terms, siteKl)), layout.plate);
  } else {
    const lwEnum = enumLogWeight(terms); // [...E, K, B]-broadcastable or null
    const W = lwEnum ? stopGradient(tf.exp(lwEnum)) : null;
    recon = toShape(enumExpect(addAll([tf.zeros([]), ...terms.filter((t) => !t.latent).map((t) => t.lp)]), W, layout), layout.plate);
    kl = toShape(enumExpect(addAll([tf.zeros([]), ...terms.map(siteKl).filter((x): x is tf.Tensor => x !== null)]), W, layout), layout.plate);
  }
  return {
    surrogate,
    bound,
    recon: meanOverParticles(recon, layout) as tf.Tensor1D, // [B]
    kl: meanOverParticles(kl, layout) as tf.Tensor1D, // [B]
    baselineUpdates,
    traces,
    terms,
    keep: [...keep, ...baselineUpdates.values()],
  };
}
