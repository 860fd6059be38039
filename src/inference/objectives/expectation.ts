/**
 * The expectation objective E_q[f(z)], to minimize or maximize, for an expression f of guide
 * sites (no model): the lecture notes' toy, x ~ N(θ, 1), minimize E[x²], is written with it.
 * Gradients per site, as for the ELBO: reparam differentiates f through the sample (variance 4
 * for the toy); score uses log q(z) · stop(±f − b) (Williams 1992; variance θ⁴ + 14θ² + 15 for
 * the toy without a baseline); enumerate sums exactly over the support, weighted by q.
 */
import * as tf from '@tensorflow/tfjs';
import { execute } from '../execute';
import { stopGradient } from '../stop-gradient';
import { enumExpect, enumLogWeight, once, toShape, type ObjectiveInput, type ObjectiveOutput } from './common';
import { addScoreParts } from './score-parts';
import { masked, type SiteTerm } from './terms';
import { meanOverParticles } from '../layout';
import type { Traces } from '../execute';
import type { Plan } from '../plan';

/** Guide-only terms: log q of each latent guide site at its value (there is no model). */
function guideTerms(traces: Traces, plan: Plan): SiteTerm[] {
  const out: SiteTerm[] = [];
  for (const sp of plan.sites) {
    const g = traces.guide.get(sp.name);
    if (!g || !g.value) continue;
    const obsMask = g.observation?.mask ?? null;
    const latentMask = obsMask ? tf.sub(1, obsMask) : null; // [B]
    const lq = g.dist.logProb(g.value); // [...batch]
    out.push({
      name: sp.name, model: g.site, latent: true, estimator: sp.estimator, enumDim: g.enumDim,
      lp: tf.zerosLike(lq), lq: masked(latentMask ? tf.mul(lq, latentMask) : lq, g.mask), kl: null, klElementwise: null,
      latentMask, observedMask: obsMask, stepMask: g.mask, q: g.dist, p: g.dist, value: g.value,
    });
  }
  return out;
}

export function expectationObjective(inp: ObjectiveInput, sense: 'minimize' | 'maximize'): ObjectiveOutput {
  const { prog, store, plan, batch, rng, settings, state } = inp;
  if (!prog.objective) throw new Error('the program has no expectation objective');
  const traces = execute(prog, store, plan, batch, rng, { particles: settings.particles });
  const terms = guideTerms(traces, plan);
  const sign = sense === 'minimize' ? -1 : 1;
  const f = tf.mul(sign, prog.objective(traces.guideEnv)); // [...E, K, B] the maximized quantity
  const lw = enumLogWeight(terms);
  const W = lw ? tf.exp(lw) : null; // [...E, K, B]
  const layout = traces.layout;
  const valueKB = toShape(enumExpect(f, W, layout), layout.plate); // [K, B]
  // Score parts: log q · stop(±f − b), averaged under stop(W).
  const weighted = once(() => (W ? stopGradient(W) : null)); // [...E, K, B]
  const { surrogate, baselineUpdates } = addScoreParts(tf.mean(valueKB) as tf.Scalar, terms, {
    signal: (t) => ({ logq: t.lq!, signal: f }), // [...E, K, B]
    estimate: (x) => tf.mean(enumExpect(x, weighted(), layout)), // []
    level: (s) => tf.mean(stopGradient(enumExpect(s, weighted(), layout))), // []
  }, state);
  const zeros = tf.zeros([layout.batch]) as tf.Tensor1D; // [B]
  return {
    surrogate,
    bound: meanOverParticles(valueKB, layout) as tf.Tensor1D, // [B]
    recon: zeros,
    kl: zeros,
    baselineUpdates,
    traces,
    terms,
    keep: [...baselineUpdates.values()],
  };
}
