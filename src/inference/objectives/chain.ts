/**
 * Variable elimination along a Markov chain of enumerated steps (the forward algorithm; Rabiner
 * 1989; Pyro's TraceEnum_ELBO with `markov`), for the chains the planner found
 * (src/inference/markov.ts). Position i's site y_i sits on enumeration slot i mod 2, so a factor
 * at position i is a tensor over (y_{i−1}, y_i) with the two slots in alternating order; it is
 * first brought to the canonical form [n_{i−1} | 1, n_i | 1, ...plate].
 *
 *  - The ELBO needs E_q[f] of each factor: with q's forward messages α_0 = q(y_0) and
 *      P_i(y_{i−1}, y_i) = α_{i−1}(y_{i−1}) q(y_i | y_{i−1}),   α_i = Σ_{y_{i−1}} P_i,
 *    E_q[f_i] = Σ P_i ⊙ f_i, exact, so autodiff gives the exact gradient.
 *  - The IWAE sums p inside the log-weight (q of the enumerated steps cancels):
 *      log Σ_y exp Σ_i ψ_i(y_{i−1}, y_i),  log α_i(y_i) = logsumexp_{y_{i−1}} (log α_{i−1} + ψ_i),
 *    per particle and example.
 * Memory and time O(n K²) per example for n steps of K states, against Kⁿ jointly.
 */
import * as tf from '@tensorflow/tfjs';
import type { MarkovChain } from '../markov';
import type { SiteTerm } from './terms';
import { paddedStepWeight } from './common';

/**
 * The canonical form of a factor at position `at`: [...E, ...plate] with at most two slots, to
 * [n_{at−1} | 1, n_at | 1, ...plate] (rank plateRank + 2).
 */
export function canonical(f: tf.Tensor, at: number, plateRank: number): tf.Tensor {
  if (f.rank > plateRank + 2) throw new Error(`a chain factor has ${f.rank - plateRank} enumeration axes; at most 2`);
  const padded = f.rank < plateRank + 2 ? f.reshape([...new Array<number>(plateRank + 2 - f.rank).fill(1), ...f.shape]) : f; // [s1, s0, ...plate]
  // Slot 0 is the axis next to the plate. At an odd position y_at is on slot 1 (axis 0).
  if (at % 2 === 0) return padded; // [y_{at−1}, y_at, ...plate]
  const perm = [1, 0, ...Array.from({ length: plateRank }, (_, i) => i + 2)];
  return tf.transpose(padded, perm); // [y_{at−1}, y_at, ...plate]
}

/**
 * q's pairwise marginals by the forward recursion: `logq[i]` is log q(y_i | y_{i−1}) in canonical
 * form; P_0 = q(y_0) as [1, n_0, ...plate], P_i [n_{i−1}, n_i, ...plate].
 */
export function pairMarginals(logq: readonly tf.Tensor[]): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  let alpha: tf.Tensor | null = null; // [n_{i−1}, ...plate]
  for (const lq of logq) {
    const q = tf.exp(lq); // [n_{i−1} | 1, n_i, ...plate]
    const P: tf.Tensor = alpha === null ? q : tf.mul(tf.expandDims(alpha, 1), q); // [n_{i−1} | 1, n_i, ...plate]
    out.push(P);
    alpha = tf.sum(P, 0); // [n_i, ...plate]
  }
  return out;
}

/** Σ_i Σ_{y_{i−1}, y_i} P_i ⊙ C_i over the positions with a factor, [...plate]; null without one. */
export function chainExpect(P: readonly tf.Tensor[], C: readonly (tf.Tensor | null)[]): tf.Tensor | null {
  let out: tf.Tensor | null = null;
  C.forEach((c, i) => {
    if (c === null) return;
    const e = tf.sum(tf.mul(P[i]!, c), [0, 1]); // [...plate]
    out = out === null ? e : tf.add(out, e);
  });
  return out;
}

