// models/hmm.vae, a discrete hidden Markov model whose guide enumerates every step's state, on
// the `hmm-sequences` data: K = 3 sticky states, T = 20 steps of 2-D Gaussian emissions, whose
// exact log-likelihood under the generating parameters comes from a float64 forward algorithm
// (src/data/hmm-sequences.ts). The 3^20 paths are summed by elimination along the chain
// (src/inference/markov.ts), so both bounds are exact sums, without Monte Carlo noise:
//  - the IWAE sums p(x, y) over every path inside its log-weight (q cancels), so it is the
//    model's own log p_θ(x), for any number of particles;
//  - the ELBO is log p_θ(x) − KL(q(y | x) ‖ p_θ(y | x)) ≤ IWAE, per sequence.
// 1. The forward algorithm equals a brute-force sum over all K^T paths of a shortened sequence.
// 2. Trained briefly (full batch of N_TRAIN sequences, Adam), then evaluated on N_TEST held-out
//    sequences. Per sequence, d_i = bound_i − log p_true(x_i); the mean of d_i has the paired
//    standard error SE = sd(d_i)/√N_TEST (the spread of the data). On held-out data
//    E[log p_θ(x)] ≤ E[log p_true(x)] for every θ (Gibbs' inequality), so
//      - neither bound exceeds the exact log-likelihood by more than 3 SE;
//      - the ELBO is below the IWAE on every sequence (to float rounding);
//      - the IWAE approaches the exact value: its gap is at most IWAE_TOLERANCE nats per sequence,
//        and the ELBO's gap to the IWAE (the guide's KL) at most KL_TOLERANCE.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile, evaluate, type Program } from '../../src/api';
import { hmmLogLikelihood, hmmParams } from '../../src/data/hmm-sequences';
import { bindData } from '../../src/train/data-binding';
import { Trainer } from '../../src/train/trainer';

const N_TRAIN = Number(process.env['VAE_HMM_TRAIN'] ?? 200);
const N_TEST = 200;
const STEPS = Number(process.env["VAE_HMM_STEPS"] ?? 120);
const SEED = 1;
const IWAE_TOLERANCE = 1.0;
const KL_TOLERANCE = 1.0;
const p = hmmParams();

let prog: Program;
let xTest: Float32Array;
let exact: number[];
let badStep = -1;

beforeAll(async () => {
  prog = compileFile('models/hmm.vae', { seed: SEED, sets: [`train { batch: ${N_TRAIN}  seed: ${SEED} }`] });
  const bound = await bindData(prog.checked, { role: 'train', seed: SEED, sizes: { train: N_TRAIN, valid: 0, test: N_TEST }, splits: ['train', 'test'] });
  xTest = bound.splits.test.columns['x']!.data as Float32Array;
  exact = Array.from({ length: N_TEST }, (_, i) => hmmLogLikelihood(xTest.subarray(i * p.T * p.d, (i + 1) * p.T * p.d), p));
  const all = Int32Array.from({ length: N_TRAIN }, (_, i) => i);
  const trainer = new Trainer(prog, bound, prog.checked.train.config, SEED);
  const t0 = Date.now();
  for (let s = 0; s < STEPS; s++) trainer.trainStep(all, s, s);
  if (process.env['VAE_ZOO_VERBOSE']) console.log(`HMM: ${STEPS} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  badStep = trainer.firstBadStep();
  trainer.dispose();
}, 600_000);

afterAll(() => prog?.dispose());

function bound(objective: { kind: 'elbo' } | { kind: 'iwae'; k: number }): number[] {
  const batch = prog.batch({ x: tf.tensor3d(xTest, [N_TEST, p.T, p.d]) });
  const r = evaluate(prog, batch, { objective, particles: 1, seed: 100 }).perExample;
  tf.dispose([...batch.data.values()]);
  return Array.from(r);
}

/** Mean and paired standard error of a − b. */
function paired(a: readonly number[], b: readonly number[]): { mean: number; se: number } {
  const d = a.map((v, i) => v - b[i]!);
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const sd = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1));
  return { mean, se: sd / Math.sqrt(d.length) };
}

describe('HMM: bounds of models/hmm.vae against the exact forward-algorithm log-likelihood', () => {
  it('the forward algorithm equals the brute-force sum over all paths (T = 6: 729 paths, float64)', () => {
    const q = { ...p, T: 6 };
    const { K, d, init, trans, means, scale } = q;
    for (let i = 0; i < 3; i++) {
      const x = xTest.subarray(i * p.T * d, i * p.T * d + q.T * d);
      let total = 0;
      for (let c = 0; c < K ** q.T; c++) {
        let prob = 1;
        let prev = -1;
        for (let t = 0, r = c; t < q.T; t++, r = Math.floor(r / K)) {
          const k = r % K;
          prob *= prev < 0 ? init[k]! : trans[prev * K + k]!;
          for (let j = 0; j < d; j++) prob *= Math.exp(-0.5 * ((x[t * d + j]! - means[k * d + j]!) / scale) ** 2) / (scale * Math.sqrt(2 * Math.PI));
          prev = k;
        }
        total += prob;
      }
      expect(Math.abs(hmmLogLikelihood(x, q) - Math.log(total))).toBeLessThan(1e-9);
    }
  });

  it('plans the 20 steps as one chain', () => {
    expect(prog.plan.chain?.sites.length).toBe(20);
    expect(prog.plan.diagnostics).toEqual([]);
  });

  it('trains without a non-finite step', () => {
    expect(badStep).toBe(-1);
  });

  it('ELBO ≤ IWAE per sequence; neither exceeds the exact log-likelihood; IWAE approaches it', () => {
    const elbo = bound({ kind: 'elbo' });
    const iwae = bound({ kind: 'iwae', k: 1 });
    const ref = exact.reduce((a, b) => a + b, 0) / N_TEST;
    const e = paired(elbo, exact);
    const w = paired(iwae, exact);
    const kl = paired(iwae, elbo);
    if (process.env['VAE_ZOO_VERBOSE']) console.log(`HMM after ${STEPS} steps: exact ${ref.toFixed(3)}, ELBO − exact ${e.mean.toFixed(3)} ± ${e.se.toFixed(3)}, IWAE − exact ${w.mean.toFixed(3)} ± ${w.se.toFixed(3)}, IWAE − ELBO ${kl.mean.toFixed(3)} ± ${kl.se.toFixed(3)}`);
    elbo.forEach((v, i) => expect(v).toBeLessThanOrEqual(iwae[i]! + 1e-3 * (1 + Math.abs(v))));
    expect(e.mean).toBeLessThan(3 * e.se);
    expect(w.mean).toBeLessThan(3 * w.se);
    expect(-w.mean).toBeLessThan(IWAE_TOLERANCE);
    expect(kl.mean).toBeLessThan(KL_TOLERANCE);
  });
});
