/**
 * The analytic-KL registry: KL(q || p) in closed form, one table row per (q family, p family).
 * Elementwise rows return per-element terms [...batch, ...event] (batch broadcast between q
 * and p); the others return [...batch]. Rows assume q and p share the event shape.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedNormalKl } from '../kernels/ops';
import { detached } from './autodiff';
import type { BernoulliDist } from './bernoulli';
import type { BetaDist } from './beta';
import type { CategoricalDist } from './categorical';
import { cbLogNorm, cbMean, type ContinuousBernoulliDist } from './continuous-bernoulli';
import type { ExponentialDist } from './exponential';
import type { GammaDist } from './gamma';
import type { LaplaceDist } from './laplace';
import type { LogNormalDist } from './log-normal';
import { elementwise64 } from './host64';
import { LOG_2PI, toFloat } from './math';
import { digamma64, lbeta64, lgammaDiff64, trigamma64 } from './special64';
import type { NormalDist } from './normal';
import type { OneHotCategoricalDist } from './one-hot-categorical';
import type { PoissonDist } from './poisson';
import { broadcastShapes, expandTo, sameShape, sumRightmost } from './shapes';
import type { Distribution, KlRule, Tensor } from './types';
import type { UniformDist } from './uniform';
import { DIRICHLET_KL_RULE, GAUSSIAN_KL_RULES } from './vector-kl';

/** [...broadcast(q.batch, p.batch), ...event]. */
function fullShape(q: Distribution, p: Distribution): number[] {
  return [...broadcastShapes(q.batchShape, p.batchShape), ...q.eventShape];
}

/** A factorized rule: `f` gives the per-element KL, broadcast here to the full shape. */
function elementwise<Q extends Distribution, P extends Distribution>(
  q: string,
  p: string,
  f: (q: Q, p: P) => Tensor,
): KlRule {
  return {
    q,
    p,
    elementwise: true,
    kl: (dq, dp) => tf.tidy(() => expandTo(f(dq as Q, dp as P), fullShape(dq, dp))), // [...batch, ...event]
  };
}

/** KL between two Gaussians given log-scales' ingredients (also used for LogNormal). */
function normalKl(mq: Tensor, sq: Tensor, mp: Tensor, sp: Tensor): Tensor {
  const fused = fusedNormalKl(mq, sq, mp, sp); // one kernel on wasm (src/kernels), the same formula
  if (fused) return fused;
  const r = tf.square(tf.div(sq, sp)); // [...] (sq/sp)^2
  const d = tf.square(tf.div(tf.sub(mq, mp), sp)); // [...] ((mq - mp)/sp)^2
  return tf.mul(0.5, tf.sub(tf.add(r, d), tf.add(1, tf.log(r)))); // [...]
}

/**
 * Gamma(aq, bq) || Gamma(ap, bp), elementwise in float64 (also Exponential = Gamma(1, rate)):
 *   (aq − ap) ψ(aq) − lgamma(aq) + lgamma(ap) + ap log(bq / bp) + aq (bp − bq) / bq,
 * whose lgamma and digamma terms cancel to O(1) from O(a log a) at large concentrations.
 * Gradients: ∂aq = (aq − ap) ψ'(aq) + (bp − bq)/bq, ∂bq = ap/bq − aq bp/bq², ∂ap = ψ(ap) − ψ(aq) + log(bq/bp), ∂bp = aq/bq − ap/bp.
 */
function gammaKl(aq: Tensor | number, bq: Tensor, ap: Tensor | number, bp: Tensor): Tensor {
  return elementwise64(
    [toFloat(aq), bq, toFloat(ap), bp],
    (v) => {
      const [a, b, c, d] = [v[0]!, v[1]!, v[2]!, v[3]!];
      return (a - c) * digamma64(a) - lgammaDiff64(c, a - c) + c * Math.log(b / d) + (a * (d - b)) / b;
    },
    (v, g) => {
      const [a, b, c, d] = [v[0]!, v[1]!, v[2]!, v[3]!];
      g[0] = (a - c) * trigamma64(a) + (d - b) / b;
      g[1] = c / b - (a * d) / (b * b);
      g[2] = digamma64(c) - digamma64(a) + Math.log(b / d);
      g[3] = a / b - c / d;
    },
  ); // [...]
}

