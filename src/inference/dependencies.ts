/**
 * The static dependency graphs of a checked program, read by the planner.
 *
 * Every `~` statement's distribution reads the values of some latent sites (directly or through
 * `let`s): its parents (`SiteInfo.deps`, computed by the checker). The guide's sites, in program
 * order, define q as a Bayesian network q(z | x) = Π_s q(s | pa_q(s), x); the model's define
 * p(x, z) = Π_s p(s | pa_p(s)). The planner's conditions are statements about these two graphs:
 *
 *  - an analytic KL for s is the expectation the ELBO needs only when no model parent of s is a
 *    guide descendant of s (then s is independent of them given pa_q(s), the local Markov
 *    property of q, and E_q[log p(s | pa_p) − log q(s | pa_q)] = −E_q[KL(q(s | pa_q) ‖ p(s | pa_p))]);
 *  - the learning signal of a score-function site s needs exactly the costs that read s or a
 *    guide descendant of s (Rao-Blackwellization; the other costs are independent of s given
 *    its guide non-descendants and have zero expected score);
 *  - DReG's extra weight on the path derivative of s is valid when every guide descendant of s
 *    is drawn with a path derivative too.
 */
import type { CheckedProgram, SiteInfo } from '../dsl/checked';

export interface DependencyGraph {
  /** Latent guide sites in guide order. */
  readonly guideOrder: readonly string[];
  /** Direct guide parents of each guide site (latent sites its guide distribution reads). */
  readonly guideParents: ReadonlyMap<string, ReadonlySet<string>>;
  /** Direct model parents of each model site (latent or partly observed sites its distribution reads). */
  readonly modelParents: ReadonlyMap<string, ReadonlySet<string>>;
  /** Model sites in model order, with whether each is a latent (or partly observed) site. */
  readonly modelOrder: readonly { readonly name: string; readonly latent: boolean }[];
}

export function dependencyGraph(checked: Pick<CheckedProgram, 'model' | 'guide'>): DependencyGraph {
  const parents = (sites: readonly SiteInfo[]): Map<string, ReadonlySet<string>> => new Map(sites.map((s) => [s.name, s.deps]));
  return {
    guideOrder: checked.guide.sites.map((s) => s.name),
    guideParents: parents(checked.guide.sites),
    modelParents: parents(checked.model.sites),
    modelOrder: checked.model.sites.map((s) => ({ name: s.name, latent: s.observed !== 'yes' })),
  };
}

/** The guide sites that read `site`, directly or through other guide sites (excluding `site`). */
export function guideDescendants(g: DependencyGraph, site: string): Set<string> {
  const out = new Set<string>();
  const reached = (n: string): boolean => n === site || out.has(n);
  // Guide order is a topological order: one pass suffices.
  for (const n of g.guideOrder) {
    if (n === site) continue;
    const ps = g.guideParents.get(n);
    if (ps && [...ps].some(reached)) out.add(n);
  }
  return out;
}

/**
 * A shortest chain of guide sites from `from` to `to` (both included), each reading the one
 * before it, e.g. ['z1', 'h', 'z2']; undefined when `to` is not a guide descendant of `from`.
 */
export function guidePath(g: DependencyGraph, from: string, to: string): string[] | undefined {
  const prev = new Map<string, string>();
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    const n = queue.shift()!;
    if (n === to) break;
    for (const c of g.guideOrder) {
      if (seen.has(c) || !g.guideParents.get(c)?.has(n)) continue;
      seen.add(c);
      prev.set(c, n);
      queue.push(c);
    }
  }
  if (!seen.has(to) || from === to) return undefined;
  const path = [to];
  while (path[0] !== from) path.unshift(prev.get(path[0]!)!);
  return path;
}

/** The model parents of `site` that the guide draws from `site` (its guide descendants), in model order. */
export function parentsDrawnFrom(g: DependencyGraph, site: string): string[] {
  const desc = guideDescendants(g, site);
  const ps = g.modelParents.get(site) ?? new Set<string>();
  return g.modelOrder.map((m) => m.name).filter((n) => ps.has(n) && desc.has(n));
}

/**
 * The model sites whose cost terms depend on the value of `site` under the guide: `site`
 * itself, its guide descendants (their log p − log q, or their KL), and every model site whose
 * model parents include one of those (its log p). In model order. This is the downstream set
 * of Pyro's TraceGraph_ELBO (Schulman et al. 2015, stochastic computation graphs).
 */
export function downstreamCosts(g: DependencyGraph, site: string): string[] {
  const reach = guideDescendants(g, site);
  reach.add(site);
  return g.modelOrder
    .filter((m) => {
      if (m.latent && reach.has(m.name)) return true;
      const ps = g.modelParents.get(m.name);
      return ps !== undefined && [...ps].some((p) => reach.has(p));
    })
    .map((m) => m.name);
}
