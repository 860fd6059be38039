/**
 * Per-component moments of S gradient draws (Welford's online algorithm in float64, so a
 * component that never varies has a variance of exactly 0), and their summaries:
 *
 *   ‖E[g]‖      = sqrt(Σ_j ḡ_j²)
 *   variance    = Σ_j s_j²                  the trace of the covariance (unbiased s_j², S − 1)
 *   SNR         = mean over j of |ḡ_j| / s_j   (Rainforth et al. 2018), over components with s_j > 0
 */

export class Moments {
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  count = 0;

  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }

  /** Adds one draw (a flat gradient of `size` components). */
  push(g: ArrayLike<number>): void {
    this.pushRows(g, 1);
  }

  /** Adds `rows` draws laid out row-major ([rows, size]). */
  pushRows(g: ArrayLike<number>, rows: number): void {
    const { mean, m2, size } = this;
    for (let r = 0; r < rows; r++) {
      const n = ++this.count;
      const off = r * size;
      for (let j = 0; j < size; j++) {
        const x = g[off + j]!;
        const d = x - mean[j]!;
        const m = mean[j]! + d / n;
        mean[j] = m;
        m2[j] = m2[j]! + d * (x - m);
      }
    }
  }

  variance(j: number): number {
    return this.count > 1 ? this.m2[j]! / (this.count - 1) : NaN;
  }
}

export interface Summary {
  /** Components covered. */
  readonly size: number;
  readonly meanNorm: number;
  readonly variance: number;
  /** null when no component varies. */
  readonly snr: number | null;
  /** Components left out of the SNR average because they never varied. */
  readonly constant: number;
}

/** Summarizes the components of several variables' moments together. */
export function summarize(parts: readonly Moments[]): Summary {
  let size = 0;
  let norm2 = 0;
  let variance = 0;
  let snrSum = 0;
  let snrCount = 0;
  for (const m of parts) {
    size += m.size;
    for (let j = 0; j < m.size; j++) {
      const mu = m.mean[j]!;
      const v = m.variance(j);
      norm2 += mu * mu;
      variance += v;
      if (v > 0) {
        snrSum += Math.abs(mu) / Math.sqrt(v);
        snrCount++;
      }
    }
  }
  return { size, meanNorm: Math.sqrt(norm2), variance, snr: snrCount > 0 ? snrSum / snrCount : null, constant: size - snrCount };
}
