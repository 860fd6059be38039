/**
 * The lecture's classic example: x ~ N(θ, 1), f(x) = x², ∂/∂θ E[x²] = 2θ.
 *   reparam  x = θ + ε:  ĝ = 2x = 2(θ + ε)                     Var = 4
 *   score    ĝ = f(x)·∂log N(x; θ, 1)/∂θ = x²(x − θ) = ε(θ + ε)²  Var = θ⁴ + 14θ² + 15 (11415 at θ = 10)
 *   (ε(θ+ε)² = θ²ε + 2θε² + ε³: E = 2θ, E[·²] = θ⁴ + 12θ² + 15 + 6θ², so Var = θ⁴ + 14θ² + 15.)
 *
 * Written in the language: the guide's z plays x (z ~ N(θ, 1), θ a data column so each
 * example yields its own estimate), and an observation 0 ~ N(z, √½) contributes
 * log p(0 | z) = −z² + c, c = −log √½ − ½log2π = −½log π, i.e. −f(z). With the analytic KL
 * (auto for Normal–Normal), KL = ½θ², the per-example ELBO gradient is
 *   reparam: ĝ = −2(θ + ε) − θ           → Var 4 (the KL's gradient is deterministic)
 *   score:   ĝ = −θ + ε·(D − b),  D = log p(0 | z) − KL = −(θ + ε)² + c − ½θ²
 * With the baseline set to b = c − ½θ², the learning signal is exactly −f(z) and
 * ĝ = −θ − ε(θ + ε)²: the lecture's score estimator (negated, shifted) → Var θ⁴ + 14θ² + 15.
 * Without a baseline (b = 0) the constants stay in the signal: ĝ = −θ + ε(c − ½θ² − (θ + ε)²).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type Program } from '../../src/api';
import { TEST_SEED } from '../helpers/seed';
import { copies, mean, note, perExample, polyMean, polyVar, polyVarSe, variance, type Poly } from './helpers';

const SOURCE = `data x: Real
data theta: Real
model { z ~ Normal(0, 1)
        x ~ Normal(z, 0.7071067811865476) }
guide { z ~ Normal(theta, 1) }`;

const THETA = 10;
const N = 50000;
const C = -0.5 * Math.log(Math.PI);

describe('lecture example: d/dθ E[x²] at θ = 10', () => {
  let x: tf.Tensor1D;
  let theta: tf.Tensor1D;
  beforeAll(() => {
    x = copies(0, N);
    theta = copies(THETA, N);
  });
  afterAll(() => tf.dispose([x, theta]));

  it('closed forms', () => {
    const score: Poly = [0, THETA * THETA, 2 * THETA, 1]; // ε(θ+ε)²
    expect(polyVar(score)).toBeCloseTo(THETA ** 4 + 14 * THETA ** 2 + 15, 6);
    expect(polyVar(score)).toBe(11415);
    expect(polyMean(score)).toBeCloseTo(2 * THETA, 9);
  });

  function run(prog: Program, seed: number): Float32Array {
    return perExample(prog, { x, theta }, ['theta'], { seed }).grads.get('theta')!;
  }

  it('reparam: variance 4', () => {
    // ĝ = −2(θ + ε) − θ is Gaussian: SE(var) = 4·sqrt(2/(n−1)) = 0.0253 at n = 50000; 5 SE = 0.13.
    const prog = compile(SOURCE);
    expect(prog.plan.sites[0]!.estimator).toBe('reparam');
    const g = run(prog, TEST_SEED);
    const v = variance(g);
    note('lecture reparam: mean', mean(g), 'exact', -3 * THETA, 'var', v, 'exact 4, SE', 4 * Math.sqrt(2 / (N - 1)));
    expect(Math.abs(mean(g) + 3 * THETA)).toBeLessThan(5 * Math.sqrt(4 / N));
    expect(Math.abs(v - 4)).toBeLessThan(5 * 4 * Math.sqrt(2 / (N - 1)));
    prog.dispose();
  });

  it('score with the baseline cancelling the constants: variance θ⁴ + 14θ² + 15 = 11415', () => {
    // ĝ = −θ − ε(θ+ε)²; SE(var) = sqrt((μ4 − σ⁴)/n) = 102.5 at n = 50000 (heavier-tailed than a
    // Gaussian: the chi-square rule 11415·sqrt(2/n) would give 72.2); 5 SE = 512, i.e. 4.5 %.
    // SE(mean) = sqrt(11415/n) = 0.478.
    const prog = compile(SOURCE, { estimators: { z: 'score' } });
    prog.state.load({ z: C - 0.5 * THETA * THETA });
    const g = run(prog, TEST_SEED + 1);
    const p: Poly = [-THETA, -THETA * THETA, -2 * THETA, -1];
    const v = variance(g);
    note('lecture score (b cancels constants): mean', mean(g), 'exact', -3 * THETA, 'var', v, 'exact', polyVar(p), 'SE', polyVarSe(p, N));
    expect(Math.abs(mean(g) + 3 * THETA)).toBeLessThan(5 * Math.sqrt(polyVar(p) / N));
    expect(Math.abs(v - 11415)).toBeLessThan(5 * polyVarSe(p, N));
    prog.dispose();
  });

  it('score as the engine runs it without a baseline: the constants inflate the variance', () => {
    // ĝ = −θ + ε(c − ½θ² − (θ+ε)²) = −θ + aε − 2θε² − ε³ with a = c − 1.5θ²:
    // Var = a² + 2(2θ)² + 15 − 6a = 24390.5; SE(var) = 188.6 at n = 50000.
    const prog = compile(SOURCE, { estimators: { z: 'score' } });
    const g = run(prog, TEST_SEED + 2);
    const p: Poly = [-THETA, C - 0.5 * THETA * THETA - THETA * THETA, -2 * THETA, -1];
    const v = variance(g);
    note('lecture score (b = 0): mean', mean(g), 'exact', -3 * THETA, 'var', v, 'exact', polyVar(p), 'SE', polyVarSe(p, N));
    expect(Math.abs(mean(g) + 3 * THETA)).toBeLessThan(5 * Math.sqrt(polyVar(p) / N));
    expect(Math.abs(v - polyVar(p))).toBeLessThan(5 * polyVarSe(p, N));
    prog.dispose();
  });
});
