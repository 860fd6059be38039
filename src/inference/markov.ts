/**
 * The static condition of variable elimination along a Markov chain (the forward algorithm;
 * Rabiner 1989, Pyro's `markov` enumeration), checked on the unrolled graphs
 * (src/dsl/unroll.ts: one site per step).
 *
 * The enumerated steps y[t_0], ..., y[t_{n−1}] of one sequence form a **chain** when
 *  - they are the only enumerated sites, each fully latent (not partly observed), and the
 *    objective is `elbo` or `iwae`;
 *  - every factor (the model and guide log-densities of each site: of the y themselves and of
 *    every site that reads a y) reads at most two ADJACENT states, y[t_{i−1}] and y[t_i];
 *  - no sampled (non-enumerated, latent) site reads a state: a site whose model or guide
 *    distribution reads a y is observed or is itself a step of the chain.
 *
 * Then every joint sum over the chain factorizes: Σ_y Π_f f = a matrix chain over the steps, and
 * E_q[f] of a factor needs only q's pairwise marginal q(y[t_{i−1}], y[t_i]). The steps share two
 * enumeration axes (position mod 2: y[t_i] reuses the axis of y[t_{i−2}], which no later factor
 * reads), so n steps of K states cost O(n K²) memory and time instead of Kⁿ.
 */
import type { SiteInfo } from '../dsl/checked';

/** A factor's place in the chain: the position of the latest state it reads, and whether it reads the state before too. */
export interface ChainFactor {
  readonly at: number;
  readonly pair: boolean;
}

export interface MarkovChain {
  /** The sequence's name, `y`. */
  readonly base: string;
  /** The chain's sites in step order, `y[0]`, `y[1]`, ... (position i). */
  readonly sites: readonly string[];
  /** The support size of each position. */
  readonly sizes: readonly number[];
  /** Each site whose cost term (model and guide log-densities) reads a state, by name. */
  readonly factors: ReadonlyMap<string, ChainFactor>;
  /** The enumeration axis slot of each chain site (position mod 2; slot j is the j-th axis left of the plate). */
  readonly slots: ReadonlyMap<string, number>;
}

/** The planner's decision: a chain, or why the enumerated steps of a sequence are not one (null when no sequence has two enumerated steps). */
export type ChainDecision = { readonly chain: MarkovChain; readonly refused: null } | { readonly chain: null; readonly refused: string | null };

export interface ChainInput {
  readonly model: readonly SiteInfo[];
  readonly guide: readonly SiteInfo[];
  /** The enumerated guide sites with their support sizes, in guide order. */
  readonly enumerated: readonly { readonly name: string; readonly supportSize: number | undefined }[];
  readonly objective: 'elbo' | 'iwae' | 'expectation';
}

/** `y[0..19]` for a chain's sites. */
export function chainLabel(chain: Pick<MarkovChain, 'base' | 'sites'>): string {
  const steps = chain.sites.map((s) => Number(/\[(\d+)\]$/.exec(s)?.[1] ?? NaN));
  return `${chain.base}[${steps[0]}..${steps[steps.length - 1]}]`;
}

export function markovChain(inp: ChainInput): ChainDecision {
  const guideByName = new Map(inp.guide.map((g) => [g.name, g]));
  const bases = new Map<string, string[]>();
  for (const e of inp.enumerated) {
    const base = guideByName.get(e.name)?.step?.base;
    if (base !== undefined) bases.set(base, [...(bases.get(base) ?? []), e.name]);
  }
  const seq = [...bases].find(([, names]) => names.length >= 2);
  if (!seq) return { chain: null, refused: null };
  const [base, names] = seq;
  const refuse = (why: string): ChainDecision => ({ chain: null, refused: `the enumerated steps of \`${base}\` are not eliminated as a Markov chain: ${why}` });
  if (inp.objective === 'expectation') return refuse('an expectation objective sums its configurations jointly');
  const others = inp.enumerated.filter((e) => !names.includes(e.name)).map((e) => `\`${e.name}\``);
  if (others.length > 0) return refuse(`${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} enumerated too (a chain must be the only enumerated sites)`);
  const sites = [...names].sort((a, b) => guideByName.get(a)!.step!.index - guideByName.get(b)!.step!.index);
  const position = new Map(sites.map((s, i) => [s, i]));
  const modelByName = new Map(inp.model.map((m) => [m.name, m]));
  for (const s of sites) if (modelByName.get(s)?.observed === 'partial') return refuse(`\`${s}\` is partly observed`);
  const sizes = sites.map((s) => inp.enumerated.find((e) => e.name === s)!.supportSize ?? 1);

  const factors = new Map<string, ChainFactor>();
  for (const m of inp.model) {
    const g = m.observed === 'yes' ? undefined : guideByName.get(m.name);
    const reads = new Set<string>();
    for (const d of [...m.deps, ...(g?.deps ?? [])]) if (position.has(d)) reads.add(d);
    const self = position.has(m.name);
    if (self) reads.add(m.name);
    if (reads.size === 0) continue;
    const shown = [...reads].sort((a, b) => position.get(a)! - position.get(b)!);
    if (!self && m.observed !== 'yes') {
      return refuse(`\`${m.name}\` is sampled but its distribution reads ${shown.map((r) => `\`${r}\``).join(' and ')} (a site that reads a state must be observed or enumerated)`);
    }
    const at = Math.max(...shown.map((r) => position.get(r)!));
    const first = Math.min(...shown.map((r) => position.get(r)!));
    if (reads.size > 2 || at - first > 1) {
      return refuse(`the factor of \`${m.name}\` reads ${shown.map((r) => `\`${r}\``).join(', ')}, not at most two adjacent steps`);
    }
    factors.set(m.name, { at, pair: reads.size === 2 });
  }
  // A guide site without a model site of its name is a checker error; a sampled guide site that
  // reads a state is caught above through its model site (same name).
  return { chain: { base, sites, sizes, factors, slots: new Map(sites.map((s, i) => [s, i % 2])) }, refused: null };
}
