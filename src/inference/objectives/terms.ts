/**
 * Per-site terms of an objective, from a pair of traces: log p under the model, log q under
 * the guide (for latent sites), the analytic KL where the plan chose it, and per-dimension KL
 * where both densities factorize (for free bits and the eval report). Partly observed sites
 * contribute their latent terms only where the label is missing; a `?` data site's log-likelihood
 * covers its observed entries only (src/inference/missing.ts); a step past an example's length
 * (handlers/mask.ts) counts 0 in every term of that example.
 */
import * as tf from '@tensorflow/tfjs';
import { klDivergence } from '../../distributions/kl';
import type { Distribution } from '../../distributions/types';
import type { SiteInfo } from '../../dsl/checked';
import { siteError } from '../compile';
import { maskedLogProb } from '../missing';
import type { Traces } from '../execute';
import type { SampleMsg } from '../messages';
import type { EstimatorKind, Plan } from '../plan';
import { stopGradient } from '../stop-gradient';

export interface SiteTerm {
  readonly name: string;
  readonly model: SiteInfo;
  readonly latent: boolean;
  readonly estimator: EstimatorKind | null;
  /** The batch dim (negative) the site's enumerated support occupies; null when not enumerated. */
  readonly enumDim: number | null;
  /** log p(value | parents), [...batch]. */
  readonly lp: tf.Tensor;
  /** log q(value | ...) where latent (0 where observed), [...batch]; null for observed sites. */
  readonly lq: tf.Tensor | null;
  /** Analytic KL(q || p) where the plan chose it, [...batch]. */
  readonly kl: tf.Tensor | null;
  /** Per-dimension KL, [...batch, ...event], when both densities factorize (or analytic elementwise). */
  readonly klElementwise: tf.Tensor | null;
  /** 1 where the site is latent, [B]; null when latent everywhere (or observed everywhere). */
  readonly latentMask: tf.Tensor | null;
  /** 1 where a partly observed site is observed, [B]; null otherwise. */
  readonly observedMask: tf.Tensor | null;
  /** A step of a sequence declared `[..T, ...]`: 1 where the step is before the example's length, [B]; null otherwise (every term above is already multiplied by it). */
  readonly stepMask: tf.Tensor | null;
  readonly q: Distribution | null;
  readonly p: Distribution;
  readonly value: tf.Tensor;
}

function detachParams(d: Distribution): Distribution {
  const params: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(d.params)) params[k] = stopGradient(v);
  return d.withParams(params);
}

/** Applies a site's weights to a log-density term [...batch]: the `scale` handler's factor and the `stepMask` handler's mask [B]. */
function scaled(t: tf.Tensor, msg: Pick<SampleMsg, 'scale' | 'mask'>): tf.Tensor {
  const m = masked(t, msg.mask); // [...batch]
  return msg.scale === 1 ? m : tf.mul(m, msg.scale); // [...batch]
}

/** Multiplies a [...batch] tensor by a [B] mask (aligned on the last axis). */
export function masked(t: tf.Tensor, mask: tf.Tensor | null): tf.Tensor {
  return mask === null ? t : tf.mul(t, mask); // [...batch]
}

/** Sums the trailing `rank` axes. */
function sumEvent(t: tf.Tensor, rank: number): tf.Tensor {
  if (rank === 0) return t;
  return tf.sum(t, Array.from({ length: rank }, (_, i) => t.rank - rank + i)); // [...batch]
}

export function siteTerms(traces: Traces, plan: Plan): SiteTerm[] {
  const out: SiteTerm[] = [];
  const planned = new Map(plan.sites.map((s) => [s.name, s]));
  for (const [name, m] of traces.model) {
    try {
      siteTerm(name, m, traces, planned, out);
    } catch (err) {
      throw siteError(m.site, err);
    }
  }
  return out;
}