/** log Σ_y exp Σ_i ψ_i(y_{i−1}, y_i) by the log-space forward algorithm, [...plate]; ψ_i canonical (ψ_0 [1, n_0, ...plate]). */
export function chainLogSumExp(psi: readonly tf.Tensor[]): tf.Tensor {
  let logAlpha: tf.Tensor | null = null; // [n_{i−1}, ...plate]
  for (const p of psi) {
    const s: tf.Tensor = logAlpha === null ? p : tf.add(tf.expandDims(logAlpha, 1), p); // [n_{i−1} | 1, n_i, ...plate]
    logAlpha = tf.logSumExp(s, 0); // [n_i, ...plate]
  }
  return tf.logSumExp(logAlpha!, 0); // [...plate]
}

/** The objectives' view of a chain: expectations under q and log-sums of the terms of one execution. */
export class ChainElimination {
  private marginals: tf.Tensor[] | null = null;

  constructor(
    private readonly chain: MarkovChain,
    private readonly terms: readonly SiteTerm[],
    private readonly plateRank: number,
  ) {}

  /** Groups f(t) of the given terms by chain position (canonical, summed), plus the terms that read no state (summed). */
  private group(ts: readonly SiteTerm[], f: (t: SiteTerm) => tf.Tensor | null): { byPos: (tf.Tensor | null)[]; rest: tf.Tensor | null } {
    const byPos: (tf.Tensor | null)[] = this.chain.sites.map(() => null);
    let rest: tf.Tensor | null = null;
    for (const t of ts) {
      const v = f(t);
      if (v === null) continue;
      const at = this.chain.factors.get(t.name)?.at;
      if (at === undefined) {
        rest = rest === null ? v : tf.add(rest, v); // [...plate]
        continue;
      }
      const c = canonical(v, at, this.plateRank); // [n_{at−1} | 1, n_at | 1, ...plate]
      byPos[at] = byPos[at] === null ? c : tf.add(byPos[at]!, c);
    }
    return { byPos, rest };
  }

  /** q's pairwise marginals along the chain (computed once). */
  private pairs(): tf.Tensor[] {
    if (!this.marginals) {
      const byName = new Map(this.terms.map((t) => [t.name, t]));
      this.marginals = pairMarginals(
        this.chain.sites.map((s, i) => {
          const t = byName.get(s)!;
          const pad = paddedStepWeight(t, this.chain.sizes[i]!); // [B]: a step past the length is uniform
          return canonical(pad ? tf.add(t.lq!, pad) : t.lq!, i, this.plateRank);
        }),
      );
    }
    return this.marginals;
  }

  /** E_q[Σ_t f(t)] over the chain's states, [...plate]-broadcastable (a scalar 0 when nothing is left). */
  expect(ts: readonly SiteTerm[], f: (t: SiteTerm) => tf.Tensor | null): tf.Tensor {
    const { byPos, rest } = this.group(ts, f);
    const e = byPos.some((c) => c !== null) ? chainExpect(this.pairs(), byPos) : null; // [...plate]
    if (e === null) return rest ?? tf.zeros([]);
    return rest === null ? e : tf.add(e, rest);
  }

  /** log Σ_y exp Σ_t f(t): the chain's terms summed over its states, the others added, [...plate]. */
  logSumExp(ts: readonly SiteTerm[], f: (t: SiteTerm) => tf.Tensor | null): tf.Tensor {
    const { byPos, rest } = this.group(ts, f);
    const byName = new Map(this.terms.map((t) => [t.name, t]));
    const psi = byPos.map((c, i) => {
      const z = c ?? tf.zeros([i === 0 ? 1 : this.chain.sizes[i - 1]!, this.chain.sizes[i]!, ...new Array<number>(this.plateRank).fill(1)]); // canonical
      // A step past the length sums its n values with weight 1/n: the log-sum is unchanged by it.
      const pad = paddedStepWeight(byName.get(this.chain.sites[i]!)!, this.chain.sizes[i]!); // [B]
      return pad ? tf.add(z, canonical(pad, i, this.plateRank)) : z; // canonical
    });
    const e = chainLogSumExp(psi); // [...plate]
    return rest === null ? e : tf.add(e, rest);
  }
}
