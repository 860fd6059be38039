// The latent lines of `vae eval`: one site as before; a sequence's steps summarized by default
// (models/dmm.vae's z[0..9] in 4 lines, not 31), every step with --per-step.
import { describe, expect, it } from 'vitest';
import { latentLines } from '../../src/cli/eval-latents';
import type { LatentStats } from '../../src/eval/metrics';

const stats = (site: string, kl: number[], extra: Partial<LatentStats> = {}): LatentStats => ({
  site,
  dims: kl.length,
  klPerDim: kl,
  klTotal: kl.reduce((a, b) => a + b, 0),
  meanVariance: kl.map(() => 1),
  activeUnits: kl.filter((v) => v > 0.01).length,
  collapsed: kl.filter((v) => v <= 0.01).length / kl.length,
  mutualInformation: null,
  marginalKl: null,
  ...extra,
});

describe('vae eval latent lines', () => {
  it('a site without steps: active units, collapse, the largest KLs per dimension, the decomposition', () => {
    const lines = latentLines([stats('z', [0.5, 2, 0], { mutualInformation: 3.2, marginalKl: 0.3 })], -80, 0.01, false);
    expect(lines).toEqual([
      '  active units (z)      2 / 3  (Cov_x E_q[u] > 0.01)',
      '  collapsed (z)         33% of dimensions (KL < 0.01 for 99% of examples)',
      '  KL per dim (z)        z[1] 2.00, z[0] 0.50, z[2] 0.00',
      '  ELBO decomposition    reconstruction -80.00 − I(x;z) 3.20 − KL(q(z)‖p) 0.30',
    ]);
  });

  it("a sequence's steps in one group by default, each step's lines with perStep", () => {
    const seq = Array.from({ length: 10 }, (_, t) => stats(`z[${t}]`, t === 3 ? [0.7, 0] : [1 + t / 10, 0.5], t === 0 ? { mutualInformation: 3.2, marginalKl: 0.3 } : {}));
    const lines = latentLines([...seq, stats('w', [1])], 3, 0.01, false);
    expect(lines.slice(0, 4)).toEqual([
      '  active units (z[0..9]) 19 / 20 over 10 steps  (Cov_x E_q[u] > 0.01)',
      '  collapsed (z[0..9])   5% of dimensions (KL < 0.01 for 99% of examples)',
      '  KL per step (z)       z[0] 1.50, z[1] 1.60, z[2] 1.70, z[3] 0.70, z[4] 1.90, z[5] 2.00, z[6] 2.10, z[7] 2.20, z[8] 2.30, z[9] 2.40',
      '  ELBO decomposition    reconstruction 3.00 − I(x;z[0]) 3.20 − KL(q(z[0])‖p) 0.30',
    ]);
    expect(lines.slice(4)).toEqual(latentLines([stats('w', [1])], 3, 0.01, false));
    const every = latentLines(seq, 3, 0.01, true);
    expect(every).toHaveLength(31);
    expect(every[0]).toBe('  active units (z[0])   2 / 2  (Cov_x E_q[u] > 0.01)');
  });

  it('a long sequence shows its first 8 steps and its last', () => {
    const seq = Array.from({ length: 50 }, (_, t) => stats(`h[${t}]`, [1]));
    expect(latentLines(seq, 0, 0.01, false)[2]).toBe(`  KL per step (h)       ${Array.from({ length: 8 }, (_, t) => `h[${t}] 1.00`).join(', ')}, ..., h[49] 1.00`);
  });
});
