// Free bits under enumeration with several particles: the per-dimension KL is averaged over the
// particles and the examples and summed over the enumerated values only (the layout's
// enumeration axes). With an analytic KL (≥ 0 per dimension) and a threshold below every
// dimension's mean, max(KL_d, λ) = KL_d, so the free-bits surrogate equals the plain one; summing
// the particle axis along with the enumeration axes would add (K − 1)·KL instead. z's guide reads
// the enumerated y and the sampled u, so its KL carries both an enumeration and a particle axis.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../src/api';

const src = `
data x: Real[2]
param w: Real[2]
model {
  y ~ Bernoulli(logits: 0.2)
  u: Real[2] ~ Normal(0, 1)
  z: Real[2] ~ Normal(0, 1)
  x ~ Normal(z + u + y, 1)
}
guide {
  y ~ Bernoulli(logits: sum(x * w)) @enumerate
  u ~ Normal(x * 0.3, 0.8)
  z ~ Normal(x * 0.5 + y + u, 0.7)
}
`;

describe('free bits with enumeration and K particles', () => {
  it('a threshold below every dimension leaves the surrogate unchanged', () => {
    const prog = compile(src);
    const z = prog.plan.sites.find((s) => s.name === 'z')!;
    expect(z.kl).toBe('analytic');
    const x = tf.tensor2d([[0.3, -1.2], [1.5, 0.4], [-0.7, 2.0], [0.1, 0.1]]); // [B, 2]
    const batch = prog.batch({ x });
    const plain = evaluate(prog, batch, { particles: 3, seed: 4 });
    const fb = evaluate(prog, batch, { particles: 3, seed: 4, freeBits: 1e-6 });
    expect(plain.surrogate).toBeLessThan(0);
    expect(fb.surrogate).toBeCloseTo(plain.surrogate, 5);
    x.dispose();
    prog.dispose();
  });
});
