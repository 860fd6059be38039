/**
 * The evidence lower bound (Kingma & Welling 2013), per example:
 *   ELBO(x) = E_q[log p(x, z) - log q(z | x)],
 * estimated with K particles (vectorized as a leading axis), exact sums over enumerated sites
 * (weighted by q), analytic KL where the plan chose it, a KL weight β and free bits
 * (Kingma et al. 2016: each latent dimension pays max(λ, E_batch KL_d)).
 *
 * Gradients (the surrogate trick of Pyro's Trace_ELBO): the surrogate's value is the
 * β/free-bits objective and its gradient is the estimator's —
 *  - reparam: differentiate through the sample;
 *  - stl (Roeder et al. 2017): as reparam, with log q evaluated at detached parameters;
 *  - enumerate: exact, through the weights q(y); the steps of a Markov chain by the forward
 *    recursion over q's pairwise marginals (chain.ts);
 *  - score (Williams 1992): log q(z) · stop(D_z − b_z) (score-parts.ts), where D_z sums only the
 *    costs the plan lists as z's signal: those that read z or a guide site drawn from z
 *    (Rao-Blackwellization, as Pyro's TraceGraph_ELBO; src/inference/dependencies.ts), and b_z is
 *    a moving average.
 */
import * as tf from '@tensorflow/tfjs';
import { execute } from '../execute';
import { stopGradient } from '../stop-gradient';
import {
  addAll,
  classifyTerm,
  enumExpect,
  enumLogWeight,
  once,
  toShape,
  type ObjectiveInput,
  type ObjectiveOutput,
} from './common';
import { addScoreParts } from './score-parts';
import { siteCost, siteKl, siteTerms, type SiteTerm } from './terms';
import { ChainElimination } from './chain';
import type { Traces } from '../execute';
import { meanOverParticles, plateAxes } from '../layout';

export function elboObjective(inp: ObjectiveInput): ObjectiveOutput {
  const { prog, store, plan, batch, rng, settings } = inp;
  const traces = execute(prog, store, plan, batch, rng, { particles: settings.particles });
  const terms = siteTerms(traces, plan);
  if (plan.chain) return chainElbo(inp, traces, terms, new ChainElimination(plan.chain, terms, traces.layout.plateRank));
  const state = inp.state;
  const lw = enumLogWeight(terms); // [...E, K, B] or null
  const W = lw ? tf.exp(lw) : null; // q of each enumerated configuration
  const layout = traces.layout;
  const fullShape = layout.plate;

  // The true ELBO (β = 1) and its parts, per particle and example: [K, B].
  const cost = addAll(terms.map((t) => siteCost(t, 1))); // [...E, K, B]
  const elboKB = toShape(enumExpect(cost, W, layout), fullShape); // [K, B]
  const recon = toShape(enumExpect(addAll([tf.zeros([]), ...terms.filter((t) => !t.latent).map((t) => t.lp)]), W, layout), fullShape); // [K, B]
  const klTerms = terms.map(siteKl).filter((k): k is tf.Tensor => k !== null);
  const kl = toShape(enumExpect(addAll([tf.zeros([]), ...klTerms]), W, layout), fullShape); // [K, B]

  // The surrogate: β-weighted, with free bits replacing the per-dimension KL of eligible sites.
  const beta = settings.beta;
  const lambda = settings.freeBits;
  const planned = new Map(plan.sites.map((s) => [s.name, s]));
  const fbSites = freeBitsSites(terms, planned, lambda);
  const surrogateCost = addAll([
    ...terms.map((t) => siteCost(t, beta)),
    ...fbSites.map((t) => tf.mul(beta, t.kl ?? siteKl(t)!)), // add back: replaced by free bits below
  ]); // [...E, K, B]
  let surrogate = tf.mean(enumExpect(surrogateCost, W, layout)) as tf.Scalar; // []
  for (const t of fbSites) {
    const rank = t.model.shape.length;
    const perDim = enumExpect(t.klElementwise!, W ? W.reshape([...W.shape, ...new Array<number>(rank).fill(1)]) : null, layout, rank); // [K, B, ...event]
    surrogate = subtractFreeBits(surrogate, perDim, layout, rank, beta, lambda);
  }

  // Score parts: log q · stop(D − b) with D the site's downstream costs, averaged under stop(W).
  const weighted = once(() => (W ? stopGradient(W) : null)); // [...E, K, B]
  let baselineUpdates: Map<string, tf.Tensor>;
  ({ surrogate, baselineUpdates } = addScoreParts(surrogate, terms, {
    signal(t) {
      const down = new Set(planned.get(t.name)?.signal ?? terms.map((u) => u.name));
      return { logq: t.lq!, signal: addAll(terms.filter((u) => down.has(u.name)).map((u) => siteCost(u, beta))) }; // [...E, K, B]
    },
    estimate: (x) => tf.mean(enumExpect(x, weighted(), layout)), // []
    level: (D) => tf.mean(stopGradient(enumExpect(D, weighted(), layout))), // []
  }, state));

  return elboOutput(surrogate, { elboKB, recon, kl }, baselineUpdates, traces, terms, settings);
}

