import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { VALUE_KINDS } from '../../src/distributions/constraints';
import { DISTRIBUTIONS, distNames, getDistSpec } from '../../src/distributions/registry';
import type { Distribution, Tensor } from '../../src/distributions/types';
import { rng, vals } from './helpers';

/**
 * One example per family with batch shape [2]: [params (nested arrays), event shape].
 * Parameters are built fresh inside each test's tidy.
 */
const EXAMPLES: Record<string, [Record<string, number[] | number[][] | number[][][] | number>, number[]]> = {
  Normal: [{ loc: [[0, 1, 2], [-1, 0, 1]], scale: [1, 0.5, 2] }, [3]],
  Laplace: [{ loc: [[0, 1, 2], [-1, 0, 1]], scale: [1, 0.5, 2] }, [3]],
  LogNormal: [{ loc: [[0, 1, 2], [-1, 0, 1]], scale: [1, 0.5, 2] }, [3]],
  StudentT: [{ df: [3, 5, 10], loc: [[0, 1, 2], [-1, 0, 1]], scale: 1.5 }, [3]],
  Exponential: [{ rate: [[1, 2, 3], [0.5, 1, 4]] }, [3]],
  Gamma: [{ concentration: [[0.5, 2, 3], [1, 1, 7]], rate: [1, 2, 0.5] }, [3]],
  Beta: [{ concentration1: [[0.5, 2, 3], [1, 1, 7]], concentration0: [1, 2, 0.5] }, [3]],
  Uniform: [{ low: [[0, -1, 0.5], [-2, 0.2, 0]] }, [3]],
  Bernoulli: [{ logits: [[0, 1, -2], [3, 0.5, -1]] }, [3]],
  ContinuousBernoulli: [{ probs: [[0.5, 0.1, 0.9], [0.3, 0.5001, 0.7]] }, [3]],
  Categorical: [{ logits: [[[0, 1, 2, 3], [1, 1, 1, 1], [0, 0, 5, 0]], [[2, 0, 0, 0], [0, 0, 0, 2], [1, 2, 3, 4]]] }, [3]],
  OneHotCategorical: [{ logits: [[0, 1, 2, 3], [1, 0, 0, 0]] }, [4]],
  RelaxedBernoulli: [{ temperature: 0.5, logits: [[0, 1, -2], [3, 0.5, -1]] }, [3]],
  RelaxedOneHotCategorical: [{ temperature: [0.5, 1], logits: [[0, 1, 2, 3], [1, 0, 0, 0]] }, [4]],
  MixtureNormal: [{ weights: [0.2, 0.3, 0.5], locs: [[[0, 0, 0], [1, 1, 1], [-1, 2, 0]], [[3, 0, 0], [0, 0, 1], [0, 0, 0]]], scales: [[1, 1, 1], [0.5, 2, 1], [1, 1, 0.3]] }, [3]],
  DiscretizedLogistic: [{ loc: [[0.1, 0.5, 0.9], [0, 1, 0.5]], scale: [0.05, 0.1, 1] }, [3]],
  Poisson: [{ rate: [[1, 2, 3], [0.5, 1, 40]] }, [3]],
  NegativeBinomial: [{ mean: [[1, 2, 3], [0.5, 1, 40]], concentration: [0.5, 2, 10] }, [3]],
  ZeroInflatedNegativeBinomial: [{ mean: [[1, 2, 3], [0.5, 1, 40]], concentration: [0.5, 2, 10], gate_logits: [-1, 0, 1] }, [3]],
  Dirichlet: [{ concentration: [[0.5, 2, 3], [1, 1, 7]] }, [3]],
  Multinomial: [{ total_count: [5, 12], probs: [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]] }, [3]],
  MultivariateNormal: [{ loc: [[0, 1, 2], [-1, 0, 1]], scale_tril: [[1, 0, 0], [0.5, 2, 0], [-0.3, 0.2, 0.7]] }, [3]],
  LowRankMultivariateNormal: [{ loc: [[0, 1, 2], [-1, 0, 1]], cov_factor: [[1, 0.2], [0.5, -1], [-0.2, 0]], cov_diag: [1, 0.5, 2] }, [3]],
};