/** One model site's term, appended to `out`. */
function siteTerm(name: string, m: SampleMsg, traces: Traces, planned: ReadonlyMap<string, Plan['sites'][number]>, out: SiteTerm[]): void {
  const value = m.value!;
  const sp = planned.get(name);
  const g = traces.guide.get(name);
  const latent = m.site.observed !== 'yes' && g !== undefined;
  if (!latent || !g || !sp) {
    const present = m.observation?.present ?? null; // [B, ...event] for a `?` site with missing entries
    const lp = present ? maskedLogProb(m.dist, value, present, m.site.shape.length) : m.dist.logProb(value); // [...batch]
    out.push({ name, model: m.site, latent: false, estimator: null, enumDim: null, lp: scaled(lp, m), lq: null, kl: null, klElementwise: null, latentMask: null, observedMask: null, stepMask: m.mask, q: null, p: m.dist, value });
    return;
  }
  const obsMask = m.observation?.mask ?? null;
  const latentMask = obsMask ? tf.sub(1, obsMask) : null; // [B]
  const q = sp.detach ? detachParams(g.dist) : g.dist;
  const rank = m.site.shape.length;
  const eventMask = latentMask && m.mask ? tf.mul(latentMask, m.mask) : (latentMask ?? m.mask); // [B]: latent and before the length
  const maskEvent = (t: tf.Tensor): tf.Tensor => (eventMask ? tf.mul(t, eventMask.reshape([...eventMask.shape, ...new Array<number>(rank).fill(1)])) : t); // [...batch, ...event]
  let kl: tf.Tensor | null = null;
  let klElAnalytic: tf.Tensor | null = null;
  if (sp.kl === 'analytic') {
    const r = klDivergence(g.dist, m.dist);
    if (r) {
      if (r.elementwise) {
        klElAnalytic = maskEvent(r.value); // [...batch, ...event]
        kl = sumEvent(klElAnalytic, rank); // [...batch]
      } else kl = masked(masked(r.value, latentMask), m.mask); // [...batch]
    }
  }
  // log p, log q and the per-dimension KL are computed on first use only: with an analytic KL and
  // a reparameterized site the objective never needs them (fewer ops in the hot path).
  const factorized = !!(q.logProbElementwise && m.dist.logProbElementwise && g.dist.spec.factorized && m.dist.spec.factorized);
  let lpCache: tf.Tensor | undefined;
  let lqCache: tf.Tensor | undefined;
  let klElCache: tf.Tensor | null | undefined = klElAnalytic ?? undefined;
  let lqEl: tf.Tensor | undefined;
  let lpEl: tf.Tensor | undefined;
  // An enumerated scalar site's value is its whole support on its own axis: log p of every class at
  // once (the log-softmax moved onto that axis) instead of a one-hot product against the parameters.
  const supportLp = (d: Distribution): tf.Tensor | null => (g.enumDim !== null && rank === 0 && !obsMask ? (d.logProbSupport?.(value.rank) ?? null) : null); // [...batch]
  const elementwise = (): void => {
    if (lqEl) return;
    lqEl = supportLp(q) ?? q.logProbElementwise!(value); // [...batch, ...event]
    lpEl = supportLp(m.dist) ?? m.dist.logProbElementwise!(value); // [...batch, ...event]
  };
  out.push({
    name,
    model: m.site,
    latent: true,
    estimator: sp.estimator,
    enumDim: g.enumDim,
    get lp() {
      if (!lpCache) {
        if (factorized) {
          elementwise();
          lpCache = sumEvent(lpEl!, rank); // [...batch]
        } else lpCache = supportLp(m.dist) ?? m.dist.logProb(value); // [...batch]
        lpCache = scaled(lpCache, m);
      }
      return lpCache;
    },
    get lq() {
      if (!lqCache) {
        if (factorized) {
          elementwise();
          lqCache = masked(sumEvent(lqEl!, rank), latentMask); // [...batch]
        } else lqCache = masked(supportLp(q) ?? q.logProb(value), latentMask); // [...batch]
        lqCache = scaled(lqCache, g);
      }
      return lqCache;
    },
    kl: kl ? (m.scale === 1 ? kl : tf.mul(kl, m.scale)) : null, // [...batch] (masked above)
    get klElementwise() {
      if (klElCache === undefined) {
        if (factorized) {
          elementwise();
          klElCache = maskEvent(tf.sub(lqEl!, lpEl!)); // [...batch, ...event]
        } else klElCache = null;
      }
      return klElCache;
    },
    latentMask,
    observedMask: obsMask,
    stepMask: m.mask,
    q: g.dist,
    p: m.dist,
    value,
  });
}

/**
 * The per-sample cost of a site, [...batch]: log p for observed sites, -KL for analytic-KL
 * sites, log p - log q otherwise (β scales the latent terms).
 */
export function siteCost(t: SiteTerm, beta: number): tf.Tensor {
  if (!t.latent) return t.lp;
  if (t.kl) {
    const obs = t.observedMask ? masked(t.lp, t.observedMask) : null; // labelled part of a partial site
    const latentPart = tf.mul(-beta, t.kl);
    return obs ? tf.add(obs, latentPart) : latentPart;
  }
  if (t.observedMask) {
    // Labelled rows: log p(y) is part of log p(x, y); missing rows: log p(y) - log q(y) is the KL part.
    const obsPart = masked(t.lp, t.observedMask);
    const latentPart = tf.mul(beta, tf.sub(masked(t.lp, t.latentMask), t.lq!));
    return tf.add(obsPart, latentPart);
  }
  return beta === 1 ? tf.sub(t.lp, t.lq!) : tf.mul(beta, tf.sub(t.lp, t.lq!));
}

/** The KL part of a site for reporting, [...batch] (0 for observed sites). */
export function siteKl(t: SiteTerm): tf.Tensor | null {
  if (!t.latent) return null;
  if (t.kl) return t.kl;
  return tf.sub(t.lq!, masked(t.lp, t.latentMask));
}