/**
 * The ELBO of a plan with a Markov chain: every expectation over the chain's states is taken with
 * q's pairwise marginals (chain.ts); the other sites read no state (src/inference/markov.ts), so
 * their terms need no weighting.
 */
function chainElbo(inp: ObjectiveInput, traces: Traces, terms: readonly SiteTerm[], chain: ChainElimination): ObjectiveOutput {
  const { plan, settings, state } = inp;
  const layout = traces.layout;
  const fullShape = layout.plate;
  const elboKB = toShape(chain.expect(terms, (t) => siteCost(t, 1)), fullShape); // [K, B]
  const recon = toShape(chain.expect(terms.filter((t) => !t.latent), (t) => t.lp), fullShape); // [K, B]
  const kl = toShape(chain.expect(terms, siteKl), fullShape); // [K, B]

  const beta = settings.beta;
  const lambda = settings.freeBits;
  const planned = new Map(plan.sites.map((s) => [s.name, s]));
  // Free bits act on sites that read no state (enumerated sites have none), so per dimension without weights.
  const fbSites = freeBitsSites(terms, planned, lambda);
  const fbNames = new Set(fbSites.map((t) => t.name));
  const surrogateCost = chain.expect(terms, (t) => (fbNames.has(t.name) ? tf.add(siteCost(t, beta), tf.mul(beta, t.kl ?? siteKl(t)!)) : siteCost(t, beta))); // [K, B]
  let surrogate = tf.mean(surrogateCost) as tf.Scalar; // []
  for (const t of fbSites) {
    const rank = t.model.shape.length;
    const perDim = t.klElementwise!; // [K, B, ...event]
    surrogate = subtractFreeBits(surrogate, perDim, layout, rank, beta, lambda);
  }

  // Score parts: the sampled sites read no state, so log q has no enumeration axes and E_q of the signal is taken first.
  let baselineUpdates: Map<string, tf.Tensor>;
  ({ surrogate, baselineUpdates } = addScoreParts(surrogate, terms, {
    signal(t) {
      const down = new Set(planned.get(t.name)?.signal ?? terms.map((u) => u.name));
      return { logq: t.lq!, signal: chain.expect(terms.filter((u) => down.has(u.name)), (u) => siteCost(u, beta)) }; // [K, B]
    },
    estimate: (x) => tf.mean(x), // []
    level: (D) => tf.mean(stopGradient(D)), // []
  }, state));

  return elboOutput(surrogate, { elboKB, recon, kl }, baselineUpdates, traces, terms, settings);
}

/** The latent sites free bits act on: eligible in the plan, with a per-dimension KL. */
function freeBitsSites(terms: readonly SiteTerm[], planned: ReadonlyMap<string, ObjectiveInput['plan']['sites'][number]>, lambda: number): SiteTerm[] {
  return lambda > 0 ? terms.filter((t) => t.latent && planned.get(t.name)?.freeBits.applies && t.klElementwise) : [];
}

/** Subtracts β Σ_d max(λ, KL_d) of one site, KL_d its per-dimension KL [K, B, ...event] averaged over particles and examples. */
function subtractFreeBits(surrogate: tf.Scalar, perDim: tf.Tensor, layout: Traces['layout'], rank: number, beta: number, lambda: number): tf.Scalar {
  const meanDim = tf.mean(perDim, plateAxes(perDim, layout, rank)); // [...event]
  return tf.sub(surrogate, tf.mul(beta, tf.sum(tf.maximum(meanDim, lambda)))) as tf.Scalar; // []
}

/** Both ELBOs' last step: the classification term of labelled examples, and the parts per example. */
function elboOutput(
  surrogate: tf.Scalar,
  parts: { readonly elboKB: tf.Tensor; readonly recon: tf.Tensor; readonly kl: tf.Tensor }, // each [K, B]
  baselineUpdates: Map<string, tf.Tensor>,
  traces: Traces,
  terms: readonly SiteTerm[],
  settings: ObjectiveInput['settings'],
): ObjectiveOutput {
  const layout = traces.layout;
  const cls = classifyTerm(traces, settings.classify); // [B]
  return {
    surrogate: cls ? (tf.add(surrogate, tf.mean(cls)) as tf.Scalar) : surrogate, // []
    bound: meanOverParticles(parts.elboKB, layout) as tf.Tensor1D, // [B]
    recon: meanOverParticles(parts.recon, layout) as tf.Tensor1D, // [B]
    kl: meanOverParticles(parts.kl, layout) as tf.Tensor1D, // [B]
    baselineUpdates,
    traces,
    terms,
    keep: [...baselineUpdates.values()],
  };
}