function build(name: string): { d: Distribution; params: Record<string, Tensor> } {
  const [raw, event] = EXAMPLES[name]!;
  const params: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(raw)) params[k] = tf.tensor(v as number[], undefined, 'float32');
  return { d: getDistSpec(name)!.create(params, event), params };
}

/** Calls every method the instance has and returns the results. */
function callAll(d: Distribution): Tensor[] {
  const out: Tensor[] = [];
  const s = d.sample(rng(1), [4, 2]);
  out.push(s, d.logProb(s));
  if (d.logProbElementwise) out.push(d.logProbElementwise(s));
  if (d.rsample) out.push(d.rsample(rng(2), [4, 2]));
  if (d.mean) out.push(d.mean());
  if (d.variance) out.push(d.variance());
  if (d.entropy) out.push(d.entropy());
  if (d.enumerateSupport) out.push(d.enumerateSupport());
  return out;
}

describe('registry', () => {
  it('lists all 23 families with consistent specs', () => {
    expect(distNames().sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const [name, spec] of DISTRIBUTIONS) {
      expect(spec.name).toBe(name);
      expect(getDistSpec(name)).toBe(spec);
      expect(spec.doc.length).toBeGreaterThan(10);
      expect(VALUE_KINDS).toContain(spec.support);
      const names = spec.params.map((p) => p.name);
      for (const p of spec.params) expect(VALUE_KINDS).toContain(p.kind);
      for (const g of spec.oneOf ?? []) for (const n of g) expect(names).toContain(n);
    }
    expect(getDistSpec('Nope')).toBeUndefined();
    expect(getDistSpec('Categorical')!.supportSize([], 10)).toBe(10);
    expect(getDistSpec('Normal')!.supportSize([5], 0)).toBeUndefined();
  });

  it('rejects missing, duplicate-group, unknown and ill-shaped parameters', () => {
    tf.tidy(() => {
      const t = tf.zeros([3]);
      expect(() => getDistSpec('Normal')!.create({ loc: t }, [3])).toThrow(/missing parameter 'scale'/);
      expect(() => getDistSpec('Bernoulli')!.create({ logits: t, probs: t }, [3])).toThrow(/exactly one of logits, probs/);
      expect(() => getDistSpec('Bernoulli')!.create({}, [3])).toThrow(/exactly one/);
      expect(() => getDistSpec('Normal')!.create({ loc: t, scale: t, sigma: t }, [3])).toThrow(/unknown parameter 'sigma'/);
      expect(() => getDistSpec('Normal')!.create({ loc: t, scale: t }, [4])).toThrow(/fit event shape/);
      expect(() => getDistSpec('OneHotCategorical')!.create({ logits: t }, [4])).toThrow(/class count/);
      const u = getDistSpec('Uniform')!.create({}, [2]); // defaults low = 0, high = 1
      expect(u.batchShape).toEqual([]);
      expect(vals(u.logProb(tf.tensor2d([[0.5, 0.1], [0.5, 1.5]])))).toEqual([0, -Infinity]);
    });
  });
});