/**
 * Beta(aq, bq) || Beta(ap, bp), elementwise in float64, with sq = aq + bq, sp = ap + bp:
 *   log B(ap, bp) − log B(aq, bq) + (aq − ap)(ψ(aq) − ψ(sq)) + (bq − bp)(ψ(bq) − ψ(sq)).
 * Gradients: ∂aq = (aq − ap) ψ'(aq) + (sp − sq) ψ'(sq), ∂bq likewise, ∂ap = ψ(ap) − ψ(sp) − ψ(aq) + ψ(sq), ∂bp likewise.
 */
function betaKl(aq: Tensor, bq: Tensor, ap: Tensor, bp: Tensor): Tensor {
  return elementwise64(
    [aq, bq, ap, bp],
    (v) => {
      const [a, b, c, d] = [v[0]!, v[1]!, v[2]!, v[3]!];
      const ds = digamma64(a + b);
      return lbeta64(c, d) - lbeta64(a, b) + (a - c) * (digamma64(a) - ds) + (b - d) * (digamma64(b) - ds);
    },
    (v, g) => {
      const [a, b, c, d] = [v[0]!, v[1]!, v[2]!, v[3]!];
      const ts = trigamma64(a + b);
      const ds = digamma64(a + b);
      const dp = digamma64(c + d);
      g[0] = (a - c) * trigamma64(a) + (c + d - a - b) * ts;
      g[1] = (b - d) * trigamma64(b) + (c + d - a - b) * ts;
      g[2] = digamma64(c) - dp - digamma64(a) + ds;
      g[3] = digamma64(d) - dp - digamma64(b) + ds;
    },
  ); // [...]
}

