// Deterministic inputs for the figure tests: metrics records of a short and a long run, and
// estimator sweeps in which two estimators coincide on one side (as DReG and IWAE do for the
// model's parameters).
import type { EpochRecord, MetricsRecord, StepRecord } from '../../src/metrics/records';
import type { SnrPoint } from '../../src/figures/specs/snr';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** `epochs` epochs of `perEpoch` steps, one step line per `every` steps, then an epoch line. */
export function runRecords(epochs: number, perEpoch: number, every = 1, seed = 1, shift = 0): MetricsRecord[] {
  const u = lcg(seed);
  const out: MetricsRecord[] = [];
  for (let e = 0; e < epochs; e++) {
    let sum = 0;
    let kl = 0;
    let n = 0;
    for (let i = every; i <= perEpoch; i += every) {
      const step = e * perEpoch + i;
      const elbo = Number((-100 - 400 * Math.exp(-step / 4) - 2 * u() + shift).toFixed(3));
      const k = Number((20 - 10 * Math.exp(-step / 40) + u()).toFixed(3));
      sum += elbo;
      kl += k;
      n++;
      const rec: StepRecord = { kind: 'step', step, epoch: step / perEpoch, steps: every, loss: -elbo, elbo, kl: k, beta: Math.min(1, step / 50), gradNorm: Number((50 * Math.exp(-step / 60) + u()).toFixed(3)), lr: 1e-3, examplesPerSec: Math.round(3000 + 300 * u()), seconds: 0.03 };
      out.push(rec);
    }
    const ep: EpochRecord = { kind: 'epoch', epoch: e + 1, step: (e + 1) * perEpoch, trainElbo: sum / n, validElbo: sum / n - 1, kl: kl / n, validKl: kl / n + 0.25, examplesPerSec: 3000, seconds: 1 };
    out.push(ep);
  }
  return out;
}

/** SNR sweeps: iwae:K's guide SNR falls as K^-1/2; DReG's does not; on the model's side they coincide. */
export const SNR_POINTS: SnrPoint[] = [1, 5, 10, 50].flatMap((k) => [
  { panel: 'guide' as const, estimator: 'iwae:K', k, snr: 2 / Math.sqrt(k) },
  { panel: 'guide' as const, estimator: 'iwae:K+dreg', k, snr: 2 * k ** 0.1 },
  { panel: 'model' as const, estimator: 'iwae:K', k, snr: 0.4 * Math.sqrt(k) },
  { panel: 'model' as const, estimator: 'iwae:K+dreg', k, snr: 0.4 * Math.sqrt(k) },
]);