describe('the Distribution contract, per family', () => {
  for (const name of Object.keys(EXAMPLES)) {
    it(`${name}: shapes, flags, particle axis, withParams`, () => {
      tf.tidy(() => {
        const { d, params } = build(name);
        const spec = d.spec;
        const event = EXAMPLES[name]![1];
        expect(d.batchShape).toEqual([2]);
        expect(d.eventShape).toEqual(event);
        expect(spec.reparam).toBe(d.rsample !== undefined);
        expect(spec.factorized).toBe(d.logProbElementwise !== undefined);
        expect(d.sample(rng(0)).shape).toEqual([2, ...event]);
        const s = d.sample(rng(1), [4, 2]);
        expect(s.shape).toEqual([4, 2, ...event]);
        const lp = d.logProb(s);
        expect(lp.shape).toEqual([4, 2]);
        vals(lp).forEach((v) => expect(Number.isFinite(v)).toBe(true));
        if (d.logProbElementwise) expect(d.logProbElementwise(s).shape).toEqual([4, 2, ...event]);
        if (d.rsample) expect(d.rsample(rng(2), [4, 2]).shape).toEqual([4, 2, ...event]);
        if (d.mean) expect(d.mean().shape).toEqual([2, ...event]);
        if (d.variance) expect(d.variance().shape).toEqual([2, ...event]);
        if (d.entropy) expect(d.entropy().shape).toEqual([2]);
        expect(d.enumerateSupport !== undefined).toBe(['Bernoulli', 'Categorical', 'OneHotCategorical'].includes(name));
        expect(() => d.sample(rng(3), [3])).toThrow(/does not contain/);
        const d2 = d.withParams(params);
        expect(d2.spec).toBe(spec);
        expect(d2.eventShape).toEqual(event);
        expect(vals(d2.logProb(s))).toEqual(vals(lp));
        // Parameters are not owned: nothing above disposed them.
        Object.values(params).forEach((p) => expect(p.isDisposed).toBe(false));
      });
    });
  }

  it('a leading particle axis: params [B, 50], event [50], sample(rng, [K, B]) -> [K, B, 50]', () => {
    tf.tidy(() => {
      const d = getDistSpec('Normal')!.create({ loc: tf.zeros([8, 50]), scale: tf.ones([8, 50]) }, [50]);
      expect(d.batchShape).toEqual([8]);
      const z = d.rsample!(rng(4), [5, 8]);
      expect(z.shape).toEqual([5, 8, 50]);
      expect(d.logProb(z).shape).toEqual([5, 8]);
    });
  });
});

describe('gradients and memory', () => {
  for (const name of Object.keys(EXAMPLES)) {
    it(`${name}: gradients of logProb(sample) exist and are finite; sample() carries zero gradient`, () => {
      tf.tidy(() => {
        const { params } = build(name);
        const names = Object.keys(params);
        const xs = names.map((n) => params[n]!);
        const spec = getDistSpec(name)!;
        const event = EXAMPLES[name]![1];
        const mk = (ts: Tensor[]): Distribution => spec.create(Object.fromEntries(names.map((n, i) => [n, ts[i]!])), event);
        // Score-function pattern: the sample is drawn inside the differentiated function.
        const g1 = tf.grads((...ts: Tensor[]) => {
          const d = mk(ts);
          return d.logProb(d.sample(rng(5), [3, 2])).sum();
        })(xs);
        g1.forEach((g) => vals(g).forEach((v) => expect(Number.isFinite(v)).toBe(true)));
        const g2 = tf.grads((...ts: Tensor[]) => tf.sum(tf.cast(mk(ts).sample(rng(5), [3, 2]), 'float32')))(xs);
        g2.forEach((g) => vals(g).forEach((v) => expect(v).toBe(0)));
        const d = mk(xs);
        if (d.rsample) {
          const g3 = tf.grads((...ts: Tensor[]) => {
            const dd = mk(ts);
            return dd.logProb(dd.rsample!(rng(6), [3, 2])).sum();
          })(xs);
          g3.forEach((g) => vals(g).forEach((v) => expect(Number.isFinite(v)).toBe(true)));
        }
      });
    });
  }

  it('no method leaks tensors (inside a tidy, and with results disposed)', () => {
    for (const name of Object.keys(EXAMPLES)) {
      const { d, params } = build(name);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        callAll(d);
      });
      expect(tf.memory().numTensors, `${name} inside tidy`).toBe(before);
      const results = callAll(d);
      expect(tf.memory().numTensors, `${name} results only`).toBe(before + results.length);
      tf.dispose(results);
      expect(tf.memory().numTensors, `${name} after dispose`).toBe(before);
      tf.dispose(Object.values(params));
    }
  });
});
