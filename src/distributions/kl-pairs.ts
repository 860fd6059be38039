/**
 * Which (q, p) family pairs have KL(q || p) in closed form, without tensors: the planner reads
 * this to choose analytic KL terms; kl.ts implements exactly these pairs (a test holds the two
 * tables together). `elementwise` pairs give per-element terms [...batch, ...event] (free bits
 * can act per dimension); the others give [...batch].
 */

export interface KlPair {
  readonly q: string;
  readonly p: string;
  readonly elementwise: boolean;
}

export const KL_PAIRS: readonly KlPair[] = [
  { q: 'Normal', p: 'Normal', elementwise: true },
  { q: 'LogNormal', p: 'LogNormal', elementwise: true },
  { q: 'Laplace', p: 'Laplace', elementwise: true },
  { q: 'Normal', p: 'Laplace', elementwise: true },
  { q: 'Bernoulli', p: 'Bernoulli', elementwise: true },
  { q: 'ContinuousBernoulli', p: 'ContinuousBernoulli', elementwise: true },
  { q: 'Categorical', p: 'Categorical', elementwise: true },
  { q: 'OneHotCategorical', p: 'OneHotCategorical', elementwise: false },
  { q: 'Exponential', p: 'Exponential', elementwise: true },
  { q: 'Gamma', p: 'Gamma', elementwise: true },
  { q: 'Exponential', p: 'Gamma', elementwise: true },
  { q: 'Gamma', p: 'Exponential', elementwise: true },
  { q: 'Beta', p: 'Beta', elementwise: true },
  { q: 'Uniform', p: 'Uniform', elementwise: true },
  { q: 'Poisson', p: 'Poisson', elementwise: true },
  { q: 'Dirichlet', p: 'Dirichlet', elementwise: false },
  // Every pair among the Gaussians over a vector but Normal–Normal (above): one KL per vector.
  ...(['Normal', 'MultivariateNormal', 'LowRankMultivariateNormal'] as const).flatMap((q) =>
    (['Normal', 'MultivariateNormal', 'LowRankMultivariateNormal'] as const).filter((p) => q !== 'Normal' || p !== 'Normal').map((p) => ({ q, p, elementwise: false })),
  ),
];

const BY_PAIR = new Map(KL_PAIRS.map((r) => [`${r.q}\u0000${r.p}`, r]));

/** The closed-form KL pair for the two families, if there is one. */
export function findKlPair(qFamily: string, pFamily: string): KlPair | undefined {
  return BY_PAIR.get(`${qFamily}\u0000${pFamily}`);
}
