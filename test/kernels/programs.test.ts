// Whole programs with vaelang's wasm kernels against the generic tfjs path: the objective's
// value and the gradient of every parameter, one step each, to 1e-5 relative (‖·‖₂). The
// programs cover what the compiler fuses: dense layers of every activation, nets with two
// inputs (the concatenation as a sum of matmuls, then a fused bias + activation), Positive and
// Unit outputs, Bernoulli logits, Normal sites with analytic KL (ELBO) and sampled log-densities
// over particles (IWAE), and an enumerated site (M2).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, gradients } from '../../src/api';
import type { Objective } from '../../src/dsl/train-config';
import { kernelsInfo } from '../../src/kernels/index';
import { TEST_SEED } from '../helpers/seed';
import { uniform, withFused } from './helpers';

const VAE = (act: string) => `data x: Binary[24]
net enc: Real[24] -> (loc: Real[4], scale: Positive[4]) = mlp(hidden: [16], activation: ${act})
net dec: Real[4] -> Real[24] = mlp(hidden: [16, 12], activation: ${act})
model { z: Real[4] ~ Normal(0, 1)
        x ~ Bernoulli(logits: dec(z)) }
guide { let q = enc(x)
        z ~ Normal(q.loc, q.scale) }`;

const M2 = `data x: Binary[24]
data y: Category[3]?
net cls: Real[24] -> Simplex[3] = mlp(hidden: [10])
net enc: (Real[24], OneHot[3]) -> (loc: Real[4], scale: Positive[4]) = mlp(hidden: [10])
net dec: (Real[4], OneHot[3]) -> Unit[24] = mlp(hidden: [10], activation: tanh)
model { z: Real[4] ~ Normal(0, 1)
        y ~ Categorical(probs: uniform(3))
        x ~ Bernoulli(probs: dec(z, onehot(y))) }
guide { y ~ Categorical(probs: cls(x)) @enumerate
        let q = enc(x, onehot(y))
        z ~ Normal(q.loc, q.scale) }
train { classify: y weight 3 }`;

function check(source: string, objective: Objective, cols: Record<string, tf.Tensor>): void {
  const prog = compile(source, { objective });
  const batch = prog.batch(cols);
  const fused = withFused(true, () => gradients(prog, batch, { seed: TEST_SEED }));
  const generic = withFused(false, () => gradients(prog, batch, { seed: TEST_SEED }));
  expect(Math.abs(fused.value - generic.value)).toBeLessThanOrEqual(1e-5 * Math.abs(generic.value));
  for (const [name, g] of generic.grads) {
    const f = fused.grads.get(name)!;
    let num = 0;
    let den = 0;
    g.forEach((v, i) => {
      num += (f[i]! - v) ** 2;
      den += v * v;
    });
    if (!(Math.sqrt(num) <= 1e-5 * Math.sqrt(den) + 1e-12)) throw new Error(`${name}: relative gradient error ${(Math.sqrt(num / den)).toExponential(2)}`);
  }
  prog.dispose();
}

/** Binary data; made inside the tests (tensors made while the tests are collected would live on another backend). */
const data = (): tf.Tensor => tf.tidy(() => tf.cast(tf.greater(uniform(1, [32, 24]), 0.2), 'float32'));

describe('programs with fused kernels against the generic path', () => {

  it('the kernels are active in the test setup (wasm backend)', () => {
    expect(kernelsInfo()).toMatchObject({ active: true });
  });

  it.each(['softplus', 'relu', 'tanh', 'sigmoid', 'elu', 'selu', 'leakyRelu'])('VAE with %s layers, ELBO with analytic KL', (act) => {
    check(VAE(act), { kind: 'elbo' }, { x: data() });
  });

  it('VAE, IWAE with 5 particles (sampled Normal log-densities)', () => {
    check(VAE('softplus'), { kind: 'iwae', k: 5 }, { x: data() });
  });

  it('M2: two-input nets, enumerated y, partly labelled', () => {
    const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => (i % 3 === 0 ? -1 : i % 3)), 'int32');
    check(M2, { kind: 'elbo' }, { x: data(), y });
    y.dispose();
  });
});