/** KL(q || p) for the pairs with a closed form. */
export const KL_RULES: readonly KlRule[] = [
  elementwise<NormalDist, NormalDist>('Normal', 'Normal', (q, p) => normalKl(q.loc, q.scale, p.loc, p.scale)),
  elementwise<LogNormalDist, LogNormalDist>('LogNormal', 'LogNormal', (q, p) => normalKl(q.loc, q.scale, p.loc, p.scale)),
  // log(bp/bq) + |mq - mp|/bp + (bq/bp) exp(-|mq - mp|/bq) - 1
  elementwise<LaplaceDist, LaplaceDist>('Laplace', 'Laplace', (q, p) => {
    const d = tf.abs(tf.sub(q.loc, p.loc)); // [...]
    const r = tf.div(q.scale, p.scale); // [...]
    return tf.sub(tf.add(tf.add(tf.neg(tf.log(r)), tf.div(d, p.scale)), tf.mul(r, tf.exp(tf.neg(tf.div(d, q.scale))))), 1); // [...]
  }),
  // N(m, s^2) || Laplace(l, b): log(2b) - 0.5 log(2 pi e s^2) + E|X - l| / b, with the folded-normal
  // mean E|X - l| = s sqrt(2/pi) exp(-d^2 / 2s^2) + d erf(d / (s sqrt 2)), d = m - l.
  elementwise<NormalDist, LaplaceDist>('Normal', 'Laplace', (q, p) => {
    const d = tf.sub(q.loc, p.loc); // [...]
    const s = q.scale;
    const fold = tf.add( // [...] E|X - l|
      tf.mul(tf.mul(s, Math.sqrt(2 / Math.PI)), tf.exp(tf.neg(tf.div(tf.square(d), tf.mul(2, tf.square(s)))))),
      tf.mul(d, tf.erf(tf.div(d, tf.mul(s, Math.SQRT2)))),
    ); // [...]
    const negH = tf.neg(tf.add(tf.log(s), 0.5 + 0.5 * LOG_2PI)); // [...] -entropy of q
    return tf.add(tf.add(negH, tf.log(tf.mul(2, p.scale))), tf.div(fold, p.scale)); // [...]
  }),
  // a (lq - lp) + softplus(lp) - softplus(lq), a = sigmoid(lq)
  elementwise<BernoulliDist, BernoulliDist>('Bernoulli', 'Bernoulli', (q, p) => {
    const lq = q.p.logits();
    const lp = p.p.logits();
    return tf.add(tf.mul(q.p.probs(), tf.sub(lq, lp)), tf.sub(tf.softplus(lp), tf.softplus(lq))); // [...]
  }),
  // E_q[log q - log p] is linear in x: log Cq - log Cp + E_q[x] (lq - lp) - softplus(lq) + softplus(lp)
  elementwise<ContinuousBernoulliDist, ContinuousBernoulliDist>('ContinuousBernoulli', 'ContinuousBernoulli', (q, p) => {
    const lq = q.p.logits();
    const lp = p.p.logits();
    const norm = tf.sub(cbLogNorm(lq), cbLogNorm(lp)); // [...]
    return tf.add(tf.add(norm, tf.mul(cbMean(lq), tf.sub(lq, lp))), tf.sub(tf.softplus(lp), tf.softplus(lq))); // [...]
  }),
  // sum_j q_j (log q_j - log p_j) over the class axis, per event element
  elementwise<CategoricalDist, CategoricalDist>('Categorical', 'Categorical', (q, p) =>
    tf.sum(tf.mul(q.p.probs(), tf.sub(q.p.logProbs(), p.p.logProbs())), -1), // [...batch, ...event]
  ),
  {
    q: 'OneHotCategorical',
    p: 'OneHotCategorical',
    elementwise: false,
    kl: (dq, dp) =>
      tf.tidy(() => {
        const q = dq as OneHotCategoricalDist;
        const p = dp as OneHotCategoricalDist;
        const t = tf.mul(q.p.probs(), tf.sub(q.p.logProbs(), p.p.logProbs())); // [...params]
        return sumRightmost(expandTo(t, fullShape(dq, dp)), dq.eventShape.length); // [...batch]
      }),
  },
  // log(rq / rp) + rp / rq - 1
  elementwise<ExponentialDist, ExponentialDist>('Exponential', 'Exponential', (q, p) => {
    const r = tf.div(p.rate, q.rate); // [...]
    return tf.sub(tf.sub(r, tf.log(r)), 1); // [...]
  }),
  elementwise<GammaDist, GammaDist>('Gamma', 'Gamma', (q, p) => gammaKl(q.concentration, q.rate, p.concentration, p.rate)),
  elementwise<ExponentialDist, GammaDist>('Exponential', 'Gamma', (q, p) => gammaKl(1, q.rate, p.concentration, p.rate)),
  elementwise<GammaDist, ExponentialDist>('Gamma', 'Exponential', (q, p) => gammaKl(q.concentration, q.rate, 1, p.rate)),
  elementwise<BetaDist, BetaDist>('Beta', 'Beta', (q, p) => betaKl(q.concentration1, q.concentration0, p.concentration1, p.concentration0)),
  // rq (log rq - log rp) - rq + rp
  elementwise<PoissonDist, PoissonDist>('Poisson', 'Poisson', (q, p) => {
    const rq = q.rate(); // [...]
    return tf.add(tf.mul(rq, tf.sub(q.logRate(), p.logRate())), tf.sub(p.rate(), rq)); // [...]
  }),
  // log((hp - lp) / (hq - lq)) when [lq, hq] lies inside [lp, hp], else +Infinity
  elementwise<UniformDist, UniformDist>('Uniform', 'Uniform', (q, p) => {
    const bounds = [q.low, q.high, p.low, p.high].filter((t): t is Tensor => typeof t !== 'number');
    const inside = detached(bounds, () => tf.logicalAnd(tf.greaterEqual(q.low, p.low), tf.lessEqual(q.high, p.high))); // [...] bool
    return tf.where(inside, tf.sub(tf.log(p.width()), tf.log(q.width())), Infinity); // [...]
  }),
  DIRICHLET_KL_RULE,
  ...GAUSSIAN_KL_RULES,
];

const BY_PAIR = new Map(KL_RULES.map((r) => [`${r.q}\u0000${r.p}`, r]));

/** The closed-form KL(q || p) rule for the two families, if one exists. */
export function findKlRule(qFamily: string, pFamily: string): KlRule | undefined {
  return BY_PAIR.get(`${qFamily}\u0000${pFamily}`);
}

/**
 * KL(q || p) in closed form, or undefined when the pair has none. `elementwise` says whether
 * `value` is per element [...batch, ...event] or summed [...batch].
 * @example const r = klDivergence(guide, prior); // {value: [B, 50], elementwise: true}
 */
export function klDivergence(q: Distribution, p: Distribution): { value: Tensor; elementwise: boolean } | undefined {
  const rule = findKlRule(q.spec.name, p.spec.name);
  if (rule === undefined) return undefined;
  if (!sameShape(q.eventShape, p.eventShape)) {
    throw new Error(`KL(${q.spec.name} || ${p.spec.name}): event shapes [${q.eventShape.join(',')}] and [${p.eventShape.join(',')}] differ`);
  }
  return { value: rule.kl(q, p), elementwise: rule.elementwise };
}
